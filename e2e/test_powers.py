"""The power list's main story: a department clerk imports a workbook into the draft with two bad rows, sees them,
fixes them and imports; fills the gap the matrix report shows; the clerk submits, the zone leader (another person)
approves and publishes, and the published list is exported."""

import io
import os

from openpyxl import Workbook, load_workbook

from e2e.conftest import login, shot

PASSWORD = os.environ.get("KAIFAQU_DEMO_PASSWORD", "Kfq@2026demo")
HEADERS = ["序号", "事项编码", "事项名称", "子项名称", "事项类型", "设定依据", "实施主体", "承办机构", "责任事项", "追责情形",
           "监督电话", "备注"]
BODY = "浙江省XX经济开发区管理委员会"


def workbook(fixed):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append([1, "KFQ-E2E-1", "园区企业安全生产培训服务", "", "公共服务", "《中华人民共和国安全生产法》第二十八条", BODY,
               "经济发展处", "组织培训\n建立台账", "", "0571-88881200", ""])
    ws.append([2, "KFQ-E2E-2", "重点项目联审", "", "其他行政权力" if fixed else "行政指导", "《优化营商环境条例》第三十四条",
               BODY, "企业服务处", "", "", "", ""])
    # The claimed item that lacked an implementing body; its standard name must stay the catalogue's.
    ws.append([3, "3706QR0005", "企业投资项目备案" if fixed else "企业投资项目备案（改）", "变更", "行政确认",
               "《企业投资项目核准和备案管理条例》第十三条", BODY, "经济发展处", "", "", "", ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    return {"name": "权责清单导入.xlsx", "mimeType": "application/octet-stream", "buffer": buffer.getvalue()}


def open_draft(page, base):
    page.goto(f"{base}/powers/versions/?state=draft")
    page.get_by_test_id("list-table").get_by_role("link").first.click()
    page.wait_for_load_state("networkidle")


def test_clerk_imports_and_reviewer_publishes(demo_site, page_factory):
    base = demo_site.url
    page = page_factory()
    login(page, base, "jingji", PASSWORD)
    open_draft(page, base)
    assert page.get_by_test_id("publish-problems").get_by_text("缺少实施主体", exact=False).is_visible()
    page.get_by_test_id("import").click()
    page.wait_for_load_state("networkidle")
    page.set_input_files("input[type=file]", workbook(fixed=False))
    page.get_by_test_id("import-upload").click()
    page.wait_for_load_state("networkidle")
    errors = page.get_by_test_id("import-errors")
    assert errors.get_by_text("行政指导").is_visible()
    assert errors.get_by_text("是认领的标准事项", exact=False).first.is_visible()
    shot(page, "powers-import-errors")

    page.get_by_role("link", name="重新上传").first.click()
    page.wait_for_load_state("networkidle")
    page.set_input_files("input[type=file]", workbook(fixed=True))
    page.get_by_test_id("import-upload").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("count-new").inner_text().strip() == "2"
    page.get_by_test_id("import-confirm").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("import-done").is_visible()

    # The matrix still has its gap: fill it from the report.
    page.goto(f"{base}/powers/matrix/")
    report = page.get_by_test_id("matrix-report")
    assert report.get_by_text("征地拆迁 × 科创服务园", exact=False).is_visible()
    report.get_by_role("link", name="指定").click()
    page.wait_for_load_state("networkidle")
    page.select_option("#id_org", label="规划国土处")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    assert "均有且只有一个主责单位" in page.get_by_test_id("matrix-report").inner_text()

    open_draft(page, base)
    assert page.get_by_test_id("publish-problems").count() == 0
    page.locator("form[data-action=submit] button").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("state").inner_text() == "待审核"
    draft_url = page.url

    reviewer = page_factory(width=390, height=844)
    login(reviewer, base, "leader", PASSWORD)
    reviewer.goto(draft_url)
    reviewer.locator("form[data-action=approve] button").click()
    reviewer.wait_for_load_state("networkidle")
    publish = reviewer.locator("form[data-action=publish]")
    publish.locator("summary").click()
    publish.locator("input[name$=publish_no]").fill("X开发委〔2026〕15号")
    publish.locator("input[name$=date]").fill("2026-10-01")
    publish.locator("button[type=submit]").click()
    reviewer.wait_for_load_state("networkidle")
    assert reviewer.get_by_test_id("state").inner_text() == "已发布"
    shot(reviewer, "powers-published")

    with reviewer.expect_download() as download:
        reviewer.get_by_test_id("export-xlsx").click()
    with open(download.value.path(), "rb") as f:
        ws = load_workbook(io.BytesIO(f.read())).active
    codes = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert "KFQ-E2E-1" in codes and len(codes) == 42
    reviewer.get_by_test_id("diff").click()
    reviewer.wait_for_load_state("networkidle")
    assert reviewer.get_by_test_id("diff-added").get_by_text("KFQ-E2E-1").is_visible()
