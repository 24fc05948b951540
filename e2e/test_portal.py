"""The public site on a phone, without login: a citizen finds an item of the published power list by search, opens
it, and downloads the list as a workbook."""

import io

from openpyxl import load_workbook

from e2e.conftest import shot


def test_anonymous_visitor_searches_opens_and_downloads(demo_site, page_factory):
    base = demo_site.url
    page = page_factory(width=375, height=812)
    page.goto(f"{base}/gongkai/?zone=demo")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.keyboard.press("Tab")  # the first stop is the skip link
    assert page.evaluate("document.activeElement.textContent") == "跳到主要内容"
    assert page.get_by_role("link", name="办事指南").first.is_visible()
    page.get_by_label("搜索事项").fill("建设工程规划许可")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_load_state("networkidle")
    assert "已筛选" in page.get_by_test_id("result-count").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling on a phone
    shot(page, "portal-search-phone")

    page.get_by_role("link", name="建设工程规划许可证核发（建筑类）").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("item-name").inner_text() == "建设工程规划许可证核发（建筑类）"
    assert page.get_by_text("责任事项").is_visible() and page.get_by_text("监督电话").is_visible()
    code = page.locator("dt:text-is('事项编码') + dd").inner_text()
    shot(page, "portal-item-phone")

    page.get_by_role("link", name="权责清单").first.click()
    page.wait_for_load_state("networkidle")
    with page.expect_download() as info:
        page.get_by_test_id("export").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1:3] == ("事项编码", "事项名称") and "备注" not in rows[0]
    found = [r for r in rows[1:] if r[1] == code]
    assert found and found[0][2] == "建设工程规划许可证核发" and found[0][3] == "建筑类"
    total = page.get_by_test_id("result-count").inner_text()
    assert f"共 {len(rows) - 1} 项" in total
