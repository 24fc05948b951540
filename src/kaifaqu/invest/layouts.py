from kaifaqu.core.tabular import Column, Layout

from . import money


def _industry(project):
    from kaifaqu.economy import industry

    return industry.label(project.industry_code)


PROJECT_LAYOUT = Layout("investment-projects", "招商项目", (
    Column("项目名称", "name", width=30),
    Column("阶段", "state", "choice", width=10),
    Column("签约金额（万元）", "signed_amount", "decimal", getter=lambda p: None if p.signed_amount is None
           else money.wan(p.signed_amount), width=14),
    Column("实际到位投资（万元）", "invested_amount", "decimal", getter=lambda p: money.wan(p.invested_amount),
           width=14),
    Column("签约日期", "signed_on", "date", width=12),
    Column("落地园区", "park", "fk", width=16),
    Column("行业", "industry_code", getter=_industry, width=24),
    Column("来源", "source", "choice", width=12),
    Column("责任单位", "responsible_org", "fk", width=16),
    Column("结对领导", "paired_leader", width=10),
    Column("最近阶段日期", "stage_on", "date", width=12),
))

LOG_LAYOUT = Layout("investment-service-logs", "项目服务记录", (
    Column("项目", "project", "fk", width=30),
    Column("类型", "kind", "choice", width=10),
    Column("日期", "date", "date", width=12),
    Column("内容", "content", width=50),
    Column("服务人", "by_name", width=12),
))

SETTINGS_LAYOUT = Layout("investment-settings", "招商设置", (
    Column("开发区", "zone", "fk", width=30),
    Column("第一档（亿元）", "tier1_yi", "decimal"),
    Column("第二档（亿元）", "tier2_yi", "decimal"),
    Column("第三档（亿元）", "tier3_yi", "decimal"),
    Column("第四档（亿元）", "tier4_yi", "decimal"),
    Column("停滞天数", "stuck_days", "integer"),
))
