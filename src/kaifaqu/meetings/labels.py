"""Chinese labels of the audit actions the meetings module writes (core.labels)."""

from kaifaqu.core import labels

labels.register(labels.AUDIT_ACTION, {
    "meetings.set_body": "设置联席会议制度", "meetings.schedule": "安排会议", "meetings.set_attendance": "登记出席情况",
    "meetings.add_agenda_item": "列入议题", "meetings.hold": "确认会议召开", "meetings.cancel": "取消会议",
    "meetings.issue_minutes": "印发会议纪要", "meetings.minutes_file": "生成会议纪要文件",
    "decision.create": "登记议定事项", "decision.report": "议定事项报办结", "decision.accept": "议定事项验收办结",
    "decision.reject": "议定事项退回重办", "decision.remind": "议定事项到期提醒", "decision.urge": "议定事项催办",
    "decision.supervise": "议定事项督办",
})
labels.register(labels.AUDIT_ACTION_GROUP, {"meetings.": "联席会议", "decision.": "议定事项"})
