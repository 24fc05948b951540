"""Chinese labels of the audit actions the approvals module writes (core.labels)."""

from kaifaqu.core import labels

labels.register(labels.AUDIT_ACTION, {
    "approvals.window_create": "新增服务窗口", "approvals.window_update": "修改服务窗口",
    "approvals.window_staff": "调整窗口工作人员",
    "approvals.item_create": "新增政务服务事项", "approvals.item_update": "修改政务服务事项",
    "approvals.item_import": "导入政务服务事项",
    "approvals.material_create": "新增申请材料", "approvals.material_update": "修改申请材料",
    "approvals.material_import": "导入申请材料",
})
labels.register(labels.AUDIT_ACTION_GROUP, {"approvals.": "一站式审批"})
