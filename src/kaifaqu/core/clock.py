"""Deadline clocks: one mechanism for every time limit in the platform (see docs/deadlines.md).

A clock counts working days (due at 23:59:59 Asia/Shanghai of its last working day, on the official calendar with
the zone's overrides), calendar days (due at 23:59:59 of the last day) or hours (wall clock). Pauses push the due
time out by the working days / days / hours they cover; extensions add to the limit. ``due_at`` and ``warn_at`` are
recomputed on every pause, resume and extension. `kaifaqu tick` claims clocks that entered the warning window or
went overdue with one conditional UPDATE … RETURNING, so two ticks never act on the same clock twice, and calls the
handlers the owning module registered for that kind of clock.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from . import audit, tick
from . import calendar as cal
from .clock_models import OPEN_STATES, ClockExtension, ClockPause, ClockState, ClockUnit, DeadlineClock, PauseReason
from .errors import InvalidInput, RuleViolation

log = logging.getLogger(__name__)

MAX_LIMIT = {ClockUnit.WORKDAYS: 2500, ClockUnit.DAYS: 3660, ClockUnit.HOURS: 24 * 366}
LEGAL_BASIS = {
    PauseReason.SUPPLEMENT: "《行政许可法》第三十二条：申请材料不齐全或者不符合法定形式的，一次告知申请人需要补正的全部内容。",
    PauseReason.HEARING: "《行政许可法》第四十五条：听证所需时间不计算在规定的期限内。",
    PauseReason.TESTING: "《行政许可法》第四十五条：检验、检测、检疫所需时间不计算在规定的期限内。",
    PauseReason.APPRAISAL: "《行政许可法》第四十五条：鉴定所需时间不计算在规定的期限内。",
    PauseReason.EXPERT_REVIEW: "《行政许可法》第四十五条：专家评审所需时间不计算在规定的期限内。",
    PauseReason.PUBLICITY: "依法需要公示的，公示期间不计算在规定的期限内。",
    PauseReason.TENDER: "《行政许可法》第四十五条：招标、拍卖所需时间不计算在规定的期限内。",
    PauseReason.OTHER: "",
}


def warn_workdays():
    return int(getattr(settings, "CLOCK_WARN_WORKDAYS", 2))


def warn_hours():
    return int(getattr(settings, "CLOCK_WARN_HOURS", 48))


HANDLERS: dict[str, dict] = {}


def register_handlers(kind: str, *, warning=None, overdue=None) -> None:
    """A module says what happens when its clocks enter the warning window or go overdue: ``fn(clock)``."""
    HANDLERS[kind] = {"warning": warning, "overdue": overdue}


# Computation ---------------------------------------------------------------------------------------------------

def _local_date(dt: datetime.datetime) -> datetime.date:
    return timezone.localtime(dt).date()


def _at(d: datetime.date, t: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(d, t, tzinfo=timezone.get_default_timezone())


END_OF_DAY = datetime.time(23, 59, 59)


def _previous_workday(d: datetime.date, zone_id) -> datetime.date:
    d = datetime.date.fromordinal(d.toordinal() - 1)
    while not cal.is_workday(d, zone_id=zone_id):
        d = datetime.date.fromordinal(d.toordinal() - 1)
    return d


@dataclass(frozen=True)
class Due:
    due_at: datetime.datetime | None
    warn_at: datetime.datetime | None
    paused: float  # working days / days / hours taken by closed pauses


def compute(unit, limit, started_at, pauses, extension, zone_id=None) -> Due:
    """``pauses``: (start, end-or-None) pairs. An open pause leaves the due time unknown (None)."""
    if any(end is None for _, end in pauses):
        closed = [(s, e) for s, e in pauses if e is not None]
        return Due(None, None, compute(unit, limit, started_at, closed, extension, zone_id).paused)
    total = limit + extension
    if unit == ClockUnit.HOURS:
        paused = sum(((e - s) for s, e in pauses), datetime.timedelta())
        due = started_at + datetime.timedelta(hours=total) + paused
        warn = max(started_at, due - datetime.timedelta(hours=warn_hours()))
        return Due(due, warn, paused.total_seconds() / 3600)
    d0 = _local_date(started_at)
    if unit == ClockUnit.DAYS:
        paused_days = sum((_local_date(e) - _local_date(s)).days for s, e in pauses)
        due_date = datetime.date.fromordinal(d0.toordinal() + total + paused_days)
        warn_date = datetime.date.fromordinal(due_date.toordinal() - (warn_workdays() - 1))
        warn = max(started_at, _at(warn_date, datetime.time.min))
        return Due(_at(due_date, END_OF_DAY), warn, paused_days)
    paused_days = sum(cal.workdays_between(_local_date(s), _local_date(e), zone_id=zone_id) for s, e in pauses)
    due_date = cal.add_workdays(d0, total + paused_days, zone_id=zone_id)
    warn_date = due_date
    for _ in range(warn_workdays() - 1):
        warn_date = _previous_workday(warn_date, zone_id)
    warn = max(started_at, _at(warn_date, datetime.time.min))
    return Due(_at(due_date, END_OF_DAY), warn, paused_days)


def _recompute(clock: DeadlineClock) -> Due:
    pauses = list(clock.pauses.values_list("started_at", "ended_at"))
    extension = sum(clock.extensions.values_list("amount", flat=True))
    due = compute(clock.unit, clock.limit, clock.started_at, pauses, extension, clock.zone_id)
    clock.due_at, clock.warn_at = due.due_at, due.warn_at
    return due


def _snapshot(clock):
    return audit.snapshot(clock, fields=("state", "due_at", "warn_at", "limit"))


# Services ------------------------------------------------------------------------------------------------------

def _validate_limit(unit, limit):
    if unit not in ClockUnit.values:
        raise InvalidInput("时限单位无效。", fields={"unit": ["时限单位须为 workdays、days 或 hours。"]})
    if not isinstance(limit, int) or limit <= 0 or limit > MAX_LIMIT[unit]:
        raise InvalidInput(f"时限须为 1 到 {MAX_LIMIT[unit]} 之间的整数。", fields={"limit": ["时限无效。"]})


def start(actor, owner, *, kind: str, unit: str, limit: int, started_at=None) -> DeadlineClock:
    """Called by a module's service inside its transaction when a process step with a time limit begins."""
    _validate_limit(unit, limit)
    clock = DeadlineClock(zone_id=getattr(owner, "zone_id", None), content_type=ContentType.objects.get_for_model(owner),
                          object_id=str(owner.pk), kind=kind, unit=unit, limit=limit,
                          started_at=started_at or timezone.now())
    due = compute(unit, limit, clock.started_at, [], 0, clock.zone_id)
    clock.due_at, clock.warn_at = due.due_at, due.warn_at
    with transaction.atomic():
        clock.save()
        audit.record(actor, "clock.start", owner, after={"clock": clock.pk, "kind": kind, "unit": unit,
                                                         "limit": limit, "due_at": clock.due_at})
    return clock


