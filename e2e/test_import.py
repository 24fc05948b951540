"""Importing staff from Excel as the economic development clerk: a bad row is shown, fixed, then confirmed."""

import io
import os

from openpyxl import Workbook

from e2e.conftest import login, shot

PASSWORD = os.environ.get("KAIFAQU_DEMO_PASSWORD", "Kfq@2026demo")
HEADERS = ["工号", "姓名", "性别", "所在单位", "编制类型", "到岗日期", "状态"]


def workbook(post_kind_of_second_row):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append(["E2E001", "导入甲", "男", "经济发展处", "行政编制", "2026-01-05", "在岗"])
    ws.append(["E2E002", "导入乙", "女", "经济发展处", post_kind_of_second_row, "2026/1/5", "在岗"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return {"name": "人员导入.xlsx", "mimeType": "application/octet-stream", "buffer": buffer.getvalue()}


def test_org_hr_imports_staff_fixing_a_bad_row(demo_site, page_factory):
    base = demo_site.url
    page = page_factory()
    login(page, base, "dangzheng", PASSWORD)  # 组织人事 maintains staff
    page.goto(f"{base}/org/staff/")
    page.get_by_test_id("import").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("import-template").is_visible()

    page.set_input_files("input[type=file]", workbook("临时工"))
    page.get_by_test_id("import-upload").click()
    page.wait_for_load_state("networkidle")
    errors = page.get_by_test_id("import-errors")
    assert errors.get_by_text("临时工").is_visible()
    assert errors.get_by_text("编制类型").is_visible()
    assert page.get_by_test_id("import-error-workbook").is_visible()
    shot(page, "import-errors")

    page.get_by_role("link", name="重新上传").first.click()
    page.wait_for_load_state("networkidle")
    page.set_input_files("input[type=file]", workbook("事业编制"))
    page.get_by_test_id("import-upload").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("count-new").inner_text().strip() == "2"
    assert page.get_by_test_id("import-preview").get_by_text("导入乙").is_visible()
    shot(page, "import-preview")

    page.get_by_test_id("import-confirm").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("import-done").is_visible()
    page.get_by_test_id("import-back").click()
    page.wait_for_load_state("networkidle")
    page.fill("input[name=q]", "导入乙")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("list-table").get_by_text("导入乙").is_visible()
