"""Import history page, and what happens to uploaded files: refused ones leave nothing, unapplied ones are removed
after the keeping time, applied ones stay (the audit trail names their SM3)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kaifaqu.core import imports
from kaifaqu.core.errors import RuleViolation, ServiceError
from kaifaqu.core.imports import upload_path
from kaifaqu.core.imports.models import ImportJob, ImportState
from tests.org.test_import import STAFF_HEADERS, staff_rows, xlsx


def start(user, content, name="人员.xlsx"):
    return imports.upload(user, "staff", SimpleUploadedFile(name, content))


def stored_files(settings):
    root = settings.MEDIA_ROOT / "imports"
    return sorted(p.name for p in root.rglob("*") if p.is_file() and "progress" not in p.parts) if root.exists() else []


def test_a_refused_upload_leaves_no_file(world, settings):
    with pytest.raises(ServiceError):
        start(world.hr, b"just text, not a spreadsheet")
    with pytest.raises(ServiceError):
        start(world.hr, xlsx([], [h for h in STAFF_HEADERS if h != "所在单位"]))
    settings.IMPORT_MAX_ROWS = 1
    with pytest.raises(ServiceError):
        start(world.hr, xlsx(staff_rows(2)))
    assert stored_files(settings) == [] and not ImportJob.objects.exists()


def test_unapplied_uploads_are_removed_after_the_keeping_time(world, settings):
    bad_rows = staff_rows(2)
    bad_rows[0][4] = "临时工"
    failed = start(world.hr, xlsx(bad_rows))
    waiting = start(world.hr, xlsx(staff_rows(3)))
    applied = start(world.hr, xlsx(staff_rows(4)))
    imports.confirm(world.hr, applied)
    assert (failed.state, waiting.state) == (ImportState.FAILED, ImportState.VALIDATED)
    assert len(stored_files(settings)) == 3
    assert imports.run_due(timezone.now())["purged"] == 0  # not yet
    later = timezone.now() + datetime.timedelta(days=settings.IMPORT_KEEP_UPLOADS_DAYS + 1)
    assert imports.run_due(later)["purged"] == 2
    assert imports.run_due(later)["purged"] == 0  # once
    assert stored_files(settings) == [applied.sm3]
    failed.refresh_from_db()
    waiting.refresh_from_db()
    assert failed.errors and failed.file_purged_at is not None  # the job and its errors stay
    with pytest.raises(RuleViolation, match="已于"):
        imports.error_file(failed)
    with pytest.raises(RuleViolation, match="重新上传"):
        imports.confirm(world.hr, waiting)


def test_a_file_shared_by_a_newer_job_is_kept(world, settings):
    content = xlsx(staff_rows(3))
    old = start(world.hr, content)
    ImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=60))
    newer = start(world.hr, content)
    assert old.sm3 == newer.sm3
    assert imports.run_due(timezone.now())["purged"] == 1
    assert upload_path(newer.sm3).exists()
    assert imports.confirm(world.hr, newer).state == ImportState.DONE


def test_import_history_page(world, client_for, settings):
    start(world.hr, xlsx(staff_rows(2)), name="二季度人员.xlsx")
    from kaifaqu.accounts.roles import Role
    from tests.factories import UserFactory

    colleague = UserFactory(username="t_hr2", role=Role.ORG_HR, org=world.committee)  # another who may import
    start(colleague, xlsx(staff_rows(1)), name="领导上传.xlsx")
    page = client_for(world.hr).get("/core/imports/").content.decode()
    assert "二季度人员.xlsx" in page and "校验通过，待确认" in page and "领导上传.xlsx" not in page
    assert "二季度人员.xlsx" not in client_for(world.outsider).get("/core/imports/").content.decode()
    assert "导入记录" in client_for(world.hr).get("/").content.decode()
    filtered = client_for(world.hr).get("/core/imports/", {"state": "done"}).content.decode()
    assert "二季度人员.xlsx" not in filtered
    export = client_for(world.hr).get("/core/imports/", {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_purged_error_workbook_page_explains(world, client_for, settings):
    bad_rows = staff_rows(1)
    bad_rows[0][4] = "临时工"
    job = start(world.hr, xlsx(bad_rows))
    imports.run_due(timezone.now() + datetime.timedelta(days=settings.IMPORT_KEEP_UPLOADS_DAYS + 1))
    web = client_for(world.hr)
    response = web.get(f"/core/imports/{job.pk}/errors/", follow=True)
    assert "按保留期限清理" in response.content.decode()
