"""The meetings API: schedule, attendance, agenda, decisions, the state tables' actions (422 naming the state and
the allowed actions, 409 stale, 400 with field names), and scoping between two units of one zone."""

import datetime
import io

import pytest
from docx import Document

from kaifaqu.meetings import services
from kaifaqu.meetings.models import Decision, Meeting
from tests.meetings.conftest import at


@pytest.fixture
def api(api_for):
    return api_for


def test_a_meeting_through_the_api(units, body, api, client_for, time_machine):
    w = units
    time_machine.move_to(at(2026, 3, 2, 9), tick=False)
    leader = api(w.leader)
    r = leader.post("/api/v1/meetings/", {"kind": "weekly", "title": "", "starts_at": "x", "place": "会议室"},
                    format="json")
    assert r.status_code == 400 and {"kind", "title", "starts_at"} <= set(r.json()["fields"])
    r = leader.post("/api/v1/meetings/", {"kind": "joint", "title": "第一次联席会议", "place": "管委会三楼会议室",
                                          "starts_at": "2026-03-02T09:00:00+08:00"}, format="json")
    assert r.status_code == 201, r.json()
    body_ = r.json()
    pk = body_["id"]
    assert body_["convener_name"] == "韩志红" and len(body_["attendance"]) == 5
    r = leader.post(f"/api/v1/meetings/{pk}/hold/", {}, format="json")
    assert r.status_code == 422 and "议题" in r.json()["detail"]
    r = leader.post(f"/api/v1/meetings/{pk}/agenda/", {"title": "园区道路改造", "presenter": w.street_org.pk},
                    format="json")
    assert r.status_code == 200 and r.json()["agenda"][0]["presenter_name"] == "东城街道"
    r = leader.post(f"/api/v1/meetings/{pk}/attendance/", {"rows": [
        {"org": w.street2.pk, "present": False, "note": "请假"}, {"person": "王秘书", "present": True,
                                                                 "capacity": "invited"}]}, format="json")
    assert r.status_code == 200
    rows = {(a["org_name"], a["person"]): a for a in r.json()["attendance"]}
    assert rows[("西城街道", "")]["present"] is False and rows[(None, "王秘书")]["capacity"] == "invited"
    r = leader.post(f"/api/v1/meetings/{pk}/issue-minutes/", {}, format="json")
    assert r.status_code == 422
    assert r.json()["state"] == "planned" and r.json()["allowed_actions"] == ["hold", "cancel"]
    version = Meeting.objects.get(pk=pk).version
    assert leader.post(f"/api/v1/meetings/{pk}/hold/", {"version": version - 1}, format="json").status_code == 409
    assert leader.post(f"/api/v1/meetings/{pk}/hold/", {"version": version}, format="json").status_code == 200
    r = leader.post(f"/api/v1/meetings/{pk}/decisions/", {"content": "修复道路", "owner": w.street_org.pk,
                                                          "due_date": "2026-03-08"}, format="json")
    assert r.status_code == 422 and "due_date" in r.json()["fields"]  # a Sunday
    r = leader.post(f"/api/v1/meetings/{pk}/decisions/", {"content": "修复道路", "owner": w.other_org.pk,
                                                          "due_date": "2026-03-09"}, format="json")
    assert r.status_code == 400 and "owner" in r.json()["fields"]
    r = leader.post(f"/api/v1/meetings/{pk}/decisions/", {"content": "修复道路", "owner": w.street_org.pk,
                                                          "due_date": "2026-03-09"}, format="json")
    assert r.status_code == 201 and r.json()["clock"]["due_at"].startswith("2026-03-09T23:59:59")
    decision = r.json()["id"]
    street = api(w.street)
    assert street.get(f"/api/v1/meetings/{pk}/").json()["attendance"] == []  # a unit reads its decisions only
    r = street.post(f"/api/v1/meeting-decisions/{decision}/report/", {"payload": {"report": "已修复"}}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "reported"
    assert street.post(f"/api/v1/meeting-decisions/{decision}/accept/", {}, format="json").status_code == 403
    r = leader.post(f"/api/v1/meeting-decisions/{decision}/accept/", {"note": "验收合格"}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "accepted"
    r = leader.post(f"/api/v1/meetings/{pk}/issue-minutes/", {}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "minuted"
    url = r.json()["minutes_url"]
    download = client_for(w.leader).get(url)  # the attachment download (a page: session login)
    assert download.status_code == 200
    doc = Document(io.BytesIO(b"".join(download.streaming_content)))
    assert any("修复道路" in c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert client_for(w.street).get(url).status_code == 200  # the owner unit reads the minutes too
    assert client_for(w.street2_user).get(url).status_code == 404
    assert client_for(w.outsider).get(url).status_code == 404


def test_units_of_one_zone_see_their_own_decisions_only(units, held, api, time_machine):
    w = units
    time_machine.move_to(at(2026, 3, 2, 9), tick=False)
    m = held(at(2026, 3, 2, 9))
    mine = services.do_add_decision(w.leader, m, content="东城街道事项", owner=w.street_org,
                                    due_date=datetime.date(2026, 3, 9))
    theirs = services.do_add_decision(w.leader, m, content="西城街道事项", owner=w.street2,
                                      due_date=datetime.date(2026, 3, 9))
    street = api(w.street)
    assert [d["id"] for d in street.get("/api/v1/meeting-decisions/").json()["results"]] == [mine.pk]
    assert street.get(f"/api/v1/meeting-decisions/{theirs.pk}/").status_code == 404
    r = street.post(f"/api/v1/meeting-decisions/{theirs.pk}/report/", {"payload": {"report": "x"}}, format="json")
    assert r.status_code == 404
    assert [d["id"] for d in street.get(f"/api/v1/meetings/{m.pk}/").json()["decisions"]] == [mine.pk]
    assert [x["id"] for x in street.get("/api/v1/meetings/").json()["results"]] == [m.pk]
    outsider = api(w.outsider)
    assert outsider.get(f"/api/v1/meetings/{m.pk}/").status_code == 404
    assert outsider.get("/api/v1/meeting-decisions/").json()["results"] == []
    other = api(w.enterprise)  # no meetings permission: nothing listed
    assert other.get("/api/v1/meeting-decisions/").json()["results"] == []
    leader = api(w.leader)
    listed = leader.get("/api/v1/meeting-decisions/", {"owner": w.street2.pk}).json()["results"]
    assert {d["id"] for d in listed} == {theirs.pk}
    assert Decision.objects.visible_to(w.street2_user).get() == theirs


def test_lists_run_a_fixed_number_of_queries(units, held, api, time_machine):
    w = units
    time_machine.move_to(at(2026, 3, 2, 9), tick=False)
    m = held(at(2026, 3, 2, 9))
    leader = api(w.leader)
    leader.get("/api/v1/meeting-decisions/")  # per-process caches warm
    services.do_add_decision(w.leader, m, content="事项一", owner=w.street_org, due_date=datetime.date(2026, 3, 9))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        leader.get("/api/v1/meeting-decisions/")
    for i in range(5):
        services.do_add_decision(w.leader, m, content=f"事项{i}", owner=w.street2, due_date=datetime.date(2026, 3, 9))
    with CaptureQueriesContext(connection) as six:
        leader.get("/api/v1/meeting-decisions/")
    assert len(six) == len(one)
