"""Writes of the economy module (ECON-1 … 3). Callers: pages, API, the import engine, the demo loader.

Each function checks the actor's permission and the zone (404 outside the actor's zones), validates (400 naming the
field), writes and records the audit event in the same transaction. Bulk writes (the demo's register, submitted
workbooks) go through ``core.imports.bulk`` and record one audit event for the whole batch.
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from kaifaqu.core import audit, calendar, clock, crypto, notify, uscc, writes
from kaifaqu.core.access import is_system, require, scope_of
from kaifaqu.core.clock.models import OPEN_STATES, ClockUnit, DeadlineClock
from kaifaqu.core.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from kaifaqu.core.imports import bulk

from . import industry, rollup
from .models import (
    CONTACT_PURPOSE,
    PERIODS,
    Enterprise,
    ExternalRanking,
    Indicator,
    IndicatorValue,
    Status,
    Submission,
    SubmissionTask,
    TaskState,
)

ENTERPRISE_FIELDS = {"name", "uscc", "park", "industry_code", "status", "above_size", "above_size_year", "employees",
                     "land_mu", "contact_name", "contact_phone", "registered_on"}
INDICATOR_FIELDS = {"code", "name", "unit", "period_kind", "cumulative", "key", "sort"}
RANKING_FIELDS = {"year", "period", "scope", "rank", "source"}
CLOCK_KIND = "economy.submission"
URGE_KIND = "economy.submission_urge"


def _in_scope(actor, zone_id, perm):
    scope = require(actor, perm)
    if not is_system(actor) and zone_id not in scope.zone_ids:
        raise NotFound("未找到该开发区，或您无权查看。")
    return scope


def _only(fields: dict, allowed: set) -> dict:
    unknown = set(fields) - allowed
    if unknown:
        raise InvalidInput("包含不可修改的字段：" + "、".join(sorted(unknown)),
                           fields={k: ["不支持该字段。"] for k in sorted(unknown)})
    return fields


# The register ----------------------------------------------------------------------------------------------------

def enterprise_errors(zone_id, fields: dict) -> dict:
    """Field errors of an enterprise's values (also normalises the credit code and industry code in place)."""
    errors = {}
    if "uscc" in fields:
        fields["uscc"] = uscc.normalise(fields["uscc"])
        message = uscc.error(fields["uscc"])
        if message:
            errors["uscc"] = [message]
    if "industry_code" in fields:
        fields["industry_code"] = industry.normalise(fields["industry_code"])
        if industry.error(fields["industry_code"]):
            errors["industry_code"] = [industry.UNKNOWN]
    park = fields.get("park")
    if park is not None and park.zone_id != zone_id:
        errors["park"] = ["必须属于同一开发区。"]
    for name in ("employees", "land_mu"):
        value = fields.get(name)
        if value is not None and value < 0:
            errors[name] = ["不能为负数。"]
    return errors


def _above_size_rule(fields):
    if fields.get("above_size") and not fields.get("above_size_year"):
        raise RuleViolation("规上企业请填写纳入规上年度。", fields={"above_size_year": ["规上企业请填写纳入规上年度。"]})


def _seal_contact(fields: dict):
    if "contact_phone" in fields:
        phone = (fields.pop("contact_phone") or "").strip()
        fields["contact_phone_sealed"] = crypto.seal(phone.encode(), purpose=CONTACT_PURPOSE) if phone else ""


def _contacts_allowed(actor, fields):
    if is_system(actor):
        return
    if {"contact_name", "contact_phone"} & {k for k, v in fields.items() if v not in (None, "")} and \
            not scope_of(actor).has("economy.view_contacts"):
        raise Forbidden("您没有维护企业联系人的权限。", fields={"contact_phone": ["无权维护。"]})


def do_create_enterprise(actor, zone, *, name, uscc: str, industry_code: str, **fields) -> Enterprise:
    _in_scope(actor, zone.pk, "economy.change")
    _only(fields, ENTERPRISE_FIELDS)
    _contacts_allowed(actor, fields)
    fields.update(uscc=uscc, industry_code=industry_code)
    fields.setdefault("above_size_year", None)
    errors = enterprise_errors(zone.pk, fields)
    if errors:
        raise InvalidInput("提交的数据有误，请检查。", fields=errors)
    _above_size_rule(fields)
    if Enterprise.objects.filter(zone=zone, uscc=fields["uscc"]).exists():
        raise Conflict("该统一社会信用代码已登记。", fields={"uscc": ["该统一社会信用代码已登记。"]})
    _seal_contact(fields)
    return writes.create(actor, Enterprise(zone=zone, name=name, **fields), "enterprise.create")


