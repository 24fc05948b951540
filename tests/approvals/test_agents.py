"""帮办代办 (APPROVE-5): an agent assigned to a project does what the enterprise can for that project; every audit
event of the act names the agent (actor) and the enterprise (principal); other projects answer 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaifaqu.approvals import services
from kaifaqu.approvals.models import CaseState, ProjectAgent
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.errors import InvalidInput, NotFound, RuleViolation
from kaifaqu.org.models import Org, OrgKind

from . import factories

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf():
    return SimpleUploadedFile("材料.pdf", PDF, content_type="application/pdf")


@pytest.fixture
def setup(world):
    agent = world.users["clerk"]
    officer = world.users["leader"]
    w = factories.window(world.zone, staff=[officer])
    item = factories.item(world.zone, world.city_dept, window_=w)
    enterprise = world.users["enterprise"].org
    mine = services.do_create_project(SYSTEM, world.zone, code="P-A", name="代办项目", enterprise=enterprise)
    other_org = Org.objects.create(zone=world.zone, kind=OrgKind.ENTERPRISE, code="e-other", name="另一企业")
    other = services.do_create_project(SYSTEM, world.zone, code="P-B", name="他企项目", enterprise=other_org)
    services.do_assign_agent(officer, mine, agent)
    return agent, officer, item, mine, other


def test_the_agent_applies_supplies_and_both_names_are_recorded(world, setup):
    agent, officer, item, mine, _ = setup
    apply_form, deferred = list(item.materials.all())[:2]
    case, _ = services.do_apply(agent, item, title="代办申请", project=mine, files={apply_form: pdf()})
    assert case.applicant == mine.enterprise and case.applied_by == agent
    case = services.act(officer, case, "accept_conditionally", note="承诺五日内补齐", payload={"days": 5})
    case = services.act(officer, case, "request_supplement", note="补充说明")
    services.do_provide_material(agent, case, deferred, pdf())
    case = services.act(agent, case, "supply")
    case = services.act(agent, case, "supply_deferred")
    assert case.state == CaseState.REVIEWING and case.deferred_supplied_at is not None
    acts = AuditEvent.objects.filter(actor=agent, action__in=["approvals.apply", "approvals.material_provide",
                                                               "approvals.supply", "approvals.supply_deferred"])
    assert sorted(e.action for e in acts) == ["approvals.apply", "approvals.material_provide", "approvals.supply",
                                              "approvals.supply_deferred"]
    for event in acts:
        assert event.actor_name == agent.username and event.actor_org_id == agent.org_id
        assert event.principal == {"type": "org.org", "id": mine.enterprise_id, "name": mine.enterprise.name}
    # the officer's own acts name no principal
    assert AuditEvent.objects.get(action="approvals.request_supplement").principal is None


def test_the_agent_gets_404_outside_the_assigned_projects(world, setup):
    agent, officer, item, mine, other = setup
    with pytest.raises(NotFound):
        services.do_apply(agent, item, title="x", project=other)
    with pytest.raises(InvalidInput):
        services.do_apply(agent, item, title="x")
    theirs, _ = services.do_apply(SYSTEM, item, title="他企申请", applicant=other.enterprise, project=other,
                                  files={m: pdf() for m in list(item.materials.all())[:2]})
    theirs = services.act(officer, theirs, "accept")
    theirs = services.act(officer, theirs, "request_supplement", note="补充")
    with pytest.raises(NotFound):
        services.act(agent, theirs, "supply")
    with pytest.raises(NotFound):
        services.do_provide_material(agent, theirs, item.materials.first(), pdf())


def test_an_ended_assignment_stops_the_agent(world, setup, api_for):
    agent, officer, item, mine, _ = setup
    case, _ = services.do_apply(agent, item, title="代办", project=mine)
    services.do_end_agent(officer, ProjectAgent.objects.get(project=mine))
    with pytest.raises(NotFound):
        services.do_provide_material(agent, case, item.materials.first(), pdf())
    with pytest.raises(RuleViolation):
        services.do_end_agent(officer, ProjectAgent.objects.get(project=mine))
    assert AuditEvent.objects.filter(action="approvals.agent_end").count() == 1


def test_only_zone_staff_holding_the_agent_permission_may_be_named(world, setup):
    _, officer, _, mine, _ = setup
    with pytest.raises(InvalidInput):
        services.do_assign_agent(officer, mine, world.users["enterprise"])
    with pytest.raises(InvalidInput):  # already the project's agent
        services.do_assign_agent(officer, mine, world.users["clerk"])


def test_agent_api(world, setup, api_for):
    agent, officer, item, mine, other = setup
    api = api_for(agent)
    response = api.post("/api/v1/approval-cases/", {"item": item.pk, "title": "代办", "project": mine.pk},
                        format="json")
    assert response.status_code == 201 and response.json()["applicant"] == mine.enterprise_id
    assert api.post("/api/v1/approval-cases/", {"item": item.pk, "title": "代办", "project": other.pk},
                    format="json").status_code == 404
    case_id = response.json()["id"]
    upload = api.post(f"/api/v1/approval-cases/{case_id}/materials/",
                      {"material": item.materials.first().pk, "file": pdf()}, format="multipart")
    assert upload.status_code == 201
    assert AuditEvent.objects.get(action="approvals.material_provide").principal["id"] == mine.enterprise_id
    manager = api_for(officer)
    listed = manager.get("/api/v1/approval-agents/").json()["results"]
    assert [(row["project"], row["agent"]) for row in listed] == [(mine.pk, agent.pk)]


def test_window_workbench_lists_what_waits(world, setup):
    from kaifaqu.approvals.workbench import window_cases
    from kaifaqu.core.access import scope_of

    agent, officer, item, mine, _ = setup
    waiting, _ = services.do_apply(agent, item, title="待受理", project=mine,
                                   files={m: pdf() for m in list(item.materials.all())[:2]})
    supplied, _ = services.do_apply(agent, item, title="已补正", project=mine,
                                    files={m: pdf() for m in list(item.materials.all())[:2]})
    supplied = services.act(officer, supplied, "accept")
    supplied = services.act(officer, supplied, "request_supplement", note="补充")
    services.act(agent, supplied, "supply")
    entry = window_cases(officer, scope_of(officer), None)
    assert entry.count == 2
    assert sorted(i.note for i in entry.items) == ["待受理", "申请人已补正，待审查"]
    assert window_cases(world.users["street"], scope_of(world.users["street"]), None) is None


def test_agent_pages(world, setup, client_for):
    agent, officer, item, mine, other = setup
    web = client_for(agent)
    assert "代企业申请办件" in web.get(f"/approvals/projects/{mine.pk}/").content.decode()
    assert "代企业申请办件" not in web.get(f"/approvals/projects/{other.pk}/").content.decode()
    form = web.get(f"/approvals/apply/?item={item.pk}&project={mine.pk}")
    assert form.status_code == 200 and "代办项目" in form.content.decode() and "他企项目" not in form.content.decode()
    case, _ = services.do_apply(agent, item, title="代办", project=mine,
                                files={m: pdf() for m in list(item.materials.all())[:2]})
    case = services.act(officer, services.act(officer, case, "accept"), "request_supplement", note="补充")
    page = web.get(f"/approvals/cases/{case.pk}/").content.decode()
    assert "帮办代办员" in page and "补正完成" in page
    theirs, _ = services.do_apply(SYSTEM, item, title="他企", applicant=other.enterprise, project=other)
    assert web.post(f"/approvals/cases/{theirs.pk}/do/supply/", {"version": theirs.version}).status_code == 404
    assert web.post(f"/approvals/cases/{case.pk}/do/supply/", {"version": case.version}).status_code == 302
    assert AuditEvent.objects.get(action="approvals.supply").principal["id"] == mine.enterprise_id


def test_case_list_by_window(world, setup, api_for):
    agent, officer, item, mine, _ = setup
    case, _ = services.do_apply(agent, item, title="代办", project=mine)
    empty = factories.window(world.zone, number=2, name="另一窗口")
    api = api_for(officer)
    assert [r["id"] for r in api.get(f"/api/v1/approval-cases/?window={item.window_id}").json()["results"]] == [case.pk]
    assert api.get(f"/api/v1/approval-cases/?window={empty.pk}").json()["results"] == []
