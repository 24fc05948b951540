"""The import pages and API as 组织人事 uses them; large files go through `kaifaqu tick`."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from kaifaqu.core import imports, tick
from kaifaqu.core.imports.models import ImportJob, ImportState
from kaifaqu.org.models import Staff
from tests.org.test_import import STAFF_HEADERS, staff_rows, xlsx


def test_list_shows_import_button_only_with_permission(world, client_for):
    assert 'data-testid="import"' in client_for(world.hr).get("/org/staff/").content.decode()
    assert 'data-testid="import"' in client_for(world.hr).get("/org/orgs/").content.decode()
    assert 'data-testid="import"' not in client_for(world.street).get("/org/staff/").content.decode()


def test_template_download(world, client_for):
    response = client_for(world.hr).get("/core/imports/templates/staff/")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    headers = [c.value for c in wb.worksheets[0][1]]
    assert headers == ["工号", "姓名", "性别", "所在单位", "编制类型", "档案职级（原职务）", "档案工资（元/月）", "聘任岗位",
                       "实际薪酬（元/年）", "到岗日期", "状态", "手机"]
    assert wb["说明"]["A1"].value == "列名"
    assert client_for(world.street).get("/core/imports/templates/staff/").status_code == 403
    assert client_for(world.hr).get("/core/imports/templates/nothing/").status_code == 404


def test_upload_preview_confirm_pages(world, client_for):
    web = client_for(world.hr)
    assert web.get("/core/imports/new/staff/").status_code == 200
    rows = staff_rows(2)
    rows[1][4] = "临时工"
    response = web.post("/core/imports/new/staff/", {"file": SimpleUploadedFile("人员.xlsx", xlsx(rows))})
    assert response.status_code == 302
    page = web.get(response["Location"]).content.decode()
    assert 'data-testid="import-errors"' in page and "临时工" in page and "可选值" in page
    job = ImportJob.objects.get()
    errors = web.get(f"/core/imports/{job.pk}/errors/")
    assert errors.status_code == 200 and errors["Content-Type"].startswith("application/vnd.openxmlformats")

    response = web.post("/core/imports/new/staff/", {"file": SimpleUploadedFile("人员.xlsx", xlsx(staff_rows(2)))})
    job = ImportJob.objects.latest("pk")
    page = web.get(response["Location"]).content.decode()
    assert 'data-testid="import-preview"' in page and 'data-testid="import-confirm"' in page
    assert web.post(f"/core/imports/{job.pk}/confirm/").status_code == 302
    job.refresh_from_db()
    assert job.state == ImportState.DONE
    assert "员工1" in web.get("/org/staff/").content.decode()


def test_upload_page_shows_415_and_400_on_the_form(world, client_for):
    web = client_for(world.hr)
    response = web.post("/core/imports/new/staff/", {"file": SimpleUploadedFile("人员.xlsx", b"just text")})
    assert response.status_code == 415 and "不支持的文件类型" in response.content.decode()
    headers = [h for h in STAFF_HEADERS if h != "所在单位"]
    response = web.post("/core/imports/new/staff/", {"file": SimpleUploadedFile("人员.xlsx", xlsx([], headers))})
    assert response.status_code == 400 and "缺少必填列：所在单位" in response.content.decode()


def test_only_uploader_and_zone_admins_see_a_job(world, client_for):
    job = imports.upload(world.hr, "staff", SimpleUploadedFile("人员.xlsx", xlsx(staff_rows(1))))
    assert client_for(world.hr).get(f"/core/imports/{job.pk}/").status_code == 200
    assert client_for(world.leader).get(f"/core/imports/{job.pk}/").status_code == 404
    assert client_for(world.outsider).get(f"/core/imports/{job.pk}/").status_code == 404
    assert client_for(world.leader).post(f"/core/imports/{job.pk}/confirm/").status_code == 404


# API ---------------------------------------------------------------------------------------------------------

def test_api_dry_run_then_confirm(world, api_for):
    api = api_for(world.hr)
    response = api.post("/api/v1/imports/", {"layout": "staff", "file": SimpleUploadedFile("a.xlsx", xlsx(staff_rows(2)))},
                        format="multipart")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["state"], body["new_rows"], body["changed_rows"], body["unchanged_rows"]) == ("validated", 2, 0, 0)
    confirmed = api.post(f"/api/v1/imports/{body['id']}/confirm/")
    assert confirmed.status_code == 200 and confirmed.json()["state"] == "done"
    assert api.get(f"/api/v1/imports/{body['id']}/").json()["new_rows"] == 2
    assert Staff.objects.filter(staff_no="A001").exists()


def test_api_errors_and_direct_import(world, api_for):
    api = api_for(world.hr)
    rows = staff_rows(2)
    rows[0][3] = "邻区管委会"
    response = api.post("/api/v1/imports/", {"layout": "staff", "file": SimpleUploadedFile("a.xlsx", xlsx(rows))},
                        format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["errors"][0]["row"] == 2 and body["errors"][0]["column"] == "所在单位"
    response = api.post("/api/v1/imports/", {"layout": "staff", "dry_run": "false",
                                             "file": SimpleUploadedFile("a.xlsx", xlsx(staff_rows(2)))},
                        format="multipart")
    assert response.status_code == 201 and response.json()["state"] == "done"
    response = api.post("/api/v1/imports/", {"layout": "staff", "file": SimpleUploadedFile("a.xlsx", b"%PDF-1.7")},
                        format="multipart")
    assert response.status_code == 415 and response.json()["code"] == "unsupported_media_type"
    template = api.get("/api/v1/imports/templates/staff/")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxmlformats")


def test_api_too_many_rows_413(world, api_for, settings):
    settings.IMPORT_MAX_ROWS = 1
    response = api_for(world.hr).post("/api/v1/imports/", {
        "layout": "staff", "file": SimpleUploadedFile("a.xlsx", xlsx(staff_rows(2)))}, format="multipart")
    assert response.status_code == 413 and response.json()["code"] == "too_large"


# Large files: validated and applied by tick ----------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_large_file_runs_as_a_job(world, settings, client_for):
    settings.IMPORT_SYNC_ROWS = 3
    job = imports.upload(world.hr, "staff", SimpleUploadedFile("人员.xlsx", xlsx(staff_rows(10))))
    assert job.state == ImportState.PENDING
    web = client_for(world.hr)
    page = web.get(f"/core/imports/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page
    tick.run()
    job.refresh_from_db()
    assert job.state == ImportState.VALIDATED and job.new_rows == 10
    job = imports.confirm(world.hr, job)
    assert job.state == ImportState.CONFIRMED
    poll = web.get(f"/core/imports/{job.pk}/?poll=1", HTTP_HX_REQUEST="true")
    assert poll.status_code == 200 and "progress" in poll.content.decode()
    tick.run()
    job.refresh_from_db()
    assert job.state == ImportState.DONE and job.progress == 100
    assert Staff.objects.filter(staff_no__startswith="A").count() == 10
    done = web.get(f"/core/imports/{job.pk}/?poll=1", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


# Calendar overrides (the system administrator) ---------------------------------------------------------------

def test_calendar_overrides_import(world, client_for):
    import datetime

    from kaifaqu.core import calendar
    from kaifaqu.core.calendar.models import WorkdayOverride

    headers = ["日期", "是否工作日", "原因", "范围"]
    rows = [["2031年1月2日", "否", "2031年元旦", "全平台"], ["2031/1/4", "是", "调休上班", ""],
            [datetime.date(2031, 6, 6), "否", "防汛停工", "示范经济开发区"]]
    web = client_for(world.sysadmin)
    assert 'data-testid="import"' in web.get("/core/calendar/").content.decode()
    job = imports.upload(world.sysadmin, "workday_overrides", SimpleUploadedFile("日历.xlsx", xlsx(rows, headers)))
    assert job.state == ImportState.VALIDATED, job.errors
    assert job.new_rows == 3
    imports.confirm(world.sysadmin, job)
    assert WorkdayOverride.objects.get(date=datetime.date(2031, 6, 6)).zone == world.zone
    assert WorkdayOverride.objects.get(date=datetime.date(2031, 1, 4)).zone is None
    from kaifaqu.core.calendar.services import do_confirm_year

    do_confirm_year(world.sysadmin, year=2031, notice_no="国办发明电〔2030〕8号")
    assert not calendar.is_workday(datetime.date(2031, 1, 2))
    exported = web.get("/core/calendar/?export=xlsx")
    again = imports.upload(world.sysadmin, "workday_overrides", SimpleUploadedFile("日历.xlsx", exported.content))
    assert (again.new_rows, again.changed_rows, again.unchanged_rows) == (0, 0, 3), again.errors
    rows[0][1] = "是"
    rows.append(["1980-01-01", "是", "太早", "不存在的区"])
    bad = imports.upload(world.sysadmin, "workday_overrides", SimpleUploadedFile("日历.xlsx", xlsx(rows, headers)))
    assert [(e["row"], e["column"]) for e in bad.errors] == [(5, "日期"), (5, "范围")]
    assert not imports.upload(world.hr, "staff", SimpleUploadedFile("a.xlsx", xlsx(staff_rows(1)))).error_count


def test_preview_marks_the_cells_that_change(world, client_for):
    imports.confirm(world.hr, imports.upload(world.hr, "staff", SimpleUploadedFile("a.xlsx", xlsx(staff_rows(2)))))
    rows = staff_rows(2)
    rows[1][1] = "新名字"
    job = imports.upload(world.hr, "staff", SimpleUploadedFile("a.xlsx", xlsx(rows)))
    assert job.preview["rows"] == [{"row": 3, "state": "修改", "cells": [
        ["A001", False], ["新名字", True], ["男", False], ["经济发展处", False], ["行政编制", False], ["5001", False],
        ["2026-01-05", False], ["在岗", False]]}]
    page = client_for(world.hr).get(f"/core/imports/{job.pk}/").content.decode()
    assert 'class="table-warning fw-semibold" title="将修改">新名字' in page


def test_a_job_left_running_by_a_dead_process_is_failed_by_tick(world):
    import datetime

    from django.utils import timezone

    job = imports.upload(world.hr, "staff", SimpleUploadedFile("a.xlsx", xlsx(staff_rows(1))))
    ImportJob.objects.filter(pk=job.pk).update(state=ImportState.RUNNING,
                                               created_at=timezone.now() - datetime.timedelta(hours=2))
    other = imports.upload(world.hr, "staff", SimpleUploadedFile("b.xlsx", xlsx(staff_rows(2))))
    ImportJob.objects.filter(pk=other.pk).update(state=ImportState.RUNNING)  # running for a second only
    report = dict(tick.run())
    assert report["imports"]["stale"] == 1
    job.refresh_from_db()
    other.refresh_from_db()
    assert job.state == ImportState.FAILED and "中断" in job.message
    assert other.state == ImportState.RUNNING


def test_a_user_of_several_zones_chooses_the_zone(world, client_for):
    from kaifaqu.accounts.models import User
    from kaifaqu.core.errors import InvalidInput

    world.hr.extra_zones.add(world.other_zone)
    clerk = User.objects.get(pk=world.hr.pk)  # a fresh scope
    page = client_for(clerk).get("/core/imports/new/staff/").content.decode()
    assert 'name="zone"' in page and "邻区高新区" in page
    with pytest.raises(InvalidInput, match="请选择要导入的开发区"):
        imports.upload(clerk, "staff", SimpleUploadedFile("a.xlsx", xlsx(staff_rows(1))))
    rows = staff_rows(1, org="邻区管委会")
    job = imports.upload(clerk, "staff", SimpleUploadedFile("a.xlsx", xlsx(rows)), zone_id=world.other_zone.pk)
    assert job.state == ImportState.VALIDATED, job.errors
    assert imports.confirm(clerk, job).state == ImportState.DONE
    assert Staff.objects.get(staff_no="A000").zone == world.other_zone
    with pytest.raises(InvalidInput):
        imports.upload(world.outsider, "staff", SimpleUploadedFile("a.xlsx", xlsx(rows)), zone_id=world.zone.pk)
