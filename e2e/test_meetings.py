"""联席会议 in Chromium: the leader opens a held meeting from the list, sees its attendance, agenda and decisions and
downloads its minutes (.docx, read back with python-docx); the owner street reports its decision done from a phone
(375 px)."""

import datetime
import io

from django.utils import timezone
from docx import Document
from tests.conftest import world  # noqa: F401 - the personas of tests/
from tests.factories import PASSWORD

from e2e.conftest import login, shot

PHONE = {"width": 375, "height": 740}


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_leader_opens_a_meeting_and_downloads_its_minutes(live_server, page_factory, world):  # noqa: F811
    from kaifaqu.accounts import two_factor
    from kaifaqu.accounts.roles import Role
    from kaifaqu.core import calendar
    from kaifaqu.core.access import SYSTEM
    from kaifaqu.meetings import services
    from kaifaqu.meetings.models import Decision

    two_factor.do_set_policy(SYSTEM, {role: False for role in Role})  # as in the demo: no second factor here
    services.do_set_body(world.leader, world.zone, name="示范经济开发区联席会议", convener_name="韩志红",
                         convener_title="市政府副市长", members=[world.street_org, world.city_dept, world.department])
    started = timezone.now() - datetime.timedelta(hours=3)
    m = services.do_schedule(world.leader, world.zone, kind="joint", title="示范经济开发区第四季度联席会议",
                             starts_at=started, place="管委会三楼会议室")
    services.do_add_agenda_item(world.leader, m, title="三期地块征地拆迁推进", presenter=world.street_org)
    services.do_set_attendance(world.leader, m, [{"org": world.department, "present": False, "note": "请假"}])
    m = services.act(world.leader, m, "hold")
    due = calendar.add_workdays(timezone.localdate(), 5)
    services.do_add_decision(world.leader, m, content="东城街道完成剩余拆迁协议签订", owner=world.street_org,
                             due_date=due, agenda_item=m.agenda.get())
    m.refresh_from_db()
    services.act(world.leader, m, "issue_minutes")

    leader = page_factory()
    login(leader, live_server.url, world.leader.username, PASSWORD)
    leader.goto(f"{live_server.url}/meetings/")
    leader.get_by_role("link", name=m.number).click()
    leader.wait_for_load_state("networkidle")
    assert leader.get_by_test_id("meeting-state").inner_text() == "纪要已印发"
    assert "经济发展处" in leader.get_by_test_id("attendance").inner_text()
    assert "缺席" in leader.get_by_test_id("attendance").inner_text()
    assert "三期地块征地拆迁推进" in leader.get_by_test_id("agenda").inner_text()
    assert "东城街道完成剩余拆迁协议签订" in leader.get_by_test_id("decisions").inner_text()
    shot(leader, "meeting-detail")
    with leader.expect_download() as info:
        leader.get_by_test_id("minutes-download").click()
    download = info.value
    assert download.suggested_filename == f"{m.number}会议纪要.docx"
    doc = Document(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    paragraphs = [p.text for p in doc.paragraphs]
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "示范经济开发区第四季度联席会议纪要" in paragraphs
    assert "管委会三楼会议室" in cells and "韩志红" in cells
    assert "东城街道完成剩余拆迁协议签订" in cells and f"{due.year}年{due.month}月{due.day}日" in cells
    assert "缺席" in cells

    phone = page_factory(**PHONE)
    login(phone, live_server.url, world.street.username, PASSWORD)
    phone.goto(f"{live_server.url}/meetings/decisions/mine/")
    card = phone.get_by_test_id("decision").first
    assert "东城街道完成剩余拆迁协议签订" in card.inner_text() and "剩余" in card.inner_text()
    assert fits(phone)
    phone.locator("summary", has_text="报办结").click()
    phone.locator("#id_report_report").fill("已全部签订拆迁协议。")
    phone.get_by_role("button", name="确认报办结").click()
    phone.wait_for_load_state("networkidle")
    assert Decision.objects.get().state == "reported"
    assert fits(phone)
    shot(phone, "meeting-decision-phone")
