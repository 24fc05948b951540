"""Pages: blowing from the form, the unit's inbox and actions, the zone's answers, the policy and the figures."""

import pytest

from kaifaqu.core.workbench import entries_for
from kaifaqu.whistle.models import Assignment, Whistle
from kaifaqu.whistle.services import act
from tests.whistle.conftest import at


def test_leader_blows_from_the_form_and_the_unit_finds_it_in_its_inbox(world, client_for):
    c = client_for(world.leader)
    assert c.get("/whistle/new/").status_code == 200
    r = c.post("/whistle/new/", {"kind": "key_task", "title": "地块控规调整", "description": "三期地块需调整控规",
                                 "matter": "规划用地", "park": world.park.pk, "place": "三期",
                                 "lead": world.city_dept.pk, "supporters": [world.street_org.pk]})
    w = Whistle.objects.get()
    assert r.status_code == 302 and r["Location"] == w.get_absolute_url()
    page = client_for(world.city_clerk).get("/whistle/inbox/").content.decode()
    assert "地块控规调整" in page and 'data-testid="time-left"' in page and "data-clock-status" in page
    assert "地块控规调整" not in client_for(world.stationed).get("/whistle/inbox/").content.decode()
    detail = c.get(w.get_absolute_url()).content.decode()
    assert "市自然资源和规划局" in detail and "东城街道" in detail and "吹哨" in detail


def test_blow_form_errors_stay_on_the_form(world, client_for):
    r = client_for(world.leader).post("/whistle/new/", {"kind": "key_task", "title": "", "description": "x",
                                                        "matter": "其他", "lead": world.city_dept.pk})
    assert r.status_code == 400 and not Whistle.objects.exists()
    assert client_for(world.street).get("/whistle/new/").status_code == 403


def test_the_unit_acts_from_its_page(world, client_for, blow):
    w = blow()
    a = w.assignments.get()
    c = client_for(world.city_clerk)
    page = c.get(a.get_absolute_url()).content.decode()
    assert 'data-action="report_in"' in page and 'data-action="return"' in page
    r = c.post(f"/whistle/assignments/{a.pk}/do/report_in/", {"version": a.version})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.state == "reported"
    r = c.post(f"/whistle/assignments/{a.pk}/do/solve/", {"version": a.version, "result": ""})
    assert r.status_code == 400 and "办理结果" in r.content.decode()
    r = c.post(f"/whistle/assignments/{a.pk}/do/report_in/", {"version": a.version})
    assert r.status_code == 422 and "已报到" in r.content.decode()
    assert client_for(world.street).post(f"/whistle/assignments/{a.pk}/do/solve/", {}).status_code == 404


def test_evidence_upload_is_the_units_own(world, client_for, blow):
    from django.core.files.uploadedfile import SimpleUploadedFile

    w = blow()
    a = w.assignments.get()
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    r = client_for(world.city_clerk).post(f"/whistle/assignments/{a.pk}/evidence/",
                                          {"file": SimpleUploadedFile("现场.png", png)})
    assert r.status_code == 302
    page = client_for(world.city_clerk).get(a.get_absolute_url()).content.decode()
    assert "现场.png" in page
    from kaifaqu.core.files.models import Attachment

    assert Attachment.objects.get().object_id == str(a.pk)
    assert client_for(world.clerk).post(f"/whistle/assignments/{a.pk}/evidence/", {}).status_code == 403


def test_zone_answers_an_extension_and_redispatches_from_the_whistle_page(world, client_for, blow):
    w = blow()
    a = w.assignments.get()
    act(world.city_clerk, a, "report_in")
    act(world.city_clerk, a, "request_extension", note="需勘测", payload={"amount": 1})
    c = client_for(world.leader)
    page = c.get(w.get_absolute_url()).content.decode()
    assert 'data-testid="extension-answer"' in page
    w.refresh_from_db()
    r = c.post(f"/whistle/{w.pk}/do/grant_extension/", {"assignment": a.pk, "version": w.version})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.extensions == 1
    w2 = blow(title="错派")
    b = w2.assignments.get()
    act(world.city_clerk, b, "return", note="非本局职责")
    w2.refresh_from_db()
    assert 'data-testid="redispatch"' in c.get(w2.get_absolute_url()).content.decode()
    r = c.post(f"/whistle/{w2.pk}/do/redispatch/", {"assignment": b.pk, "org": world.street_org.pk,
                                                     "version": w2.version, "note": "改派街道"})
    assert r.status_code == 302
    assert Assignment.objects.filter(whistle=w2, org=world.street_org, replaces=b).exists()


def test_policy_and_figures_pages(world, client_for, blow):
    c = client_for(world.leader)
    assert c.get("/whistle/policy/").status_code == 200
    r = c.post("/whistle/policy/edit/?kind=emergency", {"report_in_limit": 20, "solve_limit": 12,
                                                         "supervise_after": 1, "escalate_after": 2})
    assert r.status_code == 302
    assert client_for(world.clerk).get("/whistle/policy/edit/?kind=emergency").status_code == 403
    r = c.post("/whistle/policy/scoring/", {"basic_weight": "0.8", "w_response": 25, "w_solve": 25, "w_on_time": 25,
                                            "w_satisfaction": 25, "penalty_return": 10, "penalty_rework": 10})
    assert r.status_code == 302
    blow()
    page = c.get("/whistle/metrics/?period=2026").content.decode()
    assert "市自然资源和规划局" in page and 'data-testid="ranking"' in page
    assert c.get("/whistle/metrics/?period=2026-13").status_code == 400
    r = c.get("/whistle/metrics/?period=2026&export=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert c.get("/whistle/?export=xlsx").status_code == 200


@pytest.mark.parametrize("persona", ["city_clerk", "leader"])
def test_workbench_entries_run_a_fixed_number_of_queries(world, blow, persona, django_assert_max_num_queries,
                                                          time_machine):
    time_machine.move_to(at(2026, 3, 2, 10), tick=False)
    for i in range(7):
        blow(title=f"第{i}件")
    user = world.users[persona]
    user.scope  # noqa: B018
    from kaifaqu.core import registry

    ours = registry._workbench["whistle"]
    with django_assert_max_num_queries(4):
        found = [fn(user, user.scope, at(2026, 3, 2, 10).date()) for fn in ours]
    found = {e.key: e for e in found if e is not None}
    if persona == "city_clerk":
        inbox = found["whistle-inbox"]
        assert inbox.count == 7 and len(inbox.items) == 5 and inbox.items[0].clock is not None
        assert "剩余" in inbox.items[0].note
    else:
        assert found["whistle-zone"].count == 0
    assert any(e.key.startswith("whistle") for e in entries_for(user)) or persona == "leader"
