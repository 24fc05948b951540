"""The investment pipeline on core.workflow: 线索 → 洽谈 → 已签约 → 已供地 → 已开工 → 已投产, and 已终止 (with a
reason) from any stage before production. Every action carries its date, which may not precede the previous
stage's date nor lie in the future (422); signing carries the signed amount."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from rest_framework import serializers

from kaifaqu.core.errors import RuleViolation
from kaifaqu.core.workflow import Action, Workflow

from .models import STAGE_DATES, Project, ProjectEvent, Stage

DATE_REQUIRED = "请填写日期。"
AMOUNT_REQUIRED = "请填写签约金额。"
MAX_AMOUNT = Decimal("99999999999999.99")


def _messages(text):
    return {"required": text, "null": text, "invalid": "日期格式应为 YYYY-MM-DD。"}


class StagePayload(serializers.Serializer):
    date = serializers.DateField(label="日期", error_messages=_messages(DATE_REQUIRED))


class StageForm(forms.Form):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}),
                           error_messages={"required": DATE_REQUIRED})


class SignPayload(StagePayload):
    signed_amount = serializers.DecimalField(label="签约金额（元）", max_digits=16, decimal_places=2,
                                             min_value=Decimal("0.01"), max_value=MAX_AMOUNT,
                                             error_messages={"required": AMOUNT_REQUIRED, "null": AMOUNT_REQUIRED,
                                                             "min_value": "签约金额须大于 0。"})


class SignForm(StageForm):
    signed_amount = forms.DecimalField(label="签约金额（万元）", max_digits=14, decimal_places=2,
                                       min_value=Decimal("0.01"), error_messages={"required": AMOUNT_REQUIRED})

    def clean_signed_amount(self):
        # the page asks for 万元, the workflow (and the API) take 元
        return self.cleaned_data["signed_amount"] * 10000


class InvestedPayload(StagePayload):
    invested_amount = serializers.DecimalField(label="实际到位投资（元）", max_digits=16, decimal_places=2,
                                               min_value=Decimal(0), max_value=MAX_AMOUNT, required=False,
                                               error_messages={"min_value": "投资额不能为负数。"})


class InvestedForm(StageForm):
    invested_amount = forms.DecimalField(label="实际到位投资（万元，可不填）", max_digits=14, decimal_places=2,
                                         min_value=Decimal(0), required=False)

    def clean_invested_amount(self):
        value = self.cleaned_data.get("invested_amount")
        return None if value is None else value * 10000


def _set_date(project, stage, payload):
    date = payload["date"]
    if date < project.stage_on:
        raise RuleViolation(f"日期 {date:%Y-%m-%d} 早于上一阶段日期 {project.stage_on:%Y-%m-%d}。",
                            fields={"date": ["不能早于上一阶段的日期。"]})
    if date > timezone.localdate():
        raise RuleViolation("日期不能晚于今天。", fields={"date": ["日期不能晚于今天。"]})
    setattr(project, STAGE_DATES[stage], date)
    project.stage_on = date


def _stage(stage):
    def apply(actor, project, payload):
        _set_date(project, stage, payload)
        if payload.get("signed_amount") is not None:
            project.signed_amount = payload["signed_amount"]
        if payload.get("invested_amount") is not None:
            project.invested_amount = payload["invested_amount"]
    return apply


def drop(actor, project, payload):
    _set_date(project, Stage.DROPPED, payload)


def _record_reason(actor, project, event, payload):
    Project.objects.filter(pk=project.pk).update(drop_reason=event.note)
    project.drop_reason = event.note


PERM = "invest.change"

PROJECT = Workflow(
    model=Project,
    events=ProjectEvent,
    table={
        Stage.LEAD: {"negotiate": Stage.NEGOTIATING, "drop": Stage.DROPPED},
        Stage.NEGOTIATING: {"sign": Stage.SIGNED, "drop": Stage.DROPPED},
        Stage.SIGNED: {"supply_land": Stage.LAND, "drop": Stage.DROPPED},
        Stage.LAND: {"start": Stage.STARTED, "drop": Stage.DROPPED},
        Stage.STARTED: {"produce": Stage.PRODUCING, "drop": Stage.DROPPED},
        Stage.PRODUCING: {},
        Stage.DROPPED: {},
    },
    actions={
        "negotiate": Action("进入洽谈", perm=PERM, serializer=StagePayload, form=StageForm,
                            apply=_stage(Stage.NEGOTIATING), summary="项目进入洽谈"),
        "sign": Action("签约", perm=PERM, serializer=SignPayload, form=SignForm, apply=_stage(Stage.SIGNED),
                       summary="项目签约"),
        "supply_land": Action("供地", perm=PERM, serializer=StagePayload, form=StageForm, apply=_stage(Stage.LAND),
                              summary="项目供地"),
        "start": Action("开工", perm=PERM, serializer=InvestedPayload, form=InvestedForm,
                        apply=_stage(Stage.STARTED), summary="项目开工"),
        "produce": Action("投产", perm=PERM, serializer=InvestedPayload, form=InvestedForm,
                          apply=_stage(Stage.PRODUCING), summary="项目投产"),
        "drop": Action("终止", perm=PERM, reason_required=True, reason_label="终止原因", serializer=StagePayload,
                       form=StageForm, apply=drop, hooks=[_record_reason], style="danger", summary="终止项目"),
    },
    audit_prefix="project",
)
