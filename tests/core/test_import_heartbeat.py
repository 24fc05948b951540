"""Running import jobs heartbeat; `tick` fails a job whose heartbeat is older than two minutes."""

import datetime
import os
import time

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from kaifaqu.core import imports
from kaifaqu.core.imports.heartbeat import STALE_MESSAGE, Heartbeat, beat_path
from kaifaqu.core.imports.models import ImportJob, ImportState
from kaifaqu.org.models import Staff
from tests.org.test_import import staff_rows, xlsx

T0 = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)


def running_job(world, beat_at=T0):
    job = imports.upload(world.hr, "staff", SimpleUploadedFile("人员.xlsx", xlsx(staff_rows(3))))
    ImportJob.objects.filter(pk=job.pk).update(state=ImportState.RUNNING, started_at=beat_at, heartbeat_at=beat_at)
    return job


def test_job_without_heartbeat_for_two_minutes_is_failed(world):
    with time_machine.travel(T0, tick=False):
        job = running_job(world)
    with time_machine.travel(T0 + datetime.timedelta(minutes=1, seconds=59), tick=False):
        assert imports.run_due(timezone.now())["stale"] == 0
    assert ImportJob.objects.get(pk=job.pk).state == ImportState.RUNNING
    with time_machine.travel(T0 + datetime.timedelta(minutes=2, seconds=1), tick=False):
        assert imports.run_due(timezone.now())["stale"] == 1
    job.refresh_from_db()
    assert job.state == ImportState.FAILED and job.message == STALE_MESSAGE == "导入进程意外中断，未写入任何数据，请重新导入。"
    assert job.finished_at == T0 + datetime.timedelta(minutes=2, seconds=1)
    assert not Staff.objects.filter(staff_no="A000").exists()


def test_user_may_retry_after_the_failure(world):
    with time_machine.travel(T0, tick=False):
        running_job(world)
    with time_machine.travel(T0 + datetime.timedelta(minutes=3), tick=False):
        imports.run_due(timezone.now())
        job = imports.upload(world.hr, "staff", SimpleUploadedFile("人员.xlsx", xlsx(staff_rows(3))))
        assert imports.confirm(world.hr, job).state == ImportState.DONE
    assert Staff.objects.filter(staff_no="A000").exists()


def test_heartbeat_file_keeps_a_job_in_its_transaction_alive(world):
    """During the apply transaction the column cannot be written (SQLite's write lock): the file carries it."""
    with time_machine.travel(T0, tick=False):
        job = running_job(world)
    later = T0 + datetime.timedelta(minutes=5)
    path = beat_path(job.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    os.utime(path, (later.timestamp() - 30, later.timestamp() - 30))
    with time_machine.travel(later, tick=False):
        assert imports.run_due(timezone.now())["stale"] == 0
    assert ImportJob.objects.get(pk=job.pk).state == ImportState.RUNNING


def test_apply_records_start_and_heartbeat_outside_its_transaction(world):
    job = imports.upload(world.hr, "staff", SimpleUploadedFile("人员.xlsx", xlsx(staff_rows(3))))
    with time_machine.travel(T0, tick=False):
        job = imports.confirm(world.hr, job)
    assert job.state == ImportState.DONE
    assert job.started_at == job.heartbeat_at == T0
    assert not beat_path(job.pk).exists()  # removed when the job ends


def test_pulse_writes_the_column_between_steps_and_the_file_inside_the_transaction(world):
    with time_machine.travel(T0, tick=False) as traveller:
        job = running_job(world)
        with Heartbeat(job, every=10) as beat:
            traveller.shift(5)
            beat.pulse()  # too soon: nothing
            assert ImportJob.objects.get(pk=job.pk).heartbeat_at == T0
            traveller.shift(10)
            beat.pulse()
            assert ImportJob.objects.get(pk=job.pk).heartbeat_at == T0 + datetime.timedelta(seconds=15)
            traveller.shift(20)
            with transaction.atomic():  # the apply's steps
                beat.touch()
            assert ImportJob.objects.get(pk=job.pk).heartbeat_at == T0 + datetime.timedelta(seconds=15)
            assert beat_path(job.pk).stat().st_mtime == (T0 + datetime.timedelta(seconds=35)).timestamp()


def test_heartbeat_thread_touches_the_file_while_the_job_runs(world):
    job = running_job(world, beat_at=timezone.now())
    with Heartbeat(job, every=0.05):
        path = beat_path(job.pk)
        os.utime(path, (0, 0))
        deadline = time.monotonic() + 5
        while path.stat().st_mtime == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert path.stat().st_mtime > time.time() - 60
    assert not path.exists()
