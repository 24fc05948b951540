from kaifaqu.core.tabular import Column, Layout


def _industry(obj):
    from . import industry

    return industry.label(obj.industry_code)


ENTERPRISE_LAYOUT = Layout("enterprises", "企业库", (
    Column("企业名称", "name", width=30),
    Column("统一社会信用代码", "uscc", "uscc", width=22),
    Column("所在园区", "park", "fk", width=16),
    Column("行业", "industry_code", getter=_industry, width=26),
    Column("状态", "status", "choice", width=8),
    Column("规上企业", "above_size", "bool", width=8),
    Column("纳入规上年度", "above_size_year", "integer", width=10),
    Column("从业人员（人）", "employees", "integer", width=10),
    Column("用地面积（亩）", "land_mu", "decimal", width=12),
))

INDICATOR_LAYOUT = Layout("indicators", "经济指标", (
    Column("指标名称", "name", width=20),
    Column("指标代码", "code", width=14),
    Column("计量单位", "unit", width=10),
    Column("报告期", "period_kind", "choice", width=8),
    Column("累计值", "cumulative", "bool", width=8),
    Column("重点指标", "key", "bool", width=8),
))

VALUE_LAYOUT = Layout("indicator_values", "指标数据报送", (
    Column("统一社会信用代码", "enterprise", "fk", required=True, width=22,
           help="企业库中已登记的统一社会信用代码"),
    Column("企业名称", "enterprise__name", getter=lambda v: v.enterprise.name, width=30),
    Column("指标代码", "indicator", "fk", required=True, width=14, help="如 tax（税收）"),
    Column("年度", "year", "integer", required=True, width=8),
    Column("期别", "period", "integer", required=True, width=8, help="月度指标填月份，季度指标填季度"),
    Column("数值", "value", "decimal", required=True, width=14, help="按指标的计量单位填写"),
))

TASK_LAYOUT = Layout("submission_tasks", "报送任务", (
    Column("指标", "indicator", "fk", width=20),
    Column("报送单位", "org", "fk", width=20),
    Column("期别", "period_label", getter=lambda t: t.period_label, width=14),
    Column("截止日期", "due_on", "date", width=12),
    Column("状态", "state", "choice", width=8),
    Column("报送时间", "submitted_at", "datetime", width=18),
    Column("逾期", "late", "bool", width=6),
))
