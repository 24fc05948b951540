"""What the audit-log page and API return: rows, filters and zone scope (not only who is refused)."""

import datetime
import io

import pytest
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from kaifaqu.accounts.roles import Role
from kaifaqu.core import audit
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.org import services
from tests.factories import UserFactory


@pytest.fixture
def trail(world):
    """Events of both zones, a zone user's platform-wide event and the platform's own."""
    services.do_update_org(world.hr, world.department, name="经济发展局")
    services.do_update_org(SYSTEM, world.other_org, name="邻区管委会（新）")
    with transaction.atomic():
        audit.record(world.hr, "auth.login", None, object_type="accounts.user", object_id=str(world.hr.pk),
                     object_label="t_hr 登录")
        audit.record(world.outsider, "auth.login", None, object_type="accounts.user",
                     object_id=str(world.outsider.pk), object_label="t_outsider 登录")
        audit.record(world.sysadmin, "auth.login", None, object_type="accounts.user",
                     object_id=str(world.sysadmin.pk), object_label="t_sys 登录")
        audit.record(SYSTEM, "calendar.import", None, object_type="core.workdayoverride", object_label="2026 年日历")
    zone_auditor = UserFactory(username="z_audit", role=Role.AUDIT_ADMIN, org=world.committee, name="区审计员")
    return world, zone_auditor


def labels(rows):
    return {r["object_label"] for r in rows}


def test_platform_auditor_api_lists_every_event_newest_first(trail, api_for):
    world, _ = trail
    body = api_for(world.auditadmin).get("/api/v1/audit-events/", {"page_size": 100}).json()
    everything = AuditEvent.objects.count()
    assert body["count"] == everything and len(body["results"]) == everything
    seqs = [r["seq"] for r in body["results"]]
    assert seqs == sorted(seqs, reverse=True)
    assert {"经济发展局", "邻区管委会（新）", "t_sys 登录", "2026 年日历"} <= labels(body["results"])
    row = next(r for r in body["results"] if r["object_label"] == "经济发展局")
    assert (row["action"], row["actor_name"], row["zone_id"]) == ("org.update", "t_hr", world.zone.pk)
    assert row["before"] == {"name": "经济发展处"} and row["after"] == {"name": "经济发展局"}
    assert row["hash"] == AuditEvent.objects.get(seq=row["seq"]).hash
    following = next(r for r in body["results"] if r["seq"] == row["seq"] + 1)
    assert following["prev_hash"] == row["hash"]


def test_api_filters(trail, api_for):
    world, _ = trail
    api = api_for(world.auditadmin)

    def get(**params):
        return api.get("/api/v1/audit-events/", {"page_size": 100, **params}).json()["results"]

    assert labels(get(action="auth.")) == {"t_hr 登录", "t_outsider 登录", "t_sys 登录"}
    assert labels(get(actor="t_hr")) >= {"经济发展局", "t_hr 登录"}
    assert {r["actor_name"] for r in get(actor="t_hr")} == {"t_hr"}
    assert labels(get(object_type="core.workdayoverride")) == {"2026 年日历"}
    assert labels(get(q="邻区管委会")) == {"邻区管委会（新）"}
    today = timezone.localdate()
    assert len(get(start=today.isoformat(), end=today.isoformat())) == AuditEvent.objects.count()
    assert get(end=(today - datetime.timedelta(days=1)).isoformat()) == []
    oldest = AuditEvent.objects.order_by("seq").first()
    assert [r["seq"] for r in get(ordering="seq")][0] == oldest.seq


def test_zone_auditor_sees_only_their_zone(trail, api_for, client_for):
    world, zone_auditor = trail
    body = api_for(zone_auditor).get("/api/v1/audit-events/", {"page_size": 100}).json()
    seen = labels(body["results"])
    assert {"经济发展局", "t_hr 登录"} <= seen
    assert not seen & {"邻区管委会（新）", "t_outsider 登录", "t_sys 登录", "2026 年日历"}
    expected = AuditEvent.objects.filter(zone_id=world.zone.pk) | AuditEvent.objects.filter(
        actor_zone_id=world.zone.pk)
    assert body["count"] == expected.count()
    foreign = AuditEvent.objects.get(object_label="邻区管委会（新）")
    assert api_for(zone_auditor).get(f"/api/v1/audit-events/{foreign.pk}/").status_code == 404
    assert client_for(zone_auditor).get(f"/core/audit/{foreign.pk}/").status_code == 404
    # The other zone's events are absent from its export too.
    export = client_for(zone_auditor).get("/core/audit/", {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))[1:]
    exported = {r[10] for r in rows}
    assert "经济发展局" in exported and "邻区管委会（新）" not in exported and len(rows) == expected.count()


def test_audit_page_rows_filters_and_detail(trail, client_for):
    world, zone_auditor = trail
    web = client_for(world.auditadmin)
    page = web.get("/core/audit/")
    assert page.status_code == 200
    shown = [e.seq for e in page.context["page_obj"].object_list]
    assert shown == list(AuditEvent.objects.order_by("-seq").values_list("seq", flat=True)[:50])
    html = page.content.decode()
    assert "经济发展局" in html and "t_sys 登录" in html and "2026 年日历" in html
    filtered = web.get("/core/audit/", {"action": "org.update"})
    assert {e.action for e in filtered.context["page_obj"].object_list} == {"org.update"}
    assert "t_sys 登录" not in filtered.content.decode()
    event = AuditEvent.objects.get(object_label="经济发展局")
    detail = web.get(f"/core/audit/{event.pk}/").content.decode()
    assert f"审计事件 #{event.seq}" in detail and "经济发展处" in detail and event.hash in detail
    zone_page = client_for(zone_auditor).get("/core/audit/").content.decode()
    assert "经济发展局" in zone_page and "邻区管委会（新）" not in zone_page and "t_sys 登录" not in zone_page
