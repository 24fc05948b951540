"""Org's two processes on core.workflow: abolishing an organisation and ending a secondment early — service, API,
pages, event rows, audit events, the data migration and the diagrams."""

import datetime
import io
import pathlib

import pytest
from django.core.management import call_command
from django.urls import reverse

from kaifaqu.core.access import SYSTEM
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.errors import Conflict, InvalidInput, RuleViolation
from kaifaqu.org import services
from kaifaqu.org.models import Org, OrgEvent, OrgKind, SecondmentEvent, Staff
from kaifaqu.org.workflow import ORG, SECONDMENT
from tests.factories import OrgFactory

D = datetime.date
API = "/api/v1"
DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "workflows.md"


@pytest.fixture
def secondment(world):
    return services.do_create_secondment(world.hr, world.staff, host_name="市发改委", post="挂职副主任",
                                         start=D(2024, 1, 1), end=D(2025, 12, 31))


def abolish_url(org):
    return f"{API}/orgs/{org.pk}/abolish/"


def end_url(secondment):
    return f"{API}/secondments/{secondment.pk}/end/"


# Service ------------------------------------------------------------------------------------------------------

def test_abolishing_writes_the_event_the_state_and_the_audit_event(world):
    org = services.do_abolish_org(world.hr, world.platform_org, date=D(2024, 1, 1), reason="并入集团")
    org.refresh_from_db()
    assert (org.state, org.is_active, org.abolished_on, org.version) == ("abolished", False, D(2024, 1, 1), 2)
    event = OrgEvent.objects.get(org=org)
    assert (event.action, event.from_state, event.to_state, event.note) == ("abolish", "active", "abolished", "并入集团")
    assert (event.payload, event.actor, event.zone_id) == ({"date": "2024-01-01"}, world.hr, world.zone.pk)
    assert (event.action_label, event.from_label, event.to_label) == ("撤销", "存续", "已撤销")
    audit = AuditEvent.objects.get(action="org.abolish", object_id=str(org.pk))
    assert audit.reason == "并入集团"
    assert audit.before == {"state": "active", "is_active": True, "abolished_on": None}
    assert audit.after == {"state": "abolished", "is_active": False, "abolished_on": "2024-01-01"}


def test_abolition_rules_keep_their_messages_and_write_nothing(world):
    with pytest.raises(RuleViolation, match="该机构仍有在岗人员，请先调整人员后再撤销。"):
        services.do_abolish_org(world.hr, world.department, date=D(2024, 1, 1), reason="合并")
    Staff.objects.all().delete()
    OrgFactory(zone=world.zone, kind="department", code="jjfz-1", name="经济发展一科", parent=world.department)
    with pytest.raises(RuleViolation, match="该机构仍有存续的下级机构，请先撤销或调整下级机构。"):
        services.do_abolish_org(world.hr, world.department, date=D(2024, 1, 1), reason="合并")
    with pytest.raises(InvalidInput) as missing:  # the engine itself asks for the date and the reason too
        ORG.perform(world.hr, world.platform_org, "abolish", note="并入", payload={})
    assert missing.value.fields == {"date": ["请填写撤销日期。"]}
    with pytest.raises(InvalidInput) as missing:
        ORG.perform(world.hr, world.platform_org, "abolish", payload={"date": "2024-01-01"})
    assert missing.value.fields == {"note": ["请填写撤销原因。"]}
    assert not OrgEvent.objects.exists() and not AuditEvent.objects.filter(action="org.abolish").exists()
    assert Org.objects.filter(state="abolished").count() == 0


def test_abolishing_twice_is_a_wrong_state(world):
    org = services.do_abolish_org(world.hr, world.platform_org, date=D(2024, 1, 1), reason="并入集团")
    with pytest.raises(RuleViolation) as again:
        services.do_abolish_org(world.hr, org, date=D(2024, 1, 2), reason="再次")
    assert again.value.code == "invalid_transition"
    assert again.value.extra == {"state": "abolished", "allowed_actions": []}
    assert "当前状态为「已撤销」" in again.value.detail
    assert OrgEvent.objects.count() == 1


