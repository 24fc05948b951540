"""Provisional working-day calendar: the statutory holidays of 《全国年节及纪念日放假办法》 (as revised in 2024).

For a year the State Council has not yet published (no 国务院办公厅通知 entered and confirmed, and not in the
built-in calendar), the platform estimates the days off from the statutory holidays alone:

- 元旦 1 day (January 1); 春节 4 days (除夕, the last day of the twelfth lunar month, through the third day of the
  first lunar month); 清明节 1 day (the 清明 solar term); 劳动节 2 days (May 1–2); 端午节 1 day (lunar 5/5);
  中秋节 1 day (lunar 8/15); 国庆节 3 days (October 1–3);
- article 6: a statutory day off that falls on a Saturday or Sunday is made up on the next working day;
- Saturdays and Sundays off; no 调休 working weekends (those are only known from the notice).

Lunar dates and the solar term come from ``lunar_python``.
"""

import datetime
from functools import lru_cache

from lunar_python import Lunar, LunarYear, Solar

SPRING_FESTIVAL = "春节"


def _lunar(year: int, month: int, day: int) -> datetime.date:
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return datetime.date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> datetime.date:
    term = Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"]
    return datetime.date(term.getYear(), term.getMonth(), term.getDay())


def holidays(year: int) -> dict[datetime.date, str]:
    """{date: name} of the statutory days off that fall in ``year`` (before the weekend rule)."""
    days: dict[datetime.date, str] = {datetime.date(year, 1, 1): "元旦"}
    # 除夕 of the lunar year that ends in January/February of ``year``, then 正月初一 to 初三.
    last_month_days = LunarYear.fromYear(year - 1).getMonth(12).getDayCount()
    eve = _lunar(year - 1, 12, last_month_days)
    for offset in range(4):
        days[datetime.date.fromordinal(eve.toordinal() + offset)] = SPRING_FESTIVAL
    days[_qingming(year)] = "清明节"
    days[datetime.date(year, 5, 1)] = days[datetime.date(year, 5, 2)] = "劳动节"
    days[_lunar(year, 5, 5)] = "端午节"
    days[_lunar(year, 8, 15)] = "中秋节"
    for day in (1, 2, 3):
        days[datetime.date(year, 10, day)] = "国庆节"
    return {d: name for d, name in days.items() if d.year == year}


@lru_cache(maxsize=64)
def days_off(year: int) -> dict[datetime.date, str]:
    """{date: reason} of every weekday off in ``year`` under the statutory rule: the statutory days themselves
    (their name) and the days that make up a statutory day falling on a weekend (“春节补休”). Weekends are off
    anyway and are not listed."""
    statutory = holidays(year)
    off = {d: name for d, name in statutory.items() if d.weekday() < 5}
    for d in sorted(statutory):
        if d.weekday() < 5:
            continue
        makeup = datetime.date.fromordinal(d.toordinal() + 1)
        while makeup.weekday() >= 5 or makeup in off or makeup in statutory:
            makeup = datetime.date.fromordinal(makeup.toordinal() + 1)
        if makeup.year == year:
            off[makeup] = f"{statutory[d]}补休"
    return off
