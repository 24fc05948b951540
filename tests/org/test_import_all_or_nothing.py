"""An import with one bad row writes nothing: not when the row turns bad between preview and confirm, not when the
file is imported directly (no preview) through the API or the import service."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaifaqu.core import imports
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.imports.engine import get_importer, import_file
from kaifaqu.core.imports.models import ImportState
from kaifaqu.org.models import Org, Staff
from tests.org.test_import import errors_of, run, staff_rows, xlsx


def state():
    """Everything an import could have written: staff rows as they are, and the audit trail."""
    return (list(Staff.objects.order_by("pk").values()), AuditEvent.objects.count())


@pytest.fixture
def imported(world):
    """A000 and A001 already imported, so a later file both changes and adds people."""
    imports.confirm(world.hr, run(world.hr, xlsx(staff_rows(2))))
    return world


def mixed_file(world):
    rows = staff_rows(5)
    rows[0][1] = "改名的员工"  # A000 changes
    rows[3][3] = "东城街道"  # A003 goes to another organisation of the zone
    return xlsx(rows)


def abolish(org):
    Org.objects.filter(pk=org.pk).update(is_active=False)


def rename(org):
    Org.objects.filter(pk=org.pk).update(name="改名后的街道")


@pytest.mark.parametrize("spoil", [abolish, rename], ids=["org-abolished", "org-renamed"])
def test_a_row_found_bad_at_confirm_writes_nothing(imported, spoil):
    world = imported
    job = run(world.hr, mixed_file(world))
    assert job.state == ImportState.VALIDATED, job.errors
    assert (job.new_rows, job.changed_rows, job.unchanged_rows) == (3, 1, 1)
    spoil(world.street_org)  # between preview and confirm, row 5's organisation stops being one to import into
    before = state()
    job = imports.confirm(world.hr, job)
    assert job.state == ImportState.FAILED and "未导入任何数据" in job.message
    assert [(row, column) for row, column, _ in errors_of(job)] == [(5, "所在单位")]
    assert state() == before  # neither the change of A000 nor the other new people, and no audit event
    assert Staff.objects.get(staff_no="A000").name == "员工0"
    assert not Staff.objects.filter(staff_no__in=["A002", "A003", "A004"]).exists()
    assert AuditEvent.objects.filter(action="staff.import").count() == 1  # the first, good import only


def test_direct_api_import_with_a_bad_row_writes_nothing(imported, api_for):
    world = imported
    rows = staff_rows(5)
    rows[0][1] = "改名的员工"
    rows[2][5] = -100  # 档案工资 cannot be negative
    before = state()
    response = api_for(world.hr).post("/api/v1/imports/", {
        "layout": "staff", "dry_run": "false", "file": SimpleUploadedFile("人员.xlsx", xlsx(rows))}, format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and [(e["row"], e["column"]) for e in body["errors"]] == [(4, "档案工资（元/月）")]
    assert state() == before
    assert not Staff.objects.filter(staff_no__in=["A002", "A003", "A004"]).exists()


def test_direct_service_import_with_a_bad_row_writes_nothing(imported, tmp_path):
    world = imported
    rows = staff_rows(4)
    rows[1][1] = "改名的员工"
    rows[3][6] = "2026-13-45"  # not a date
    path = tmp_path / "人员.xlsx"
    path.write_bytes(xlsx(rows))
    before = state()
    plan = import_file(get_importer("staff"), world.hr, world.zone.pk, path, "xlsx")
    assert plan.error_count == 1 and plan.errors[0]["row"] == 5
    assert state() == before
    # The same file without the bad row is applied in full: the test above is not passing for another reason.
    rows[3][6] = datetime.date(2026, 1, 5)
    path.write_bytes(xlsx(rows))
    plan = import_file(get_importer("staff"), world.hr, world.zone.pk, path, "xlsx")
    assert plan.error_count == 0
    assert Staff.objects.get(staff_no="A001").name == "改名的员工" and Staff.objects.filter(staff_no="A003").exists()
