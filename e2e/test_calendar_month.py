"""The month view of the working-day calendar on a phone: a zone clerk pages to next February (provisional when the
State Council has not published it yet), sees the sources and the legend; the page fits the screen."""

import os

from django.utils import timezone

from e2e.conftest import login, shot

PASSWORD = os.environ.get("KAIFAQU_DEMO_PASSWORD", "Kfq@2026demo")


def test_month_view_on_a_phone(demo_site, page_factory):
    from kaifaqu.core import calendar

    base = demo_site.url
    page = page_factory(width=390, height=844)
    login(page, base, "zhaoshang", PASSWORD)
    page.goto(f"{base}/core/calendar/month/")
    today = timezone.localdate()
    assert page.locator("h1").inner_text().startswith(f"{today.year}年{today.month}月")
    year = today.year + 1
    page.goto(f"{base}/core/calendar/month/?year={year}&month=1")
    page.get_by_test_id("calendar-next").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith(f"{year}年2月")
    status = page.get_by_test_id("calendar-status").inner_text()
    assert ("预估" in status) == (calendar.year_status(year) == calendar.PROVISIONAL)
    special = page.get_by_test_id("calendar-special").inner_text()
    assert "春节" in special
    assert page.get_by_test_id("calendar-legend").is_visible()
    assert page.get_by_test_id("calendar-add-override").count() == 0  # read-only for a clerk
    # Seven columns fit a 390 px screen: the grid neither scrolls sideways nor reaches past the screen.
    grid = page.get_by_test_id("calendar-month")
    box = grid.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert grid.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")
    shot(page, "calendar-month-phone")
