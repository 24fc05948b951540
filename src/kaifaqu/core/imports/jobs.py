"""Import jobs: upload → preview (validated or the errors) → confirm → result. Callers: pages, API, `kaifaqu tick`.

Small files (up to ``IMPORT_SYNC_ROWS`` data rows) are validated on upload and applied on confirm within the
request. Larger ones are left ``pending`` and validated by `kaifaqu tick`; once confirmed they are applied by the
next tick, with the progress written to a small file beside the upload (the apply runs in one transaction, so a
progress column would not be visible to the page until the end). Claims are compare-and-set on ``state``.

The uploaded file is kept under MEDIA_ROOT/imports by its SM3 hash between preview and confirm (and afterwards,
as the evidence of what was imported); the audit event of the module's bulk service names that hash.
"""

import datetime
import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from kaifaqu.core import files, zones
from kaifaqu.core.access import require
from kaifaqu.core.errors import Forbidden, InvalidInput, RuleViolation, ServiceError, TooLarge
from kaifaqu.core.imports.engine import (
    _display,
    _has_data,
    apply_plan,
    error_workbook,
    get_importer,
    max_rows,
    plan_import,
    read_header,
    read_rows,
    sniff_file,
    sync_rows,
)
from kaifaqu.core.imports.heartbeat import Heartbeat, fail_stale
from kaifaqu.core.imports.models import ImportJob, ImportState

log = logging.getLogger(__name__)
PREVIEW_ROWS = 20


