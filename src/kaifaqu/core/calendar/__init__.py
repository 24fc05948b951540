"""The working-day calendar: official holidays and 调休, the platform's and each zone's overrides, working hours.

``compute`` holds the arithmetic; ``services`` the writes (overrides, working hours), which recompute the open
clocks a change reaches.
"""

from .compute import (  # noqa: F401
    DEFAULT_PERIODS,
    EXPIRY_WARNING_DAYS,
    HOLIDAY_NAMES,
    REFRESH_SECONDS,
    CalendarYearUnknown,
    add_workdays,
    add_working_time,
    day_reason,
    expiry_warning,
    invalidate,
    is_workday,
    known_until,
    next_workday,
    subtract_working_time,
    workdays_between,
    working_periods,
    working_time_between,
)
