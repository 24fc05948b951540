"""POWER-5: the zone's consent right over head changes of stationed agencies, and its assessment right."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from kaifaqu.accounts.roles import Role
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.clock.models import ClockState, DeadlineClock
from kaifaqu.core.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from kaifaqu.core.notify.models import Notification
from kaifaqu.org.models import Org
from kaifaqu.powers import services
from kaifaqu.powers.models import AssessmentPeriod, AssessmentRight, HeadChange, HeadChangeKind, HeadChangeState
from kaifaqu.powers.workbench import head_changes_to_answer, head_changes_to_record
from kaifaqu.powers.workflow import HEAD_CHANGE, KIND_CONSENT
from tests.factories import UserFactory

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def tax_clerk(world):
    """A clerk of the stationed agency's parent department (市税务局)."""
    return UserFactory(username="t_tax", role=Role.CITY_DEPT_STAFF, org=world.stationed_org.home_department,
                       name="税务局干部科")


@pytest.fixture
def nominee(world):
    return UserFactory(username="t_newhead", role=Role.STATIONED_STAFF, org=world.stationed_org, name="赵新任")


def request_appointment(user, world, nominee, **kw):
    return services.do_request_head_change(user, world.stationed_org, kind=HeadChangeKind.APPOINT, nominee=nominee,
                                           person_name="赵新任", post="分局局长", reason="工作需要", **kw)


def consent_clock(change):
    return DeadlineClock.objects.get(content_type=ContentType.objects.get_for_model(HeadChange),
                                     object_id=str(change.pk), kind=KIND_CONSENT)


def test_only_the_parent_department_requests_and_the_zone_is_asked_within_working_days(world, tax_clerk, nominee):
    with pytest.raises(Forbidden, match="只有派出部门（市税务局）"):
        request_appointment(world.city_clerk, world, nominee)  # another city department
    with pytest.raises(Forbidden):
        request_appointment(world.clerk, world, nominee)  # the zone's own clerk holds no request right
    with pytest.raises(InvalidInput) as exc:
        services.do_request_head_change(tax_clerk, world.stationed_org, kind=HeadChangeKind.APPOINT,
                                        person_name="", post="局长", reason="x", limit_days=40)
    assert {"nominee", "person_name", "limit_days"} <= set(exc.value.fields)
    with pytest.raises(InvalidInput, match="不是存续的派驻机构"):
        services.do_request_head_change(tax_clerk, world.department, kind=HeadChangeKind.DISMISS, person_name="甲",
                                        post="处长", reason="x")
    assert not HeadChange.objects.exists()

    change = request_appointment(tax_clerk, world, nominee, limit_days=3)
    assert change.state == HeadChangeState.REQUESTED and change.department == world.stationed_org.home_department
    clock = consent_clock(change)
    assert clock.unit == "workdays" and clock.limit == 3 and clock.state == ClockState.RUNNING
    assert Notification.objects.filter(recipient=world.leader, kind="powers.head_request").exists()
    entry = head_changes_to_answer(world.leader, world.leader.scope, TODAY)
    assert entry.count == 1 and entry.items[0].clock == clock
    with pytest.raises(Conflict, match="已有未办结的负责人任免"):
        request_appointment(tax_clerk, world, nominee)


def test_consent_takes_effect_only_through_the_org_record(world, tax_clerk, nominee):
    change = request_appointment(tax_clerk, world, nominee)
    with pytest.raises(RuleViolation) as exc:  # not consented yet: nothing reaches the organisation
        HEAD_CHANGE.perform(world.hr, change, "take_effect", payload={"date": "2026-06-01"})
    assert exc.value.code == "invalid_transition" and exc.value.extra["allowed_actions"] == ["consent", "refuse"]
    with pytest.raises(Forbidden):
        HEAD_CHANGE.perform(tax_clerk, change, "consent", note="同意")  # the department cannot answer itself
    with pytest.raises(NotFound):
        HEAD_CHANGE.perform(world.outsider, change, "consent", note="同意")
    with pytest.raises(InvalidInput):
        HEAD_CHANGE.perform(world.leader, change, "consent", note="")  # reasons are required

    change = HEAD_CHANGE.perform(world.leader, change, "consent", note="经党工委会议研究，同意赵新任同志任分局局长。")
    change.refresh_from_db()
    assert change.state == HeadChangeState.CONSENTED and change.opinion.startswith("经党工委会议研究")
    assert change.decided_by == world.leader and consent_clock(change).state == ClockState.MET
    assert Org.objects.get(pk=world.stationed_org.pk).head_id is None  # consent alone does not change the record
    assert head_changes_to_record(world.hr, world.hr.scope, TODAY).count == 1
    with pytest.raises(Forbidden):
        HEAD_CHANGE.perform(world.leader, change, "take_effect", payload={"date": "2026-06-01"})  # 组织人事's record

    change = HEAD_CHANGE.perform(world.hr, change, "take_effect", payload={"date": "2026-06-01"})
    assert change.state == HeadChangeState.EFFECTIVE and change.effective_on == datetime.date(2026, 6, 1)
    assert Org.objects.get(pk=world.stationed_org.pk).head_id == nominee.pk
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"headchange.request", "headchange.consent", "headchange.take_effect", "org.set_head"} <= actions