def do_update_enterprise(actor, enterprise, *, version=None, **changes) -> Enterprise:
    _in_scope(actor, enterprise.zone_id, "economy.change")
    _only(changes, ENTERPRISE_FIELDS)
    _contacts_allowed(actor, changes)
    check = dict(changes)
    if check.get("above_size") and "above_size_year" not in check:
        check["above_size_year"] = enterprise.above_size_year
    errors = enterprise_errors(enterprise.zone_id, check)
    if errors:
        raise InvalidInput("提交的数据有误，请检查。", fields=errors)
    if "above_size" in check or "above_size_year" in check:
        _above_size_rule({"above_size": check.get("above_size", enterprise.above_size),
                          "above_size_year": check.get("above_size_year", enterprise.above_size_year)})
    changes.update({k: check[k] for k in ("uscc", "industry_code") if k in check})
    if "uscc" in changes and Enterprise.objects.filter(zone_id=enterprise.zone_id, uscc=changes["uscc"]) \
            .exclude(pk=enterprise.pk).exists():
        raise Conflict("该统一社会信用代码已登记。", fields={"uscc": ["该统一社会信用代码已登记。"]})
    _seal_contact(changes)
    moved = "park" in changes and getattr(changes["park"], "pk", changes["park"]) != enterprise.park_id
    with transaction.atomic():
        updated = writes.update(actor, enterprise, changes, "enterprise.update", version=version)
        if moved:  # its values now add to another park's totals
            rollup.refresh_zone(enterprise.zone_id)
    return updated


def do_bulk_register(actor, zone, rows: list[dict]) -> int:
    """Many enterprises at once (the demo, a migration from a statistics system): every row checked first (an
    error names its row and field, nothing written), then one multi-row insert and one audit event."""
    _in_scope(actor, zone.pk, "economy.change")
    errors, seen = {}, {}
    for number, row in enumerate(rows, start=1):
        _only(row, ENTERPRISE_FIELDS)
        row.setdefault("above_size_year", None)
        found = enterprise_errors(zone.pk, row)
        if row.get("above_size") and not row.get("above_size_year"):
            found["above_size_year"] = ["规上企业请填写纳入规上年度。"]
        if row["uscc"] in seen:
            found["uscc"] = [f"与第 {seen[row['uscc']]} 行重复。"]
        seen.setdefault(row["uscc"], number)
        for field, messages in found.items():
            errors[f"{number}.{field}"] = messages
    if errors:
        raise InvalidInput("有数据错误，未登记任何企业。", fields=errors)
    columns = ["zone_id", "name", "uscc", "park_id", "industry_code", "status", "above_size", "above_size_year",
               "employees", "land_mu", "contact_name", "contact_phone_sealed", "registered_on", "version"]
    values = []
    for row in rows:
        _seal_contact(row)
        park = row.get("park")
        values.append((zone.pk, row["name"], row["uscc"], park.pk if park else None, row["industry_code"],
                       row.get("status", Status.PRODUCING), bool(row.get("above_size")), row.get("above_size_year"),
                       int(row.get("employees") or 0), Decimal(row.get("land_mu") or 0), row.get("contact_name", ""),
                       row.get("contact_phone_sealed", ""), row.get("registered_on"), 1))
    with transaction.atomic():
        if Enterprise.objects.filter(zone=zone, uscc__in=list(seen)).exists():
            raise Conflict("有统一社会信用代码已登记，未登记任何企业。")
        bulk.insert_rows(Enterprise, columns, values)
        audit.record(actor, "enterprise.import", None, zone_id=zone.pk, object_type="economy.enterprise",
                     object_label=f"批量登记企业 {len(values)} 家",
                     after={"created": len(values), "uscc": list(seen)[:bulk.AUDIT_DETAIL_ROWS]})
    return len(values)


# Indicators ------------------------------------------------------------------------------------------------------

def do_create_indicator(actor, zone, **fields) -> Indicator:
    _in_scope(actor, zone.pk, "economy.manage")
    _only(fields, INDICATOR_FIELDS)
    if Indicator.objects.filter(zone=zone, code=fields.get("code")).exists():
        raise Conflict("指标代码已被使用。", fields={"code": ["指标代码已被使用。"]})
    return writes.create(actor, Indicator(zone=zone, **fields), "indicator.create")


