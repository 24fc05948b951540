"""Spreadsheet/table layouts of the org module (shared by list pages and Excel export)."""

from kaifaqu.core.tabular import Column, Layout

ZONE_LAYOUT = Layout("zones", "开发区", (
    Column("开发区名称", "name", required=True, width=28),
    Column("代码", "code", required=True, width=12),
    Column("类型", "kind", "choice", width=18),
    Column("级别", "level", "choice", width=8),
    Column("市", "city", width=10),
    Column("县（市、区）", "county", width=12),
    Column("规划面积（平方公里）", "area_km2", "decimal", width=14),
    Column("机构规格", "rank", width=10),
))