def test_a_refused_change_never_takes_effect(world, tax_clerk, nominee):
    change = request_appointment(tax_clerk, world, nominee)
    change = HEAD_CHANGE.perform(world.leader, change, "refuse", note="该同志不熟悉开发区工作，建议另行推荐。")
    assert Notification.objects.filter(recipient=tax_clerk, kind="powers.head_decided").exists()
    with pytest.raises(RuleViolation, match="开发区不同意"):
        HEAD_CHANGE.perform(world.hr, change, "take_effect", payload={"date": "2026-06-01"})
    assert Org.objects.get(pk=world.stationed_org.pk).head_id is None
    # the department may then ask again
    assert request_appointment(tax_clerk, world, nominee).state == HeadChangeState.REQUESTED


def test_the_ladder_urges_the_zone_after_the_deadline(world, tax_clerk, nominee):
    from kaifaqu.core import clock

    change = request_appointment(tax_clerk, world, nominee, limit_days=1)
    due = consent_clock(change).due_at
    clock.run_due(due + datetime.timedelta(days=10))
    clock.run_ladder(due + datetime.timedelta(days=10))
    assert consent_clock(change).state == ClockState.OVERDUE
    assert Notification.objects.filter(recipient=world.leader, kind="powers.head_urge").count() == 1


def test_api_request_answer_and_wrong_state(world, tax_clerk, nominee, api_for):
    api = api_for(tax_clerk)
    body = {"agency": world.stationed_org.pk, "kind": "appoint", "nominee": world.leader.pk, "person_name": "赵新任",
            "post": "分局局长", "reason": "工作需要"}
    r = api.post("/api/v1/stationed/head-changes/", body, format="json")
    assert r.status_code == 400 and "nominee" in r.json()["fields"]  # not a user of the agency
    r = api.post("/api/v1/stationed/head-changes/", {**body, "nominee": nominee.pk}, format="json")
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    hr = api_for(world.hr)
    r = hr.post(f"/api/v1/stationed/head-changes/{pk}/take-effect/", {"payload": {"date": "2026-06-01"}},
                format="json")
    assert r.status_code == 422 and r.json()["state"] == "requested"
    r = api_for(world.leader).post(f"/api/v1/stationed/head-changes/{pk}/consent/", {"note": "同意", "version": 1},
                                   format="json")
    assert r.status_code == 200 and r.json()["state"] == "consented"
    assert api_for(world.outsider).get(f"/api/v1/stationed/head-changes/{pk}/").status_code == 404
    r = hr.post(f"/api/v1/stationed/head-changes/{pk}/take-effect/", {"payload": {"date": "2026-06-01"}},
                format="json")
    assert r.status_code == 200 and Org.objects.get(pk=world.stationed_org.pk).head_id == nominee.pk


def test_pages(world, tax_clerk, nominee, client_for):
    web = client_for(tax_clerk)
    r = web.post("/powers/stationed/head-changes/new/", {
        "agency": world.stationed_org.pk, "kind": "appoint", "nominee": nominee.pk, "person_name": "赵新任",
        "post": "分局局长", "reason": "工作需要", "limit_days": 5})
    change = HeadChange.objects.get()
    assert r.status_code == 302 and r["Location"] == change.get_absolute_url()
    page = client_for(world.leader).get(change.get_absolute_url()).content.decode()
    assert "待开发区意见" in page and "5 个工作日" in page and "同意" in page
    assert client_for(world.outsider).get(change.get_absolute_url()).status_code == 404
    r = client_for(world.leader).post(f"/powers/stationed/head-changes/{change.pk}/do/consent/", {"note": "同意"})
    assert r.status_code == 302
    listing = client_for(world.hr).get("/powers/stationed/head-changes/").content.decode()
    assert "开发区同意" in listing and "税务分局" in listing


def test_assessment_right_per_agency(world, client_for):
    right = services.do_record_assessment(world.clerk, world.stationed_org, scheme="派驻机构年度综合考核",
                                          period=AssessmentPeriod.YEAR, since=datetime.date(2023, 1, 1))
    with pytest.raises(Conflict):
        services.do_record_assessment(world.clerk, world.stationed_org, scheme="派驻机构年度综合考核",
                                      period=AssessmentPeriod.QUARTER, since=datetime.date(2024, 1, 1))
    with pytest.raises(InvalidInput, match="不是存续的派驻机构"):
        services.do_record_assessment(world.clerk, world.street_org, scheme="x", period="year",
                                      since=datetime.date(2023, 1, 1))
    with pytest.raises(Forbidden):
        services.do_record_assessment(world.city_clerk, world.stationed_org, scheme="y", period="year",
                                      since=datetime.date(2023, 1, 1))
    right = services.do_update_assessment(world.clerk, right, period=AssessmentPeriod.HALF, version=right.version)
    assert AssessmentRight.objects.get().period == "half"
    page = client_for(world.leader).get("/powers/stationed/assessment/").content.decode()
    assert "派驻机构年度综合考核" in page and "半年" in page


def test_the_docs_show_the_head_change_state_table():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs/modules/powers.md").read_text()
    assert HEAD_CHANGE.mermaid().strip() in doc
