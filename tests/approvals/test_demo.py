"""The approvals demo: what the issue asks of it, computed from the rows it wrote through the services."""

import datetime
from decimal import Decimal

import pytest

from kaifaqu.approvals import queries, workflow
from kaifaqu.approvals.models import PROJECT_STAGES, Case, Project, ServiceItem, Window

pytestmark = pytest.mark.django_db


def test_demo_catalogue_cases_and_projects(demo_db):
    from kaifaqu.org.models import Zone

    zone = Zone.objects.get(code="demo")
    assert Window.objects.filter(zone=zone).count() == 12
    items = ServiceItem.objects.filter(zone=zone)
    assert items.count() >= 60 and set(PROJECT_STAGES) <= set(items.values_list("stage", flat=True))
    assert not items.filter(materials__isnull=True).exists()
    projects = list(Project.objects.filter(zone=zone))
    assert len(projects) == 15
    timelines = {p.code: queries.project_timeline(p) for p in projects}
    current = {t["current"] for t in timelines.values()}
    assert {"立项用地规划许可", "工程建设许可", "施工许可", "竣工验收", "已完成全部阶段"} <= current
    ba = queries.before_after(zone, "general_industrial", 2026)
    assert ba["baseline"] == 87 and ba["median"] == 25 and ba["saving"] == 71
    # the supplement across the 2026 Spring Festival
    paused = [c for c in Case.objects.filter(zone=zone) if (k := workflow.clock_of(c, open_only=False))
              and any(p.started_at.date() <= datetime.date(2026, 2, 17) <= p.ended_at.date() for p in k.pauses.all()
                      if p.ended_at)]
    assert paused
    conditional = list(Case.objects.filter(zone=zone, conditional=True))
    overdue = [c for c in conditional
               if queries.deferred_overdue(c, workflow.clock_of(c, workflow.DEFERRED_KIND, open_only=False))]
    assert len(conditional) >= 2 and len(overdue) == 1
    # 告知承诺制: one post-check under way (not overdue), one failed with its consequence
    from kaifaqu.accounts.models import User
    from kaifaqu.approvals.models import Parcel, PostCheck, ProjectAgent
    from kaifaqu.core.audit.models import AuditEvent

    checks = {c.state: c for c in PostCheck.objects.filter(zone=zone)}
    assert set(checks) == {"pending", "failed"} and not queries.check_overdue(checks["pending"])
    assert checks["failed"].consequence == "rectify" and checks["pending"].case.pledged_at is not None
    # 标准地: one parcel short of its commitments, with the gaps
    short = Parcel.objects.get(zone=zone, shortfall_count__gt=0)
    assert {r["indicator"]: r["gap"] for r in queries.shortfalls(short)} == {
        "tax_per_mu": Decimal("8.40"), "energy_per_unit": Decimal("0.07")}
    # 帮办代办: bangban applied for qiye; the audit names both
    agency = ProjectAgent.objects.get(zone=zone)
    assert agency.agent.username == "bangban" and User.objects.filter(username="qiye", org=agency.project.enterprise).exists()
    event = AuditEvent.objects.get(action="approvals.apply", actor=agency.agent)
    assert event.principal["id"] == agency.project.enterprise_id
