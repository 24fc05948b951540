"""The official working-day calendar.

A year is **official** when its schedule is complete: it is in `chinesecalendar` (statutory holidays and 调休
working weekends), or the system administrator entered the State Council's notice as platform-wide
`WorkdayOverride` rows and confirmed the year as published (`PublishedYear`; the other days follow Monday–Friday).
A platform row alone does not make a year official. A later year up to the provisional horizon (the current
Asia/Shanghai year + ``CALENDAR_PROVISIONAL_YEARS``, default 2) is **provisional**: estimated from the statutory
holidays (`calendar_statutory`), weekends off, no 调休; every due date computed over such a day says so (预估).
Platform-wide and zone overrides apply on top in every year. Any other year raises CalendarYearUnknown: never a
silent Monday–Friday guess.

Working hours (工作时间): each zone's periods of a working day (default 08:30–12:00 and 13:30–17:30, a platform table
or the zone's own, `WorkingPeriod`); `add_working_time`, `working_time_between` and `subtract_working_time` count
only the time inside those periods on working days. Asia/Shanghai has no daylight saving, so a local date plus a
period's clock time is one unambiguous instant.

Per-(year, zone) sorted tables of working days make add_workdays a bisect. Changes to overrides clear this
process's tables at once and other processes' within a minute (they compare a version read from the database).
"""

import bisect
import datetime
import time
from functools import lru_cache

import chinese_calendar

from kaifaqu.core.calendar import statutory as calendar_statutory
from kaifaqu.core.errors import RuleViolation

REFRESH_SECONDS = 60

HOLIDAY_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


class CalendarYearUnknown(RuleViolation):
    """A rule refusal (422, code ``calendar_year_unknown``): a service that computes a deadline into a year nobody
    entered (a clock started, resumed or extended into it) answers with this Chinese message, never a 500."""

    code = "calendar_year_unknown"

    def __init__(self, year):
        self.year = year
        super().__init__(
            f"日历未包含 {year} 年的节假日安排，无法计算该年的工作日（平台仅按法定节假日预估至 {horizon()} 年）。"
            f"请由系统管理员在「工作日历」中录入该年度国务院办公厅通知的节假日与调休安排（全平台），并确认已发布。"
        )


OFFICIAL, PROVISIONAL = "official", "provisional"
STATUS_LABELS = {OFFICIAL: "正式", PROVISIONAL: "预估"}
# What the command line prints after a date computed over a provisional day.
PROVISIONAL_NOTE = "预估（该年度节假日安排尚未正式发布，按法定节假日预估）"
_LIBRARY_YEARS = sorted({d.year for d in chinese_calendar.constants.holidays})


def _library_last() -> int:
    """The last year the built-in calendar knows (tests replace it to make a year provisional)."""
    return _LIBRARY_YEARS[-1]


def _library_knows(year: int) -> bool:
    return _LIBRARY_YEARS[0] <= year <= _library_last()


def horizon() -> int:
    """The last year the platform estimates: the current Asia/Shanghai year + CALENDAR_PROVISIONAL_YEARS. Kept
    until the local year changes (every working-day count asks it, for each year it crosses)."""
    now = time.time()
    cached = _state.get("horizon")
    if cached and cached[0] <= now < cached[1]:
        return cached[2]
    from django.conf import settings
    from django.utils import timezone

    tz = timezone.get_default_timezone()
    year = datetime.datetime.fromtimestamp(now, tz).year
    value = year + int(getattr(settings, "CALENDAR_PROVISIONAL_YEARS", 2))
    _state["horizon"] = (datetime.datetime(year, 1, 1, tzinfo=tz).timestamp(),
                         datetime.datetime(year + 1, 1, 1, tzinfo=tz).timestamp(), value)
    return value


@lru_cache(maxsize=1)
def _published() -> frozenset:
    from kaifaqu.core.calendar.models import PublishedYear

    return frozenset(PublishedYear.objects.values_list("year", flat=True))


