"""Staff and organisation imports end to end through core.imports (the same path the pages and the API use)."""

import datetime
import decimal
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from kaifaqu.core import imports
from kaifaqu.core.errors import InvalidInput, TooLarge, UnsupportedMediaType
from kaifaqu.core.import_models import ImportState
from kaifaqu.core.models import AuditEvent
from kaifaqu.org.models import Org, OrgKind, Staff

STAFF_HEADERS = ["工号", "姓名", "性别", "所在单位", "编制类型", "档案工资（元/月）", "到岗日期", "状态"]


def xlsx(rows, headers=STAFF_HEADERS, before=()):
    wb = Workbook()
    ws = wb.active
    for r in before:
        ws.append(r)
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(content, name="人员.xlsx"):
    return SimpleUploadedFile(name, content)


def staff_rows(n=3, org="经济发展处"):
    return [[f"A{i:03d}", f"员工{i}", "男", org, "行政编制", 5000 + i, datetime.date(2026, 1, 5), "在岗"]
            for i in range(n)]


def run(user, content, layout="staff", name="人员.xlsx"):
    job = imports.start(user, layout, upload(content, name))
    return job


def test_staff_import_preview_then_confirm(world):
    job = run(world.clerk, xlsx(staff_rows(3)))
    assert job.state == ImportState.VALIDATED, job.errors
    assert (job.new_rows, job.changed_rows, job.unchanged_rows) == (3, 0, 0)
    assert not Staff.objects.filter(staff_no="A000").exists()  # preview writes nothing
    job = imports.confirm(world.clerk, job)
    assert job.state == ImportState.DONE
    staff = Staff.objects.get(staff_no="A001")
    assert staff.org == world.department and staff.zone == world.zone
    assert staff.archive_salary == decimal.Decimal("5001.00")
    assert staff.joined_on == datetime.date(2026, 1, 5)
    assert staff.gender == "male" and staff.post_kind == "administrative"
    event = AuditEvent.objects.get(action="staff.import")
    assert event.after["new"] == 3 and event.after["sm3"] == job.sm3 and event.zone_id == world.zone.pk


def test_reimport_same_file_changes_nothing(world):
    content = xlsx(staff_rows(3))
    imports.confirm(world.clerk, run(world.clerk, content))
    before = list(Staff.objects.order_by("pk").values())
    job = run(world.clerk, content)
    assert (job.new_rows, job.changed_rows, job.unchanged_rows) == (0, 0, 3)
    imports.confirm(world.clerk, job)
    assert list(Staff.objects.order_by("pk").values()) == before
    assert AuditEvent.objects.filter(action="staff.import").count() == 1


def test_changed_rows_update_and_bump_version(world):
    imports.confirm(world.clerk, run(world.clerk, xlsx(staff_rows(2))))
    rows = staff_rows(2)
    rows[1][1] = "改名"
    job = run(world.clerk, xlsx(rows))
    assert (job.new_rows, job.changed_rows, job.unchanged_rows) == (0, 1, 1)
    imports.confirm(world.clerk, job)
    staff = Staff.objects.get(staff_no="A001")
    assert staff.name == "改名" and staff.version == 2
    event = AuditEvent.objects.filter(action="staff.import").latest("seq")
    assert event.before["changed"] == [{"staff_no": "A001", "name": "员工1"}]
