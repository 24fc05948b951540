"""Chinese labels of the audit actions the approvals module writes (core.labels)."""

from kaifaqu.core import labels

labels.register(labels.AUDIT_ACTION, {
    "approvals.window_create": "新增服务窗口", "approvals.window_update": "修改服务窗口",
    "approvals.window_staff": "调整窗口工作人员",
    "approvals.item_create": "新增政务服务事项", "approvals.item_update": "修改政务服务事项",
    "approvals.item_import": "导入政务服务事项",
    "approvals.material_create": "新增申请材料", "approvals.material_update": "修改申请材料",
    "approvals.material_import": "导入申请材料", "approvals.checklist": "发布一次性告知清单",
    "approvals.apply": "申请办件", "approvals.material_provide": "提交办件材料",
    "approvals.accept": "受理办件", "approvals.accept_conditionally": "容缺受理", "approvals.refuse": "不予受理",
    "approvals.request_supplement": "一次性告知补正", "approvals.supply": "补正完成",
    "approvals.supply_deferred": "容缺材料补齐", "approvals.request_extension": "申请延期",
    "approvals.approve_extension": "批准延期", "approvals.approve": "准予许可", "approvals.reject": "不予许可",
    "approvals.close": "办结",
    "approvals.project_create": "登记建设项目", "approvals.project_item": "项目增加审批事项",
    "approvals.assessment": "登记区域评估", "approvals.baseline": "记录审批时间基准",
    "approvals.combine": "合并办理（多评合一/多审合一）",
    "approvals.agent_assign": "指派帮办代办员", "approvals.agent_end": "结束帮办代办",
    "approvals.sign_commitment": "签署告知承诺书", "approvals.approve_on_commitment": "告知承诺制审批",
    "approvals.check_open": "发起承诺核查", "approvals.pass_check": "核查通过", "approvals.fail_check": "核查不通过",
    "approvals.parcel_create": "登记标准地", "approvals.parcel_actuals": "登记标准地实际指标",
})
labels.register(labels.AUDIT_ACTION_GROUP, {"approvals.": "一站式审批"})