def is_official(year: int) -> bool:
    if _library_knows(year):
        return True
    _refresh()  # a year confirmed in another process is seen within REFRESH_SECONDS
    return year in _published()


def year_status(year: int) -> str:
    """OFFICIAL or PROVISIONAL; a year beyond the horizon (or before the built-in calendar) raises."""
    if is_official(year):
        return OFFICIAL
    if _library_last() < year <= horizon():
        return PROVISIONAL
    raise CalendarYearUnknown(year)


def is_provisional(year: int) -> bool:
    return year_status(year) == PROVISIONAL


def touches_provisional(a: datetime.date, b: datetime.date) -> bool:
    """Whether any day in [a, b] lies in a provisional year."""
    lo, hi = min(a, b), max(a, b)
    return any(is_provisional(year) for year in range(lo.year, hi.year + 1))


def _overrides(year: int, zone_id):
    """{date: (is_workday, reason, zone id or None)}: platform-wide rows first, the zone's own on top."""
    from django.db.models import Q

    from kaifaqu.core.calendar.models import WorkdayOverride

    cond = Q(zone__isnull=True)
    if zone_id is not None:
        cond |= Q(zone_id=zone_id)
    rows = (WorkdayOverride.objects.filter(cond, date__year=year)
            .order_by("zone_id").values_list("date", "is_workday", "reason", "zone_id"))
    result = {}
    for d, is_workday, reason, row_zone in sorted(rows, key=lambda r: r[3] is not None):
        result[d] = (is_workday, reason, row_zone)
    return result


@lru_cache(maxsize=512)
def _year(year: int, zone_id, status: str) -> tuple[tuple[int, ...], frozenset, dict]:
    """(sorted ordinals of working days, set of them, overrides) for one year in one zone."""
    overrides = _overrides(year, zone_id)
    known = _library_knows(year)
    estimated = calendar_statutory.days_off(year) if status == PROVISIONAL else {}
    days = []
    d = datetime.date(year, 1, 1)
    while d.year == year:
        if d in overrides:
            work = overrides[d][0]
        elif known:
            work = chinese_calendar.is_workday(d)
        else:
            work = d.weekday() < 5 and d not in estimated
        if work:
            days.append(d.toordinal())
        d = datetime.date.fromordinal(d.toordinal() + 1)
    return tuple(days), frozenset(days), overrides


_state = {"checked": 0.0, "version": None}


def _version():
    from django.db.models import Count, Max

    from kaifaqu.core.calendar.models import PublishedYear, WorkdayOverride, WorkingPeriod

    agg = WorkdayOverride.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    hours = WorkingPeriod.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    published = PublishedYear.objects.aggregate(n=Count("id"), last=Max("confirmed_at"))
    return agg["n"], agg["last"], hours["n"], hours["last"], published["n"], published["last"]


def invalidate():
    _year.cache_clear()
    _periods.cache_clear()
    _published.cache_clear()
    _state["checked"] = 0.0
    _state.pop("horizon", None)


def _refresh():
    now = time.monotonic()
    if now - _state["checked"] > REFRESH_SECONDS:
        version = _version()
        if version != _state["version"]:
            _year.cache_clear()
            _periods.cache_clear()
            _published.cache_clear()
            _state["version"] = version
        _state["checked"] = now


def _table(year: int, zone_id):
    _refresh()
    return _year(year, zone_id, year_status(year))


def is_workday(d: datetime.date, zone_id=None) -> bool:
    return d.toordinal() in _table(d.year, zone_id)[1]


def day_reason(d: datetime.date, zone_id=None) -> str:
    """工作日 / 周末 / the holiday's name / 调休上班 / “春节补休” (provisional) / an override's reason."""
    return day_info(d, zone_id)["reason"]


SOURCE_LABELS = {"statutory": "法定节假日", "notice": "国务院通知", "zone": "本区调整", "provisional": "预估"}


