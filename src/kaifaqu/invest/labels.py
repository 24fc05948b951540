"""Chinese labels of the audit actions the investment module writes (core.labels)."""

from kaifaqu.core import labels

labels.register(labels.AUDIT_ACTION, {
    "project.create": "登记招商项目", "project.update": "修改招商项目", "project.negotiate": "项目进入洽谈",
    "project.sign": "项目签约", "project.supply_land": "项目供地", "project.start": "项目开工",
    "project.produce": "项目投产", "project.drop": "终止招商项目", "project.log": "登记项目服务",
    "project.log_whistle": "项目问题转为吹哨",
    "invest_settings.update": "修改招商设置",
})
labels.register(labels.AUDIT_ACTION_GROUP, {"project.": "招商项目", "invest_settings.": "招商设置"})
