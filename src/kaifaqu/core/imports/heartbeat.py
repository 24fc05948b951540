"""Heartbeat of running import jobs, so that a job whose process died is failed within minutes, not left 运行中.

A job is applied in ONE transaction (all or nothing), and that transaction is the difficulty: on SQLite it holds
the database's write lock, so neither the worker nor a second connection can write a heartbeat row until it ends;
on PostgreSQL a second connection could, but a heartbeat written inside the transaction is invisible to `tick`
until the commit. So the heartbeat has two carriers:

* the ``heartbeat_at`` column, written outside the transaction: when the job starts (with ``started_at``), and
  between the steps of the parse phase (re-reading and re-checking the file, which writes nothing else);
* a small file under MEDIA_ROOT/imports/heartbeat/, touched every BEAT_EVERY seconds by a thread of the worker
  for as long as the job runs, including during the apply transaction (a file needs no database lock).

``tick`` fails a running job when both are older than STALE_AFTER (2 minutes): the worker is gone, and since the
transaction rolled back with it nothing was written. The trade-off: the file must live where tick can see it (the
same MEDIA_ROOT, as the uploads already must); and a worker that is alive but stuck (a lock it waits on for more
than two minutes) keeps beating and is not failed — its transaction may still commit, so failing it would be a lie.
"""

import datetime
import os
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from kaifaqu.core.imports.models import ImportJob, ImportState

BEAT_EVERY = 20  # seconds
STALE_AFTER = datetime.timedelta(minutes=2)
STALE_MESSAGE = "导入进程意外中断，未写入任何数据，请重新导入。"


def beat_path(job_id) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "heartbeat" / str(job_id)


def _touch(path: Path) -> None:
    now = time.time()
    try:
        os.utime(path, (now, now))
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        os.utime(path, (now, now))


class Heartbeat:
    """``with Heartbeat(job) as beat:`` around the work of a running job; ``beat.pulse`` (a progress callback)
    between the steps outside the apply transaction, ``beat.touch`` between those inside it."""

    def __init__(self, job, every: float = BEAT_EVERY):
        self.job_id, self.every = job.pk, every
        self.path = beat_path(job.pk)
        self._stop = threading.Event()
        self._thread = None
        self._last = 0.0

    def __enter__(self):
        now = timezone.now()
        ImportJob.objects.filter(pk=self.job_id).update(started_at=now, heartbeat_at=now)
        self._last = time.time()
        _touch(self.path)
        self._thread = threading.Thread(target=self._run, name=f"import-heartbeat-{self.job_id}", daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(self.every):
            try:
                _touch(self.path)
            except OSError:
                pass  # a full disk must not break the import; tick then falls back on the column

    def pulse(self, done=None, total=None) -> None:
        """The column, at most once per ``every`` seconds (never call it inside the apply transaction: on SQLite
        the write would wait for the lock that transaction holds, and nobody would see it before the commit)."""
        now = time.time()
        if now - self._last < self.every:
            return
        self._last = now
        ImportJob.objects.filter(pk=self.job_id, state=ImportState.RUNNING).update(heartbeat_at=timezone.now())

    def touch(self, done=None, total=None) -> None:
        """The file, at most once per ``every`` seconds: usable inside the apply transaction."""
        now = time.time()
        if now - self._last < self.every:
            return
        self._last = now
        _touch(self.path)

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.path.unlink(missing_ok=True)
        return False


def _mtime(path: Path):
    try:
        return datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)
    except OSError:
        return None


def last_sign_of_life(job, extra_paths=()) -> datetime.datetime:
    signs = [job.heartbeat_at or job.started_at or job.created_at]
    signs += [_mtime(p) for p in (beat_path(job.pk), *extra_paths)]
    return max(s for s in signs if s is not None)


def fail_stale(now, extra_paths=lambda job: ()) -> int:
    """Fail the running jobs with no sign of life for STALE_AFTER (compare-and-set on the state)."""
    cutoff = now - STALE_AFTER
    failed = 0
    quiet = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    for job in ImportJob.objects.filter(quiet, state=ImportState.RUNNING):
        if last_sign_of_life(job, extra_paths(job)) >= cutoff:
            continue
        if ImportJob.objects.filter(pk=job.pk, state=ImportState.RUNNING).update(
                state=ImportState.FAILED, progress=0, finished_at=now, message=STALE_MESSAGE):
            failed += 1
            beat_path(job.pk).unlink(missing_ok=True)
    return failed
