"""The org module's processes on core.workflow (docs/workflows.md has their diagrams):

- an organisation is abolished once (存续 → 已撤销): the record stays, ``is_active`` and ``abolished_on`` follow;
- a secondment may be ended early (挂职中 → 已提前结束): ``ended_early_on`` is set.

``services.do_abolish_org`` and ``services.do_end_secondment`` perform these actions for their callers.
"""

from django import forms
from rest_framework import serializers

from kaifaqu.core.errors import RuleViolation
from kaifaqu.core.workflow import Action, Workflow

from .models import Org, OrgEvent, OrgKind, OrgState, Secondment, SecondmentEvent, SecondmentState, Staff, StaffStatus

ABOLISH_DATE_REQUIRED = "请填写撤销日期。"
END_DATE_REQUIRED = "请填写提前结束日期。"


def _date_messages(text):
    return {"required": text, "null": text}


class AbolishPayload(serializers.Serializer):
    date = serializers.DateField(label="撤销日期", error_messages=_date_messages(ABOLISH_DATE_REQUIRED))


class AbolishPayloadForm(forms.Form):
    date = forms.DateField(label="撤销日期", widget=forms.DateInput,
                           error_messages=_date_messages(ABOLISH_DATE_REQUIRED))


def abolish(actor, org, payload):
    """Abolition keeps the record (history, staff and cases refer to it); an abolished body takes no new staff. The
    党工委/管委会 is the zone's own governing body: its abolition is a reorganisation of the zone, not an action here."""
    if org.kind == OrgKind.COMMITTEE:
        raise RuleViolation("党工委/管委会是开发区的管理机构，不能在此撤销；开发区整合或撤销请记录机构沿革。")
    if Staff.objects.filter(org=org, status=StaffStatus.ACTIVE).exists():
        raise RuleViolation("该机构仍有在岗人员，请先调整人员后再撤销。")
    if org.children.filter(is_active=True).exists():
        raise RuleViolation("该机构仍有存续的下级机构，请先撤销或调整下级机构。")
    org.is_active = False
    org.abolished_on = payload["date"]


ORG = Workflow(
    model=Org,
    events=OrgEvent,
    table={OrgState.ACTIVE: {"abolish": OrgState.ABOLISHED}, OrgState.ABOLISHED: {}},
    actions={
        "abolish": Action("撤销", perm="org.change", reason_required=True, reason_label="撤销原因",
                          serializer=AbolishPayload, form=AbolishPayloadForm, apply=abolish, style="danger",
                          summary="撤销机构"),
    },
)


class EndPayload(serializers.Serializer):
    date = serializers.DateField(label="提前结束日期", error_messages=_date_messages(END_DATE_REQUIRED))


class EndPayloadForm(forms.Form):
    date = forms.DateField(label="提前结束日期", widget=forms.DateInput,
                           error_messages=_date_messages(END_DATE_REQUIRED))


def end(actor, secondment, payload):
    date = payload["date"]
    if not (secondment.start <= date < secondment.end):
        raise RuleViolation("提前结束日期必须在挂职期间内。")
    secondment.ended_early_on = date


SECONDMENT = Workflow(
    model=Secondment,
    events=SecondmentEvent,
    table={SecondmentState.RUNNING: {"end": SecondmentState.ENDED_EARLY}, SecondmentState.ENDED_EARLY: {}},
    actions={
        "end": Action("提前结束", perm="staff.change", reason_label="原因", serializer=EndPayload, form=EndPayloadForm,
                      apply=end, style="danger", summary="提前结束挂职"),
    },
    audit_prefix="secondment",  # audit action "secondment.end", as before the workflow
)
