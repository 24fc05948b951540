"""Chinese labels of the audit actions the economy module writes (core.labels)."""

from kaifaqu.core import labels

labels.register(labels.AUDIT_ACTION, {
    "enterprise.create": "登记企业", "enterprise.update": "修改企业信息", "enterprise.import": "批量登记企业",
    "indicator.create": "新增经济指标", "indicator.update": "修改经济指标", "indicator_value.import": "导入指标数据",
    "ranking.create": "记录外部排名", "submission_task.create": "下达报送任务", "submission_task.submit": "部门报送数据",
    "submission_task.resubmit": "部门重新报送数据",
})
labels.register(labels.AUDIT_ACTION_GROUP, {
    "enterprise.": "企业库", "indicator.": "经济指标", "indicator_value.": "指标数据", "ranking.": "外部排名",
    "submission_task.": "报送任务",
})
