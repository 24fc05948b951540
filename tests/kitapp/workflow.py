"""The ticket's process: open → close (own unit only, reason required) → closed → reopen → open."""

from django import forms
from django.contrib.contenttypes.models import ContentType
from rest_framework import serializers

from kaifaqu.core import clock, notify
from kaifaqu.core.clock.models import OPEN_STATES, ClockUnit, DeadlineClock
from kaifaqu.core.workflow import Action, Workflow

from .models import Ticket, TicketEvent, TicketState

CLOCK_KIND = "kitapp.ticket"
CLOSED_KIND = "kitapp.closed"
DEFAULT_DAYS = 5


def own_org(actor, ticket):
    return actor.org_id == ticket.org_id or "仅工单的承办单位可以办结。"


def open_clocks(ticket):
    return DeadlineClock.objects.filter(content_type=ContentType.objects.get_for_model(ticket),
                                        object_id=str(ticket.pk), kind=CLOCK_KIND, state__in=OPEN_STATES)


def start_clock(actor, ticket, event=None, payload=None):
    days = (payload or {}).get("days", DEFAULT_DAYS)
    clock.start(actor, ticket, kind=CLOCK_KIND, unit=ClockUnit.DAYS, limit=days)


def finish_clock(actor, ticket, event, payload):
    for running in open_clocks(ticket):
        clock.finish(actor, running)


def notify_unit(actor, ticket, event, payload):
    notify.send(CLOSED_KIND, f"工单已办结：{ticket.title}", orgs=[ticket.org], body=event.note, obj=ticket,
                url=ticket.get_absolute_url())


class ReopenSerializer(serializers.Serializer):
    days = serializers.IntegerField(label="办理时限（自然日）", min_value=1, max_value=30, default=DEFAULT_DAYS)


class ReopenForm(forms.Form):
    days = forms.IntegerField(label="办理时限（自然日）", min_value=1, max_value=30, initial=DEFAULT_DAYS)


TICKET = Workflow(
    model=Ticket,
    events=TicketEvent,
    table={
        TicketState.OPEN: {"close": TicketState.CLOSED},
        TicketState.CLOSED: {"reopen": TicketState.OPEN},
    },
    actions={
        "close": Action("办结", perm="kitapp.close", rule=own_org, reason_required=True, reason_label="办结说明",
                        hooks=[finish_clock, notify_unit]),
        "reopen": Action("重新打开", perm="kitapp.reopen", serializer=ReopenSerializer, form=ReopenForm,
                         hooks=[start_clock], style="secondary"),
    },
)