def _locked(clock):
    return DeadlineClock.objects.select_for_update().get(pk=clock.pk)


def pause_notice(owner_label: str, clock, pause_row, *, issuer: str = "") -> bytes:
    """The written notice to the applicant that the time limit is suspended (行政许可法 §45), as .docx."""
    from .documents import OfficialDocument, render

    reason = PauseReason(pause_row.reason).label + (f"（{pause_row.reason_text}）" if pause_row.reason_text else "")
    started = timezone.localtime(pause_row.started_at)
    body = [
        f"你方办理的“{owner_label}”事项，因{reason}，自{started:%Y年%m月%d日%H时%M分}起暂停计算办理时限。"
        + (f"预计于{pause_row.expected_end:%Y年%m月%d日}恢复计时。" if pause_row.expected_end else "")
        + "暂停期间不计入法定及承诺办理时限，恢复后继续计时。",
    ]
    if LEGAL_BASIS.get(pause_row.reason):
        body.append(f"依据：{LEGAL_BASIS[pause_row.reason]}")
    body.append("特此告知。")
    return render(OfficialDocument(title="暂停计时告知书", body=body, signature=issuer or "经办单位",
                                   date=started.date()))


def pause(actor, clock, *, reason: str, reason_text: str = "", expected_end=None, at=None,
          notice_issuer: str = "") -> ClockPause:
    """Stops the clock. A written notice (.docx) is generated and attached to the owning object."""
    if reason not in PauseReason.values:
        raise InvalidInput("请选择暂停计时的原因。", fields={"reason": ["请选择暂停计时的原因。"]})
    if reason == PauseReason.OTHER and not reason_text.strip():
        raise InvalidInput("原因为“其他”时须填写说明。", fields={"reason_text": ["请填写说明。"]})
    at = at or timezone.now()
    with transaction.atomic():
        clock = _locked(clock)
        if clock.state == ClockState.PAUSED:
            raise RuleViolation("该时限已处于暂停状态。")
        if clock.state not in OPEN_STATES:
            raise RuleViolation("该时限已完成，不能暂停。")
        if at < clock.started_at:
            raise InvalidInput("暂停时间不能早于起算时间。", fields={"at": ["暂停时间不能早于起算时间。"]})
        before = _snapshot(clock)
        row = ClockPause.objects.create(zone_id=clock.zone_id, clock=clock, started_at=at, reason=reason,
                                        reason_text=reason_text, expected_end=expected_end,
                                        by=actor if getattr(actor, "is_authenticated", False) else None)
        clock.state = ClockState.PAUSED
        _recompute(clock)
        clock.version += 1
        clock.save()
        owner = clock.content_type.get_object_for_this_type(pk=clock.object_id)
        from django.core.files.uploadedfile import SimpleUploadedFile

        from . import files
        from .access import SYSTEM

        content = pause_notice(str(owner), clock, row, issuer=notice_issuer)
        row.notice = files.attach(SYSTEM, owner, SimpleUploadedFile(f"暂停计时告知书-{row.pk}.docx", content),
                                  note="暂停计时书面告知")
        row.save(update_fields=["notice"])
        audit.record(actor, "clock.pause", owner,
                     before=before, after=_snapshot(clock), reason=f"{PauseReason(reason).label} {reason_text}".strip(),
                     zone_id=clock.zone_id)
    return row


