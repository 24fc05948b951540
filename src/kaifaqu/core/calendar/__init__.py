"""The working-day calendar: official holidays and 调休, the platform's and each zone's overrides, working hours.

``compute`` holds the arithmetic; ``services`` the writes (overrides, working hours), which recompute the open
clocks a change reaches.
"""

from .compute import (  # noqa: F401
    DEFAULT_PERIODS,
    EXPIRY_WARNING_DAYS,
    HOLIDAY_NAMES,
    HOW_TO_ENTER,
    OFFICIAL,
    PROVISIONAL,
    PROVISIONAL_NOTE,
    REFRESH_SECONDS,
    SOURCE_LABELS,
    STATUS_LABELS,
    CalendarYearUnknown,
    add_workdays,
    add_working_time,
    day_info,
    day_reason,
    expiry_warning,
    horizon,
    invalidate,
    is_official,
    is_provisional,
    is_workday,
    known_until,
    next_workday,
    subtract_working_time,
    touches_provisional,
    workdays_between,
    working_periods,
    working_time_between,
    year_status,
)
