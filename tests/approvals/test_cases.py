"""APPROVE-4/7: cases through acceptance (also 容缺), supplement (clock paused), extension, decision, closure;
clock figures across the 2026 Spring Festival computed by hand; the public progress lookup."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaifaqu.approvals import services, workflow
from kaifaqu.approvals.models import Case, CaseState
from kaifaqu.approvals.queries import case_workdays, deferred_overdue
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation, UnsupportedMediaType

from . import factories

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(*args):
    return datetime.datetime(*args, tzinfo=TZ)


def pdf(name="材料.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def setup(world):
    officer = world.users["clerk"]
    w = factories.window(world.zone, staff=[officer])
    item = factories.item(world.zone, world.city_dept, window_=w, promised=10, legal=20)
    return item, officer


def apply(world, item, *, all_materials=True, when=None):
    materials = list(item.materials.all())
    chosen = materials[:2] if all_materials else materials[:1]
    return services.do_apply(world.users["enterprise"], item, title="新建厂房", files={m: pdf() for m in chosen},
                             at=when)


def test_apply_records_the_case_and_its_materials(world, setup):
    item, _ = setup
    case, code = apply(world, item)
    assert case.state == CaseState.SUBMITTED and len(code) == 6 and case.query_code != code
    assert case.materials.filter(attachment__isnull=False).count() == 2
    assert AuditEvent.objects.filter(action="approvals.apply", object_id=str(case.pk)).exists()


def test_apply_refuses_a_file_of_the_wrong_type_and_writes_nothing(world, setup):
    item, _ = setup
    before = Case.objects.count()
    with pytest.raises(UnsupportedMediaType):
        services.do_apply(world.users["enterprise"], item, title="x",
                          files={item.materials.first(): SimpleUploadedFile("a.exe", b"MZ\x90\x00" * 10)})
    assert Case.objects.count() == before


def test_only_enterprises_apply(world, setup):
    item, _ = setup
    with pytest.raises(Forbidden):
        services.do_apply(world.users["street"], item, title="x")


def test_accept_without_a_required_material_that_may_not_follow_lists_it(world, setup):
    item, officer = setup
    case, _ = services.do_apply(world.users["enterprise"], item, title="x")
    with pytest.raises(RuleViolation) as exc:
        services.act(officer, case, "accept")
    assert "申请表" in exc.value.detail and exc.value.extra["materials"] == ["申请表"]
    with pytest.raises(RuleViolation) as exc:
        services.act(officer, case, "accept_conditionally", note="承诺补交")
    assert exc.value.extra["materials"] == ["申请表"]
    assert Case.objects.get(pk=case.pk).state == CaseState.SUBMITTED


def test_deciding_only_by_the_window_or_the_department(world, setup):
    item, _ = setup
    case, _ = apply(world, item)
    with pytest.raises(Forbidden):
        services.act(world.users["leader"], case, "accept")  # zone leader, but neither window nor department
    services.act(world.users["city_clerk"], case, "accept")  # the department
    assert Case.objects.get(pk=case.pk).state == CaseState.REVIEWING


def test_wrong_transition_is_422_naming_state_and_allowed_actions_and_stale_is_409(world, setup, api_for):
    item, officer = setup
    case, _ = apply(world, item)
    api = api_for(officer)
    response = api.post(f"/api/v1/approval-cases/{case.pk}/close/", {}, format="json")
    assert response.status_code == 422
    body = response.json()
    assert body["state"] == "submitted" and "accept" in body["allowed_actions"] and "待受理" in body["detail"]
    response = api.post(f"/api/v1/approval-cases/{case.pk}/accept/", {"version": case.version + 5}, format="json")
    assert response.status_code == 409
    response = api.post(f"/api/v1/approval-cases/{case.pk}/accept/", {"version": case.version}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "reviewing"


def test_supplement_across_the_spring_festival_pauses_the_clock(world, setup):
    """10 working days from Monday 2026-02-09: 2/10–2/14 (Saturday 2/14 worked), Spring Festival 2/15–2/23 off,
    2/24–2/28 (Saturday 2/28 worked) → due 2/28. 补正 2/12 10:00 → 2/25 15:00 covers 2/13, 2/14, 2/24, 2/25: four
    working days → due 3/5. Decided 3/3: 12 working days after 2/9, four paused → 8 used."""
    item, officer = setup
    case, _ = apply(world, item, when=at(2026, 2, 6, 9))
    case = services.act(officer, case, "accept", at=at(2026, 2, 9, 10))
    deadline = workflow.clock_of(case)
    assert deadline.due_at == at(2026, 2, 28, 23, 59, 59)
    case = services.act(officer, case, "request_supplement", note="请补充总平面图", at=at(2026, 2, 12, 10))
    assert case.state == CaseState.SUPPLEMENTING
    deadline.refresh_from_db()
    assert deadline.state == "paused" and deadline.pauses.get().notice_id is not None  # the written notice
    with pytest.raises(NotFound):  # zone staff act for enterprises only as agents of their projects (404 else)
        services.act(officer, case, "supply")
    services.do_provide_material(world.users["enterprise"], case, item.materials.get(name="设计方案"), pdf(),
                                 at=at(2026, 2, 25, 14))
    case = services.act(world.users["enterprise"], case, "supply", at=at(2026, 2, 25, 15))
    deadline.refresh_from_db()
    assert deadline.due_at == at(2026, 3, 5, 23, 59, 59) and deadline.paused_total == 4
    services.do_upload_decision(officer, case, pdf("决定书.pdf"))
    case = services.act(officer, case, "approve", payload={"decision_no": "经开审〔2026〕12号"}, at=at(2026, 3, 3, 10))
    deadline.refresh_from_db()
    assert case.state == CaseState.APPROVED and case.decision_file is not None
    assert deadline.state == "met" and case_workdays(deadline) == 8
    case = services.act(officer, case, "close", at=at(2026, 3, 3, 11))
    with pytest.raises(RuleViolation) as exc:
        services.act(world.users["enterprise"], case, "supply")
    assert exc.value.extra["state"] == "closed"
    with pytest.raises(RuleViolation):
        services.do_provide_material(world.users["enterprise"], case, item.materials.first(), pdf())


def test_conditional_acceptance_has_its_own_clock_and_is_flagged_when_overdue(world, setup):
    """容缺 with 3 working days from Monday 2026-03-02 → due Thursday 3/5; not supplied by then → overdue."""
    item, officer = setup
    case, _ = apply(world, item, all_materials=False, when=at(2026, 3, 2, 9))
    case = services.act(officer, case, "accept_conditionally", note="承诺 3 个工作日内补交设计方案",
                        payload={"days": 3}, at=at(2026, 3, 2, 10))
    case.refresh_from_db()
    assert case.conditional and case.deferred_due_at == at(2026, 3, 5, 23, 59, 59)
    deferred = workflow.clock_of(case, workflow.DEFERRED_KIND)
    assert deferred_overdue(case, deferred, now=at(2026, 3, 6, 9))
    assert not deferred_overdue(case, deferred, now=at(2026, 3, 5, 9))
    with pytest.raises(RuleViolation):
        services.act(officer, case, "approve", payload={"decision_no": "x"})
    with pytest.raises(RuleViolation) as exc:
        services.act(world.users["enterprise"], case, "supply_deferred")
    assert exc.value.extra["materials"] == ["设计方案"]
    services.do_provide_material(world.users["enterprise"], case, item.materials.get(name="设计方案"), pdf(),
                                 at=at(2026, 3, 4, 9))
    case = services.act(world.users["enterprise"], case, "supply_deferred", at=at(2026, 3, 4, 10))
    deferred.refresh_from_db()
    assert deferred.state == "met" and not deferred_overdue(case, deferred, now=at(2026, 3, 9))


def test_extension_needs_a_second_person(world, setup):
    item, officer = setup
    case, _ = apply(world, item)
    case = services.act(officer, case, "accept")
    due = workflow.clock_of(case).due_at
    case = services.act(officer, case, "request_extension", note="需专家论证", payload={"days": 5})
    with pytest.raises(Forbidden):
        services.act(officer, case, "approve_extension")
    with pytest.raises(RuleViolation):
        services.act(officer, case, "request_extension", note="再延", payload={"days": 2})
    case = services.act(world.users["leader"], case, "approve_extension")
    assert case.extension_days is None and workflow.clock_of(case).due_at > due
    with pytest.raises(Forbidden):
        services.act(world.users["leader"], case, "approve_extension")


def test_refusal_needs_a_reason(world, setup):
    item, officer = setup
    case, _ = apply(world, item)
    with pytest.raises(InvalidInput):
        services.act(officer, case, "refuse")
    case = services.act(officer, case, "refuse", note="不属于本开发区受理范围")
    assert case.state == CaseState.REFUSED


def test_enterprise_sees_only_its_own_cases(world, setup, api_for):
    item, _ = setup
    case, _ = apply(world, item)
    from kaifaqu.org.models import Org

    other_ent = Org.objects.create(zone=world.zone, kind="enterprise", code="e2", name="另一企业")
    other, _ = services.do_apply(SYSTEM, item, title="y", applicant=other_ent)
    ids = {c["id"] for c in api_for(world.users["enterprise"]).get("/api/v1/approval-cases/").json()["results"]}
    assert case.pk in ids and other.pk not in ids
    assert api_for(world.users["city_clerk"]).get(f"/api/v1/approval-cases/{other.pk}/").status_code == 200
    assert api_for(world.users["street"]).get(f"/api/v1/approval-cases/{case.pk}/").status_code == 404


def test_api_apply_and_materials(world, setup, api_for):
    item, _ = setup
    api = api_for(world.users["enterprise"])
    response = api.post("/api/v1/approval-cases/", {"item": item.pk, "title": "接口申请"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["query_code"]) == 6
    material = item.materials.first()
    response = api.post(f"/api/v1/approval-cases/{body['id']}/materials/", {"material": material.pk, "file": pdf()},
                        format="multipart")
    assert response.status_code == 201, response.content
    response = api.post(f"/api/v1/approval-cases/{body['id']}/materials/",
                        {"material": material.pk, "file": SimpleUploadedFile("a.txt", b"\x00\x01binary")},
                        format="multipart")
    assert response.status_code == 415


def test_public_progress_lookup(world, setup, client):
    from django.core.cache import cache

    cache.clear()
    item, officer = setup
    case, code = apply(world, item)
    services.act(officer, case, "accept")
    response = client.post("/approvals/public/progress/", {"number": case.number, "code": code})
    assert response.status_code == 200
    text = response.content.decode()
    assert "审查中" in text and world.users["enterprise"].org.name not in text and "新建厂房" not in text
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert client.post("/approvals/public/progress/", {"number": case.number, "code": wrong}).status_code == 404
    assert client.post("/approvals/public/progress/", {"number": case.number, "code": code}).status_code == 429
    cache.clear()


def test_case_pages(world, setup, client_for):
    item, officer = setup
    web = client_for(world.users["enterprise"])
    assert web.get("/approvals/apply/").status_code == 200
    response = web.post(f"/approvals/apply/?item={item.pk}", {"item": item.pk, "title": "页面申请",
                                                              f"m_{item.materials.first().pk}": pdf()})
    assert response.status_code == 302
    case = Case.objects.get(title="页面申请")
    page = client_for(officer).get(case.get_absolute_url())
    assert page.status_code == 200 and "容缺受理" in page.content.decode()
    response = client_for(officer).post(f"/approvals/cases/{case.pk}/do/accept_conditionally/",
                                        {"version": case.version, "note": "承诺补交", "days": 5})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).conditional
    assert client_for(world.users["outsider"]).get(case.get_absolute_url()).status_code == 404
    w = item.window
    assert "在办" in client_for(officer).get(w.get_absolute_url()).content.decode()


def test_stale_version_on_the_page_is_refused(world, setup, client_for):
    item, officer = setup
    case, _ = apply(world, item)
    response = client_for(officer).post(f"/approvals/cases/{case.pk}/do/accept/", {"version": case.version + 3})
    assert response.status_code == 409
    with pytest.raises(Conflict):
        services.act(officer, case, "accept", version=case.version + 3)
