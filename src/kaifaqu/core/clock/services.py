"""Deadline clocks: one mechanism for every time limit in the platform (see docs/deadlines.md).

A clock counts working days (due at 23:59:59 Asia/Shanghai of its last working day, on the official calendar with
the zone's overrides), calendar days (due at 23:59:59 of the last day), working hours (the zone's working periods on
working days, due at the exact minute) or calendar hours (wall clock). Pauses push the due time out by the working
days / days / working time / hours they cover; extensions add to the limit. ``due_at`` and ``warn_at`` are
recomputed on every pause, resume and extension. `kaifaqu tick` claims clocks that entered the warning window or
went overdue with one conditional UPDATE … RETURNING, so two ticks never act on the same clock twice, and calls the
handlers the owning module registered for that kind of clock, and notifies whom the module names. An escalation
ladder per kind (remind before expiry, notice and report after) fires each step once per clock: ``next_step_at``
(partially indexed) says when a clock next needs the ladder, and the unique (clock, step) row is the claim.
"""


import datetime
import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from kaifaqu.core import audit
from kaifaqu.core import calendar as cal
from kaifaqu.core.clock.models import (
    OPEN_STATES,
    ClockExtension,
    ClockPause,
    ClockState,
    ClockUnit,
    DeadlineClock,
    PauseReason,
)
from kaifaqu.core.errors import InvalidInput, RuleViolation

from .compute import BATCH, MAX_LIMIT, UNITS_TEXT, Due, _at, _counted, _local_date, _pause_spans, compute
from .ladder import _known, _snapshot, kind_label, next_step_at
from .notice import pause_notice

log = logging.getLogger(__name__)


def _recompute(clock: DeadlineClock, now) -> Due:
    pauses = list(clock.pauses.values_list("started_at", "ended_at"))
    extension = sum(clock.extensions.values_list("amount", flat=True))
    due = compute(clock.unit, clock.limit, clock.started_at, pauses, extension, clock.zone_id)
    clock.due_at, clock.warn_at, clock.provisional = due.due_at, due.warn_at, due.provisional
    clock.pause_count, clock.paused_total = len(pauses), round(due.paused, 4)
    clock.next_step_at = next_step_at(clock, set(clock.escalations.values_list("step", flat=True)), now)
    return due


EARLIEST = datetime.datetime(1990, 1, 1, tzinfo=datetime.UTC)
LATEST = datetime.datetime(2100, 12, 31, 16, tzinfo=datetime.UTC)  # 2101-01-01 00:00 Asia/Shanghai


