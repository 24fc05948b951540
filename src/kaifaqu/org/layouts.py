"""Spreadsheet/table layouts of the org module (shared by list pages, Excel export and import).

Columns marked ``importable=False`` (abolition: a process with its own service) and the computed ones are
ignored on import.

Computed figures (approved posts, people in post) are attached to the objects by the view as ``totals`` from
``queries.org_totals`` for the page (or export chunk) of ids; the layout only reads them.
"""

from kaifaqu.core.tabular import Column, Layout, not_negative


def _totals(key):
    def get(org):
        totals = getattr(org, "totals", None)
        return totals.get(key) if totals else None

    return get


def _plaques(org):
    plaques = getattr(org, "active_plaques", None)
    if plaques is None:
        return ""
    return "；".join(p.name for p in plaques)


def _over_cap(org):
    totals = getattr(org, "totals", None)
    if not totals or org.headcount_cap is None:
        return ""
    return "是" if totals["actual"] > org.headcount_cap else "否"


def _secondment_state(s):
    return s.status_label


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

PARK_LAYOUT = Layout("parks", "园区", (
    Column("园区名称", "name", required=True, width=24),
    Column("代码", "code", required=True, width=12),
    Column("开发区", "zone", "fk", width=24),
    Column("面积（平方公里）", "area_km2", "decimal", width=14),
    Column("主导产业", "leading_industries", width=30),
))

ORG_LAYOUT = Layout("orgs", "机构", (
    Column("机构名称", "name", required=True, width=30),
    Column("代码", "code", required=True, width=14),
    Column("机构类型", "kind", "choice", width=14),
    Column("开发区", "zone", "fk", width=20),
    Column("所在园区", "park", "fk", width=14),
    Column("上级机构", "parent", "fk", width=20),
    Column("派出部门", "home_department", "fk", width=20),
    Column("牌子", "plaques", getter=_plaques, width=30),
    Column("综合性", "comprehensive", "bool", width=8),
    Column("机构规格", "rank", width=10),
    Column("核定编制", "approved", "integer", getter=_totals("approved"), width=10),
    Column("实有人数", "actual", "integer", getter=_totals("actual"), width=10),
    Column("员额上限", "headcount_cap", "integer", width=10),
    Column("超员额", "over_cap", getter=_over_cap, width=8),
    Column("统一社会信用代码", "credit_code", "uscc", width=22),
    Column("存续", "is_active", "bool", width=8, importable=False),
    Column("撤销日期", "abolished_on", "date", width=12, importable=False),
))

# The page shows fewer columns than the export, and the parent by its short name: the committee's full name on every
# row would fill the table.
def _parent_short(org):
    return (org.parent.short_name or org.parent.name) if org.parent_id else None


ORG_TABLE = Layout("orgs_table", "机构", tuple(
    Column("上级机构", "parent", getter=_parent_short, width=12) if c.field == "parent" else c
    for c in ORG_LAYOUT.columns if c.field in {
        "name", "kind", "park", "parent", "plaques", "approved", "actual", "headcount_cap", "is_active"}))

STAFF_LAYOUT = Layout("staff", "人员", (
    Column("工号", "staff_no", required=True, width=12),
    Column("姓名", "name", required=True, width=12),
    Column("性别", "gender", "choice", width=6),
    Column("所在单位", "org", "fk", required=True, width=24),
    Column("编制类型", "post_kind", "choice", required=True, width=10),
    Column("档案职级（原职务）", "grade_on_file", width=18),
    Column("档案工资（元/月）", "archive_salary", "decimal", width=14, validators=(not_negative,)),
    Column("聘任岗位", "appointed_post", width=18),
    Column("实际薪酬（元/年）", "actual_pay", "decimal", width=14, validators=(not_negative,)),
    Column("到岗日期", "joined_on", "date", width=12),
    Column("状态", "status", "choice", width=10),
    Column("手机", "phone", width=14),
))

STAFF_TABLE = Layout("staff_table", "人员", tuple(c for c in STAFF_LAYOUT.columns if c.field in {
    "staff_no", "name", "org", "post_kind", "grade_on_file", "appointed_post", "status"}))

SECONDMENT_LAYOUT = Layout("secondments", "挂职", (
    Column("人员", "staff", "fk", required=True, width=12),
    Column("工号", "staff__staff_no", width=12),
    Column("原单位", "staff__org", "fk", width=24),
    Column("挂职单位", "host", getter=lambda s: s.host_label, width=24),
    Column("挂职岗位", "post", width=18),
    Column("开始日期", "start", "date", width=12),
    Column("结束日期", "end", "date", width=12),
    Column("状态", "state", getter=_secondment_state, width=20),
    Column("备注", "note", width=24),
))

REORG_LAYOUT = Layout("reorg_events", "机构沿革", (
    Column("日期", "date", "date", required=True, width=12),
    Column("事项", "title", required=True, width=36),
    Column("类型", "kind", "choice", width=14),
    Column("统计对象", "subject", width=14),
    Column("调整前", "before_count", "integer", width=8),
    Column("调整后", "after_count", "integer", width=8),
    Column("增减", "change", "integer", getter=lambda e: e.change, width=8),
    Column("文号", "document_no", width=20),
    Column("开发区", "zone", "fk", width=20),
))