def upload_path(digest: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / digest[:2] / digest


def progress_path(job) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "progress" / str(job.pk)


def resolve_zone(actor, importer, zone_id=None):
    """The zone an import writes into: the one asked for (within the actor's zones), or the actor's only zone."""
    return zones.resolve_zone(actor, zone_id, required=importer.needs_zone, choose_message="请选择要导入的开发区。")


def _store(uploaded) -> tuple[str, int, str, Path]:
    digest, size, head = files.measure(uploaded)
    path = upload_path(digest)
    files.write_once(uploaded, path)  # written before sniffing: an .xlsx is told from other zips by its directory
    try:
        kind = sniff_file(head, path, uploaded.name or "")
    except ServiceError:
        _discard_if_unreferenced(digest)
        raise
    return digest, size, kind, path


def _discard_if_unreferenced(digest: str) -> None:
    """A refused upload leaves no file behind (files are shared by content: keep one another job still uses)."""
    if not ImportJob.objects.filter(sm3=digest, file_purged_at__isnull=True).exists():
        upload_path(digest).unlink(missing_ok=True)


def _stored_rows(job):
    if job.file_purged_at is not None:
        raise RuleViolation(f"上传的文件已于 {timezone.localtime(job.file_purged_at):%Y-%m-%d} 按保留期限清理，"
                            f"请重新上传。")
    return read_rows(upload_path(job.sm3), job.file_kind, get_importer(job.layout).layout)


def upload(actor, layout: str, uploaded, *, zone_id=None) -> ImportJob:
    """Any user holding the permission that creating such records needs. Reads the file (415 wrong type, 413 too
    many rows, 400 no header or a required column missing) and, when small, validates it at once."""
    importer = get_importer(layout)
    require(actor, importer.perm)
    zone_id = resolve_zone(actor, importer, zone_id)
    digest, size, kind, path = _store(uploaded)
    try:
        rows = read_rows(path, kind, importer.layout)
        if not any(any(c not in (None, "") for c in r) for r in rows):
            raise InvalidInput("文件中没有数据。", fields={"file": ["文件中没有数据。"]})
        header_idx, _, _ = read_header(importer, rows)
        data = sum(1 for r in rows[header_idx + 1:] if _has_data(r))
        if data > max_rows():
            raise TooLarge(f"行数过多：{data} 行，上限为 {max_rows()} 行，请分批导入。",
                           fields={"file": [f"超过 {max_rows()} 行。"]})
        if data == 0:
            raise InvalidInput("文件中只有表头，没有数据行。", fields={"file": ["没有数据行。"]})
    except ServiceError:
        _discard_if_unreferenced(digest)
        raise
    job = ImportJob.objects.create(zone_id=zone_id, layout=importer.name, uploaded_by=actor,
                                   file_name=files.safe_name(uploaded.name), file_kind=kind, sm3=digest, size=size,
                                   total_rows=data, header_row=header_idx + 1)
    if data <= sync_rows():
        validate(job, rows)
        job.refresh_from_db()
    return job


def _job_progress(job, low, high):
    last = [-1]

    def report(done, total):
        pct = low + int((high - low) * done / max(total, 1))
        if pct != last[0]:
            last[0] = pct
            ImportJob.objects.filter(pk=job.pk).update(progress=pct)

    return report


def _file_progress(job, low, high):
    path = progress_path(job)
    path.parent.mkdir(parents=True, exist_ok=True)

    def report(done, total):
        path.write_text(str(low + int((high - low) * done / max(total, 1))))

    return report


def current_progress(job) -> int:
    if job.state == ImportState.RUNNING:
        try:
            return int(progress_path(job).read_text() or 0)
        except (OSError, ValueError):
            return job.progress
    return job.progress


def validate(job, rows=None, progress=None):
    """Plan the import (writes nothing but the job's counts, errors and preview)."""
    importer = get_importer(job.layout)
    if rows is None:
        rows = _stored_rows(job)
    try:
        plan = plan_import(importer, job.uploaded_by, job.zone_id, rows, progress=progress)
    except ServiceError as exc:
        _finish(job, ImportState.FAILED, message=exc.detail, progress=0)
        return None
    preview_rows = []
    positions = [idx for idx, _, _ in plan.columns]
    for state, items in (("新增", plan.new), ("修改", plan.changed)):
        for row in items[:PREVIEW_ROWS]:
            raw = rows[row.number - 1]
            changed = set(row.changes or ())
            preview_rows.append({"row": row.number, "state": state,
                                 "cells": [[_display(raw[i]) if i < len(raw) else "", f in changed]
                                           for i, f in zip(positions, plan.fields, strict=True)]})
    preview = {"headers": [c.header for _, c, _ in plan.columns], "fields": plan.fields, "rows": preview_rows}
    state = ImportState.FAILED if plan.error_count else ImportState.VALIDATED
    message = f"有 {plan.error_count} 处错误，请修改后重新上传。" if plan.error_count else ""
    ImportJob.objects.filter(pk=job.pk).update(
        state=state, total_rows=plan.total, new_rows=len(plan.new), changed_rows=len(plan.changed),
        unchanged_rows=plan.unchanged, error_count=plan.error_count, errors=plan.errors, preview=preview,
        header_row=plan.headers_row, progress=0 if plan.error_count else 50, message=message,
        finished_at=timezone.now() if plan.error_count else None)
    return plan


def _finish(job, state, *, message="", progress=100):
    ImportJob.objects.filter(pk=job.pk).update(state=state, message=message[:300], progress=progress,
                                               finished_at=timezone.now())


def confirm(actor, job) -> ImportJob:
    """Only the uploader confirms. Small files are applied now; larger ones are queued for `kaifaqu tick`."""
    importer = get_importer(job.layout)
    require(actor, importer.perm)
    if job.uploaded_by_id != getattr(actor, "pk", None):
        raise Forbidden("只有上传人可以确认导入。")
    if job.state != ImportState.VALIDATED:
        raise RuleViolation(f"该导入当前状态为“{job.get_state_display()}”，不能确认。")
    if job.total_rows > sync_rows():
        if not ImportJob.objects.filter(pk=job.pk, state=ImportState.VALIDATED).update(state=ImportState.CONFIRMED):
            raise RuleViolation("该导入已被确认。")
        job.refresh_from_db()
        return job
    if not ImportJob.objects.filter(pk=job.pk, state=ImportState.VALIDATED).update(state=ImportState.RUNNING):
        raise RuleViolation("该导入已被确认。")
    try:
        run_apply(job)
    except Exception:
        _finish(job, ImportState.FAILED, message="导入时发生内部错误，未导入任何数据。", progress=0)
        raise
    job.refresh_from_db()
    return job


def run_apply(job, progress=None):
    """Re-read and re-check the file (the data may have changed since the preview), then apply all or nothing.
    The job heartbeats meanwhile (core.import_heartbeat): `tick` fails it within minutes if this process dies."""
    with Heartbeat(job) as heartbeat:
        return _run_apply(job, heartbeat, progress)


def _run_apply(job, heartbeat, progress):
    importer = get_importer(job.layout)
    actor = job.uploaded_by
    rows = _stored_rows(job)
    heartbeat.pulse()
    try:
        plan = plan_import(importer, actor, job.zone_id, rows, progress=heartbeat.pulse)
        if plan.error_count:
            ImportJob.objects.filter(pk=job.pk).update(
                state=ImportState.FAILED, error_count=plan.error_count, errors=plan.errors,
                message="数据在预览后发生了变化，校验未通过，未导入任何数据。", finished_at=timezone.now())
            return None
        plan.source = {"job": job.pk, "file": job.file_name, "sm3": job.sm3}
        heartbeat.pulse()

        def report(done, total):
            heartbeat.touch()
            if progress:
                progress(done, total)

        apply_plan(plan, actor, progress=report)
    except ServiceError as exc:
        _finish(job, ImportState.FAILED, message=f"导入失败，未导入任何数据：{exc.detail}", progress=0)
        return None
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportState.DONE, new_rows=len(plan.new), changed_rows=len(plan.changed), unchanged_rows=plan.unchanged,
        progress=100, finished_at=timezone.now(), message="")
    return plan


