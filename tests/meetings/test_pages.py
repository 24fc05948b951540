"""Pages: schedule, attendance, agenda, hold, decisions, minutes; the unit's own decisions and the zone's open
decisions by unit with their badges; the body; the 工作台 entries and their fixed query counts."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaifaqu.core import tick, workbench
from kaifaqu.meetings import services
from kaifaqu.meetings.models import Decision, Meeting
from tests.meetings.conftest import at


def test_a_meeting_through_the_pages(units, body, client_for, time_machine):
    w = units
    time_machine.move_to(at(2026, 3, 2, 9), tick=False)
    leader = client_for(w.leader)
    assert leader.get("/meetings/new/").status_code == 200
    r = leader.post("/meetings/new/", {"kind": "joint", "title": "", "starts_at": "2026-03-02T09:00", "place": ""})
    assert r.status_code == 400 and Meeting.objects.count() == 0
    r = leader.post("/meetings/new/", {"kind": "joint", "title": "第一次联席会议", "starts_at": "2026-03-02T09:00",
                                       "place": "管委会三楼会议室"})
    m = Meeting.objects.get()
    assert r.status_code == 302 and r["Location"] == m.get_absolute_url()
    page = leader.get(m.get_absolute_url()).content.decode()
    assert "筹备中" in page and "增加其他议题" in page and "韩志红" in page
    r = leader.post(f"/meetings/{m.pk}/agenda/add/", {"source": "free", "title": "园区道路改造",
                                                      "presenter": w.street_org.pk})
    assert r.status_code == 302 and m.agenda.get().title == "园区道路改造"
    form = leader.get(f"/meetings/{m.pk}/attendance/")
    assert form.status_code == 200 and "西城街道" in form.content.decode()
    rows = {a.org_id: a for a in m.attendance.all()}
    data = {"version": Meeting.objects.get(pk=m.pk).version}
    for a in rows.values():
        data[f"present_{a.pk}"] = "on"
    del data[f"present_{rows[w.street2.pk].pk}"]
    data[f"note_{rows[w.street2.pk].pk}"] = "请假"
    assert leader.post(f"/meetings/{m.pk}/attendance/", data).status_code == 302
    assert not m.attendance.get(org=w.street2).present
    m.refresh_from_db()
    r = leader.post(f"/meetings/{m.pk}/do/hold/", {"version": m.version})
    assert r.status_code == 302 and Meeting.objects.get(pk=m.pk).state == "held"
    r = leader.post(f"/meetings/{m.pk}/decisions/add/", {"content": "修复道路", "owner": w.street_org.pk,
                                                         "due_date": "2026-03-07"})
    assert r.status_code == 422 and "办结期限须为工作日" in r.content.decode()
    r = leader.post(f"/meetings/{m.pk}/decisions/add/", {"content": "修复道路", "owner": w.street_org.pk,
                                                         "due_date": "2026-03-09"})
    assert r.status_code == 302
    d = Decision.objects.get()
    r = leader.post(f"/meetings/{m.pk}/do/issue_minutes/", {"version": Meeting.objects.get(pk=m.pk).version})
    assert r.status_code == 302
    page = leader.get(m.get_absolute_url()).content.decode()
    assert "下载会议纪要（Word）" in page and "纪要已印发" in page
    link = re.search(r'href="(/core/files/\d+/)" data-testid="minutes-download"', page).group(1)
    assert leader.get(link).status_code == 200
    # the unit answers from its page
    street = client_for(w.street)
    mine = street.get("/meetings/decisions/mine/").content.decode()
    assert "修复道路" in mine and "确认报办结" in mine
    r = street.post(f"/meetings/decisions/{d.pk}/do/report/", {"version": d.version, "report": ""})
    assert r.status_code == 400 and Decision.objects.get().state == "open"
    r = street.post(f"/meetings/decisions/{d.pk}/do/report/", {"version": d.version, "report": "已修复"})
    assert r.status_code == 302 and Decision.objects.get().state == "reported"
    assert client_for(w.street2_user).get(f"/meetings/decisions/{d.pk}/").status_code == 404
    assert client_for(w.street2_user).get(m.get_absolute_url()).status_code == 404


def test_open_decisions_by_unit_with_badges(units, held, client_for, time_machine):
    w = units
    time_machine.move_to(at(2026, 3, 2, 9), tick=False)
    m = held(at(2026, 3, 2, 9))
    services.do_add_decision(w.leader, m, content="逾期事项", owner=w.street_org, due_date=datetime.date(2026, 3, 4))
    services.do_add_decision(w.leader, m, content="预警事项", owner=w.street2, due_date=datetime.date(2026, 3, 6))
    services.do_add_decision(w.leader, m, content="正常事项", owner=w.street2, due_date=datetime.date(2026, 3, 31))
    time_machine.move_to(at(2026, 3, 5, 9), tick=False)
    tick.run()
    page = client_for(w.leader).get("/meetings/decisions/open/").content.decode()
    assert "未办结 3 项，其中逾期 1 项、预警 1 项" in page
    assert page.index("东城街道") < page.index("西城街道")  # the unit with overdue decisions first
    assert "催办 1" in page and "已超时" in page
    mine = client_for(w.street2_user).get("/meetings/decisions/mine/").content.decode()
    assert "预警事项" in mine and "逾期事项" not in mine
    assert client_for(w.street).get("/meetings/decisions/open/").status_code == 403
    ledger = client_for(w.leader).get("/meetings/decisions/", {"overdue": "true"})
    assert [d.content for d in ledger.context["object_list"]] == ["逾期事项"]
    export = client_for(w.leader).get("/meetings/decisions/", {"export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_body_page_and_edit(units, body, client_for):
    w = units
    page = client_for(w.cityleader).get("/meetings/body/").content.decode()
    assert "韩志红（市政府副市长）" in page and "西城街道" in page and "设置" not in page.split("联席会议制度")[-1][:50]
    assert client_for(w.clerk).get("/meetings/body/edit/").status_code == 403
    r = client_for(w.leader).post("/meetings/body/edit/", {
        "name": "示范经济开发区联席会议", "convener_name": "韩志红", "convener_title": "副市长", "convener": "",
        "members": [w.street_org.pk], "version": body.version})
    assert r.status_code == 302
    body.refresh_from_db()
    assert body.convener_title == "副市长" and list(body.members.filter(active=True).values_list("org", flat=True)) == [
        w.street_org.pk]
    r = client_for(w.leader).post("/meetings/body/edit/", {
        "name": "示范经济开发区联席会议", "convener_name": "韩志红", "members": [w.street_org.pk],
        "version": body.version - 1})
    assert r.status_code == 409


def test_workbench_entries_in_a_fixed_number_of_queries(units, held, time_machine):
    w = units
    time_machine.move_to(at(2026, 3, 2, 9), tick=False)
    m = held(at(2026, 3, 2, 9))
    services.do_add_decision(w.leader, m, content="东城事项", owner=w.street_org, due_date=datetime.date(2026, 3, 9))
    for i in range(4):
        d = services.do_add_decision(w.leader, m, content=f"西城事项{i}", owner=w.street2,
                                     due_date=datetime.date(2026, 3, 9))
    services.act(w.street2_user, d, "report", payload={"report": "已办"})
    from kaifaqu.meetings.workbench import inbox, zone_tasks

    counts = []
    inbox(w.street, w.street.scope, None)  # per-process caches warm
    for user in (w.street, w.street2_user):
        with CaptureQueriesContext(connection) as q:
            entry = inbox(user, user.scope, datetime.date(2026, 3, 2))
        counts.append(len(q))
        assert entry.items and all(item.clock is not None for item in entry.items)
    assert counts[0] == counts[1]
    assert inbox(w.street, w.street.scope, None).count == 1 and inbox(w.street2_user, w.street2_user.scope,
                                                                      None).count == 3
    leader_entry = zone_tasks(w.leader, w.leader.scope, None)
    assert leader_entry.count == 1 and leader_entry.items[0].note == "已报办结，待验收"
    assert zone_tasks(w.street, w.street.scope, None) is None
    titles = [e.title for e in workbench.entries_for(w.street)]
    assert "待办议定事项" in titles
