"""The official working-day calendar (statutory holidays and 调休 working weekends, from `chinesecalendar`).

Years the library does not know raise CalendarYearUnknown: never a silent Monday–Friday guess. Per-year sorted
tables of working days make add_workdays a bisect.
"""

import bisect
import datetime
from functools import lru_cache

import chinese_calendar


class CalendarYearUnknown(Exception):
    def __init__(self, year):
        self.year = year
        super().__init__(f"日历未包含 {year} 年的法定节假日安排，请由管理员录入该年度的节假日与调休安排，或升级 chinesecalendar。")


@lru_cache(maxsize=256)
def _year(year: int, zone_id=None) -> tuple[tuple[int, ...], frozenset]:
    """(sorted ordinals of working days, set of them) for one year."""
    first = datetime.date(year, 1, 1)
    days = []
    for i in range(366):
        d = first + datetime.timedelta(days=i)
        if d.year != year:
            break
        try:
            if chinese_calendar.is_workday(d):
                days.append(d.toordinal())
        except NotImplementedError:
            raise CalendarYearUnknown(year) from None
    return tuple(days), frozenset(days)


def is_workday(d: datetime.date, zone_id=None) -> bool:
    return d.toordinal() in _year(d.year, zone_id)[1]


def next_workday(d: datetime.date, zone_id=None) -> datetime.date:
    return add_workdays(d, 1, zone_id=zone_id)


def add_workdays(d: datetime.date, n: int, zone_id=None) -> datetime.date:
    """The n-th working day after d (d itself not counted); n=0 returns d."""
    if n < 0:
        raise ValueError("n must be ≥ 0")
    if n == 0:
        return d
    year = d.year
    ordinal = d.toordinal()
    while True:
        days, _ = _year(year, zone_id)
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
        days, _ = _year(year, zone_id)
        lo = bisect.bisect_right(days, a.toordinal())
        hi = bisect.bisect_right(days, b.toordinal())
        total += hi - lo
    return total