def test_ending_a_secondment_writes_the_event_the_state_and_the_audit_event(world, secondment):
    ended = services.do_end_secondment(world.hr, secondment, date=D(2024, 6, 30))  # the reason is optional
    ended.refresh_from_db()
    assert (ended.state, ended.ended_early_on, ended.version) == ("ended_early", D(2024, 6, 30), 2)
    event = SecondmentEvent.objects.get(secondment=secondment)
    assert (event.action, event.from_state, event.to_state, event.note, event.payload) == (
        "end", "running", "ended_early", "", {"date": "2024-06-30"})
    assert (event.action_label, event.from_label, event.to_label) == ("提前结束", "挂职中", "已提前结束")
    audit = AuditEvent.objects.get(action="secondment.end")
    assert audit.after == {"ended_early_on": "2024-06-30", "state": "ended_early"}
    with pytest.raises(RuleViolation) as again:
        services.do_end_secondment(world.hr, ended, date=D(2024, 7, 1))
    assert again.value.code == "invalid_transition"


def test_secondment_end_date_must_fall_in_the_period_and_a_stale_version_is_refused(world, secondment):
    with pytest.raises(RuleViolation, match="提前结束日期必须在挂职期间内。"):
        services.do_end_secondment(world.hr, secondment, date=D(2026, 1, 1))
    with pytest.raises(InvalidInput) as missing:
        services.do_end_secondment(world.hr, secondment, date=None)
    assert missing.value.fields == {"date": ["请填写提前结束日期。"]}
    with pytest.raises(Conflict):
        services.do_end_secondment(world.hr, secondment, date=D(2024, 6, 30), version=2)
    secondment.refresh_from_db()
    assert (secondment.state, secondment.version) == ("running", 1)
    assert not SecondmentEvent.objects.exists()


# API ----------------------------------------------------------------------------------------------------------

def test_api_abolish_answers_the_object_and_lists_the_event(world, api_for):
    client = api_for(world.hr)
    response = client.post(abolish_url(world.platform_org), {"date": "2024-01-01", "reason": "并入集团", "version": 1},
                           format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["state_label"], body["is_active"], body["version"]) == ("abolished", "已撤销", False, 2)
    rows = client.get(f"{API}/orgs/{world.platform_org.pk}/events/").json()["results"]
    assert [(r["action"], r["action_label"], r["from_label"], r["to_label"], r["note"], r["payload"]) for r in rows] == [
        ("abolish", "撤销", "存续", "已撤销", "并入集团", {"date": "2024-01-01"})]
    listed = client.get(f"{API}/orgs/", {"active": "false"}).json()["results"]
    assert [(r["id"], r["state"], r["state_label"]) for r in listed] == [(world.platform_org.pk, "abolished", "已撤销")]


def test_api_foreign_objects_answer_404_and_nothing_changes(world, api_for, secondment):
    outsider = api_for(world.outsider)  # zone staff of the other zone: holds org.change and staff.change there
    for url, body in ((abolish_url(world.platform_org), {"date": "2024-01-01", "reason": "x"}),
                      (end_url(secondment), {"date": "2024-06-30"})):
        response = outsider.post(url, body, format="json")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert outsider.get(f"{API}/orgs/{world.platform_org.pk}/events/").status_code == 404
    assert outsider.get(f"{API}/secondments/{secondment.pk}/events/").status_code == 404
    assert not OrgEvent.objects.exists() and not SecondmentEvent.objects.exists()


