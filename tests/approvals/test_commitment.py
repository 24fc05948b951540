"""告知承诺制: the applicant signs the item's commitments, the case is approved on commitment, and the department's
post-check (核查) runs on its own working-day clock, computed by hand across the 2026 Spring Festival."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from kaifaqu.approvals import services, workflow
from kaifaqu.approvals.models import CaseState, CheckState, PostCheck
from kaifaqu.approvals.queries import check_overdue
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.errors import Forbidden, InvalidInput, NotFound, RuleViolation

from . import factories

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
PLEDGE = "本单位承诺：已符合环境保护要求，如有不实，愿承担撤销审批决定等法律责任。"


def at(*args):
    return datetime.datetime(*args, tzinfo=TZ)


@pytest.fixture
def setup(world):
    officer = world.users["clerk"]
    w = factories.window(world.zone, staff=[officer])
    item = factories.item(world.zone, world.city_dept, window_=w, commitment=True, commitment_text=PLEDGE,
                          check_days=5)
    return item, officer


def committed_case(world, item, officer):
    when = at(2026, 2, 9, 10)
    case, _ = services.do_apply(world.users["enterprise"], item, title="告知承诺制申请", at=when)
    case = services.act(world.users["enterprise"], case, "sign_commitment", at=when)
    return services.act(officer, case, "approve_on_commitment", payload={"decision_no": "经开承诺〔2026〕1号"},
                        at=when)


def test_signing_records_the_item_text_who_and_when(world, setup):
    item, officer = setup
    case, _ = services.do_apply(world.users["enterprise"], item, title="x", at=at(2026, 2, 9, 9))
    with pytest.raises(RuleViolation) as exc:
        services.act(officer, case, "approve_on_commitment", payload={"decision_no": "1"})
    assert exc.value.code == "pledge_missing"
    with pytest.raises(NotFound):  # zone staff sign only as agents of the case's project
        services.act(officer, case, "sign_commitment")
    with pytest.raises(Forbidden):
        services.act(world.users["city_clerk"], case, "sign_commitment")
    case = services.act(world.users["enterprise"], case, "sign_commitment", at=at(2026, 2, 9, 9, 30))
    assert (case.state, case.pledge_text, case.pledged_by, case.pledged_at) == (
        CaseState.SUBMITTED, PLEDGE, world.users["enterprise"], at(2026, 2, 9, 9, 30))
    with pytest.raises(RuleViolation):
        services.act(world.users["enterprise"], case, "sign_commitment")
    assert AuditEvent.objects.filter(action="approvals.sign_commitment", object_id=str(case.pk)).count() == 1


def test_items_without_commitment_refuse_it(world, setup):
    _, officer = setup
    plain = factories.item(world.zone, world.city_dept, code="T02", window_=setup[0].window)
    case, _ = services.do_apply(world.users["enterprise"], plain, title="x")
    with pytest.raises(RuleViolation):
        services.act(world.users["enterprise"], case, "sign_commitment")


def test_approval_on_commitment_opens_the_check_with_its_clock(world, setup):
    """Approved Monday 2026-02-09; 5 working days: 2/10, 2/11, 2/12, 2/13 and Saturday 2/14 (worked before the
    Spring Festival) → due 2/14 at the end of the day."""
    item, officer = setup
    case = committed_case(world, item, officer)
    assert case.state == CaseState.APPROVED and case.on_commitment and case.decision_no == "经开承诺〔2026〕1号"
    check = PostCheck.objects.get(case=case)
    assert check.department == world.city_dept and check.state == CheckState.PENDING
    assert check.due_at == at(2026, 2, 14, 23, 59, 59)
    deadline = workflow.check_clock(check)
    assert deadline.limit == 5 and deadline.due_at == check.due_at
    assert check_overdue(check, now=at(2026, 2, 15, 8)) and not check_overdue(check, now=at(2026, 2, 14, 12))
    assert AuditEvent.objects.filter(action="approvals.check_open", object_id=str(check.pk)).exists()


def test_check_days_in_the_payload_cross_the_festival(world, setup):
    """6 working days from 2/9: the five above, then 2/15–2/23 off → 2/24."""
    item, officer = setup
    case, _ = services.do_apply(world.users["enterprise"], item, title="x", at=at(2026, 2, 9, 9))
    services.act(world.users["enterprise"], case, "sign_commitment", at=at(2026, 2, 9, 9))
    case = services.act(officer, case, "approve_on_commitment", at=at(2026, 2, 9, 10),
                        payload={"decision_no": "2", "check_days": 6})
    assert PostCheck.objects.get(case=case).due_at == at(2026, 2, 24, 23, 59, 59)


def test_a_passed_check_finishes_its_clock(world, setup):
    item, officer = setup
    check = PostCheck.objects.get(case=committed_case(world, item, officer))
    with pytest.raises(Forbidden):  # the window officer is not the department charged with it
        services.act_check(officer, check, "pass_check")
    checker = world.users["city_clerk"]
    check = services.act_check(checker, check, "pass_check", note="现场核查，承诺属实", at=at(2026, 2, 12, 15))
    check.refresh_from_db()
    assert (check.state, check.checked_by, check.findings) == (CheckState.PASSED, checker, "现场核查，承诺属实")
    assert workflow.check_clock(check, open_only=False).state == "met"
    with pytest.raises(RuleViolation) as exc:
        services.act_check(checker, check, "fail_check", note="x", payload={"consequence": "revoke"})
    assert exc.value.extra["state"] == "passed"


def test_a_failed_check_records_its_consequence(world, setup):
    item, officer = setup
    check = PostCheck.objects.get(case=committed_case(world, item, officer))
    checker = world.users["city_clerk"]
    with pytest.raises(InvalidInput):
        services.act_check(checker, check, "fail_check", note="未建设污水处理设施")
    with pytest.raises(InvalidInput):
        services.act_check(checker, check, "fail_check", note="x", payload={"consequence": "fine"})
    check = services.act_check(checker, check, "fail_check", note="未建设污水处理设施",
                               payload={"consequence": "rectify"}, at=at(2026, 2, 26, 10))
    check.refresh_from_db()
    assert (check.state, check.consequence, check.findings) == (CheckState.FAILED, "rectify", "未建设污水处理设施")
    assert workflow.check_clock(check, open_only=False).state == "met_late"  # due 2/14, recorded 2/26
    event = AuditEvent.objects.get(action="approvals.fail_check", object_id=str(check.pk))
    assert event.reason == "未建设污水处理设施"


def test_check_api_and_pages(world, setup, api_for, client_for):
    item, officer = setup
    check = PostCheck.objects.get(case=committed_case(world, item, officer))
    enterprise = api_for(world.users["enterprise"])
    assert enterprise.get(f"/api/v1/approval-checks/{check.pk}/").status_code == 200
    assert enterprise.post(f"/api/v1/approval-checks/{check.pk}/pass-check/", {}, format="json").status_code == 403
    api = api_for(world.users["city_clerk"])
    listed = api.get("/api/v1/approval-checks/?overdue=true").json()
    assert [row["id"] for row in listed["results"]] == [check.pk]  # due 2/14/2026, long past
    response = api.post(f"/api/v1/approval-checks/{check.pk}/fail-check/",
                        {"note": "承诺不实", "payload": {"consequence": "revoke"}, "version": check.version},
                        format="json")
    assert response.status_code == 200 and response.json()["consequence_label"] == "撤销审批决定"
    page = client_for(world.users["city_clerk"]).get(f"/approvals/checks/{check.pk}/")
    assert page.status_code == 200 and "撤销审批决定" in page.content.decode()
    assert timezone.now() > check.due_at
