"""Deadline computation: due and warning times for the four units, over pauses and extensions (pure, no writes)."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from kaifaqu.core import calendar as cal
from kaifaqu.core.clock.models import (
    ClockStatus,
    ClockUnit,
    PauseReason,
    status_conditions,
)

log = logging.getLogger(__name__)


BATCH = 1000
MAX_LIMIT = {ClockUnit.WORKDAYS: 2500, ClockUnit.DAYS: 3660, ClockUnit.WORKHOURS: 8 * 2500, ClockUnit.HOURS: 24 * 366,
             ClockUnit.MINUTES: 20000}
UNITS_TEXT = "workdays（工作日）、days（自然日）、workhours（工作小时）、hours（自然小时）或 minutes（分钟）"
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


def warn_minutes():
    return int(getattr(settings, "CLOCK_WARN_MINUTES", 10))


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
    if unit == ClockUnit.MINUTES:
        paused = sum(((e - s) for s, e in pauses), datetime.timedelta())
        due = started_at + datetime.timedelta(minutes=total) + paused
        warn = max(started_at, due - datetime.timedelta(minutes=warn_minutes()))
        return Due(due, warn, paused.total_seconds() / 60)
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
