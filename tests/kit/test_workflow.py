"""core.workflow proved on the test app's two-state ticket: engine, append-only events, API actions, pages, diagram."""

import dataclasses
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from kaifaqu.core.access import SYSTEM
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.clock.models import ClockState, DeadlineClock
from kaifaqu.core.errors import Forbidden, InvalidInput, NotFound, RuleViolation
from kaifaqu.core.notify.models import Notification
from kaifaqu.core.workflow import REGISTRY, Action, Workflow, perform
from tests.kitapp.models import Ticket, TicketEvent
from tests.kitapp.workflow import CLOCK_KIND, TICKET

pytestmark = pytest.mark.urls("tests.kitapp.urls")


def url(ticket, action):
    return f"/api/v1/kit-tickets/{ticket.pk}/{action}/"


def clocks(ticket):
    return DeadlineClock.objects.filter(content_type=ContentType.objects.get_for_model(Ticket),
                                        object_id=str(ticket.pk), kind=CLOCK_KIND).order_by("id")


def kit_audit(ticket, action):
    return AuditEvent.objects.filter(action=f"kitapp.{action}", object_type="kitapp.ticket", object_id=str(ticket.pk))


# Engine -------------------------------------------------------------------------------------------------------

def test_close_writes_event_state_version_audit_and_runs_the_hook(world, ticket, api_for):
    assert clocks(ticket).get().state == ClockState.RUNNING
    response = api_for(world.clerk).post(url(ticket, "close"), {"note": "已更换灯泡", "version": 1}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["state"], body["state_label"], body["version"]) == ("closed", "已办结", 2)
    ticket.refresh_from_db()
    assert (ticket.state, ticket.version) == ("closed", 2)
    event = TicketEvent.objects.get(ticket=ticket)
    assert (event.action, event.from_state, event.to_state, event.note) == ("close", "open", "closed", "已更换灯泡")
    assert (event.actor, event.actor_name, event.actor_org_id, event.zone_id) == (
        world.clerk, world.clerk.get_full_name(), world.department.pk, world.zone.pk)
    assert (event.action_label, event.from_label, event.to_label) == ("办结", "处理中", "已办结")
    audit_event = kit_audit(ticket, "close").get()
    assert audit_event.reason == "已更换灯泡"
    assert (audit_event.before, audit_event.after) == ({"state": "open"}, {"state": "closed"})
    assert audit_event.actor == world.clerk and audit_event.zone_id == world.zone.pk
    assert clocks(ticket).get().state == ClockState.MET
    notice = Notification.objects.get(kind="kitapp.closed")
    assert (notice.recipient, notice.title, notice.body) == (world.clerk, "工单已办结：路灯不亮", "已更换灯泡")


def test_invisible_object_answers_404_like_a_missing_one(world, ticket, api_for):
    client = api_for(world.outsider)  # a zone clerk holding kitapp.close, of the other zone
    real = client.post(url(ticket, "close"), {"note": "x"}, format="json")
    missing = client.post(f"/api/v1/kit-tickets/{ticket.pk + 1000}/close/", {"note": "x"}, format="json")
    assert real.status_code == missing.status_code == 404
    assert real.json() == missing.json()
    assert real.json()["code"] == "not_found"
    ticket.refresh_from_db()
    assert ticket.state == "open" and not TicketEvent.objects.exists()
    with pytest.raises(NotFound):
        TICKET.perform(world.outsider, ticket, "close", note="x")


