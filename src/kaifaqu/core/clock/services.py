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
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from kaifaqu.core import audit, notify
from kaifaqu.core import calendar as cal
from kaifaqu.core.clock.models import (
    OPEN_STATES,
    ClockEscalation,
    ClockExtension,
    ClockPause,
    ClockState,
    ClockStatus,
    ClockUnit,
    DeadlineClock,
    PauseReason,
    status_conditions,
)
from kaifaqu.core.errors import InvalidInput, RuleViolation

log = logging.getLogger(__name__)

MAX_LIMIT = {ClockUnit.WORKDAYS: 2500, ClockUnit.DAYS: 3660, ClockUnit.WORKHOURS: 8 * 2500, ClockUnit.HOURS: 24 * 366}
UNITS_TEXT = "workdays（工作日）、days（自然日）、workhours（工作小时）或 hours（自然小时）"
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


def warn_days():
    return int(getattr(settings, "CLOCK_WARN_DAYS", 2))


def warn_workhours():
    return int(getattr(settings, "CLOCK_WARN_WORKHOURS", 16))


def warn_hours():
    return int(getattr(settings, "CLOCK_WARN_HOURS", 48))


HANDLERS: dict[str, dict] = {}
KINDS: dict[str, str] = {}


def register_kind(kind: str, label: str) -> None:
    """A module names each kind of limit it starts (code → Chinese label, e.g. ``whistle.report_in`` → 报到时限).
    Starting a clock of a kind nobody registered raises, so a typo in a module fails at once, not silently."""
    if KINDS.get(kind, label) != label:
        raise ValueError(f"clock kind {kind!r} is already registered as {KINDS[kind]!r}")
    KINDS[kind] = label


def kind_label(kind: str) -> str:
    return KINDS.get(kind, kind)

notify.register_kind("clock.warning", "时限预警")
notify.register_kind("clock.overdue", "时限逾期")


def register_handlers(kind: str, *, warning=None, overdue=None, recipients=None) -> None:
    """A module says what happens when its clocks enter the warning window or go overdue: ``fn(clock)``, and who is
    notified then: ``recipients(clock, owner) -> (users, orgs)`` (a notification through core.notify, once per
    clock and event since tick claims each event once)."""
    _known(kind)
    HANDLERS[kind] = {"warning": warning, "overdue": overdue, "recipients": recipients}


def _known(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown clock kind {kind!r}: register it with core.clock.register_kind() first")


@dataclass(frozen=True)
class Step:
    """One rung of an escalation ladder: ``before`` expiry (≥ 1) or ``after`` it (≥ 0), in ``unit``.

    Day units fire at 00:00 Asia/Shanghai: ``before=N`` on the day N working days (or days) remain, counting the
    due day; ``after=N`` on the N-th working day (or day) after the due date. Hour units fire at the exact minute,
    N working hours (or hours) before or after the due time. ``do(clock, step)`` is what the module does then."""

    name: str
    before: int | None = None
    after: int | None = None
    unit: str = ClockUnit.WORKDAYS
    do: object = field(default=None, compare=False)

    def __post_init__(self):
        if (self.before is None) == (self.after is None):
            raise ValueError("a step is either before or after expiry")
        if self.unit not in ClockUnit.values:
            raise ValueError(f"unknown unit {self.unit!r}")
        if (self.before is not None and self.before < 1) or (self.after is not None and self.after < 0):
            raise ValueError("before ≥ 1, after ≥ 0")


LADDERS: dict[str, tuple[Step, ...]] = {}


def register_ladder(kind: str, steps, handlers=None) -> None:
    """A module registers the escalation ladder of one kind of limit, e.g. remind 1 working day before, a notice
    the day after expiry, a report (通报) after 5 working days overdue; ``handlers`` maps a step name to
    ``fn(clock, step)`` (or give ``Step(..., do=fn)``)."""
    _known(kind)
    handlers = handlers or {}
    names = [s.name for s in steps]
    if len(set(names)) != len(names):
        raise ValueError("step names must be unique within a ladder")
    LADDERS[kind] = tuple(Step(s.name, s.before, s.after, s.unit, handlers.get(s.name, s.do)) for s in steps)


# Computation ---------------------------------------------------------------------------------------------------

def _local_date(dt: datetime.datetime) -> datetime.date:
    # The business date is the Asia/Shanghai date (ARCHITECTURE rule 3), not that of whatever zone is active.
    return timezone.localtime(dt, timezone.get_default_timezone()).date()


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
    paused: float  # working days / days / working hours / hours taken by closed pauses
    provisional: bool = False  # the count crossed a day of a provisional year (预估)


def _pause_spans(started_at, pauses, until=None):
    """The closed ``pauses`` as the time they actually took off the clock: clipped to [started_at, until] (time
    before the start was never counted, time after ``until`` has not happened yet) and merged, so a moment covered by
    two pauses is paused once. Every count below relies on this: the units' rules count each span on its own."""
    spans = []
    for s, e in sorted((max(s, started_at), e if until is None else min(e, until)) for s, e in pauses):
        if e <= s:
            continue
        if spans and s <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], e))
        else:
            spans.append((s, e))
    return spans


