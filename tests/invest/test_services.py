"""Investment projects: the pipeline with its dates, tiers at their boundaries, landing rate and stuck projects."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from kaifaqu.core.access import SYSTEM
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.errors import Forbidden, InvalidInput, NotFound, RuleViolation
from kaifaqu.invest import queries, services
from kaifaqu.invest.models import Project, Stage

YI = Decimal(100000000)
D = datetime.date


LEAD_ON = D(2024, 1, 5)
SIGNED_ON = D(2024, 3, 1)


def lead(world, zone=None, name="项目", lead_on=LEAD_ON, **kw):
    return services.do_create_project(SYSTEM, zone or world.zone, name=name, industry_code=kw.pop("code", "3670"),
                                      lead_on=lead_on, **kw)


def signed(world, amount_yi, signed_on=SIGNED_ON, zone=None, name=None):
    p = lead(world, zone, name or f"项目{amount_yi}", lead_on=signed_on - datetime.timedelta(days=60))
    p = services.do_advance(SYSTEM, p, "negotiate", date=signed_on - datetime.timedelta(days=30))
    return services.do_advance(SYSTEM, p, "sign", date=signed_on, signed_amount=Decimal(amount_yi) * YI)


def test_the_pipeline_records_each_stage_date_and_audits_it(world):
    p = lead(world, investor="某集团")
    before = AuditEvent.objects.count()
    p = services.do_advance(world.clerk, p, "negotiate", date=D(2024, 2, 1))
    p = services.do_advance(world.clerk, p, "sign", date=D(2024, 3, 1), signed_amount=Decimal("550000000"))
    p = services.do_advance(world.clerk, p, "supply_land", date=D(2024, 5, 1))
    p = services.do_advance(world.clerk, p, "start", date=D(2024, 7, 1), invested_amount=Decimal("100000000"))
    p = services.do_advance(world.clerk, p, "produce", date=D(2025, 7, 1), invested_amount=Decimal("450000000"))
    assert p.state == Stage.PRODUCING
    assert (p.negotiating_on, p.signed_on, p.land_on, p.started_on, p.producing_on) == (
        D(2024, 2, 1), D(2024, 3, 1), D(2024, 5, 1), D(2024, 7, 1), D(2025, 7, 1))
    assert p.stage_on == D(2025, 7, 1) and p.invested_amount == Decimal("450000000")
    actions = list(AuditEvent.objects.filter(seq__gt=0).order_by("-seq").values_list("action", flat=True)[:5])
    assert actions == ["project.produce", "project.start", "project.supply_land", "project.sign", "project.negotiate"]
    assert AuditEvent.objects.count() == before + 5
    assert p.events.count() == 5


def test_a_date_before_the_previous_stage_is_refused_with_422_and_nothing_changes(world):
    p = lead(world, lead_on=D(2024, 3, 1))
    with pytest.raises(RuleViolation) as exc:
        services.do_advance(world.clerk, p, "negotiate", date=D(2024, 2, 28))
    assert exc.value.status == 422 and "早于上一阶段日期" in exc.value.detail and "date" in exc.value.fields
    p.refresh_from_db()
    assert p.state == Stage.LEAD and p.negotiating_on is None and p.version == 1 and not p.events.exists()


def test_a_future_date_is_refused(world):
    p = lead(world)
    with pytest.raises(RuleViolation):
        services.do_advance(world.clerk, p, "negotiate", date=timezone.localdate() + datetime.timedelta(days=2))


def test_a_wrong_transition_names_the_state_and_the_allowed_actions(world):
    p = lead(world)
    with pytest.raises(RuleViolation) as exc:
        services.do_advance(world.clerk, p, "start", date=D(2024, 2, 1))
    assert exc.value.code == "invalid_transition"
    assert exc.value.extra == {"state": "lead", "allowed_actions": ["negotiate", "drop"]}
    assert "线索" in exc.value.detail


def test_signing_needs_a_positive_amount(world):
    p = services.do_advance(world.clerk, lead(world), "negotiate", date=D(2024, 2, 1))
    with pytest.raises(InvalidInput) as exc:
        services.do_advance(world.clerk, p, "sign", date=D(2024, 3, 1))
    assert "signed_amount" in exc.value.fields
    with pytest.raises(InvalidInput) as exc:
        services.do_advance(world.clerk, p, "sign", date=D(2024, 3, 1), signed_amount=Decimal("-5"))
    assert "signed_amount" in exc.value.fields


def test_dropping_needs_a_reason_and_keeps_it(world):
    p = lead(world)
    with pytest.raises(InvalidInput) as exc:
        services.do_advance(world.clerk, p, "drop", date=D(2024, 2, 1))
    assert "note" in exc.value.fields
    p = services.do_advance(world.clerk, p, "drop", date=D(2024, 2, 1), note="投资方放弃。")
    assert p.state == Stage.DROPPED and p.dropped_on == D(2024, 2, 1)
    assert Project.objects.get(pk=p.pk).drop_reason == "投资方放弃。"


@pytest.mark.parametrize("fields, field", [
    ({"industry_code": "9999"}, "industry_code"),
    ({"industry_code": "3670", "invested_amount": Decimal("-1")}, "invested_amount"),
])
def test_bad_input_names_the_field_and_writes_nothing(world, fields, field):
    count, audits = Project.objects.count(), AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as exc:
        services.do_create_project(world.clerk, world.zone, name="坏项目", **fields)
    assert field in exc.value.fields
    assert Project.objects.count() == count and AuditEvent.objects.count() == audits


def test_industry_codes_are_checked_against_gbt_4754(world):
    assert lead(world, code=" 3990 ").industry_code == "3990"
    assert lead(world, code="39", name="大类").industry_code == "39"
    assert lead(world, code="C", name="门类").industry_code == "C"
    for bad in ("c3990", "3999", "399"[:1]):
        with pytest.raises(InvalidInput) as exc:
            lead(world, code=bad, name="坏")
        assert exc.value.fields == {"industry_code": ["行业代码不在国民经济行业分类（GB/T 4754-2017）中。"]}


def test_a_park_of_another_zone_is_refused(world):
    from tests.factories import ParkFactory

    other_park = ParkFactory(zone=world.other_zone)
    with pytest.raises(InvalidInput) as exc:
        lead(world, park=other_park)
    assert "park" in exc.value.fields


def test_roles_and_zones(world):
    with pytest.raises(Forbidden):
        lead(world) and services.do_create_project(world.street, world.zone, name="x", industry_code="39")
    with pytest.raises(NotFound):
        services.do_create_project(world.outsider, world.zone, name="x", industry_code="39")


def test_tier_boundaries_exactly_10_yi_is_in_the_10_yi_tier(world):
    for amount in ("50", "49.99", "10", "9.99", "5", "1", "0.99"):
        signed(world, Decimal(amount))
    result = queries.tiers(Project.objects.filter(zone=world.zone), zone_ids=[world.zone.pk])
    counts = {r.tier: r.count for r in result["tiers"]}
    assert counts == {"tier1": 1, "tier2": 2, "tier3": 2, "tier4": 1, "other": 1}
    labels = {r.tier: r.label for r in result["tiers"]}
    assert labels["tier2"] == "10亿元及以上" and labels["other"] == "1亿元以下"
    assert result["total"].count == 7
    assert result["total"].amount == sum(Decimal(a) for a in ("50", "49.99", "10", "9.99", "5", "1", "0.99")) * YI


def test_tier_thresholds_are_per_zone(world):
    signed(world, Decimal("8"))
    signed(world, Decimal("8"), zone=world.other_zone)
    services.do_update_settings(SYSTEM, world.zone, tier3_yi=Decimal("8"), tier4_yi=Decimal("2"))
    both = queries.tiers(Project.objects.all(), zone_ids=[world.zone.pk, world.other_zone.pk])
    counts = {r.tier: r.count for r in both["tiers"]}
    assert counts["tier3"] == 2  # 8 ≥ 8 here, 8 ≥ 5 there
    services.do_update_settings(SYSTEM, world.zone, tier2_yi=Decimal("9"))
    mine = {r.tier: r.count for r in queries.tiers(Project.objects.filter(zone=world.zone),
                                                    zone_ids=[world.zone.pk])["tiers"]}
    assert mine["tier3"] == 1


def test_thresholds_must_descend(world):
    with pytest.raises(RuleViolation) as exc:
        services.do_update_settings(world.leader, world.zone, tier3_yi=Decimal("20"))
    assert "tier3_yi" in exc.value.fields


def test_the_year_filter_and_dropped_projects(world):
    signed(world, 3, signed_on=D(2024, 6, 1))
    signed(world, 4, signed_on=D(2025, 6, 1))
    gone = signed(world, 5, signed_on=D(2025, 7, 1))
    services.do_advance(SYSTEM, gone, "drop", date=D(2025, 8, 1), note="撤资")
    qs = Project.objects.filter(zone=world.zone)
    assert queries.tiers(qs, 2025, zone_ids=[world.zone.pk])["total"].count == 1
    assert queries.tiers(qs, 2024, zone_ids=[world.zone.pk])["total"].amount == 3 * YI


def test_landing_rate_by_signing_year_cohort_hand_computed(world):
    # 2024: 4 signed, 2 started (1 of them producing), 1 dropped after signing → 开工率 2/4, 投产率 1/4
    a, b, c, d = (signed(world, 2, signed_on=D(2024, 3, 1), name=f"a{i}") for i in range(4))
    for p in (a, b):
        p = services.do_advance(SYSTEM, p, "supply_land", date=D(2024, 4, 1))
        p = services.do_advance(SYSTEM, p, "start", date=D(2024, 5, 1))
    services.do_advance(SYSTEM, Project.objects.get(pk=a.pk), "produce", date=D(2025, 1, 1))
    services.do_advance(SYSTEM, d, "drop", date=D(2024, 9, 1), note="撤资")
    # 2025: 1 signed, none started
    signed(world, 2, signed_on=D(2025, 3, 1), name="b")
    rows = {r["year"]: r for r in queries.landing(Project.objects.filter(zone=world.zone))}
    assert (rows[2024]["signed"], rows[2024]["started"], rows[2024]["producing"]) == (4, 2, 1)
    assert rows[2024]["started_rate"] == 0.5 and rows[2024]["producing_rate"] == 0.25
    assert rows[2025]["started_rate"] == 0 and rows[2025]["signed"] == 1


def test_stuck_after_the_zones_days_without_a_stage_change(world):
    today = timezone.localdate()
    old = lead(world, name="旧", lead_on=today - datetime.timedelta(days=91))
    lead(world, name="新", lead_on=today - datetime.timedelta(days=89))
    qs = Project.objects.filter(zone=world.zone)
    assert list(queries.stuck(qs, today)) == [old]
    services.do_update_settings(SYSTEM, world.zone, stuck_days=30)
    assert queries.stuck(qs, today).count() == 2
    services.do_advance(SYSTEM, old, "drop", date=today, note="放弃")
    assert queries.stuck(qs, today).count() == 1


def test_stuck_projects_lists_the_zones_stuck_projects_for_other_modules(world):
    today = D(2026, 6, 30)
    p = lead(world, name="久未推进", lead_on=D(2026, 1, 2))
    services.do_update_project(SYSTEM, p, responsible_org=world.department, responsible_person="李经济")
    q = lead(world, name="洽谈停滞", lead_on=D(2026, 1, 5))
    services.do_advance(SYSTEM, q, "negotiate", date=D(2026, 2, 1))
    lead(world, name="刚有进展", lead_on=D(2026, 6, 1))
    lead(world, zone=world.other_zone, name="他区项目", lead_on=D(2025, 1, 1))
    rows = queries.stuck_projects(world.zone.pk, today)
    assert [(r.name, r.stage, r.stage_label, r.days) for r in rows] == [
        ("久未推进", "lead", "线索", (today - D(2026, 1, 2)).days), ("洽谈停滞", "negotiating", "洽谈", 149)]
    assert (rows[0].responsible_org_id, rows[0].responsible_org, rows[0].responsible_person) == (
        world.department.pk, "经济发展处", "李经济")
    assert rows[1].responsible_org == "" and rows[0].url == f"/invest/projects/{p.pk}/"
    services.do_update_settings(SYSTEM, world.zone, stuck_days=150)
    assert [r.name for r in queries.stuck_projects(world.zone.pk, today)] == ["久未推进"]
    assert queries.stuck_projects(world.zone.pk, today, park_id=world.park.pk) == []


def test_figures_by_park_source_and_industry(world):
    p = signed(world, 3)
    services.do_update_project(SYSTEM, p, park=world.park, source="agent")
    signed(world, 2)
    qs = Project.objects.filter(zone=world.zone)
    parks = {r["park__name"]: r["count"] for r in queries.by_park(qs)}
    assert parks == {world.park.name: 1, None: 1}
    sources = {r["source"]: r["count"] for r in queries.by_source(qs)}
    assert sources["agent"] == 1 and sources["own"] == 1
    industries = queries.by_industry(qs)
    assert industries[0]["division"] == "36" and industries[0]["count"] == 2
    assert industries[0]["label"] == "36 汽车制造业"


def test_service_log_names_who_served(world):
    p = lead(world)
    log = services.do_add_log(world.clerk, p, kind="problem", date=D(2024, 2, 1), content="用电增容需协调。")
    assert log.by_name == world.clerk.get_full_name() or world.clerk.username
    assert AuditEvent.objects.filter(action="project.log", object_id=str(log.pk)).exists()
    with pytest.raises(RuleViolation):
        services.do_add_log(world.clerk, p, kind="visit", date=timezone.localdate() + datetime.timedelta(days=3),
                            content="x")


def test_the_cockpits_combined_queries_give_the_separate_figures(world):
    today = timezone.localdate()
    signed(world, 12)
    p = signed(world, 3, signed_on=D(2025, 5, 1))
    services.do_advance(SYSTEM, p, "drop", date=D(2025, 6, 1), note="放弃")
    lead(world, name="停滞线索", lead_on=today - datetime.timedelta(days=200))
    lead(world, zone=world.other_zone, name="他区", lead_on=today - datetime.timedelta(days=30))
    services.do_update_settings(SYSTEM, world.other_zone, stuck_days=10)
    qs = Project.objects.all()
    years, landed = queries.cohorts(qs)
    assert years == queries.by_year(qs) and landed == queries.landing(qs)
    assert [r["year"] for r in years] == [2024] and [r["year"] for r in landed] == [2024, 2025]
    rows, stuck = queries.stages(qs, [world.zone.pk, world.other_zone.pk], today)
    assert rows == queries.by_stage(qs) and stuck == queries.stuck(qs, today).count() == 3  # 项目12 signed in 2024
