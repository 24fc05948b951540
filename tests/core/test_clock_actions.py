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
    call = _api(client_for, world.leader)
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
    leader = _api(client_for, world.leader)
    r = leader("post", f"/api/test/clock-owners/{world.department.pk}/clocks/{other.pk}/pause/", {"reason": "supplement"})
    assert r.status_code == 404
    # bad input: 400 with the field named, nothing changed
    r = leader("post", f"{base}/extend/", {"amount": 0, "reason": "x"})
    assert r.status_code == 400 and "amount" in r.json()["fields"]
    assert DeadlineClock.objects.get(pk=running.pk).state == ClockState.RUNNING
