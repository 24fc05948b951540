"""`kaifaqu tick`: the periodic worker. Modules register idempotent jobs; each job claims its rows with a
conditional UPDATE so that two ticks running at once (several hosts, or a cron overlap) never act twice."""

import logging

from django.utils import timezone

log = logging.getLogger(__name__)

JOBS: list[tuple[str, object]] = []


def register_job(name: str, fn) -> None:
    """``fn(now) -> dict`` of counts for the tick's report."""
    if all(existing != name for existing, _ in JOBS):
        JOBS.append((name, fn))


def run(now=None) -> list[tuple[str, dict]]:
    now = now or timezone.now()
    report = []
    for name, fn in JOBS:
        try:
            report.append((name, fn(now)))
        except Exception:  # one failing job must not stop the others; it is logged and retried next tick
            log.exception("tick job %s failed", name)
            report.append((name, {"error": 1}))
    return report