def test_api_a_user_without_the_permission_gets_403(world, api_for):
    street_staff = Staff.objects.create(zone=world.zone, org=world.street_org, staff_no="J01", name="街道干部",
                                        post_kind="contract")
    own = services.do_create_secondment(world.hr, street_staff, host_name="区外", post="挂职",
                                        start=D(2024, 1, 1), end=D(2025, 1, 1))
    street = api_for(world.street)  # sees the zone's organisations and its own people, changes neither
    assert street.get(f"{API}/secondments/{own.pk}/").status_code == 200
    for url, body in ((abolish_url(world.platform_org), {"date": "2024-01-01", "reason": "x"}),
                      (end_url(own), {"date": "2024-06-30"})):
        response = street.post(url, body, format="json")
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert street.get(f"{API}/secondments/{own.pk}/events/").status_code == 200  # the timeline is readable
    assert not OrgEvent.objects.exists() and not SecondmentEvent.objects.exists()


def test_api_wrong_state_answers_422_invalid_transition(world, api_for, secondment):
    client = api_for(world.hr)
    services.do_abolish_org(world.hr, world.platform_org, date=D(2024, 1, 1), reason="并入集团")
    services.do_end_secondment(world.hr, secondment, date=D(2024, 6, 30))
    for url, body, state, label in (
            (abolish_url(world.platform_org), {"date": "2024-02-01", "reason": "再次"}, "abolished", "已撤销"),
            (end_url(secondment), {"date": "2024-07-01"}, "ended_early", "已提前结束")):
        response = client.post(url, body, format="json")
        assert response.status_code == 422
        data = response.json()
        assert (data["code"], data["state"], data["allowed_actions"], data["fields"]) == (
            "invalid_transition", state, [], {})
        assert data["detail"].startswith(f"当前状态为「{label}」")


def test_api_rule_violations_keep_their_422_and_message(world, api_for, secondment):
    client = api_for(world.hr)
    response = client.post(abolish_url(world.department), {"date": "2024-01-01", "reason": "合并"}, format="json")
    assert response.status_code == 422 and response.json()["code"] == "rule_violation"
    assert response.json()["detail"] == "该机构仍有在岗人员，请先调整人员后再撤销。"
    response = client.post(end_url(secondment), {"date": "2030-01-01"}, format="json")
    assert response.status_code == 422 and response.json()["detail"] == "提前结束日期必须在挂职期间内。"


def test_api_stale_version_answers_409(world, api_for, secondment):
    client = api_for(world.hr)
    services.do_update_org(world.hr, world.platform_org, short_name="建设公司")  # version 2 now
    response = client.post(abolish_url(world.platform_org), {"date": "2024-01-01", "reason": "并入", "version": 1},
                           format="json")
    assert response.status_code == 409
    assert (response.json()["code"], response.json()["version"]) == ("stale", 2)
    response = client.post(end_url(secondment), {"date": "2024-06-30", "version": 3}, format="json")
    assert response.status_code == 409 and response.json()["version"] == 1
    assert client.post(end_url(secondment), {"date": "2024-06-30", "version": 1}, format="json").json()[
        "version"] == 2
    world.platform_org.refresh_from_db()
    assert world.platform_org.state == "active" and not OrgEvent.objects.exists()


def test_schema_documents_the_actions_errors_and_the_timelines(world, api_for):
    schema = api_for(world.hr).get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path in ("/api/v1/orgs/{id}/abolish/", "/api/v1/secondments/{id}/end/"):
        responses = paths[path]["post"]["responses"]
        assert {"200", "400", "403", "404", "409", "422"} <= set(responses)
        assert responses["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/TransitionError")
        assert responses["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/StaleError")
    for path in ("/api/v1/orgs/{id}/events/", "/api/v1/secondments/{id}/events/"):
        assert list(paths[path]) == ["get"]


# Pages --------------------------------------------------------------------------------------------------------

def action_page(name, obj, action):
    return reverse(f"org:{name}-action", kwargs={"pk": obj.pk, "action": action})


def test_org_page_shows_the_abolish_button_to_who_may_press_it(world, client_for):
    url = world.platform_org.get_absolute_url()
    page = client_for(world.hr).get(url).content.decode()
    buttons = page.split('data-testid="actions"')[1].split("</details>")[0]
    assert f'action="{action_page("org", world.platform_org, "abolish")}"' in buttons
    assert 'name="note"' in buttons and 'name="date"' in buttons and 'name="version" value="1"' in buttons
    assert "确认撤销" in buttons and "<script" not in buttons
    assert 'data-testid="timeline"' in page and "暂无办理记录。" in page
    street_page = client_for(world.street).get(url).content.decode()
    assert action_page("org", world.platform_org, "abolish") not in street_page


