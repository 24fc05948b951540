"""The tax office submits last month's tax: a workbook with errors is refused row by row, the fixed one is applied,
and the zone leader sees the cockpit's tax figure move and downloads its numbers."""

import io
import os

from django.utils import timezone
from openpyxl import Workbook, load_workbook

from e2e.conftest import login, shot

PASSWORD = os.environ.get("KAIFAQU_DEMO_PASSWORD", "Kfq@2026demo")
HEADERS = ["统一社会信用代码", "企业名称", "指标代码", "年度", "期别", "数值"]


def workbook(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return {"name": "税收报送.xlsx", "mimeType": "application/octet-stream", "buffer": buffer.getvalue()}


def tax_row(page):
    return page.get_by_test_id("figure-indicators").locator("tr", has_text="税收")


def test_tax_office_submits_and_the_leader_sees_the_cockpit_change(demo_site, page_factory):
    from kaifaqu.economy.models import Enterprise, SubmissionTask

    base = demo_site.url
    task = SubmissionTask.objects.filter(org__code="shuiwu", state="open").order_by("-due_on").first()
    year, period = task.year, task.period
    firms = list(Enterprise.objects.filter(zone__code="demo", above_size=True).order_by("pk")[:20])

    leader = page_factory()
    login(leader, base, "leader", PASSWORD)
    leader.goto(f"{base}/cockpit/")
    before = tax_row(leader).inner_text()
    assert f"税收（1–{period}期）" not in before
    shot(leader, "cockpit-before")

    page = page_factory()
    login(page, base, "shuiwu", PASSWORD)
    page.goto(f"{base}/economy/tasks/")
    assert page.get_by_test_id("late").first.is_visible()  # one of the tax office's tasks is overdue
    page.get_by_test_id("import").click()
    page.wait_for_load_state("networkidle")
    bad = [[f.uscc, f.name, "tax", year, period, 12.5] for f in firms]
    bad[1][0] = "91330100000000000X"  # not in the register (and a wrong check character)
    bad[2][5] = "十二万"  # not a number
    bad[3][4] = 1 if period != 1 else 2  # a period outside the task
    page.set_input_files("input[type=file]", workbook(bad))
    page.get_by_test_id("import-upload").click()
    page.wait_for_load_state("networkidle")
    errors = page.get_by_test_id("import-errors")
    assert errors.get_by_text("十二万").is_visible()
    assert errors.get_by_text("期别不在报送任务内", exact=False).first.is_visible()
    assert errors.get_by_text("未找到“91330100000000000X”", exact=False).is_visible()
    shot(page, "economy-import-errors")

    page.get_by_role("link", name="重新上传").first.click()
    page.wait_for_load_state("networkidle")
    good = [[f.uscc, f.name, "tax", year, period, 12.5 + i] for i, f in enumerate(firms)]
    page.set_input_files("input[type=file]", workbook(good))
    page.get_by_test_id("import-upload").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("count-new").inner_text().strip() == str(len(firms))
    page.get_by_test_id("import-confirm").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("import-done").is_visible()
    task.refresh_from_db()
    assert task.state == "submitted" and task.submitted_at.date() <= timezone.localdate()

    leader.goto(f"{base}/cockpit/")
    after = tax_row(leader).inner_text()
    assert f"税收（1–{period}期）" in after and after != before
    shot(leader, "cockpit-after")
    with leader.expect_download() as info:
        leader.get_by_test_id("download-indicators").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    with open(info.value.path(), "rb") as downloaded:
        sheet = load_workbook(io.BytesIO(downloaded.read())).active
    names = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert f"税收（1–{period}期）" in names