def check_moment(value: datetime.datetime, field: str) -> datetime.datetime:
    """A start or pause time given by a person (API, command line): an aware datetime between 1990 and 2100, the
    calendar's range; beyond it the arithmetic of a limit would overflow (year 9999 + 48 hours) instead of answering."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    if not EARLIEST <= value < LATEST:
        message = "时间须在 1990 年至 2100 年之间。"
        raise InvalidInput(message, fields={field: [message]})
    return value


FUTURE_TOLERANCE = datetime.timedelta(minutes=5)  # clocks of other machines run a little ahead


def _not_ahead(at, what: str):
    """A pause, resume, extension or completion is recorded when it happens, never in advance."""
    if at > timezone.now() + FUTURE_TOLERANCE:
        message = f"{what}时间不能晚于当前时间。"
        raise InvalidInput(message, fields={"at": [message]})


def _validate_limit(unit, limit):
    if unit not in ClockUnit.values:
        raise InvalidInput("时限单位无效。", fields={"unit": [f"时限单位须为 {UNITS_TEXT}。"]})
    if type(limit) is not int or limit <= 0 or limit > MAX_LIMIT[unit]:  # bool is an int too
        raise InvalidInput(f"时限须为 1 到 {MAX_LIMIT[unit]} 之间的整数。", fields={"limit": ["时限无效。"]})


def start(actor, owner, *, kind: str, unit: str, limit: int, started_at=None) -> DeadlineClock:
    """Called by a module's service inside its transaction when a process step with a time limit begins. ``kind``
    must have been registered (``register_kind``)."""
    _known(kind)
    _validate_limit(unit, limit)
    clock = DeadlineClock(zone_id=getattr(owner, "zone_id", None), content_type=ContentType.objects.get_for_model(owner),
                          object_id=str(owner.pk), kind=kind, unit=unit, limit=limit,
                          started_at=started_at or timezone.now())
    due = compute(unit, limit, clock.started_at, [], 0, clock.zone_id)
    clock.due_at, clock.warn_at, clock.provisional = due.due_at, due.warn_at, due.provisional
    clock.next_step_at = next_step_at(clock, set(), clock.started_at)
    with transaction.atomic():
        clock.save()
        audit.record(actor, "clock.start", owner, after={"clock": clock.pk, "kind": kind, "unit": unit,
                                                         "limit": limit, "due_at": clock.due_at,
                                                         "provisional": clock.provisional})
    return clock


def _rearm_warning(clock, at):
    """A warning time moved into the future (an extension, also one granted during a pause) clears ``warned_at``,
    so the new window warns again. A pause alone keeps the warning: it keeps the remaining time as it was."""
    if clock.warn_at is not None and clock.warn_at > at:
        clock.warned_at = None


def _locked(clock):
    return DeadlineClock.objects.select_for_update().get(pk=clock.pk)


def pause(actor, clock, *, reason: str, reason_text: str = "", expected_end=None, at=None,
          notice_issuer: str = "") -> ClockPause:
    """Stops the clock. A written notice (.docx) is generated and attached to the owning object."""
    if reason not in PauseReason.values:
        raise InvalidInput("请选择暂停计时的原因。", fields={"reason": ["请选择暂停计时的原因。"]})
    if reason == PauseReason.OTHER and not reason_text.strip():
        raise InvalidInput("原因为“其他”时须填写说明。", fields={"reason_text": ["请填写说明。"]})
    at = at or timezone.now()
    _not_ahead(at, "暂停")
    with transaction.atomic():
        clock = _locked(clock)
        if clock.state == ClockState.PAUSED:
            raise RuleViolation("该时限已处于暂停状态。")
        if clock.state not in OPEN_STATES:
            raise RuleViolation("该时限已完成，不能暂停。")
        if at < clock.started_at:
            raise InvalidInput("暂停时间不能早于起算时间。", fields={"at": ["暂停时间不能早于起算时间。"]})
        last_end = clock.pauses.aggregate(last=Max("ended_at"))["last"]
        if last_end is not None and at < last_end:
            message = f"暂停时间不能早于上次恢复计时的时间（{timezone.localtime(last_end):%Y-%m-%d %H:%M}）。"
            raise InvalidInput(message, fields={"at": [message]})
        before = _snapshot(clock)
        row = ClockPause.objects.create(zone_id=clock.zone_id, clock=clock, started_at=at, reason=reason,
                                        reason_text=reason_text, expected_end=expected_end,
                                        by=actor if getattr(actor, "is_authenticated", False) else None)
        clock.state = ClockState.PAUSED
        _recompute(clock, at)
        clock.version += 1
        clock.save()
        owner = clock.content_type.get_object_for_this_type(pk=clock.object_id)
        from django.core.files.uploadedfile import SimpleUploadedFile

        from kaifaqu.core import files
        from kaifaqu.core.access import SYSTEM

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
    _not_ahead(at, "恢复")
    with transaction.atomic():
        clock = _locked(clock)
        if clock.state != ClockState.PAUSED:
            raise RuleViolation("该时限未暂停，无需恢复。")
        open_pause = clock.pauses.get(ended_at__isnull=True)
        if at < open_pause.started_at:
            raise InvalidInput("恢复时间不能早于暂停时间。", fields={"at": ["恢复时间不能早于暂停时间。"]})
        before = _snapshot(clock)
        ClockPause.objects.filter(pk=open_pause.pk).update(ended_at=at)
        _recompute(clock, at)
        _rearm_warning(clock, at)  # an extension granted while paused opens a new window
        # A pause begun after expiry moves nothing (compute), so an overdue clock stays overdue and tick does not
        # report it twice; one not yet claimed is claimed by the next tick. A pause entered afterwards with a time
        # before the expiry can show it was not overdue after all: it runs again and may go overdue later.
        clock.state = ClockState.OVERDUE if clock.overdue_at and clock.due_at <= at else ClockState.RUNNING
        if clock.state == ClockState.RUNNING and clock.due_at > at:
            clock.overdue_at = None
        clock.next_step_at = next_step_at(clock, set(clock.escalations.values_list("step", flat=True)), at)
        clock.version += 1
        clock.save()
        audit.record(actor, "clock.resume", clock.content_type.get_object_for_this_type(pk=clock.object_id),
                     before=before, after=_snapshot(clock), zone_id=clock.zone_id)
    return clock


def extend(actor, clock, *, amount: int, reason: str, requested_by=None, at=None) -> ClockExtension:
    """An extension is asked before expiry and approved by ``actor``."""
    at = at or timezone.now()
    _not_ahead(at, "延期")
    if type(amount) is not int or amount <= 0 or amount > MAX_LIMIT[clock.unit]:  # bool is an int too
        raise InvalidInput("延长量须为正整数。", fields={"amount": ["延长量须为正整数。"]})
    if not reason.strip():
        raise InvalidInput("请填写延期理由。", fields={"reason": ["请填写延期理由。"]})
    with transaction.atomic():
        clock = _locked(clock)
        if clock.state not in (ClockState.RUNNING, ClockState.PAUSED):
            raise RuleViolation("该时限已完成或已逾期，不能延期（延期须在到期前申请）。")
        if clock.due_at is not None and at > clock.due_at:
            raise RuleViolation("已超过到期时间，不能延期（延期须在到期前申请）。")
        if clock.state == ClockState.PAUSED:
            # The due time is unknown while paused, but the time used stopped at the pause: the limit had run out
            # if the pause began at or after the due time the closed pauses give (compute ignores such a pause).
            paused_at = clock.pauses.get(ended_at__isnull=True).started_at
            closed = list(clock.pauses.filter(ended_at__isnull=False).values_list("started_at", "ended_at"))
            extension = sum(clock.extensions.values_list("amount", flat=True))
            if paused_at >= compute(clock.unit, clock.limit, clock.started_at, closed, extension, clock.zone_id).due_at:
                raise RuleViolation("暂停前已超过到期时间，不能延期（延期须在到期前申请）。")
        before = _snapshot(clock)
        row = ClockExtension.objects.create(
            zone_id=clock.zone_id, clock=clock, amount=amount, reason=reason, created_at=at,
            requested_by=requested_by, approved_by=actor if getattr(actor, "is_authenticated", False) else None)
        _recompute(clock, at)
        _rearm_warning(clock, at)
        clock.version += 1
        clock.save()
        audit.record(actor, "clock.extend", clock.content_type.get_object_for_this_type(pk=clock.object_id),
                     before=before, after=_snapshot(clock), reason=reason, zone_id=clock.zone_id)
    return row


def finish(actor, clock, *, at=None) -> DeadlineClock:
    """The step was done: met when before the due time, met late otherwise. A paused clock is resumed first."""
    at = at or timezone.now()
    _not_ahead(at, "完成")
    with transaction.atomic():
        clock = _locked(clock)
        if clock.state not in OPEN_STATES:
            raise RuleViolation("该时限已完成。")
        if clock.state == ClockState.PAUSED and at < clock.pauses.get(ended_at__isnull=True).started_at:
            raise InvalidInput("完成时间不能早于暂停时间。", fields={"at": ["完成时间不能早于暂停时间。"]})
        before = _snapshot(clock)
        if clock.state == ClockState.PAUSED:
            ClockPause.objects.filter(clock=clock, ended_at__isnull=True).update(ended_at=at)
            _recompute(clock, at)
        clock.state = ClockState.MET if at <= clock.due_at else ClockState.MET_LATE
        clock.finished_at = at
        clock.next_step_at = None
        clock.version += 1
        clock.save()
        audit.record(actor, "clock.finish", clock.content_type.get_object_for_this_type(pk=clock.object_id),
                     before=before, after=_snapshot(clock), zone_id=clock.zone_id)
    return clock


def recompute_open(actor, *, zone_id, units, on=None, reason: str, until=None) -> int:
    """The calendar changed (a day override on date ``on``, the days ``on``–``until`` when a year was confirmed as
    published, or working hours when ``on`` is None) for one zone, or for all when ``zone_id`` is None: every
    running or overdue clock of ``units`` that the change can reach gets its due time, warning, provisional flag and
    ladder recomputed — a local day off moves a working-day limit out, as the law counts it.
    An overdue clock whose new due time lies ahead runs again. Each moved clock (or one whose 预估 flag changed) is
    audited (``clock.recompute``). Runs inside the caller's transaction, after the calendar tables were
    invalidated. Returns how many changed."""
    now = timezone.now()
    qs = DeadlineClock.objects.filter(state__in=[ClockState.RUNNING, ClockState.OVERDUE], unit__in=list(units))
    if zone_id is not None:
        qs = qs.filter(zone_id=zone_id)
    if on is not None:
        last = until or on
        # only clocks whose counted span contains the day(s): started before their end, due after their start
        qs = qs.filter(started_at__lt=_at(datetime.date.fromordinal(last.toordinal() + 1), datetime.time.min),
                       due_at__gte=_at(on, datetime.time.min))
    moved = 0
    for clock in qs.select_for_update().select_related("content_type").order_by("id").iterator(chunk_size=BATCH):
        before = _snapshot(clock)
        old_due, old_provisional = clock.due_at, clock.provisional
        try:
            _recompute(clock, now)
        except cal.CalendarYearUnknown:  # counted on in a year not entered yet: it keeps its time until then
            continue
        if clock.due_at == old_due and clock.provisional == old_provisional:
            continue
        _rearm_warning(clock, now)
        if clock.state == ClockState.OVERDUE and clock.due_at > now:
            clock.state, clock.overdue_at = ClockState.RUNNING, None
        clock.version += 1
        clock.save()
        audit.record(actor, "clock.recompute", None, object_type=clock.content_type.model_class()._meta.label_lower,
                     object_id=clock.object_id, object_label=kind_label(clock.kind), zone_id=clock.zone_id,
                     before=before, after=_snapshot(clock), reason=reason)
        moved += 1
    return moved


def elapsed(clock, now=None) -> float:
    """Time used so far in the clock's unit, pauses excluded."""
    now = now or timezone.now()
    end = max(min(clock.finished_at, now) if clock.finished_at else now, clock.started_at)
    # The pauses that move the due time (not those begun after expiry), and of them only what had happened by
    # ``end`` (asked about an earlier moment, a later pause takes nothing off yet).
    spans = _pause_spans(clock.started_at,
                         [(s, e or end) for s, e in clock.pauses.values_list("started_at", "ended_at")])
    extension = sum(clock.extensions.values_list("amount", flat=True))
    counted = _counted(clock.unit, clock.limit + extension, clock.started_at, spans, clock.zone_id)[1]
    pauses = _pause_spans(clock.started_at, counted, end)
    if clock.unit == ClockUnit.WORKHOURS:
        used = cal.working_time_between(clock.started_at, end, clock.zone_id) - sum(
            (cal.working_time_between(s, e, clock.zone_id) for s, e in pauses), datetime.timedelta())
        return used.total_seconds() / 3600
    if clock.unit in (ClockUnit.HOURS, ClockUnit.MINUTES):
        paused = sum(((e - s) for s, e in pauses), datetime.timedelta())
        return (end - clock.started_at - paused).total_seconds() / (3600 if clock.unit == ClockUnit.HOURS else 60)
    d0, d1 = _local_date(clock.started_at), _local_date(end)
    if clock.unit == ClockUnit.DAYS:
        return (d1 - d0).days - sum((_local_date(e) - _local_date(s)).days for s, e in pauses)
    return cal.workdays_between(d0, d1, zone_id=clock.zone_id) - sum(
        cal.workdays_between(_local_date(s), _local_date(e), zone_id=clock.zone_id) for s, e in pauses)
