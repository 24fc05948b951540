"""Writes on the working-day calendar: the system administrator enters overrides (audited)."""

import datetime

from django.db import IntegrityError, transaction

from . import audit, calendar
from .access import is_system, require
from .calendar_models import WorkdayOverride
from .errors import Conflict, InvalidInput, NotFound

MIN_DATE, MAX_DATE = datetime.date(1990, 1, 1), datetime.date(2100, 12, 31)


def do_set_override(actor, *, date, is_workday: bool, reason: str, zone=None) -> WorkdayOverride:
    """Create or change the override of one day (platform-wide when ``zone`` is None)."""
    scope = require(actor, "calendar.manage")
    if zone is not None and not is_system(actor) and scope.zone_ids and zone.pk not in scope.zone_ids:
        raise NotFound("未找到该开发区，或您无权查看。")
    if not isinstance(date, datetime.date) or not (MIN_DATE <= date <= MAX_DATE):
        raise InvalidInput("日期须在 1990-01-01 至 2100-12-31 之间。", fields={"date": ["日期须在 1990 至 2100 年之间。"]})
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写原因（如：2031年春节、调休上班、本区防汛停工）。", fields={"reason": ["请填写原因。"]})
    try:
        with transaction.atomic():
            row = WorkdayOverride.objects.select_for_update().filter(zone=zone, date=date).first()
            before = audit.snapshot(row) if row else None
            if row is None:
                row = WorkdayOverride(zone=zone, date=date)
            row.is_workday, row.reason = bool(is_workday), reason[:100]
            row.save()
            audit.record(actor, "calendar.set_override", row, zone_id=zone.pk if zone else None,
                         before=before, after=audit.snapshot(row))
            transaction.on_commit(calendar.invalidate)
    except IntegrityError as exc:
        raise Conflict("该日期已有调整记录。") from exc
    calendar.invalidate()
    return row


def do_remove_override(actor, row: WorkdayOverride, *, reason: str = "") -> None:
    """Configuration, not a process: the row is deleted; the audit event keeps what it was."""
    require(actor, "calendar.manage")
    with transaction.atomic():
        before = audit.snapshot(row)
        audit.record(actor, "calendar.remove_override", row, zone_id=row.zone_id, before=before, reason=reason)
        WorkdayOverride.objects.filter(pk=row.pk).delete()
        transaction.on_commit(calendar.invalidate)
    calendar.invalidate()
