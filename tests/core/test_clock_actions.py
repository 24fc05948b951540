"""ClockActionsMixin: any module's clock owner gets pause/resume/extend endpoints, scoped through the owner."""

import pytest

from kaifaqu.core import clock
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.clock.models import ClockState, DeadlineClock

pytestmark = pytest.mark.urls("tests.core.clock_urls")


def _api(client_for, user):
    c = client_for(user)
    return lambda method, url, data=None: getattr(c, method)(url, data or {}, content_type="application/json")


@pytest.fixture
def running(world):
    return clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=10)


def test_pause_resume_extend_through_the_owner(world, client_for, running):
    call = _api(client_for, world.hr)
    base = f"/api/test/clock-owners/{world.department.pk}/clocks/"
    listed = call("get", base)
    assert listed.status_code == 200 and [c["id"] for c in listed.json()] == [running.pk]
    due = listed.json()[0]["due_at"]

    r = call("post", f"{base}{running.pk}/pause/", {"reason": "supplement", "reason_text": "补正材料"})
    assert r.status_code == 200, r.content
    assert r.json()["state"] == ClockState.PAUSED and r.json()["status_label"] == "已暂停"
    assert call("post", f"{base}{running.pk}/pause/", {"reason": "supplement"}).json()["code"] == "rule_violation"

    r = call("post", f"{base}{running.pk}/resume/")
    assert r.status_code == 200 and r.json()["state"] == ClockState.RUNNING

    r = call("post", f"{base}{running.pk}/extend/", {"amount": 5, "reason": "情况复杂"})
    assert r.status_code == 200 and r.json()["due_at"] > due and r.json()["limit"] == 10


def test_refusals_do_not_leak(world, client_for, running):
    base = f"/api/test/clock-owners/{world.department.pk}/clocks/{running.pk}"
    # visible owner, no permission: 403; another zone: 404 as for a missing owner
    assert _api(client_for, world.street)("post", f"{base}/pause/", {"reason": "supplement"}).status_code == 403
    outsider = _api(client_for, world.outsider)
    assert outsider("post", f"{base}/pause/", {"reason": "supplement"}).status_code == 404
    missing = f"/api/test/clock-owners/999999/clocks/{running.pk}/pause/"
    assert outsider("post", missing, {"reason": "supplement"}).status_code == 404
    # a clock of another owner through this owner's route: 404
    other = clock.start(SYSTEM, world.street_org, kind="test", unit="workdays", limit=3)
    leader = _api(client_for, world.hr)
    r = leader("post", f"/api/test/clock-owners/{world.department.pk}/clocks/{other.pk}/pause/", {"reason": "supplement"})
    assert r.status_code == 404
    # bad input: 400 with the field named, nothing changed
    r = leader("post", f"{base}/extend/", {"amount": 0, "reason": "x"})
    assert r.status_code == 400 and "amount" in r.json()["fields"]
    assert DeadlineClock.objects.get(pk=running.pk).state == ClockState.RUNNING


@pytest.mark.urls("tests.core.clock_page_urls")
def test_pages_pause_and_extend(world, client_for, running):
    leader = client_for(world.hr)
    url = f"/test/owners/{world.department.pk}/clocks/{running.pk}"
    page = leader.get(f"{url}/pause/")
    assert page.status_code == 200 and "暂停原因" in page.content.decode()
    r = leader.post(f"{url}/pause/", {"reason": "other", "reason_text": ""})
    assert r.status_code == 400 and "请填写说明" in r.content.decode()
    r = leader.post(f"{url}/pause/", {"reason": "supplement"})
    assert r.status_code == 302 and r["Location"] == world.department.get_absolute_url()
    assert DeadlineClock.objects.get(pk=running.pk).state == ClockState.PAUSED
    r = leader.post(f"{url}/resume/")
    assert r.status_code == 302 and DeadlineClock.objects.get(pk=running.pk).state == ClockState.RUNNING
    r = leader.post(f"{url}/extend/", {"amount": 2, "reason": "需补充勘察"})
    assert r.status_code == 302 and DeadlineClock.objects.get(pk=running.pk).extensions.count() == 1
    # refusals: visible without permission 403, other zone 404 like a missing owner
    assert client_for(world.street).get(f"{url}/pause/").status_code == 403
    assert client_for(world.outsider).get(f"{url}/pause/").status_code == 404
    assert client_for(world.outsider).get(f"/test/owners/999999/clocks/{running.pk}/pause/").status_code == 404
