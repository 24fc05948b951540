"""Writes on investment projects (INVEST-1 … 3). Callers: pages, API, the demo loader.

Each function checks the actor's permission and that the zone is in the actor's scope (404 otherwise), validates
(400 naming the field), writes and records the audit event in the same transaction. Stage changes go through the
workflow (``workflow.PROJECT``); ``do_advance`` is its one entry point for callers here.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from kaifaqu.core import audit, writes
from kaifaqu.core.access import is_system, require
from kaifaqu.core.errors import InvalidInput, NotFound, RuleViolation
from kaifaqu.economy import industry

from .models import InvestSettings, Project, ServiceLog
from .workflow import PROJECT

PROJECT_FIELDS = {"name", "investor", "park", "industry_code", "chain_tags", "source", "source_detail",
                  "responsible_org", "responsible_person", "paired_leader", "enterprise_name", "invested_amount",
                  "description"}
SETTINGS_FIELDS = {"tier1_yi", "tier2_yi", "tier3_yi", "tier4_yi", "stuck_days"}
LOG_FIELDS = {"kind", "date", "content", "by_name"}


def _in_scope(actor, zone_id, perm):
    scope = require(actor, perm)
    if not is_system(actor) and zone_id not in scope.zone_ids:
        raise NotFound("未找到该开发区，或您无权查看。")


def _only(fields: dict, allowed: set) -> dict:
    unknown = set(fields) - allowed
    if unknown:
        raise InvalidInput("包含不可修改的字段：" + "、".join(sorted(unknown)),
                           fields={k: ["不支持该字段。"] for k in sorted(unknown)})
    return fields


def _check(zone_id, fields: dict):
    errors = {}
    for name in ("park", "responsible_org"):
        obj = fields.get(name)
        if obj is not None and obj.zone_id != zone_id:
            errors[name] = ["必须属于同一开发区。"]
    if "industry_code" in fields:
        code = industry.normalise(fields["industry_code"])
        if industry.error(code):
            errors["industry_code"] = [industry.UNKNOWN]
        fields["industry_code"] = code
    for name in ("invested_amount", "signed_amount"):
        value = fields.get(name)
        if value is not None and value < 0:
            errors[name] = ["金额不能为负数。"]
    if errors:
        raise InvalidInput("提交的数据有误，请检查。", fields=errors)


def do_create_project(actor, zone, *, name, industry_code, lead_on=None, **fields) -> Project:
    _in_scope(actor, zone.pk, "invest.change")
    _only(fields, PROJECT_FIELDS)
    lead_on = lead_on or timezone.localdate()
    if lead_on > timezone.localdate():
        raise RuleViolation("获取线索日期不能晚于今天。", fields={"lead_on": ["日期不能晚于今天。"]})
    fields["industry_code"] = industry_code
    _check(zone.pk, fields)
    project = Project(zone=zone, name=name, lead_on=lead_on, stage_on=lead_on, **fields)
    return writes.create(actor, project, "project.create")


def do_update_project(actor, project, *, version=None, **changes) -> Project:
    _in_scope(actor, project.zone_id, "invest.change")
    _only(changes, PROJECT_FIELDS)
    _check(project.zone_id, changes)
    return writes.update(actor, project, changes, "project.update", version=version)


def do_advance(actor, project, action: str, *, date: datetime.date, note: str = "", version=None,
               **amounts) -> Project:
    """One stage change (negotiate, sign, supply_land, start, produce, drop) with its date."""
    payload = {"date": date, **{k: v for k, v in amounts.items() if v is not None}}
    return PROJECT.perform(actor, project, action, version=version, note=note, payload=payload)


def settings_for(zone_id) -> InvestSettings:
    """The zone's settings; the defaults (unsaved) while the zone has not changed them."""
    return InvestSettings.objects.filter(zone_id=zone_id).first() or InvestSettings(zone_id=zone_id)


def do_update_settings(actor, zone, *, version=None, **changes) -> InvestSettings:
    _in_scope(actor, zone.pk, "invest.settings")
    _only(changes, SETTINGS_FIELDS)
    with transaction.atomic():
        current, _ = InvestSettings.objects.get_or_create(zone=zone)
        merged = [changes.get(f"tier{i}_yi", getattr(current, f"tier{i}_yi")) for i in range(1, 5)]
        if any(merged[i] <= merged[i + 1] for i in range(3)):
            raise RuleViolation("各档金额须从第一档到第四档依次减小。",
                               fields={f"tier{i + 2}_yi": ["须小于上一档。"] for i in range(3)
                                       if merged[i] <= merged[i + 1]})
        return writes.update(actor, current, changes, "invest_settings.update", version=version)


def do_add_log(actor, project, **fields) -> ServiceLog:
    _in_scope(actor, project.zone_id, "invest.change")
    _only(fields, LOG_FIELDS)
    if fields.get("date") and fields["date"] > timezone.localdate():
        raise RuleViolation("日期不能晚于今天。", fields={"date": ["日期不能晚于今天。"]})
    if not fields.get("by_name"):
        user = actor if getattr(actor, "is_authenticated", False) else None
        fields["by_name"] = (user.get_full_name() or user.get_username()) if user else getattr(actor, "label", "")
    log = ServiceLog(zone_id=project.zone_id, project=project,
                     created_by=actor if getattr(actor, "is_authenticated", False) else None, **fields)
    return writes.create(actor, log, "project.log")



def do_raise_whistle(actor, log, *, kind, matter, lead=None, title="", supporters=()) -> ServiceLog:
    """A problem raised in a project's service log becomes a whistle (吹哨报到, when that module is installed):
    blown through ``whistle.services.do_blow`` in the project's zone and park with the log's content, the given
    matter and lead unit (none: the responsibility matrix's, as the whistle module decides), then the log links to
    it. Needs ``invest.change`` here and ``whistle.blow`` there; only a problem (反映问题), and only once (422).
    Audited ``project.log_whistle`` beside the whistle's own ``whistle.blow``, in one transaction."""
    from django.apps import apps

    from .models import LogKind

    _in_scope(actor, log.zone_id, "invest.change")
    if not apps.is_installed("kaifaqu.whistle"):
        raise RuleViolation("吹哨报到模块未启用，不能转为吹哨。")
    if log.kind != LogKind.PROBLEM:
        raise RuleViolation(f"只有“反映问题”的服务记录可以转为吹哨（本条为“{log.get_kind_display()}”）。",
                            fields={"kind": ["须为反映问题。"]})
    from kaifaqu.whistle import services as whistle

    project = log.project
    title = (title or "").strip() or f"{project.name}：{log.content.strip().splitlines()[0][:60]}"
    description = f"招商项目“{project.name}”服务记录（{log.date:%Y-%m-%d}，{log.by_name}）反映的问题：\n{log.content}"
    with transaction.atomic():
        locked = ServiceLog.objects.select_for_update().get(pk=log.pk)
        if locked.whistle_id is not None:
            raise RuleViolation(f"该问题已转为吹哨（{locked.whistle_number}），不能重复吹哨。")
        blown = whistle.do_blow(actor, project.zone, kind=kind, title=title[:200], description=description,
                                matter=matter, lead=lead, supporters=list(supporters), park=project.park)
        ServiceLog.objects.filter(pk=log.pk).update(whistle_id=blown.pk, whistle_number=blown.number)
        log.refresh_from_db()
        audit.record(actor, "project.log_whistle", log, after={"whistle": blown.pk, "number": blown.number})
    return log