def compute(unit, limit, started_at, pauses, extension, zone_id=None) -> Due:
    """``pauses``: (start, end-or-None) pairs, in any order, possibly overlapping or reaching before the start (the
    command line and the API pass what they are given). An open pause leaves the due time unknown (None)."""
    if any(end is None for _, end in pauses):
        closed = [(s, e) for s, e in pauses if e is not None]
        return Due(None, None, compute(unit, limit, started_at, closed, extension, zone_id).paused)
    due = _counted(unit, limit + extension, started_at, _pause_spans(started_at, pauses), zone_id)[0]
    if unit in (ClockUnit.WORKDAYS, ClockUnit.WORKHOURS) and cal.touches_provisional(_local_date(started_at),
                                                                                    _local_date(due.due_at)):
        due = Due(due.due_at, due.warn_at, due.paused, provisional=True)
    return due


def _counted(unit, total, started_at, spans, zone_id) -> tuple["Due", list]:
    """(due, the spans that count). A pause begun once the limit had run out moves nothing: the clock was already
    overdue. (On working days a pause from the Saturday after a Friday expiry to Monday covers Monday and would
    otherwise put the due time back after the resume, as if the clock had never been late.)"""
    due, n = _due(unit, total, started_at, [], zone_id), 0
    for i, (begun, _) in enumerate(spans):
        if begun >= due.due_at:
            break
        due, n = _due(unit, total, started_at, spans[:i + 1], zone_id), i + 1
    return due, spans[:n]


def _due(unit, total, started_at, pauses, zone_id) -> Due:
    """The due and warning times of ``total`` units from ``started_at`` with these (clipped, merged) pauses."""
    if unit == ClockUnit.WORKHOURS:
        paused = sum((cal.working_time_between(s, e, zone_id) for s, e in pauses), datetime.timedelta())
        due = cal.add_working_time(started_at, datetime.timedelta(hours=total) + paused, zone_id)
        warn = cal.subtract_working_time(due, datetime.timedelta(hours=warn_workhours()), zone_id, floor=started_at)
        return Due(due, warn, paused.total_seconds() / 3600)
    if unit == ClockUnit.HOURS:
        paused = sum(((e - s) for s, e in pauses), datetime.timedelta())
        due = started_at + datetime.timedelta(hours=total) + paused
        warn = max(started_at, due - datetime.timedelta(hours=warn_hours()))
        return Due(due, warn, paused.total_seconds() / 3600)
    d0 = _local_date(started_at)
    if unit == ClockUnit.DAYS:
        paused_days = sum((_local_date(e) - _local_date(s)).days for s, e in pauses)
        due_date = datetime.date.fromordinal(d0.toordinal() + total + paused_days)
        warn_date = datetime.date.fromordinal(due_date.toordinal() - (warn_days() - 1))
        warn = max(started_at, _at(warn_date, datetime.time.min)) if warn_days() > 0 else _at(due_date, END_OF_DAY)
        return Due(_at(due_date, END_OF_DAY), warn, paused_days)
    paused_days = sum(cal.workdays_between(_local_date(s), _local_date(e), zone_id=zone_id) for s, e in pauses)
    due_date = cal.add_workdays(d0, total + paused_days, zone_id=zone_id)
    warn_date = due_date
    for _ in range(warn_workdays() - 1):
        if warn_date <= d0:  # the window opens at the start anyway
            break
        warn_date = _previous_workday(warn_date, zone_id)
    # A window of 0 is the due time itself, as for the hour units (not 00:00 of the due day, nor the day after).
    warn = max(started_at, _at(warn_date, datetime.time.min)) if warn_workdays() > 0 else _at(due_date, END_OF_DAY)
    return Due(_at(due_date, END_OF_DAY), warn, paused_days)


