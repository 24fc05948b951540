"""Spreadsheet import: the engine (layouts, parsing, checks), jobs (upload, preview, confirm, tick), bulk writes."""

from .jobs import (  # noqa: F401
    PREVIEW_ROWS,
    confirm,
    current_progress,
    error_file,
    keep_uploads_days,
    progress_path,
    resolve_zone,
    run_apply,
    run_due,
    upload,
    upload_path,
    validate,
)