def resume(actor, clock, *, at=None) -> DeadlineClock:
    at = at or timezone.now()
    with transaction.atomic():
        clock = _locked(clock)
        if clock.state != ClockState.PAUSED:
            raise RuleViolation("该时限未暂停，无需恢复。")
        open_pause = clock.pauses.get(ended_at__isnull=True)
        if at < open_pause.started_at:
            raise InvalidInput("恢复时间不能早于暂停时间。", fields={"at": ["恢复时间不能早于暂停时间。"]})
        before = _snapshot(clock)
        ClockPause.objects.filter(pk=open_pause.pk).update(ended_at=at)
        _recompute(clock)
        clock.state = ClockState.OVERDUE if clock.overdue_at and clock.due_at <= at else ClockState.RUNNING
        clock.version += 1
        clock.save()
        audit.record(actor, "clock.resume", clock.content_type.get_object_for_this_type(pk=clock.object_id),
                     before=before, after=_snapshot(clock), zone_id=clock.zone_id)
    return clock


def extend(actor, clock, *, amount: int, reason: str, requested_by=None, at=None) -> ClockExtension:
    """An extension is asked before expiry and approved by ``actor``."""
    at = at or timezone.now()
    if not isinstance(amount, int) or amount <= 0 or amount > MAX_LIMIT[clock.unit]:
        raise InvalidInput("延长量须为正整数。", fields={"amount": ["延长量须为正整数。"]})
    if not reason.strip():
        raise InvalidInput("请填写延期理由。", fields={"reason": ["请填写延期理由。"]})
    with transaction.atomic():
        clock = _locked(clock)
        if clock.state not in (ClockState.RUNNING, ClockState.PAUSED):
            raise RuleViolation("该时限已完成或已逾期，不能延期（延期须在到期前申请）。")
        if clock.due_at is not None and at > clock.due_at:
            raise RuleViolation("已超过到期时间，不能延期（延期须在到期前申请）。")
        before = _snapshot(clock)
        row = ClockExtension.objects.create(
            zone_id=clock.zone_id, clock=clock, amount=amount, reason=reason, created_at=at,
            requested_by=requested_by, approved_by=actor if getattr(actor, "is_authenticated", False) else None)
        _recompute(clock)
        clock.warned_at = None if clock.warn_at and clock.warn_at > at else clock.warned_at
        clock.version += 1
        clock.save()
        audit.record(actor, "clock.extend", clock.content_type.get_object_for_this_type(pk=clock.object_id),
                     before=before, after=_snapshot(clock), reason=reason, zone_id=clock.zone_id)
    return row