def day_info(d: datetime.date, zone_id=None) -> dict:
    """One day as the month view shows it: is_workday, reason, source (statutory 法定节假日 / notice 国务院通知 /
    zone 本区调整 / provisional 预估, or '' for an ordinary weekday or weekend) and whether the year is provisional."""
    status = year_status(d.year)
    _, workdays, overrides = _table(d.year, zone_id)
    working = d.toordinal() in workdays
    info = {"date": d, "is_workday": working, "provisional": status == PROVISIONAL, "source": ""}
    if d in overrides:
        info.update(reason=overrides[d][1], source="notice" if overrides[d][2] is None else "zone")
    elif _library_knows(d.year):
        on_holiday, name = chinese_calendar.get_holiday_detail(d)
        if on_holiday and name:
            info.update(reason=HOLIDAY_NAMES.get(name, name), source="statutory")
        elif working and d.weekday() >= 5:
            info.update(reason="调休上班", source="notice")
    elif status == PROVISIONAL and not working:
        # a statutory day (also one on a weekend, made up later) or the make-up day of one
        reason = calendar_statutory.days_off(d.year).get(d) or calendar_statutory.holidays(d.year).get(d)
        if reason:
            info.update(reason=reason, source="provisional")
    info.setdefault("reason", "工作日" if working else "周末")
    info["source_label"] = SOURCE_LABELS.get(info["source"], "")
    return info


def next_workday(d: datetime.date, zone_id=None) -> datetime.date:
    return add_workdays(d, 1, zone_id=zone_id)


def add_workdays(d: datetime.date, n: int, zone_id=None) -> datetime.date:
    """The n-th working day after d (d itself not counted); n=0 returns d."""
    if n < 0:
        raise ValueError("n must be ≥ 0")
    if n == 0:
        return d
    year, ordinal = d.year, d.toordinal()
    while True:
        days = _table(year, zone_id)[0]
        start = bisect.bisect_right(days, ordinal)
        if start + n - 1 < len(days):
            return datetime.date.fromordinal(days[start + n - 1])
        n -= len(days) - start
        year += 1
        ordinal = datetime.date(year, 1, 1).toordinal() - 1


def workdays_between(a: datetime.date, b: datetime.date, zone_id=None) -> int:
    """Working days in (a, b]; negative when b < a."""
    if b < a:
        return -workdays_between(b, a, zone_id)
    total = 0
    for year in range(a.year, b.year + 1):
        days = _table(year, zone_id)[0]
        total += bisect.bisect_right(days, b.toordinal()) - bisect.bisect_right(days, a.toordinal())
    return total


# Coverage --------------------------------------------------------------------------------------------------------

EXPIRY_WARNING_DAYS = 60


def known_until(today: datetime.date) -> datetime.date:
    """Official coverage: the last day of the unbroken run of official years that starts with ``today``'s year
    (the day before ``today`` when this year is not official)."""
    year = today.year
    if not is_official(year):
        return datetime.date.fromordinal(today.toordinal() - 1)
    while is_official(year + 1):
        year += 1
    return datetime.date(year, 12, 31)


official_until = known_until

HOW_TO_ENTER = ("国务院办公厅发布通知后，请在「工作日历」中按通知录入该年度全平台的放假日与调休上班日（可逐条录入或导入），"
                "再点击“确认年度安排已发布”并填写通知文号。")


def expiry_warning(today: datetime.date) -> str:
    """A Chinese warning when official coverage ends within EXPIRY_WARNING_DAYS of ``today``, else ''."""
    until = known_until(today)
    left = until.toordinal() - today.toordinal()
    if left > EXPIRY_WARNING_DAYS:
        return ""
    if left < 0:
        return (f"{today.year} 年的节假日安排尚未正式录入，本年的工作日目前按法定节假日预估，计算出的时限标注“预估”。"
                + HOW_TO_ENTER)
    return (f"工作日历的正式安排仅覆盖至 {until:%Y年%m月%d日}（还剩 {left} 天），{until.year + 1} 年的节假日安排尚未录入："
            f"届时跨年的时限将按法定节假日预估（标注“预估”）。" + HOW_TO_ENTER)
