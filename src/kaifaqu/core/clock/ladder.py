"""Kinds of limit, their handlers and escalation ladders: what modules register, and the ladder run by tick."""

import datetime
import logging
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from kaifaqu.core import audit, notify
from kaifaqu.core import calendar as cal
from kaifaqu.core.clock.models import (
    ClockEscalation,
    ClockState,
    ClockUnit,
    DeadlineClock,
)

from .compute import BATCH, _at, _local_date, _previous_workday

log = logging.getLogger(__name__)


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


def step_time(step: Step, clock) -> datetime.datetime:
    """When ``step`` is due for ``clock`` (whose due time is known). See Step for the rules."""
    due, zone_id = clock.due_at, clock.zone_id
    n = step.before if step.before is not None else step.after
    if step.unit in (ClockUnit.HOURS, ClockUnit.MINUTES):
        delta = datetime.timedelta(hours=n) if step.unit == ClockUnit.HOURS else datetime.timedelta(minutes=n)
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
