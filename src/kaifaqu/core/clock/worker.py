"""The tick worker: claims clocks that entered the warning window or went overdue, and calls the handlers."""

import logging

from django.db import connection, transaction
from django.utils import timezone

from kaifaqu.core import notify
from kaifaqu.core.clock.models import DeadlineClock

from .compute import BATCH
from .ladder import HANDLERS

log = logging.getLogger(__name__)


def _claim(sql_set, sql_where, order, params):
    """UPDATE … WHERE id IN (due batch) AND <condition still true> RETURNING id — atomic on both databases.
    The batch is ordered by the column of the partial index, so an idle tick reads only the index, not the table."""
    params = [connection.ops.adapt_datetimefield_value(p) for p in params]
    table = DeadlineClock._meta.db_table
    sql = (f"UPDATE {table} SET {sql_set} WHERE id IN (SELECT id FROM {table} WHERE {sql_where} "  # noqa: S608
           f"ORDER BY {order} LIMIT {BATCH}) AND {sql_where} RETURNING id")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _notify(step, clock):
    """The notification the module asked for (``recipients``) when a clock enters the warning window or goes
    overdue; runs once per clock and event because tick claims the event once."""
    recipients = HANDLERS.get(clock.kind, {}).get("recipients")
    if recipients is None:
        return
    owner = clock.content_type.get_object_for_this_type(pk=clock.object_id)
    users, orgs = recipients(clock, owner)
    due = timezone.localtime(clock.due_at)
    if step == "warning":
        title = f"时限预警：{owner}，将于 {due:%Y-%m-%d %H:%M} 到期"
        body = f"“{owner}”的办理时限（{clock.limit}{clock.get_unit_display()}）即将到期，请抓紧办理。"
    else:
        title = f"时限逾期：{owner}，已于 {due:%Y-%m-%d %H:%M} 到期"
        body = f"“{owner}”的办理时限（{clock.limit}{clock.get_unit_display()}）已到期仍未完成。"
    notify.send(f"clock.{step}", title, users=users or (), orgs=orgs or (), body=body, obj=owner,
                zone_id=clock.zone_id)


def _fire(step, ids):
    fired = 0
    for clock in DeadlineClock.objects.filter(pk__in=ids).select_related("content_type"):
        handlers = HANDLERS.get(clock.kind, {})
        handler = handlers.get(step)
        if handler is None and handlers.get("recipients") is None:
            continue
        try:
            with transaction.atomic():
                if handler is not None:
                    handler(clock)
                _notify(step, clock)
            fired += 1
        except Exception:  # a handler's failure is logged; the clock's state change stands
            log.exception("clock %s handler %s failed", clock.pk, step)
    return fired


def run_due(now) -> dict:
    """Tick job: the warning window first, then overdue; each clock is claimed exactly once per step."""
    counts = {"warned": 0, "overdue": 0, "handled": 0}
    while True:
        with transaction.atomic():
            ids = _claim("warned_at = %s", "state = 'running' AND warned_at IS NULL AND warn_at <= %s", "warn_at",
                         [now, now, now])
        if not ids:
            break
        counts["warned"] += len(ids)
        counts["handled"] += _fire("warning", ids)
    while True:
        with transaction.atomic():
            ids = _claim("state = 'overdue', overdue_at = %s", "state = 'running' AND due_at <= %s", "due_at",
                         [now, now, now])
        if not ids:
            break
        counts["overdue"] += len(ids)
        counts["handled"] += _fire("overdue", ids)
    return counts
