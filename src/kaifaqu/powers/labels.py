"""Chinese labels of the audit actions the powers module writes (core.labels)."""

from kaifaqu.core import labels

labels.register(labels.AUDIT_ACTION, {
    "powerstd.import": "导入标准事项目录", "powerstd.create": "新增标准事项",
    "powerbatch.create": "新增赋权批次", "powerbatch.update": "修改赋权批次",
    "powerlist.start": "新建权责清单草稿", "powerlist.update": "修改权责清单版本", "powerlist.submit": "提交权责清单审核",
    "powerlist.approve": "审核通过权责清单", "powerlist.send_back": "退回权责清单", "powerlist.publish": "发布权责清单",
    "poweritem.claim": "认领标准事项", "poweritem.create": "新增自有事项", "poweritem.update": "修改权力事项",
    "poweritem.remove": "移出权力事项", "poweritem.import": "导入权力事项",
    "powermatrix.area_create": "新增责任区域", "powermatrix.matter_create": "新增责任事项",
    "powermatrix.assign": "指定主责/配合单位", "powermatrix.unassign": "取消主责/配合单位",
    "powerfn.create": "新增职能事项", "powerfn.confirm": "确认承接职能", "powerfn.dispute": "对职能交接提出异议",
    "powerfn.resolve": "处理职能交接异议",
    "headchange.request": "提出派驻机构负责人任免", "headchange.consent": "同意派驻机构负责人任免",
    "headchange.refuse": "不同意派驻机构负责人任免", "headchange.take_effect": "派驻机构负责人任免记入机构信息",
    "powerassess.create": "登记派驻机构考核权", "powerassess.update": "修改派驻机构考核权",
})
labels.register(labels.AUDIT_ACTION_GROUP, {
    "powerstd.": "标准事项目录", "powerbatch.": "赋权批次", "powerlist.": "权责清单版本", "poweritem.": "权力事项", "powermatrix.": "责任清单", "powerfn.": "两张目录",
    "headchange.": "派驻机构负责人任免", "powerassess.": "派驻机构考核权",
})