def error_file(job) -> bytes:
    importer = get_importer(job.layout)
    rows = _stored_rows(job)
    return error_workbook(rows, job.errors, job.header_row, importer.layout)


def _fail_stale(now) -> int:
    """A job left ``running`` by a process that died: its transaction was rolled back, so nothing was written."""
    return fail_stale(now, extra_paths=lambda job: (progress_path(job),))


def keep_uploads_days() -> int:
    return int(getattr(settings, "IMPORT_KEEP_UPLOADS_DAYS", 30))


def _purge_uploads(now) -> int:
    """Files of imports that were never applied (refused, or validated and not confirmed) are removed after
    IMPORT_KEEP_UPLOADS_DAYS; the job row and its errors stay. The files of applied imports are kept: the audit
    event names their SM3, and the file is the record of what was imported."""
    cutoff = now - datetime.timedelta(days=keep_uploads_days())  # retention in calendar days, not a deadline
    purged = 0
    stale = ImportJob.objects.filter(state__in=[ImportState.FAILED, ImportState.VALIDATED], created_at__lt=cutoff,
                                     file_purged_at__isnull=True)
    for job_id, digest in stale.values_list("pk", "sm3")[:500]:
        if not ImportJob.objects.filter(pk=job_id, file_purged_at__isnull=True).update(file_purged_at=now):
            continue  # another tick took it
        purged += 1
        in_use = ImportJob.objects.filter(sm3=digest, file_purged_at__isnull=True).exists()
        if not in_use:
            upload_path(digest).unlink(missing_ok=True)
    return purged


def run_due(now) -> dict:
    """Tick job: validate pending uploads, then apply confirmed ones (one claim per job, compare-and-set); remove
    the uploads of imports never applied once their keeping time is over."""
    counts = {"validated": 0, "applied": 0, "stale": _fail_stale(now), "purged": _purge_uploads(now)}
    for job in ImportJob.objects.filter(state=ImportState.PENDING).select_related("uploaded_by").order_by("pk")[:5]:
        try:
            validate(job, progress=_job_progress(job, 0, 50))
        except ServiceError as exc:
            _finish(job, ImportState.FAILED, message=exc.detail, progress=0)
        counts["validated"] += 1
    for job in ImportJob.objects.filter(state=ImportState.CONFIRMED).select_related("uploaded_by").order_by("pk")[:5]:
        if not ImportJob.objects.filter(pk=job.pk, state=ImportState.CONFIRMED).update(state=ImportState.RUNNING):
            continue  # another tick took it
        job.state = ImportState.RUNNING
        try:
            run_apply(job, progress=_file_progress(job, 50, 100))
        except Exception:
            log.exception("import job %s failed", job.pk)
            _finish(job, ImportState.FAILED, message="导入时发生内部错误，未导入任何数据。", progress=0)
        progress_path(job).unlink(missing_ok=True)
        counts["applied"] += 1
    return counts