# Working hours -------------------------------------------------------------------------------------------------

DEFAULT_PERIODS = ((datetime.time(8, 30), datetime.time(12, 0)), (datetime.time(13, 30), datetime.time(17, 30)))


@lru_cache(maxsize=512)
def _periods(zone_id) -> tuple[tuple[datetime.time, datetime.time], ...]:
    from kaifaqu.core.calendar.models import WorkingPeriod

    if zone_id is not None:
        rows = tuple(WorkingPeriod.objects.filter(zone_id=zone_id).order_by("start").values_list("start", "end"))
        if rows:
            return rows
    rows = tuple(WorkingPeriod.objects.filter(zone__isnull=True).order_by("start").values_list("start", "end"))
    return rows or DEFAULT_PERIODS


def working_periods(zone_id=None) -> tuple[tuple[datetime.time, datetime.time], ...]:
    """The periods of a working day in this zone: its own table, else the platform's, else the default."""
    _refresh()
    return _periods(zone_id)


def _tz():
    from django.utils import timezone

    return timezone.get_default_timezone()


def _local(dt: datetime.datetime) -> datetime.datetime:
    return dt.astimezone(_tz())


def _spans(d: datetime.date, zone_id):
    """The working periods of date ``d`` as aware datetimes (none on a day off)."""
    if not is_workday(d, zone_id=zone_id):
        return ()
    tz = _tz()
    return tuple((datetime.datetime.combine(d, s, tzinfo=tz), datetime.datetime.combine(d, e, tzinfo=tz))
                 for s, e in working_periods(zone_id))


def add_working_time(start: datetime.datetime, amount: datetime.timedelta, zone_id=None) -> datetime.datetime:
    """The instant at which ``amount`` of working time after ``start`` is used up. A start outside working time
    counts from the next working period; an amount ending exactly at a period's end answers that end."""
    if amount < datetime.timedelta(0):
        raise ValueError("amount must be ≥ 0")
    remaining = amount
    d = _local(start).date()
    while True:
        for lo, hi in _spans(d, zone_id):
            if hi <= start:
                continue
            lo = max(lo, start)
            if remaining <= hi - lo:
                return lo + remaining
            remaining -= hi - lo
        d = datetime.date.fromordinal(d.toordinal() + 1)


def subtract_working_time(end: datetime.datetime, amount: datetime.timedelta, zone_id=None,
                          floor: datetime.datetime | None = None) -> datetime.datetime:
    """The instant from which ``amount`` of working time remains until ``end`` (never earlier than ``floor``).
    Without a floor the walk back ends only at ``amount`` or at a year the calendar does not know: pass one."""
    if amount < datetime.timedelta(0):
        raise ValueError("amount must be ≥ 0")
    remaining = amount
    d = _local(end).date()
    floor_date = _local(floor).date() if floor is not None else None
    while True:
        if floor_date is not None and d < floor_date:
            return floor
        for lo, hi in reversed(_spans(d, zone_id)):
            if lo >= end:
                continue
            hi = min(hi, end)
            if remaining <= hi - lo:
                moment = hi - remaining
                return max(moment, floor) if floor is not None else moment
            remaining -= hi - lo
        d = datetime.date.fromordinal(d.toordinal() - 1)


def working_time_between(a: datetime.datetime, b: datetime.datetime, zone_id=None) -> datetime.timedelta:
    """Working time inside [a, b); negative when b < a."""
    if b < a:
        return -working_time_between(b, a, zone_id)
    total = datetime.timedelta(0)
    d, last = _local(a).date(), _local(b).date()
    while d <= last:
        for lo, hi in _spans(d, zone_id):
            lo, hi = max(lo, a), min(hi, b)
            if hi > lo:
                total += hi - lo
        d = datetime.date.fromordinal(d.toordinal() + 1)
    return total
