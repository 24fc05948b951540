"""The system administrator in Chromium: a new zone with its committee, its working hours, the calendar's reach."""

import os

from django.utils import timezone

from e2e.conftest import login, shot

PASSWORD = os.environ.get("KAIFAQU_DEMO_PASSWORD", "Kfq@2026demo")


def test_new_zone_working_hours_and_calendar_coverage(demo_site, page_factory):
    from kaifaqu.core import calendar

    base = demo_site.url
    page = page_factory()
    login(page, base, "admin_sys", PASSWORD)
    warning = calendar.expiry_warning(timezone.localdate())
    assert page.get_by_test_id("calendar-expiry").count() == (1 if warning else 0)

    page.locator("aside a[href='/org/zones/']").click()
    page.get_by_test_id("create").click()
    page.fill("#id_name", "丙县经济开发区")
    page.fill("#id_code", "bingxian")
    page.select_option("#id_kind", "economic")
    page.select_option("#id_level", "provincial")
    page.fill("#id_city", "丙市")
    page.fill("#id_county", "丙县")
    shot(page, "zone-create")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1", has_text="丙县经济开发区").is_visible()
    assert page.get_by_test_id("org-tree").get_by_text("丙县经济开发区党工委（管委会）").is_visible()

    page.goto(f"{base}/core/calendar/")
    until = calendar.known_until(timezone.localdate())
    assert f"{until.year}年{until.month}月{until.day}日" in page.get_by_test_id("calendar-coverage").inner_text()
    page.get_by_role("link", name="设置工作时间").click()
    page.select_option("#id_zone", label="丙县经济开发区")
    page.fill("#id_periods", "09:00-12:30, 12:00-18:00")
    page.get_by_role("button", name="保存").click()
    assert "重叠" in page.locator("form.card").inner_text()
    page.fill("#id_periods", "09:00-12:00, 14:00-18:00")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    hours = page.locator("#working-hours").inner_text()
    assert "丙县经济开发区：09:00–12:00、14:00–18:00" in hours and "全平台：08:30–12:00、13:30–17:30（默认）" in hours
    shot(page, "working-hours")


def test_cancel_on_a_form_goes_back_without_inline_script(demo_site, page_factory):
    page = page_factory()
    login(page, demo_site.url, "admin_sys", PASSWORD)
    page.locator("aside a[href='/org/zones/']").click()
    page.wait_for_load_state("networkidle")
    page.get_by_test_id("create").click()
    page.wait_for_load_state("networkidle")
    page.get_by_test_id("cancel").click()
    page.wait_for_url(f"{demo_site.url}/org/zones/")