def do_update_indicator(actor, indicator, *, version=None, **changes) -> Indicator:
    _in_scope(actor, indicator.zone_id, "economy.manage")
    _only(changes, INDICATOR_FIELDS)
    if ("period_kind" in changes or "cumulative" in changes) and indicator.values.exists():
        raise RuleViolation("该指标已有数据，不能修改报告期或累计方式。")
    if "code" in changes and Indicator.objects.filter(zone_id=indicator.zone_id, code=changes["code"]) \
            .exclude(pk=indicator.pk).exists():
        raise Conflict("指标代码已被使用。", fields={"code": ["指标代码已被使用。"]})
    return writes.update(actor, indicator, changes, "indicator.update", version=version)


def _check_period(indicator, year, period, field="period"):
    if not 1 <= int(period) <= PERIODS[indicator.period_kind]:
        message = f"{indicator.get_period_kind_display()}指标的期别应为 1–{PERIODS[indicator.period_kind]}。"
        raise RuleViolation(message, fields={field: [message]})


def do_bulk_values(actor, indicator, rows) -> int:
    """Values of one indicator, ``(enterprise_id, year, period, value)`` each (the demo's history; a statistics
    office's file already checked): one multi-row insert, one audit event."""
    _in_scope(actor, indicator.zone_id, "economy.manage")
    rows = list(rows)
    ids = set(Enterprise.objects.filter(zone_id=indicator.zone_id).values_list("pk", flat=True))
    limit = PERIODS[indicator.period_kind]
    bad = [i for i, (e, _y, p, v) in enumerate(rows, start=1) if e not in ids or not 1 <= p <= limit or v is None]
    if bad:
        raise InvalidInput(f"第 {bad[0]} 行的企业、期别或数值无效，未写入任何数据。")
    try:
        with transaction.atomic():
            bulk.insert_rows(IndicatorValue, ["zone_id", "indicator_id", "enterprise_id", "year", "period", "value"],
                             [(indicator.zone_id, indicator.pk, e, y, p, v) for e, y, p, v in rows])
            rollup.refresh([indicator.pk], {y for _e, y, _p, _v in rows})
            audit.record(actor, "indicator_value.import", indicator, after={"created": len(rows)})
    except IntegrityError as exc:
        raise Conflict("有重复的指标数值（同一企业同一期别），未写入任何数据。") from exc
    return len(rows)


def do_record_ranking(actor, indicator, **fields) -> ExternalRanking:
    _in_scope(actor, indicator.zone_id, "economy.manage")
    _only(fields, RANKING_FIELDS)
    _check_period(indicator, fields.get("year"), fields.get("period", 1))
    return writes.create(actor, ExternalRanking(zone_id=indicator.zone_id, indicator=indicator, **fields),
                         "ranking.create")


# Submission tasks ------------------------------------------------------------------------------------------------

def do_issue_task(actor, indicator, *, org, year: int, period: int, workdays: int, issued_on=None,
                  note: str = "") -> SubmissionTask:
    """The zone asks ``org`` for the indicator's values of one period within ``workdays`` working days."""
    _in_scope(actor, indicator.zone_id, "economy.manage")
    if org.zone_id != indicator.zone_id:
        raise InvalidInput("报送单位必须属于同一开发区。", fields={"org": ["必须属于同一开发区。"]})
    _check_period(indicator, year, period)
    if not 1 <= int(workdays) <= 60:
        raise InvalidInput("报送时限应为 1–60 个工作日。", fields={"workdays": ["应为 1–60 个工作日。"]})
    issued_on = issued_on or timezone.localdate()
    if issued_on > timezone.localdate():
        raise RuleViolation("下达日期不能晚于今天。", fields={"issued_on": ["下达日期不能晚于今天。"]})
    if SubmissionTask.objects.filter(indicator=indicator, org=org, year=year, period=period).exists():
        raise Conflict("已向该单位下达过这一期的报送任务。", fields={"period": ["该期任务已存在。"]})
    due_on = calendar.add_workdays(issued_on, int(workdays), indicator.zone_id)
    task = SubmissionTask(zone_id=indicator.zone_id, indicator=indicator, org=org, year=year, period=period,
                          issued_on=issued_on, workdays=workdays, due_on=due_on, note=note)
    started = timezone.make_aware(datetime.datetime.combine(issued_on, datetime.time(9)))

    def start_clock(obj):
        clock.start(actor, obj, kind=CLOCK_KIND, unit=ClockUnit.WORKDAYS, limit=int(workdays),
                    started_at=min(started, timezone.now()))
        notify.send(URGE_KIND, f"报送任务：{indicator.name} {obj.period_label}", orgs=[org],
                    body=f"请于 {due_on:%Y-%m-%d} 前报送。", obj=obj, url=obj.get_absolute_url())

    return writes.create(actor, task, "submission_task.create", after_save=start_clock)


