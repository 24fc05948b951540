"""Writes on the working-day calendar: the system administrator enters overrides and working hours (audited)."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from kaifaqu.core import audit, calendar
from kaifaqu.core.access import is_system, require
from kaifaqu.core.calendar.models import PublishedYear, WorkdayOverride, WorkingPeriod
from kaifaqu.core.errors import Conflict, InvalidInput, NotFound, RuleViolation

MIN_DATE, MAX_DATE = datetime.date(1990, 1, 1), datetime.date(2100, 12, 31)


def do_set_override(actor, *, date, is_workday: bool, reason: str, zone=None) -> WorkdayOverride:
    """Create or change the override of one day (platform-wide when ``zone`` is None)."""
    scope = require(actor, "calendar.manage")
    if zone is not None and not is_system(actor) and scope.zone_ids and zone.pk not in scope.zone_ids:
        raise NotFound("未找到该开发区，或您无权查看。")
    if not isinstance(date, datetime.date) or not (MIN_DATE <= date <= MAX_DATE):
        # A limit of what the calendar covers, not of the date's form: a rule (422), as the schema cannot state it.
        raise RuleViolation("日期须在 1990-01-01 至 2100-12-31 之间。", fields={"date": ["日期须在 1990 至 2100 年之间。"]})
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
            _move_clocks(actor, zone, on=date, reason=f"工作日历调整：{date:%Y-%m-%d} {reason}")
            transaction.on_commit(calendar.invalidate)
    except IntegrityError as exc:
        raise Conflict("该日期已有调整记录。") from exc
    finally:
        calendar.invalidate()  # also after a rollback: the tables may have been read with the uncommitted row
    return row


def _move_clocks(actor, zone, *, on=None, reason):
    """Running limits that count the changed day (or, for working hours, any working time) are recomputed."""
    from kaifaqu.core import clock
    from kaifaqu.core.clock.models import ClockUnit

    calendar.invalidate()
    units = (ClockUnit.WORKDAYS, ClockUnit.WORKHOURS) if on is not None else (ClockUnit.WORKHOURS,)
    return clock.recompute_open(actor, zone_id=zone.pk if zone else None, units=units, on=on, reason=reason)


def do_remove_override(actor, row: WorkdayOverride, *, reason: str = "") -> None:
    """Configuration, not a process: the row is deleted; the audit event keeps what it was."""
    require(actor, "calendar.manage")
    try:
        with transaction.atomic():
            before = audit.snapshot(row)
            audit.record(actor, "calendar.remove_override", row, zone_id=row.zone_id, before=before, reason=reason)
            WorkdayOverride.objects.filter(pk=row.pk).delete()
            _move_clocks(actor, row.zone, on=row.date, reason=f"撤销工作日历调整：{row.date:%Y-%m-%d} {row.reason}")
            transaction.on_commit(calendar.invalidate)
    finally:
        calendar.invalidate()


def do_confirm_year(actor, *, year, notice_no: str) -> PublishedYear:
    """The system administrator confirms that the State Council's notice for ``year`` (国务院办公厅通知, ``notice_no``
    its 文号) was entered in full as platform-wide overrides: the year becomes official (its other days follow
    Monday–Friday) instead of provisional. Every open working-day and working-hour clock whose span reaches the
    year is recomputed through the usual path (each moved clock audited, its 预估 flag cleared where no provisional
    day remains)."""
    require(actor, "calendar.manage")
    if type(year) is not int or not (MIN_DATE.year <= year <= MAX_DATE.year):
        raise InvalidInput("年度须在 1990 至 2100 年之间。", fields={"year": ["年度须在 1990 至 2100 年之间。"]})
    notice_no = (notice_no or "").strip()
    if not notice_no:
        raise InvalidInput("请填写国务院办公厅通知的文号（如：国办发明电〔2026〕7号）。", fields={"notice_no": ["请填写通知文号。"]})
    if calendar.is_official(year):
        raise RuleViolation(f"{year} 年的节假日安排已是正式安排，无需再次确认。")
    if not WorkdayOverride.objects.filter(zone__isnull=True, date__year=year, is_workday=False).exists():
        raise RuleViolation(f"尚未录入 {year} 年国务院办公厅通知的放假日（全平台）。请先按通知录入放假日与调休上班日，再确认已发布。")
    try:
        with transaction.atomic():
            row = PublishedYear.objects.create(year=year, notice_no=notice_no[:100], confirmed_at=timezone.now(),
                                               confirmed_by=actor if getattr(actor, "is_authenticated", False)
                                               and not is_system(actor) else None)
            platform = WorkdayOverride.objects.filter(zone__isnull=True, date__year=year)
            audit.record(actor, "calendar.confirm_year", row,
                         after={**audit.snapshot(row), "holidays": platform.filter(is_workday=False).count(),
                                "working_days": platform.filter(is_workday=True).count()})
            calendar.invalidate()
            from kaifaqu.core import clock
            from kaifaqu.core.clock.models import ClockUnit

            clock.recompute_open(actor, zone_id=None, units=(ClockUnit.WORKDAYS, ClockUnit.WORKHOURS),
                                 on=datetime.date(year, 1, 1), until=datetime.date(year, 12, 31),
                                 reason=f"确认 {year} 年节假日安排已发布（{notice_no}）")
            transaction.on_commit(calendar.invalidate)
    except IntegrityError as exc:
        raise Conflict(f"{year} 年已确认发布。") from exc
    finally:
        calendar.invalidate()
    return row


MAX_PERIODS = 6


def _two_digit_hour(text: str) -> str:
    """``8:30`` → ``08:30`` (people write single-digit hours)."""
    return f"0{text}" if len(text) == 4 and text[1] == ":" else text


def parse_periods(text: str) -> list[tuple[datetime.time, datetime.time]]:
    """``"08:30-12:00, 13:30-17:30"`` (commas, semicolons or new lines between periods; - or – inside one)."""
    periods = []
    for chunk in text.replace("；", ",").replace(";", ",").replace("，", ",").replace("\n", ",").split(","):
        chunk = chunk.strip()
        if not chunk:
            continue
        parts = chunk.replace("–", "-").replace("—", "-").replace("～", "-").replace("~", "-").split("-")
        try:
            lo, hi = (datetime.time.fromisoformat(_two_digit_hour(p.strip())) for p in parts)
            if lo.tzinfo is not None or hi.tzinfo is not None:  # "08:30+08:00": a clock time, not an instant
                raise ValueError(chunk)
        except ValueError:
            raise InvalidInput(f"无法识别的时间段“{chunk}”，请写作 08:30-12:00。",
                               fields={"periods": [f"无法识别的时间段“{chunk}”，请写作 08:30-12:00。"]}) from None
        periods.append((lo, hi))
    return periods


def _check_periods(periods):
    def bad(message):
        return InvalidInput(message, fields={"periods": [message]})

    def rule(message):  # a rule across the periods, which the schema cannot state: 422
        return RuleViolation(message, fields={"periods": [message]})

    if len(periods) > MAX_PERIODS:
        raise bad(f"工作时间最多 {MAX_PERIODS} 段。")
    for lo, hi in periods:
        if not isinstance(lo, datetime.time) or not isinstance(hi, datetime.time):
            raise bad("时间段须由开始和结束时刻组成。")
        if lo.tzinfo is not None or hi.tzinfo is not None:  # comparing them with naive times raised TypeError
            raise bad("时间段须为北京时间的钟点（如 08:30-12:00），不带时区。")
        if hi <= lo:
            raise rule(f"时间段 {lo:%H:%M}–{hi:%H:%M} 的结束时刻须晚于开始时刻。")
    ordered = sorted(periods)
    for (lo1, hi1), (lo2, hi2) in zip(ordered, ordered[1:], strict=False):
        if lo2 < hi1:
            raise rule(f"时间段 {lo1:%H:%M}–{hi1:%H:%M} 与 {lo2:%H:%M}–{hi2:%H:%M} 重叠。")
    return ordered


def do_set_working_hours(actor, *, periods, zone=None) -> list[WorkingPeriod]:
    """Replace the working-hours table of ``zone`` (platform-wide when None) by ``periods``: [(start, end), …].
    An empty list removes the table (the zone then follows the platform's, the platform the default 08:30–12:00,
    13:30–17:30). Overlapping periods or an end not after its start: InvalidInput, nothing written.
    The system administrator (``calendar.manage``) calls it; the audit event holds the old and the new table."""
    scope = require(actor, "calendar.manage")
    if zone is not None and not is_system(actor) and scope.zone_ids and zone.pk not in scope.zone_ids:
        raise NotFound("未找到该开发区，或您无权查看。")
    ordered = _check_periods(list(periods))

    def show(rows):
        return [f"{lo:%H:%M}-{hi:%H:%M}" for lo, hi in rows]

    try:
        with transaction.atomic():
            existing = WorkingPeriod.objects.select_for_update().filter(zone=zone)
            before = show(existing.order_by("start").values_list("start", "end"))
            existing.delete()
            rows = WorkingPeriod.objects.bulk_create([WorkingPeriod(zone=zone, start=lo, end=hi)
                                                      for lo, hi in ordered])
            audit.record(actor, "calendar.set_working_hours", zone, object_type="working_hours",
                         object_id=str(zone.pk if zone else ""),
                         object_label=f"工作时间（{zone.name if zone else '全平台'}）", zone_id=zone.pk if zone else None,
                         before={"periods": before}, after={"periods": show(ordered)})
            _move_clocks(actor, zone, reason="工作时间调整")
            transaction.on_commit(calendar.invalidate)
    finally:
        calendar.invalidate()
    return rows
