"""Spreadsheet/table layouts of the powers module (list pages, Excel export and import share them).

``ITEM_LAYOUT`` is the usual layout of a published 权责清单 (序号 … 备注); 序号 is numbered on export (the view sets
``row_no``) and ignored on import, so export → edit → import changes only what was edited.
"""

from django.utils import timezone

from kaifaqu.core.tabular import Column, Layout

STANDARD_LAYOUT = Layout("power_standards", "标准事项目录", (
    Column("事项编码", "code", required=True, width=22),
    Column("事项名称", "name", required=True, width=36),
    Column("子项名称", "sub_name", width=30),
    Column("事项类型", "kind", "choice", required=True, width=14),
    Column("设定依据", "basis", width=60),
))

ITEM_LAYOUT = Layout("power_items", "权责清单", (
    Column("序号", "row_no", "integer", getter=lambda i: getattr(i, "row_no", None), width=6),
    Column("事项编码", "code", required=True, width=22),
    Column("事项名称", "name", required=True, width=36),
    Column("子项名称", "sub_name", width=30),
    Column("事项类型", "kind", "choice", width=14),
    Column("设定依据", "basis", width=60),
    Column("实施主体", "implementing_body", width=28),
    Column("承办机构", "undertaking_unit", width=20),
    Column("责任事项", "duties", width=50),
    Column("追责情形", "accountability", width=50),
    Column("监督电话", "supervision_phone", width=16),
    Column("备注", "note", width=24),
))


def _origin(item):
    return "自有事项" if item.standard_id is None else "认领"


ITEM_TABLE = Layout("power_items_table", "权力事项", (
    Column("事项编码", "code", width=22),
    Column("事项名称", "name", width=36),
    Column("子项名称", "sub_name", width=24),
    Column("事项类型", "kind", "choice", width=14),
    Column("行使方式", "holding", "choice", width=8),
    Column("赋权批次", "batch", "fk", width=14),
    Column("实施主体", "implementing_body", width=24),
    Column("来源", "origin", getter=_origin, width=8),
))

BATCH_LAYOUT = Layout("power_batches", "赋权批次", (
    Column("批次名称", "name", required=True, width=20),
    Column("赋权文号", "document_no", width=24),
    Column("发文日期", "document_date", "date", width=12),
    Column("生效日期", "effective_on", "date", width=12),
    Column("事项数", "n_items", "integer", getter=lambda b: getattr(b, "n_items", None), width=8),
))

VERSION_LAYOUT = Layout("power_versions", "清单版本", (
    Column("标题", "title", width=30),
    Column("版本序号", "seq", "integer", width=8),
    Column("状态", "state", "choice", width=10),
    Column("发布文号", "publish_no", width=20),
    Column("发布日期", "published_on", "date", width=12),
    Column("事项数", "n_items", "integer", getter=lambda v: getattr(v, "n_items", None), width=8),
))

DIFF_LAYOUT = Layout("power_diff", "版本比对", (
    Column("变化", "change", width=8),
    Column("事项编码", "code", width=22),
    Column("事项名称", "name", width=36),
    Column("字段", "label", width=14),
    Column("原内容", "before", width=50),
    Column("新内容", "after", width=50),
))

FUNCTION_LAYOUT = Layout("power_functions", "两张目录", (
    Column("目录", "catalogue", "choice", width=18),
    Column("类别", "category", width=16),
    Column("职能事项", "name", width=40),
    Column("承接单位", "receiver", "fk", width=20),
    Column("交接日期", "handover_on", "date", width=12),
    Column("交接状态", "state", "choice", width=10),
))

HEAD_CHANGE_LAYOUT = Layout("power_head_changes", "派驻机构负责人任免", (
    Column("派驻机构", "agency", "fk", width=24),
    Column("派出部门", "department", "fk", width=24),
    Column("任免类型", "kind", "choice", width=8),
    Column("拟任免人员", "person_name", width=12),
    Column("职务", "post", width=20),
    Column("申请时间", "requested_at", getter=lambda h: f"{timezone.localtime(h.requested_at):%Y-%m-%d %H:%M}",
           width=18),
    Column("状态", "state", "choice", width=12),
    Column("生效日期", "effective_on", "date", width=12),
))

ASSESSMENT_LAYOUT = Layout("power_assessment_rights", "派驻机构考核权", (
    Column("派驻机构", "agency", "fk", width=24),
    Column("考核方案", "scheme", width=36),
    Column("考核周期", "period", "choice", width=8),
    Column("起始日期", "since", "date", width=12),
    Column("说明", "note", width=30),
))