def finish(actor, clock, *, at=None) -> DeadlineClock:
    """The step was done: met when before the due time, met late otherwise. A paused clock is resumed first."""
    at = at or timezone.now()
    with transaction.atomic():
        clock = _locked(clock)
        if clock.state not in OPEN_STATES:
            raise RuleViolation("该时限已完成。")
        before = _snapshot(clock)
        if clock.state == ClockState.PAUSED:
            ClockPause.objects.filter(clock=clock, ended_at__isnull=True).update(ended_at=at)
            _recompute(clock)
        clock.state = ClockState.MET if at <= clock.due_at else ClockState.MET_LATE
        clock.finished_at = at
        clock.version += 1
        clock.save()
        audit.record(actor, "clock.finish", clock.content_type.get_object_for_this_type(pk=clock.object_id),
                     before=before, after=_snapshot(clock), zone_id=clock.zone_id)
    return clock


def elapsed(clock, now=None) -> float:
    """Time used so far in the clock's unit, pauses excluded."""
    now = now or timezone.now()
    end = clock.finished_at or now
    pauses = [(s, e or end) for s, e in clock.pauses.values_list("started_at", "ended_at")]
    if clock.unit == ClockUnit.HOURS:
        paused = sum(((e - s) for s, e in pauses), datetime.timedelta())
        return (end - clock.started_at - paused).total_seconds() / 3600
    d0, d1 = _local_date(clock.started_at), _local_date(end)
    if clock.unit == ClockUnit.DAYS:
        return (d1 - d0).days - sum((_local_date(e) - _local_date(s)).days for s, e in pauses)
    return cal.workdays_between(d0, d1, zone_id=clock.zone_id) - sum(
        cal.workdays_between(_local_date(s), _local_date(e), zone_id=clock.zone_id) for s, e in pauses)


# Tick ----------------------------------------------------------------------------------------------------------

BATCH = 1000


def _claim(sql_set, sql_where, order, params):
    """UPDATE … WHERE id IN (due batch) AND <condition still true> RETURNING id — atomic on both databases.
    The batch is ordered by the column of the partial index, so an idle tick reads only the index, not the table."""
    params = [connection.ops.adapt_datetimefield_value(p) for p in params]
    table = DeadlineClock._meta.db_table
    sql = (f"UPDATE {table} SET {sql_set} WHERE id IN (SELECT id FROM {table} WHERE {sql_where} "  # noqa: S608
           f"ORDER BY {order} LIMIT {BATCH}) AND {sql_where} RETURNING id")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _fire(step, ids):
    fired = 0
    for clock in DeadlineClock.objects.filter(pk__in=ids).select_related("content_type"):
        handler = HANDLERS.get(clock.kind, {}).get(step)
        if handler is None:
            continue
        try:
            with transaction.atomic():
                handler(clock)
            fired += 1
        except Exception:  # a handler's failure is logged; the clock's state change stands
            log.exception("clock %s handler %s failed", clock.pk, step)
    return fired


def run_due(now) -> dict:
    """Tick job: the warning window first, then overdue; each clock is claimed exactly once per step."""
    counts = {"warned": 0, "overdue": 0, "handled": 0}
    while True:
        with transaction.atomic():
            ids = _claim("warned_at = %s", "state = 'running' AND warned_at IS NULL AND warn_at <= %s", "warn_at",
                         [now, now, now])
        if not ids:
            break
        counts["warned"] += len(ids)
        counts["handled"] += _fire("warning", ids)
    while True:
        with transaction.atomic():
            ids = _claim("state = 'overdue', overdue_at = %s", "state = 'running' AND due_at <= %s", "due_at",
                         [now, now, now])
        if not ids:
            break
        counts["overdue"] += len(ids)
        counts["handled"] += _fire("overdue", ids)
    return counts


tick.register_job("clocks", run_due)