def _open_clocks(task):
    from django.contrib.contenttypes.models import ContentType

    return DeadlineClock.objects.filter(content_type=ContentType.objects.get_for_model(SubmissionTask),
                                        object_id=str(task.pk), kind=CLOCK_KIND, state__in=OPEN_STATES)


def do_submit_values(actor, zone_id, plan, progress=None) -> None:
    """The bulk service behind a department's workbook (core.imports, inside its one transaction). The plan is
    already checked: credit codes in the register, numbers, no duplicates, every row's period within one of the
    department's tasks, and sorted against the stored values of the periods the file holds (``importers``).

    The file replaces each of those periods: new values are inserted, changed ones replace the stored value, and
    the stored values of enterprises absent from the file are deleted; changes and removals are in the audit event
    (before and after, a removal's after being none). Each task touched is marked submitted (late when first
    submitted after its due date) with a submission record of its new, changed and removed counts; the roll-up of
    the periods is refreshed."""
    _in_scope(actor, zone_id, "economy.submit")
    at = {f: plan.fields.index(f) for f in ("indicator_id", "year", "period")}
    touched = {}

    def count(key, what):
        counts = touched.setdefault(key, {"created": 0, "changed": 0, "removed": 0})
        counts[what] += 1

    for row in plan.new:
        count(tuple(row.cells[at[f]] for f in ("indicator_id", "year", "period")), "created")
    for row in plan.changed:
        count(tuple(row.cells[at[f]] for f in ("indicator_id", "year", "period")), "changed")
    removed = list(plan.removed)
    for _pk, _enterprise, indicator_id, year, period, _old in removed:
        count((indicator_id, year, period), "removed")
    created, changed = bulk.apply_plan(IndicatorValue, plan, zone_id=zone_id, key="enterprise_id", progress=progress)
    if removed:
        IndicatorValue.objects.filter(zone_id=zone_id, pk__in=[r[0] for r in removed]).delete()
        changed = changed + [(e, {"enterprise_id": e, "indicator_id": i, "year": y, "period": p, "value": old},
                              {"enterprise_id": e, "indicator_id": i, "year": y, "period": p, "value": None})
                             for _pk, e, i, y, p, old in removed[:bulk.AUDIT_DETAIL_ROWS]]
    rollup.refresh({k[0] for k in touched}, {k[1] for k in touched})
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    org_id = getattr(actor, "org_id", None)
    tasks = SubmissionTask.objects.select_for_update().filter(zone_id=zone_id)
    if org_id is not None:
        tasks = tasks.filter(org_id=org_id)
    for task in tasks.filter(indicator_id__in={k[0] for k in touched}).select_related("indicator"):
        counts = touched.get((task.indicator_id, task.year, task.period))
        if counts is None:
            continue
        late = timezone.localdate(now) > task.due_on
        first = task.state == TaskState.OPEN
        Submission.objects.create(zone_id=zone_id, task=task, submitted_at=now, by=user,
                                  by_name=(user.get_full_name() or user.get_username()) if user else "",
                                  file_name=(plan.source or {}).get("file", "")[:300], late=late, **counts)
        before = audit.snapshot(task)
        SubmissionTask.objects.filter(pk=task.pk).update(
            state=TaskState.SUBMITTED, submitted_at=now, late=task.late or (late and first), version=task.version + 1)
        task.refresh_from_db()
        b, a = audit.diff(before, audit.snapshot(task))
        audit.record(actor, "submission_task.submit" if first else "submission_task.resubmit", task, before=b,
                     after={**(a or {}), **counts})
        for running in _open_clocks(task):
            clock.finish(actor, running, at=now)
    bulk.record_import(actor, "indicator_value.import", zone_id, plan, created, changed)


def remind(clock_row, step):
    task = SubmissionTask.objects.filter(pk=clock_row.object_id).select_related("indicator", "org").first()
    if task is not None and task.state == TaskState.OPEN:
        notify.send(URGE_KIND, f"报送催办：{task.indicator.name} {task.period_label}", orgs=[task.org],
                    body=f"截止日期 {task.due_on:%Y-%m-%d}，请按时报送。", obj=task, url=task.get_absolute_url())


def clock_recipients(clock_row, owner):
    """Who hears of a submission task's warning and overdue: the department it is addressed to."""
    return (), ([owner.org] if owner is not None else [])
