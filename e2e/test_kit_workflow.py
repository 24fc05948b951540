"""Workflow pages of the test-only ticket app in Chromium: the reason box opens without script, a missing reason
comes back next to the field, the action posts and the timeline shows it."""

import pytest
from tests.conftest import world  # noqa: F401 - the personas of tests/
from tests.factories import PASSWORD
from tests.kit.conftest import kit_perms  # noqa: F401 - the test app's permissions, as in tests/kit

from e2e.conftest import login, shot

pytestmark = pytest.mark.urls("tests.kitapp.urls")


def test_clerk_closes_and_reopens_a_ticket(live_server, page_factory, world, kit_perms):  # noqa: F811 - fixtures
    from tests.kitapp.services import create_ticket

    ticket = create_ticket(world.clerk, world.department, "路灯不亮")
    page = page_factory()
    login(page, live_server.url, world.clerk.username, PASSWORD)
    page.goto(f"{live_server.url}/kit/tickets/{ticket.pk}/")
    actions = page.get_by_test_id("actions")
    note = page.locator("#id_close_note")
    assert not note.is_visible()
    actions.locator("summary", has_text="办结").click()
    assert note.is_visible()
    actions.get_by_role("button", name="确认办结").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("请填写办结说明。").is_visible()
    shot(page, "kit-close-missing-reason")

    page.locator("#id_close_note").fill("已更换灯泡")
    page.get_by_role("button", name="确认办结").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("已办结。").first.is_visible()
    assert page.get_by_test_id("state").inner_text() == "已办结"
    timeline = page.get_by_test_id("timeline")
    assert timeline.get_by_text("已更换灯泡").is_visible()
    assert timeline.get_by_text("处理中 → 已办结").is_visible()
    shot(page, "kit-closed")

    page.get_by_test_id("actions").locator("summary", has_text="重新打开").click()
    page.locator("#id_reopen_days").fill("3")
    page.get_by_role("button", name="确认重新打开").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("state").inner_text() == "处理中"
    assert page.get_by_test_id("timeline-clocks").locator("li").count() == 2
