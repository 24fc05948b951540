"""Spreadsheet/table layouts of the approvals module (list pages, Excel export and import share them)."""

from kaifaqu.core.tabular import Column, Layout


def _limit_text(obj):
    return f"{obj.promised_limit}/{obj.legal_limit}"


ITEM_LAYOUT = Layout("approval_items", "政务服务事项", (
    Column("事项编码", "code", required=True, width=16),
    Column("事项名称", "name", required=True, width=36),
    Column("实施部门", "department", "fk", required=True, width=28),
    Column("受理窗口", "window", "fk", getter=lambda i: i.window.name if i.window else None, importable=True,
           width=24),
    Column("所属阶段", "stage", "choice", width=16),
    Column("法定时限（工作日）", "legal_limit", "integer", required=True, width=10),
    Column("承诺时限（工作日）", "promised_limit", "integer", required=True, width=10),
    Column("收费标准（元）", "fee", "decimal", width=12),
    Column("收费依据", "fee_basis", width=24),
    Column("办理方式", "handling", "choice", width=14),
    Column("对应权力事项编码", "power_code", width=16),
    Column("告知承诺制", "commitment", "bool", width=10),
    Column("告知承诺书内容", "commitment_text", width=40),
    Column("核查时限（工作日）", "check_days", "integer", width=10),
    Column("受理条件", "conditions", width=30),
    Column("设定依据", "basis", width=30),
))

ITEM_TABLE = Layout("approval_items_table", "政务服务事项", (
    Column("事项编码", "code", width=16),
    Column("事项名称", "name", width=36),
    Column("实施部门", "department", "fk", width=28),
    Column("受理窗口", "window", "fk", width=24),
    Column("所属阶段", "stage", "choice", width=16),
    Column("时限（承诺/法定，工作日）", "promised_limit", getter=_limit_text, width=12),
    Column("办理方式", "handling", "choice", width=14),
    Column("告知承诺制", "commitment", "bool", width=10),
))

MATERIAL_LAYOUT = Layout("approval_materials", "申请材料（一次性告知清单）", (
    Column("事项编码", "item", "fk", required=True, getter=lambda m: m.item.code, importable=True, width=16),
    Column("材料名称", "name", required=True, width=36),
    Column("材料形式", "form", "choice", width=12),
    Column("份数", "count", "integer", width=8),
    Column("必须提交", "required", "bool", width=10),
    Column("可容缺后补", "may_follow", "bool", width=10),
    Column("填报说明", "note", width=30),
    Column("排序", "sort", "integer", width=8),
))

WINDOW_LAYOUT = Layout("approval_windows", "服务窗口", (
    Column("窗口号", "number", "integer", width=8),
    Column("窗口名称", "name", width=30),
    Column("职责说明", "duties", width=40),
    Column("进驻事项数", "item_count", getter=lambda w: getattr(w, "item_count", None), width=10),
    Column("在办件数", "open_count", getter=lambda w: getattr(w, "open_count", None), width=10),
))

CASE_LAYOUT = Layout("approval_cases", "办件", (
    Column("办件编号", "number", width=16),
    Column("事项", "item", "fk", getter=lambda c: c.item.name, width=30),
    Column("申请单位", "applicant", "fk", getter=lambda c: c.applicant.name, width=28),
    Column("申请事由", "title", width=30),
    Column("状态", "state", "choice", width=10),
    Column("容缺受理", "conditional", "bool", width=8),
    Column("申请时间", "applied_at", "datetime", width=18),
    Column("决定时间", "decided_at", "datetime", width=18),
))

PROJECT_LAYOUT = Layout("approval_projects", "建设项目", (
    Column("项目代码", "code", width=16),
    Column("项目名称", "name", width=36),
    Column("建设单位", "enterprise", "fk", width=28),
    Column("所在园区", "park", "fk", width=20),
    Column("项目类型", "kind", "choice", width=14),
    Column("拿地即开工", "fast_start", "bool", width=10),
    Column("土地出让日期", "land_transferred_on", "date", width=14),
))


def _overdue(check):
    from .queries import check_overdue

    return check_overdue(check)


CHECK_LAYOUT = Layout("approval_checks", "承诺事项核查", (
    Column("办件编号", "case", "fk", getter=lambda c: c.case.number, width=16),
    Column("事项", "item", getter=lambda c: c.case.item.name, width=30),
    Column("申请单位", "applicant", getter=lambda c: c.case.applicant.name, width=28),
    Column("核查部门", "department", "fk", getter=lambda c: c.department.name, width=24),
    Column("状态", "state", "choice", width=10),
    Column("核查期限", "due_at", "datetime", width=18),
    Column("已超期", "overdue", "bool", getter=_overdue, width=8),
    Column("处理结果", "consequence", "choice", width=14),
))


def _shortfall_text(parcel):
    from .queries import shortfalls

    return "；".join(f"{r['label']}差 {r['gap']}{r['unit']}" for r in shortfalls(parcel))


PARCEL_LAYOUT = Layout("approval_parcels", "标准地地块", (
    Column("地块编号", "code", width=16),
    Column("项目", "project", "fk", getter=lambda p: p.project.name, width=30),
    Column("坐落", "location", width=24),
    Column("面积（亩）", "area_mu", "decimal", width=10),
    Column("出让日期", "transferred_on", "date", width=14),
    Column("竣工验收日期", "accepted_on", "date", width=14),
    Column("未达标指标数", "shortfall_count", "integer", width=10),
    Column("未达标情况", "shortfalls", getter=_shortfall_text, width=40),
))