def _recompute(clock: DeadlineClock, now) -> Due:
    pauses = list(clock.pauses.values_list("started_at", "ended_at"))
    extension = sum(clock.extensions.values_list("amount", flat=True))
    due = compute(clock.unit, clock.limit, clock.started_at, pauses, extension, clock.zone_id)
    clock.due_at, clock.warn_at, clock.provisional = due.due_at, due.warn_at, due.provisional
    clock.pause_count, clock.paused_total = len(pauses), round(due.paused, 4)
    clock.next_step_at = next_step_at(clock, set(clock.escalations.values_list("step", flat=True)), now)
    return due


# Escalation ladder ---------------------------------------------------------------------------------------------

def step_time(step: Step, clock) -> datetime.datetime:
    """When ``step`` is due for ``clock`` (whose due time is known). See Step for the rules."""
    due, zone_id = clock.due_at, clock.zone_id
    n = step.before if step.before is not None else step.after
    if step.unit == ClockUnit.HOURS:
        delta = datetime.timedelta(hours=n)
        moment = due - delta if step.before is not None else due + delta
    elif step.unit == ClockUnit.WORKHOURS:
        delta = datetime.timedelta(hours=n)
        # A reminder never fires before the start: walking back further only meets years the calendar may not know.
        moment = (cal.subtract_working_time(due, delta, zone_id, floor=clock.started_at) if step.before is not None
                  else cal.add_working_time(due, delta, zone_id))
    else:
        anchor = _local_date(due)
        if step.before is not None:
            day, first = anchor, _local_date(clock.started_at)
            for _ in range(n - 1):
                if day <= first:  # already at the start: the step fires then (see below)
                    break
                day = (_previous_workday(day, zone_id) if step.unit == ClockUnit.WORKDAYS
                       else datetime.date.fromordinal(day.toordinal() - 1))
        else:
            day = (cal.add_workdays(anchor, n, zone_id=zone_id) if step.unit == ClockUnit.WORKDAYS
                   else datetime.date.fromordinal(anchor.toordinal() + n))
        moment = _at(day, datetime.time.min)
    # A reminder never fires before the start; a step after expiry never before it (after=0 days would otherwise
    # be 00:00 of the due day, nearly a day early).
    return max(moment, clock.started_at) if step.before is not None else max(moment, due)


UNKNOWN_YEAR_RETRY = datetime.timedelta(hours=1)


def _pending_steps(clock, fired: set, now):
    """(step, time) of the ladder steps still to fire; a reminder whose expiry has passed is dropped. A step that
    falls in a year the calendar does not know yet has time None: it waits (retried hourly) rather than stopping
    the tick for every other clock."""
    if clock.due_at is None or clock.state not in (ClockState.RUNNING, ClockState.OVERDUE):
        return []
    pending = []
    for s in LADDERS.get(clock.kind, ()):
        if s.name in fired or (s.before is not None and clock.due_at <= now):
            continue
        try:
            pending.append((s, step_time(s, clock)))
        except cal.CalendarYearUnknown as exc:
            log.warning("clock %s step %s: %s", clock.pk, s.name, exc)
            pending.append((s, None))
    return pending


def next_step_at(clock, fired: set, now):
    pending = [t if t is not None else now + UNKNOWN_YEAR_RETRY for _, t in _pending_steps(clock, fired, now)]
    return min(pending) if pending else None