def test_visible_but_not_permitted_answers_403(world, ticket, api_for):
    response = api_for(world.street).post(url(ticket, "close"), {"note": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert api_for(world.street).get(f"/api/v1/kit-tickets/{ticket.pk}/").status_code == 200  # visible indeed


def test_the_rule_refuses_another_unit_with_its_reason(world, ticket, api_for):
    # The zone leader holds kitapp.close but belongs to the committee, not the ticket's department.
    response = api_for(world.leader).post(url(ticket, "close"), {"note": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "仅工单的承办单位可以办结。"
    with pytest.raises(Forbidden):
        TICKET.perform(world.leader, ticket, "close", note="x")


def test_wrong_state_answers_422_with_the_state_and_allowed_actions(world, ticket, api_for):
    response = api_for(world.clerk).post(url(ticket, "reopen"), {}, format="json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_transition"
    assert body["state"] == "open" and body["allowed_actions"] == ["close"]
    assert body["detail"] == "当前状态为「处理中」，不能执行「重新打开」。此状态下可执行的操作：「办结」。"
    assert body["fields"] == {}
    with pytest.raises(RuleViolation) as caught:
        TICKET.perform(world.clerk, ticket, "reopen")
    assert caught.value.extra == {"state": "open", "allowed_actions": ["close"]}


def test_stale_version_answers_409_and_changes_nothing(world, ticket, api_for):
    client = api_for(world.clerk)
    assert client.post(url(ticket, "close"), {"note": "done"}, format="json").status_code == 200
    assert client.post(url(ticket, "reopen"), {"version": 2}, format="json").status_code == 200
    stale = client.post(url(ticket, "close"), {"note": "again", "version": 2}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale" and stale.json()["version"] == 3
    ticket.refresh_from_db()
    assert (ticket.state, ticket.version) == ("open", 3)
    assert TicketEvent.objects.filter(ticket=ticket).count() == 2


def test_missing_reason_and_bad_input_answer_400(world, ticket, api_for):
    client = api_for(world.clerk)
    response = client.post(url(ticket, "close"), {"note": "  "}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"note": ["请填写办结说明。"]}
    response = client.post(url(ticket, "close"), {"note": "x", "version": "abc"}, format="json")
    assert response.status_code == 400 and "version" in response.json()["fields"]
    response = client.post(url(ticket, "close"), {"note": "x", "payload": {"days": 3}}, format="json")
    assert response.status_code == 400 and "payload" in response.json()["fields"]
    assert client.post(url(ticket, "close"), ["x"], format="json").status_code == 400
    ticket.refresh_from_db()
    assert ticket.state == "open" and not TicketEvent.objects.exists()


def test_payload_is_validated_stored_and_given_to_the_hooks(world, ticket, api_for):
    client = api_for(world.clerk)
    client.post(url(ticket, "close"), {"note": "done"}, format="json")
    bad = client.post(url(ticket, "reopen"), {"payload": {"days": 99}}, format="json")
    assert bad.status_code == 400 and "days" in bad.json()["fields"]
    assert client.post(url(ticket, "reopen"), {"payload": {"days": 3}}, format="json").status_code == 200
    event = TicketEvent.objects.get(ticket=ticket, action="reopen")
    assert event.payload == {"days": 3}
    assert clocks(ticket).last().limit == 3 and clocks(ticket).last().state == ClockState.RUNNING


def test_a_failing_hook_rolls_back_event_audit_state_and_clock(world, ticket, monkeypatch):
    def boom(actor, obj, event, payload):
        raise RuntimeError("notification service down")

    spec = TICKET.actions["close"]
    monkeypatch.setitem(TICKET.actions, "close", dataclasses.replace(spec, hooks=(*spec.hooks, boom)))
    audit_count = AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        TICKET.perform(world.clerk, ticket, "close", note="done")
    ticket.refresh_from_db()
    assert (ticket.state, ticket.version) == ("open", 1)
    assert not TicketEvent.objects.exists()
    assert AuditEvent.objects.count() == audit_count
    assert clocks(ticket).get().state == ClockState.RUNNING  # the earlier hooks' clock finish was undone too
    assert not Notification.objects.filter(kind="kitapp.closed").exists()


def test_the_system_actor_acts_without_a_scope_and_is_named(world, ticket):
    perform(SYSTEM, ticket, "close", note="批量办结")
    event = TicketEvent.objects.get(ticket=ticket)
    assert (event.actor, event.actor_name, event.to_state) == (None, "system", "closed")
    assert kit_audit(ticket, "close").get().actor_name == "system"


def test_perform_takes_a_queryset_and_pk(world, ticket):
    TICKET.perform(world.clerk, (Ticket.objects.filter(title="路灯不亮"), ticket.pk), "close", note="x")
    assert Ticket.objects.get(pk=ticket.pk).state == "closed"
    with pytest.raises(NotFound):
        TICKET.perform(world.clerk, (Ticket.objects.filter(title="另一件"), ticket.pk), "reopen")
    with pytest.raises(NotFound):
        perform(world.clerk, (Ticket, "not-a-number"), "reopen")
    perform(world.clerk, (Ticket, ticket.pk), "reopen")
    assert Ticket.objects.get(pk=ticket.pk).state == "open"
    with pytest.raises(InvalidInput):
        TICKET.perform(world.clerk, ticket, "destroy")


def test_apply_sets_fields_before_the_save_and_related_payload_is_stored_by_id(world, ticket):
    from rest_framework import serializers

    from kaifaqu.org.models import Org

    class HandOver(serializers.Serializer):
        org = serializers.PrimaryKeyRelatedField(queryset=Org.objects.all())

    def hand_over(actor, obj, payload):
        obj.org = payload["org"]

    flow = Workflow(model=Ticket, events=TicketEvent, table={"open": {"hand_over": "open"}},
                    actions={"hand_over": Action("转办", perm="kitapp.close", serializer=HandOver, apply=hand_over)},
                    register=False)
    flow.perform(world.clerk, ticket, "hand_over", payload={"org": world.street_org.pk})
    ticket.refresh_from_db()
    assert ticket.org == world.street_org and ticket.version == 2
    assert TicketEvent.objects.get(ticket=ticket, action="hand_over").payload == {"org": world.street_org.pk}
    audit_event = kit_audit(ticket, "hand_over").get()
    assert (audit_event.before, audit_event.after) == ({"org_id": world.department.pk}, {"org_id": world.street_org.pk})


def test_a_rule_answering_false_refuses_with_the_generic_message(world, ticket):
    flow = Workflow(model=Ticket, events=TicketEvent, table={"open": {"close": "closed"}},
                    actions={"close": Action("办结", perm="kitapp.close", rule=lambda actor, obj: False)},
                    register=False)
    with pytest.raises(Forbidden, match="您没有执行此操作的权限。"):
        flow.perform(world.clerk, ticket, "close")
    assert flow.available(world.clerk, ticket) == []


def test_available_actions_follow_state_permission_and_rule(world, ticket):
    assert TICKET.available(world.clerk, ticket) == ["close"]
    assert TICKET.available(world.leader, ticket) == []  # another unit: the rule says no
    assert TICKET.available(world.street, ticket) == []  # no permission
    TICKET.perform(world.clerk, ticket, "close", note="x")
    ticket.refresh_from_db()
    assert TICKET.available(world.clerk, ticket) == ["reopen"]
    assert TICKET.available(world.leader, ticket) == ["reopen"]  # reopening has no unit rule


# Append-only events -------------------------------------------------------------------------------------------

def test_process_events_cannot_be_changed_or_deleted(world, ticket):
    TICKET.perform(world.clerk, ticket, "close", note="x")
    event = TicketEvent.objects.get()
    event.note = "改写"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        TicketEvent.objects.filter(pk=event.pk).update(note="改写")
    with pytest.raises(PermissionError):
        TicketEvent.objects.all().delete()
    assert TicketEvent.objects.get().note == "x"


def test_process_event_subclass_gets_the_zone_first_owner_index():
    fields = [list(index.fields) for index in TicketEvent._meta.indexes]
    assert ["zone_id", "ticket", "created_at"] in fields


def test_events_are_scoped_through_their_owner(world, ticket):
    TICKET.perform(world.clerk, ticket, "close", note="x")
    assert TicketEvent.objects.visible_to(world.street).count() == 1
    assert TicketEvent.objects.visible_to(world.outsider).count() == 0


# Declaration --------------------------------------------------------------------------------------------------

def test_the_workflow_is_registered_and_declarations_are_checked():
    assert REGISTRY["kitapp.ticket"] is TICKET
    assert type(TICKET.table["open"]["close"]) is str  # declared with TextChoices members, kept as stored values
    close = Action("办结", perm="kitapp.close")
    with pytest.raises(ImproperlyConfigured):
        Workflow(model=Ticket, events=TicketEvent, table={"open": {"close": "closed", "undo": "open"}},
                 actions={"close": close}, register=False)
    with pytest.raises(ImproperlyConfigured):
        Workflow(model=Ticket, events=TicketEvent, table={"open": {"close": "archived"}},
                 actions={"close": close}, register=False)
    with pytest.raises(ImproperlyConfigured):
        Action("办结", perm="")


def test_get_imports_the_apps_workflow_modules_when_a_label_is_missing(monkeypatch):
    import sys

    import tests.kitapp
    from kaifaqu.core.workflow import get

    monkeypatch.delitem(REGISTRY, "kitapp.ticket")
    monkeypatch.delitem(sys.modules, "tests.kitapp.workflow")
    monkeypatch.setattr(tests.kitapp, "workflow", tests.kitapp.workflow)
    found = get("kitapp.Ticket")
    assert found is not TICKET and found.label == "kitapp.ticket"
    with pytest.raises(LookupError):
        get("kitapp.nothing")


# Diagram ------------------------------------------------------------------------------------------------------

MERMAID = """stateDiagram-v2
    state "处理中" as open
    state "已办结" as closed
    [*] --> open
    open --> closed : 办结
    closed --> open : 重新打开
"""


def test_mermaid_diagram_and_its_command():
    assert TICKET.mermaid() == MERMAID
    out = io.StringIO()
    call_command("workflow_diagram", "kitapp.Ticket", stdout=out)
    assert out.getvalue() == MERMAID
    with pytest.raises(CommandError, match="kitapp.ticket"):
        call_command("workflow_diagram", "kitapp.Nothing")


def test_cli_prints_the_diagram(capsys):
    from kaifaqu.cli import main

    assert main(["workflow-diagram", "kitapp.Ticket"]) == 0
    assert capsys.readouterr().out == MERMAID


def test_final_states_end_the_diagram():
    done = Workflow(model=Ticket, events=TicketEvent, table={"open": {"close": "closed"}},
                    actions={"close": Action("办结", perm="kitapp.close")}, register=False)
    assert done.mermaid().endswith("    open --> closed : 办结\n    closed --> [*]\n")


# API ----------------------------------------------------------------------------------------------------------

def test_events_endpoint_lists_the_timeline(world, ticket, api_for):
    TICKET.perform(world.clerk, ticket, "close", note="done")
    TICKET.perform(world.clerk, ticket, "reopen", payload={"days": 2})
    response = api_for(world.street).get(f"/api/v1/kit-tickets/{ticket.pk}/events/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["action"], r["action_label"], r["from_label"], r["to_label"]) for r in rows] == [
        ("close", "办结", "处理中", "已办结"), ("reopen", "重新打开", "已办结", "处理中")]
    assert rows[0]["note"] == "done" and rows[1]["payload"] == {"days": 2}
    assert api_for(world.outsider).get(f"/api/v1/kit-tickets/{ticket.pk}/events/").status_code == 404


def test_events_endpoint_and_detail_page_run_a_fixed_number_of_queries(world, ticket, api_for, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api, page = api_for(world.clerk), client_for(world.clerk)

    def counts():
        with CaptureQueriesContext(connection) as api_queries:
            assert api.get(f"/api/v1/kit-tickets/{ticket.pk}/events/").status_code == 200
        with CaptureQueriesContext(connection) as page_queries:
            assert page.get(detail(ticket)).status_code == 200
        return len(api_queries), len(page_queries)

    TICKET.perform(world.clerk, ticket, "close", note="1")
    counts()  # the first page of a process fills per-process caches (content types, menus); measure after it
    few = counts()
    for n in range(3):
        TICKET.perform(world.clerk, ticket, "reopen")
        TICKET.perform(world.clerk, ticket, "close", note=str(n))
    assert TicketEvent.objects.filter(ticket=ticket).count() == 7
    assert counts() == few


def test_an_action_named_like_a_viewset_method_is_refused():
    from rest_framework import viewsets

    from kaifaqu.core.workflow.api import WorkflowActionsMixin

    flow = Workflow(model=Ticket, events=TicketEvent, table={"open": {"destroy": "closed"}},
                    actions={"destroy": Action("删除", perm="kitapp.close")}, register=False)
    with pytest.raises(ImproperlyConfigured, match="destroy"):
        type("BadViewSet", (WorkflowActionsMixin, viewsets.GenericViewSet), {"workflow": flow})


def test_schema_documents_one_operation_per_action(world, api_for, tmp_path):
    schema = api_for(world.clerk).get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for action in ("close", "reopen"):
        operation = paths[f"/api/v1/kit-tickets/{{id}}/{action}/"]
        assert list(operation) == ["post"]
        post = operation["post"]
        assert set(post["responses"]) == {"200", "400", "401", "403", "404", "409", "422"}
        assert post["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith(
            "/TransitionError")
        assert post["summary"] == TICKET.actions[action].label
    components = schema["components"]["schemas"]
    assert components["TicketCloseRequest"]["required"] == ["note"]
    assert set(components["TicketCloseRequest"]["properties"]) == {"version", "note"}
    assert set(components["TicketReopenRequest"]["properties"]) == {"version", "note", "payload"}
    assert "required" not in components["TicketReopenRequest"]  # payload defaults apply when it is left out
    assert {"state", "allowed_actions", "code", "detail", "fields"} <= set(
        components["TransitionError"]["properties"])
    assert "get" in paths["/api/v1/kit-tickets/{id}/events/"]
    # Valid OpenAPI, and no warnings from the generated operations.
    call_command("spectacular", "--validate", "--fail-on-warn", "--urlconf", "tests.kitapp.urls",
                 "--file", str(tmp_path / "schema.yaml"))


# Pages --------------------------------------------------------------------------------------------------------

def detail(ticket):
    return f"/kit/tickets/{ticket.pk}/"


def action_page(ticket, action):
    return f"/kit/tickets/{ticket.pk}/do/{action}/"


def test_detail_page_shows_the_buttons_the_user_may_press(world, ticket, client_for):
    page = client_for(world.clerk).get(detail(ticket)).content.decode()
    assert f'action="{action_page(ticket, "close")}"' in page
    assert 'name="note"' in page and "确认办结" in page  # a reason is required: the field is in the button's box
    assert 'name="version" value="1"' in page
    assert "reopen" not in page
    assert "<script" not in page.split('data-testid="actions"')[1].split("</div>")[0]
    street_page = client_for(world.street).get(detail(ticket)).content.decode()
    assert action_page(ticket, "close") not in street_page


def test_action_page_is_post_only(world, ticket, client_for):
    assert client_for(world.clerk).get(action_page(ticket, "close")).status_code == 405


def test_action_page_checks_visibility_before_permission(world, ticket, client_for):
    missing = f"/kit/tickets/{ticket.pk + 1000}/do/close/"
    assert client_for(world.outsider).post(action_page(ticket, "close"), {"note": "x"}).status_code == 404
    assert client_for(world.street).post(missing, {"note": "x"}).status_code == 404
    assert client_for(world.street).post(action_page(ticket, "close"), {"note": "x"}).status_code == 403
    refused = client_for(world.leader).post(action_page(ticket, "close"), {"note": "x"})
    assert refused.status_code == 403 and "仅工单的承办单位可以办结。" in refused.content.decode()
    assert client_for(world.clerk).post(f"/kit/tickets/{ticket.pk}/do/destroy/").status_code == 404
    ticket.refresh_from_db()
    assert ticket.state == "open"


def test_action_form_shows_errors_next_to_the_field(world, ticket, client_for):
    response = client_for(world.clerk).post(action_page(ticket, "close"), {"note": "", "version": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写办结说明。" in page and 'class="invalid-feedback d-block"' in page
    assert f'<a href="{detail(ticket)}">路灯不亮</a>' in page  # breadcrumb back to the case
    assert 'name="csrfmiddlewaretoken"' in page
    wrong_state = client_for(world.clerk).post(action_page(ticket, "reopen"), {"days": "3"})
    assert wrong_state.status_code == 422 and "当前状态为「处理中」" in wrong_state.content.decode()


def test_action_form_reports_a_stale_version(world, ticket, client_for):
    TICKET.perform(world.clerk, ticket, "close", note="x")
    TICKET.perform(world.clerk, ticket, "reopen")
    response = client_for(world.clerk).post(action_page(ticket, "close"), {"note": "y", "version": "1"})
    assert response.status_code == 409 and "该记录已被他人修改" in response.content.decode()


def test_action_form_success_redirects_with_a_message(world, ticket, client_for):
    client = client_for(world.clerk)
    response = client.post(action_page(ticket, "close"), {"note": "已处理", "version": "1"})
    assert response.status_code == 302 and response["Location"] == detail(ticket)
    page = client.get(detail(ticket)).content.decode()
    assert "已办结。" in page
    assert f'action="{action_page(ticket, "reopen")}"' in page and 'name="days"' in page
    response = client.post(action_page(ticket, "reopen"), {"days": "4", "version": "2"})
    assert response.status_code == 302
    assert clocks(ticket).last().limit == 4


def test_csrf_is_enforced_on_the_action_page(world, ticket):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.clerk)
    assert client.post(action_page(ticket, "close"), {"note": "x"}).status_code == 403
    ticket.refresh_from_db()
    assert ticket.state == "open"


def test_timeline_shows_events_clocks_attachments_and_the_audit_link(world, ticket, client_for):
    from kaifaqu.core import files

    TICKET.perform(world.clerk, ticket, "close", note="换了灯泡")
    files.attach(world.clerk, ticket, SimpleUploadedFile("现场照片.pdf", b"%PDF-1.4\n%kit\n"), perm="kitapp.close")
    page = client_for(world.clerk).get(detail(ticket)).content.decode()
    timeline = page.split('data-testid="timeline"')[1]
    assert "换了灯泡" in timeline and "处理中 → 已办结" in timeline and world.clerk.get_full_name() in timeline
    assert 'data-clock-status="met"' in timeline
    assert "现场照片.pdf" in timeline
    assert 'data-testid="audit-link"' not in timeline  # no audit.view
    audit_page = client_for(world.auditadmin).get(detail(ticket)).content.decode()
    assert f"/core/audit/?object_type=kitapp.ticket&amp;object_id={ticket.pk}" in audit_page
