"""Periods of the figures and filters: a year (2026), a quarter (2026-Q3) or a month (2026-07), in Asia/Shanghai."""

import datetime
import re

from django.utils import timezone


class PeriodError(ValueError):
    pass


SCHEMA_PATTERN = r"^(19|20)\d{2}(-(Q[1-4]|0[1-9]|1[0-2]))?$"
PATTERN = re.compile(r"^((?:19|20)\d{2})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?$")


def period_range(text: str) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of the period as aware datetimes."""
    m = PATTERN.match((text or "").strip())
    if not m:
        raise PeriodError("期间格式应为年份（2026）、季度（2026-Q3）或月份（2026-07）。")
    year = int(m.group(1))
    if m.group(2):
        first = (int(m.group(2)) - 1) * 3 + 1
        start, end = datetime.date(year, first, 1), _add_months(year, first, 3)
    elif m.group(3):
        month = int(m.group(3))
        start, end = datetime.date(year, month, 1), _add_months(year, month, 1)
    else:
        start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    tz = timezone.get_default_timezone()
    return (datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
            datetime.datetime.combine(end, datetime.time.min, tzinfo=tz))


def _add_months(year, month, n):
    month += n
    while month > 12:
        month -= 12
        year += 1
    return datetime.date(year, month, 1)