def apply_ladder(kind: str, now=None) -> int:
    """Schedule the ladder of ``kind`` for its open clocks started before the ladder was registered (or after it
    changed): recompute their ``next_step_at``. Steps already fired stay fired. Call it from a data migration or a
    shell when a module adds or changes a ladder; returns the number of clocks scheduled."""
    now = now or timezone.now()
    scheduled = 0
    qs = DeadlineClock.objects.filter(kind=kind, state__in=[ClockState.RUNNING, ClockState.OVERDUE])
    last_id = 0
    while True:
        with transaction.atomic():
            clocks = list(qs.filter(pk__gt=last_id).select_for_update().only(*LADDER_FIELDS).order_by("id")[:BATCH])
            if not clocks:
                break
            fired: dict[int, set] = {c.pk: set() for c in clocks}
            for clock_id, step in ClockEscalation.objects.filter(clock_id__in=fired).values_list("clock_id", "step"):
                fired[clock_id].add(step)
            for c in clocks:
                c.next_step_at = next_step_at(c, fired[c.pk], now)
                scheduled += c.next_step_at is not None
            _set_next_steps(clocks)
            last_id = clocks[-1].pk
    return scheduled


def _insert_escalations(rows, now) -> set:
    """INSERT … ON CONFLICT DO NOTHING RETURNING: the rows this call inserted are the steps it fires; a row another
    tick inserted first is skipped (on PostgreSQL the second insert waits for the first to commit)."""
    if not rows:
        return set()
    table = ClockEscalation._meta.db_table
    fired_at = connection.ops.adapt_datetimefield_value(now)
    inserted = set()
    with connection.cursor() as cursor:
        for i in range(0, len(rows), 500):
            chunk = rows[i:i + 500]
            params = []
            for clock_id, zone_id, step in chunk:
                params += [clock_id, zone_id, step, fired_at]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            cursor.execute(f"INSERT INTO {table} (clock_id, zone_id, step, fired_at) VALUES {values} "  # noqa: S608
                           "ON CONFLICT (clock_id, step) DO NOTHING RETURNING clock_id, step", params)
            inserted.update((row[0], row[1]) for row in cursor.fetchall())
    return inserted


def _set_next_steps(clocks):
    """One UPDATE … SET next_step_at = CASE id WHEN … END for the batch (bulk_update builds the same statement
    through the expression API, which costs more here than the database does)."""
    if not clocks:
        return
    table = DeadlineClock._meta.db_table
    # PostgreSQL types an untyped CASE result as text; SQLite stores datetimes as text already.
    value = "CAST(%s AS timestamp with time zone)" if connection.vendor == "postgresql" else "%s"
    params, whens = [], []
    for c in clocks:
        whens.append(f"WHEN %s THEN {value}")
        params += [c.pk, connection.ops.adapt_datetimefield_value(c.next_step_at)]
    params += [c.pk for c in clocks]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET next_step_at = CASE id {' '.join(whens)} END "  # noqa: S608
                       f"WHERE id IN ({', '.join(['%s'] * len(clocks))})", params)


LADDER_FIELDS = ("id", "zone_id", "content_type_id", "object_id", "kind", "unit", "limit", "state", "started_at",
                 "due_at", "next_step_at")


def run_ladder(now) -> dict:
    """Tick job part: fire the ladder steps that are due. Reads only the partial index on ``next_step_at``."""
    counts = {"steps": 0, "step_handled": 0}
    while True:
        ids = list(DeadlineClock.objects.filter(next_step_at__lte=now).order_by("next_step_at", "id")
                   .values_list("id", flat=True)[:BATCH])
        if not ids:
            break
        with transaction.atomic():
            # The row lock makes a concurrent tick wait and then skip clocks whose next_step_at moved on;
            # the unique (clock, step) would stop a double firing even without it.
            clocks = list(DeadlineClock.objects.select_for_update().filter(pk__in=ids, next_step_at__lte=now)
                          .only(*LADDER_FIELDS).order_by("id"))
            fired: dict[int, set] = {c.pk: set() for c in clocks}
            for clock_id, step in ClockEscalation.objects.filter(clock_id__in=fired).values_list("clock_id", "step"):
                fired[clock_id].add(step)
            wanted, steps_of = [], {}
            for c in clocks:
                for step, moment in _pending_steps(c, fired[c.pk], now):
                    if moment is not None and moment <= now:
                        wanted.append((c.pk, c.zone_id, step.name))
                        steps_of[(c.pk, step.name)] = step
            wanted.sort(key=lambda r: (r[0], r[2]))  # one lock order for every tick
            inserted = _insert_escalations(wanted, now)
            for clock_id, _, name in wanted:
                fired[clock_id].add(name)
            for c in clocks:
                c.next_step_at = next_step_at(c, fired[c.pk], now)
            _set_next_steps(clocks)
            by_id = {c.pk: c for c in clocks}
            for clock_id, _, name in wanted:
                if (clock_id, name) not in inserted:
                    continue
                counts["steps"] += 1
                handler = steps_of[(clock_id, name)].do
                if handler is None:
                    continue
                try:
                    with transaction.atomic():
                        handler(by_id[clock_id], steps_of[(clock_id, name)])
                    counts["step_handled"] += 1
                except Exception:  # the step stays fired (its row is the claim); the failure is logged
                    log.exception("clock %s ladder step %s failed", clock_id, name)
    return counts