def test_org_action_page_is_post_only_and_checks_visibility_before_permission(world, client_for):
    url = action_page("org", world.platform_org, "abolish")
    body = {"note": "并入", "date": "2024-01-01", "version": "1"}
    assert client_for(world.hr).get(url).status_code == 405
    assert client_for(world.outsider).post(url, body).status_code == 404
    assert client_for(world.street).post(url, body).status_code == 403
    assert client_for(world.hr).post(action_page("org", world.platform_org, "destroy"), body).status_code == 404
    world.platform_org.refresh_from_db()
    assert world.platform_org.state == "active"


def test_org_action_form_shows_errors_next_to_the_field(world, client_for):
    client = client_for(world.hr)
    response = client.post(action_page("org", world.platform_org, "abolish"), {"note": "", "date": "", "version": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert '<div class="invalid-feedback d-block">请填写撤销原因。</div>' in page
    assert '<div class="invalid-feedback d-block">请填写撤销日期。</div>' in page
    response = client.post(action_page("org", world.department, "abolish"), {"note": "合并", "date": "2024-01-01"})
    assert response.status_code == 422 and "该机构仍有在岗人员" in response.content.decode()


def test_org_action_form_success_redirects_and_the_timeline_shows_the_event(world, client_for):
    client = client_for(world.hr)
    response = client.post(action_page("org", world.platform_org, "abolish"),
                           {"note": "并入集团", "date": "2024-01-01", "version": "1"})
    assert response.status_code == 302 and response["Location"] == world.platform_org.get_absolute_url()
    world.platform_org.refresh_from_db()
    assert (world.platform_org.state, world.platform_org.is_active) == ("abolished", False)
    page = client.get(world.platform_org.get_absolute_url()).content.decode()
    assert "已撤销。" in page and 'data-testid="abolished"' in page
    timeline = page.split('data-testid="timeline"')[1]
    assert "并入集团" in timeline and "存续 → 已撤销" in timeline and world.hr.get_full_name() in timeline
    assert 'data-testid="actions"' not in page  # nothing left to do
    stale = client.post(action_page("org", world.platform_org, "abolish"), {"note": "再次", "date": "2024-02-01"})
    assert stale.status_code == 422 and "当前状态为「已撤销」" in stale.content.decode()


def test_the_abolish_form_page_still_works_through_the_workflow(world, client_for):
    client = client_for(world.hr)
    assert client.get(reverse("org:org-abolish", args=[world.platform_org.pk])).status_code == 200
    response = client.post(reverse("org:org-abolish", args=[world.platform_org.pk]),
                           {"date": "2024-01-01", "reason": "并入集团", "version": "1"})
    assert response.status_code == 302
    assert OrgEvent.objects.get(org=world.platform_org).note == "并入集团"


def test_secondment_page_button_errors_and_success(world, client_for, secondment):
    client = client_for(world.hr)
    url = secondment.get_absolute_url()
    page = client.get(url).content.decode()
    action = action_page("secondment", secondment, "end")
    assert f'action="{action}"' in page and "已期满结束" in page  # ended 2025-12-31 as planned
    assert client.get(action).status_code == 405
    assert client_for(world.outsider).post(action, {"date": "2024-06-30"}).status_code == 404
    response = client.post(action, {"date": "2026-01-01", "version": "1"})
    assert response.status_code == 422 and "提前结束日期必须在挂职期间内。" in response.content.decode()
    response = client.post(action, {"date": "", "version": "1"})
    assert response.status_code == 400
    assert '<div class="invalid-feedback d-block">请填写提前结束日期。</div>' in response.content.decode()
    response = client.post(action, {"date": "2024-06-30", "note": "回原单位", "version": "1"})
    assert response.status_code == 302
    secondment.refresh_from_db()
    assert (secondment.state, secondment.ended_early_on) == ("ended_early", D(2024, 6, 30))
    page = client.get(url).content.decode()
    assert action not in page and "挂职中 → 已提前结束" in page and "回原单位" in page
    assert "已于 2024-06-30 提前结束" in page


# Data migration -----------------------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_migration_derives_the_states_from_the_existing_columns():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("org", "0002_city_government_kind")], [("org", "0003_org_workflow")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    zone = apps.get_model("org", "Zone").objects.create(name="迁移区", code="mig")
    org_model = apps.get_model("org", "Org")
    alive = org_model.objects.create(zone=zone, kind="department", name="存续处", code="a")
    gone = org_model.objects.create(zone=zone, kind="department", name="撤销处", code="b", is_active=False,
                                    abolished_on=D(2020, 1, 1))
    staff = apps.get_model("org", "Staff").objects.create(zone=zone, org=alive, staff_no="M1", name="迁移",
                                                          post_kind="contract")
    sec_model = apps.get_model("org", "Secondment")
    running = sec_model.objects.create(zone=zone, staff=staff, host_name="外", post="p", start=D(2024, 1, 1),
                                       end=D(2025, 1, 1))
    ended = sec_model.objects.create(zone=zone, staff=staff, host_name="外", post="p", start=D(2022, 1, 1),
                                     end=D(2023, 1, 1), ended_early_on=D(2022, 6, 1))
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    apps = executor.loader.project_state(after).apps
    orgs = dict(apps.get_model("org", "Org").objects.values_list("pk", "state"))
    assert (orgs[alive.pk], orgs[gone.pk]) == ("active", "abolished")
    secondments = dict(apps.get_model("org", "Secondment").objects.values_list("pk", "state"))
    assert (secondments[running.pk], secondments[ended.pk]) == ("running", "ended_early")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_factory_keeps_state_and_is_active_together(world):
    assert OrgFactory(zone=world.zone, kind=OrgKind.DEPARTMENT, is_active=False).state == "abolished"


# Diagrams -----------------------------------------------------------------------------------------------------

ORG_DIAGRAM = """stateDiagram-v2
    state "存续" as active
    state "已撤销" as abolished
    [*] --> active
    active --> abolished : 撤销
    abolished --> [*]
"""

SECONDMENT_DIAGRAM = """stateDiagram-v2
    state "挂职中" as running
    state "已提前结束" as ended_early
    [*] --> running
    running --> ended_early : 提前结束
    ended_early --> [*]
"""


@pytest.mark.parametrize(("label", "diagram"), [("org.Org", ORG_DIAGRAM), ("org.Secondment", SECONDMENT_DIAGRAM)])
def test_diagrams_print_and_appear_in_the_docs(label, diagram):
    out = io.StringIO()
    call_command("workflow_diagram", label, stdout=out)
    assert out.getvalue() == diagram
    assert f"```mermaid\n{diagram}```" in DOCS.read_text(encoding="utf-8")


def test_the_system_actor_abolishes_and_is_named(world):
    org = services.do_abolish_org(SYSTEM, world.intermediary_org, date=D(2025, 3, 1), reason="合并")
    assert OrgEvent.objects.get(org=org).actor_name == "system"
    assert ORG.available(world.hr, org) == [] and SECONDMENT.label == "org.secondment"


def test_a_secondment_reads_by_its_dates_until_ended_early(world, secondment):
    assert secondment.status_label_on(D(2023, 12, 31)) == "未开始"
    assert secondment.status_label_on(D(2024, 1, 1)) == secondment.status_label_on(D(2025, 12, 31)) == "挂职中"
    assert secondment.status_label_on(D(2026, 1, 1)) == "已期满结束"
    secondment.ended_early_on = D(2024, 6, 30)
    assert secondment.status_label_on(D(2025, 1, 1)) == "已于 2024-06-30 提前结束"
