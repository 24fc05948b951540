"""吹哨报到 in Chromium: the leader blows a key-task whistle; 自然资源和规划局 reports in and submits a plan from a
phone (375 px); tick makes the supporting street overdue and the leader sees the urge on the timeline; the leader
visits and rates 不满意; the lead unit sees the rework on its phone."""

import datetime

from django.utils import timezone
from tests.conftest import world  # noqa: F401 - the personas of tests/
from tests.factories import PASSWORD

from e2e.conftest import login, shot

PHONE = {"width": 375, "height": 740}


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_whistle_blown_answered_urged_rated_and_reworked(live_server, page_factory, world):  # noqa: F811
    from kaifaqu.accounts import two_factor
    from kaifaqu.accounts.roles import Role
    from kaifaqu.core import calendar, tick
    from kaifaqu.core.access import SYSTEM
    from kaifaqu.whistle.models import Assignment, Whistle
    from kaifaqu.whistle.services import act

    two_factor.do_set_policy(SYSTEM, {role: False for role in Role})  # as in the demo: no second factor here
    leader = page_factory()
    login(leader, live_server.url, world.leader.username, PASSWORD)
    leader.goto(f"{live_server.url}/whistle/new/")
    leader.select_option("#id_kind", "key_task")
    leader.fill("#id_title", "三期地块控规调整")
    leader.fill("#id_description", "三期地块控规与规划道路冲突，需调整。")
    leader.select_option("#id_matter", "规划用地")
    leader.select_option("#id_lead", label=world.city_dept.name)
    leader.get_by_label(world.street_org.name).check()
    leader.get_by_role("button", name="吹哨").click()
    leader.wait_for_load_state("networkidle")
    assert leader.get_by_text("已吹哨").first.is_visible()
    whistle = Whistle.objects.get()
    assert leader.get_by_test_id("assignment").count() == 2
    shot(leader, "whistle-blown")

    phone = page_factory(**PHONE)
    login(phone, live_server.url, world.city_clerk.username, PASSWORD)
    phone.goto(f"{live_server.url}/whistle/inbox/")
    item = phone.get_by_test_id("inbox-item").first
    assert "三期地块控规调整" in item.inner_text() and "剩余" in item.inner_text()
    assert fits(phone)
    item.click()
    phone.wait_for_load_state("networkidle")
    assert fits(phone)
    phone.get_by_role("button", name="报到").click()
    phone.wait_for_load_state("networkidle")
    assert phone.get_by_test_id("assignment-state").inner_text() == "已报到"
    phone.locator("summary", has_text="提交方案").click()
    phone.locator("#id_plan_plan").fill("会同规划部门调整控规，分两步实施。")
    committed = calendar.add_workdays(timezone.localdate(), 5)
    phone.locator("#id_plan_committed_date").fill(committed.isoformat())
    phone.get_by_role("button", name="确认提交方案").click()
    phone.wait_for_load_state("networkidle")
    assert phone.get_by_test_id("assignment-state").inner_text() == "个案研究（方案已报）"
    assert fits(phone)
    shot(phone, "whistle-phone-planned")

    # tick, once the street's report-in limit has passed: the supporting street is urged
    street = Assignment.objects.get(whistle=whistle, org=world.street_org)
    tick.run(now=street.report_clock.due_at + datetime.timedelta(seconds=1))
    leader.reload()
    timeline = leader.get_by_test_id("timeline")
    urge = timeline.locator("[data-step='催办']")
    assert urge.count() == 1 and world.street_org.name in urge.inner_text()
    shot(leader, "whistle-urged")

    phone.locator("summary", has_text="解决").click()
    phone.locator("#id_solve_result").fill("控规调整已报批通过。")
    phone.get_by_role("button", name="确认解决").click()
    phone.wait_for_load_state("networkidle")
    act(world.street, street, "report_in")
    act(world.street, street, "solve", payload={"result": "已配合完成"})

    leader.reload()
    assert leader.get_by_test_id("whistle-state").inner_text() == "待回访"
    leader.locator("summary", has_text="回访").click()
    leader.locator("#id_visit_note").fill("电话回访，企业反映道路仍未贯通。")
    leader.get_by_role("button", name="确认回访").click()
    leader.wait_for_load_state("networkidle")
    leader.locator("summary", has_text="评价").click()
    leader.select_option("#id_rate_rating", "unsatisfied")
    leader.locator("#id_rate_comment").fill("道路仍未贯通，请重办。")
    leader.get_by_role("button", name="确认评价").click()
    leader.wait_for_load_state("networkidle")
    assert leader.get_by_test_id("whistle-state").inner_text() == "办理中"
    assert leader.get_by_test_id("timeline").locator("[data-step='重办']").count() == 2  # the whistle and the lead

    phone.reload()
    assert phone.get_by_test_id("assignment-state").inner_text() == "已报到"
    assert phone.get_by_text("重办 1").is_visible()
    assert fits(phone)
    shot(phone, "whistle-phone-rework")