def _snapshot(clock):
    return audit.snapshot(clock, fields=("state", "due_at", "warn_at", "limit", "provisional"))


# Services ------------------------------------------------------------------------------------------------------

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


def pause_notice(owner_label: str, clock, pause_row, *, issuer: str = "") -> bytes:
    """The written notice to the applicant that the time limit is suspended (行政许可法 §45), as .docx."""
    from kaifaqu.core.documents import OfficialDocument, render

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
    if clock.unit == ClockUnit.HOURS:
        paused = sum(((e - s) for s, e in pauses), datetime.timedelta())
        return (end - clock.started_at - paused).total_seconds() / 3600
    d0, d1 = _local_date(clock.started_at), _local_date(end)
    if clock.unit == ClockUnit.DAYS:
        return (d1 - d0).days - sum((_local_date(e) - _local_date(s)).days for s, e in pauses)
    return cal.workdays_between(d0, d1, zone_id=clock.zone_id) - sum(
        cal.workdays_between(_local_date(s), _local_date(e), zone_id=clock.zone_id) for s, e in pauses)


# Figures -------------------------------------------------------------------------------------------------------

def status_counts(queryset, now=None) -> dict:
    """{status: count} for every display status (正常/预警/逾期/已暂停/按期完成/逾期完成) in one SQL query."""
    from django.db.models import Count

    now = now or timezone.now()
    conditions = status_conditions(now)
    counts = queryset.order_by().aggregate(**{status.value: Count("id", filter=cond)
                                                for status, cond in conditions.items()})
    return {ClockStatus(key): value for key, value in counts.items()}


def display_status(clock, now=None) -> ClockStatus:
    return clock.status_at(now or timezone.now())


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


def _notify(step, clock):
    """The notification the module asked for (``recipients``) when a clock enters the warning window or goes
    overdue; runs once per clock and event because tick claims the event once."""
    recipients = HANDLERS.get(clock.kind, {}).get("recipients")
    if recipients is None:
        return
    owner = clock.content_type.get_object_for_this_type(pk=clock.object_id)
    users, orgs = recipients(clock, owner)
    due = timezone.localtime(clock.due_at)
    if step == "warning":
        title = f"时限预警：{owner}，将于 {due:%Y-%m-%d %H:%M} 到期"
        body = f"“{owner}”的办理时限（{clock.limit}{clock.get_unit_display()}）即将到期，请抓紧办理。"
    else:
        title = f"时限逾期：{owner}，已于 {due:%Y-%m-%d %H:%M} 到期"
        body = f"“{owner}”的办理时限（{clock.limit}{clock.get_unit_display()}）已到期仍未完成。"
    notify.send(f"clock.{step}", title, users=users or (), orgs=orgs or (), body=body, obj=owner,
                zone_id=clock.zone_id)


def _fire(step, ids):
    fired = 0
    for clock in DeadlineClock.objects.filter(pk__in=ids).select_related("content_type"):
        handlers = HANDLERS.get(clock.kind, {})
        handler = handlers.get(step)
        if handler is None and handlers.get("recipients") is None:
            continue
        try:
            with transaction.atomic():
                if handler is not None:
                    handler(clock)
                _notify(step, clock)
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
