"""Deadline clocks: one mechanism for every time limit in the platform (see docs/deadlines.md)."""

# compute: due times (pure); ladder: kinds, handlers, escalation steps; services: the writes; notice: the
# written pause notice; worker: what tick runs.

from .compute import (  # noqa: F401
    BATCH,
    END_OF_DAY,
    LEGAL_BASIS,
    MAX_LIMIT,
    UNITS_TEXT,
    Due,
    compute,
    display_status,
    status_counts,
    warn_days,
    warn_hours,
    warn_minutes,
    warn_workdays,
    warn_workhours,
)
from .ladder import (  # noqa: F401
    HANDLERS,
    KINDS,
    LADDER_FIELDS,
    LADDERS,
    UNKNOWN_YEAR_RETRY,
    Step,
    apply_ladder,
    kind_label,
    next_step_at,
    register_handlers,
    register_kind,
    register_ladder,
    run_ladder,
    step_time,
)
from .notice import (  # noqa: F401
    pause_notice,
)
from .services import (  # noqa: F401
    EARLIEST,
    FUTURE_TOLERANCE,
    LATEST,
    check_moment,
    elapsed,
    extend,
    finish,
    pause,
    recompute_open,
    resume,
    start,
)
from .worker import (  # noqa: F401
    run_due,
)
