"""Chinese labels of the audit actions the whistle module writes (core.labels)."""

from kaifaqu.core import labels

labels.register(labels.AUDIT_ACTION, {
    "whistle.blow": "吹哨", "whistle.set_policy": "设置吹哨时限规则", "whistle.set_scoring": "设置吹哨考核权重",
    "whistle.grant_extension": "批准延期", "whistle.refuse_extension": "不予延期", "whistle.redispatch": "改派",
    "whistle.complete": "吹哨全部解决", "whistle.visit": "回访", "whistle.rate": "评价", "whistle.rework": "吹哨重办",
    "assignment.dispatch": "派发承办", "assignment.report_in": "报到", "assignment.solve": "解决",
    "assignment.plan": "提交方案", "assignment.progress": "报告进展", "assignment.return": "退回吹哨",
    "assignment.request_extension": "申请延期", "assignment.urge": "催办", "assignment.supervise": "督办",
    "assignment.escalate": "提交联席会议", "assignment.rework": "重办",
})
labels.register(labels.AUDIT_ACTION_GROUP, {"whistle.": "吹哨", "assignment.": "吹哨承办"})
