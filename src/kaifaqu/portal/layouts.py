"""The public export: the usual layout of a published 权责清单 (序号 … 监督电话), with how the zone holds each power
and its batch, but without 备注 (the zone's internal notes). Its rows are written by ``queries.export_rows`` in
this order (portal/xlsx.py writes the workbook)."""

from kaifaqu.core.tabular import Column, Layout

PUBLIC_LAYOUT = Layout("public_power_items", "权责清单", (
    Column("序号", "row_no", "integer", getter=lambda i: getattr(i, "row_no", None), width=6),
    Column("事项编码", "code", width=22),
    Column("事项名称", "name", width=36),
    Column("子项名称", "sub_name", width=30),
    Column("事项类型", "kind", "choice", width=14),
    Column("设定依据", "basis", width=60),
    Column("实施主体", "implementing_body", width=28),
    Column("承办机构", "undertaking_unit", width=20),
    Column("责任事项", "duties", width=50),
    Column("追责情形", "accountability", width=50),
    Column("监督电话", "supervision_phone", width=16),
    Column("行使方式", "holding", "choice", width=8),
    Column("赋权批次", "batch", getter=lambda i: i.batch.name if i.batch_id else "", width=16),
))

DIFF_LAYOUT = Layout("public_power_diff", "版本变化", (
    Column("变化", "change", width=8),
    Column("事项编码", "code", width=22),
    Column("事项名称", "name", width=36),
    Column("字段", "label", width=14),
    Column("原内容", "before", width=50),
    Column("新内容", "after", width=50),
))
