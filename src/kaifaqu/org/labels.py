"""Chinese labels of the audit actions org writes (core.labels)."""

from kaifaqu.core import labels

labels.register(labels.AUDIT_ACTION, {
    "zone.create": "新增开发区", "zone.update": "修改开发区",
    "park.create": "新增园区", "park.update": "修改园区",
    "org.create": "新增机构", "org.update": "修改机构", "org.set_head": "设定单位负责人", "org.abolish": "撤销机构", "org.import": "导入机构",
    "plaque.create": "加挂牌子", "plaque.remove": "摘除牌子",
    "establishment.create": "核定编制", "establishment.update": "调整核定编制",
    "reorg.create": "记录机构沿革",
    "staff.create": "新增人员", "staff.update": "修改人员", "staff.import": "导入人员",
    "secondment.create": "登记挂职", "secondment.end": "提前结束挂职",
})
labels.register(labels.AUDIT_ACTION_GROUP, {
    "zone.": "开发区", "park.": "园区", "org.": "机构", "plaque.": "牌子", "establishment.": "编制", "reorg.": "机构沿革",
    "staff.": "人员", "secondment.": "挂职",
})
