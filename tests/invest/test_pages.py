"""Investment pages: the list with stuck badges, a project's page and its stage buttons, figures and downloads."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kaifaqu.core.access import SYSTEM
from kaifaqu.invest import services
from kaifaqu.invest.models import Project, ServiceLog, Stage

YI = Decimal(100000000)


def signed(world, amount_yi=12):
    p = services.do_create_project(SYSTEM, world.zone, name="页面项目", industry_code="3990",
                                   lead_on=datetime.date(2025, 1, 1), park=world.park)
    p = services.do_advance(SYSTEM, p, "negotiate", date=datetime.date(2025, 2, 1))
    return services.do_advance(SYSTEM, p, "sign", date=datetime.date(2025, 3, 1), signed_amount=amount_yi * YI)


def test_the_list_shows_projects_with_their_stuck_badge(world, client_for):
    signed(world)
    page = client_for(world.clerk).get("/invest/projects/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "页面项目" in body and 'data-testid="stuck"' in body and "120,000.00" in body


def test_the_project_page_shows_amounts_in_yi_and_the_tier(world, client_for):
    p = signed(world)
    body = client_for(world.clerk).get(p.get_absolute_url()).content.decode()
    assert "12.00亿元" in body and "10亿元及以上" in body and "供地" in body


def test_creating_a_project_and_moving_it_on_by_the_page(world, client_for):
    client = client_for(world.clerk)
    r = client.post("/invest/projects/new/", {"name": "页面新建项目", "industry_code": "3841", "source": "own",
                                              "lead_on": "2025-01-01"})
    assert r.status_code == 302, r.content.decode()[:2000]
    p = Project.objects.get(name="页面新建项目")
    r = client.post(f"/invest/projects/{p.pk}/do/negotiate/", {"date": "2025-02-01", "version": p.version})
    assert r.status_code == 302
    p.refresh_from_db()
    r = client.post(f"/invest/projects/{p.pk}/do/sign/", {"date": "2025-03-01", "signed_amount": "25000",
                                                          "version": p.version})
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.state == Stage.SIGNED and p.signed_amount == Decimal("250000000.00")  # 25 000 万元 = 2.5 亿元
    r = client.post(f"/invest/projects/{p.pk}/do/supply_land/", {"date": "2025-02-01", "version": p.version})
    assert r.status_code == 422 and "早于上一阶段" in r.content.decode()


def test_an_unknown_industry_code_stays_on_the_form(world, client_for):
    r = client_for(world.clerk).post("/invest/projects/new/", {"name": "x", "industry_code": "9999", "source": "own"})
    assert r.status_code == 400 and "GB/T 4754" in r.content.decode()


def test_logging_a_visit(world, client_for):
    p = signed(world)
    r = client_for(world.clerk).post(f"/invest/projects/{p.pk}/logs/new/",
                                     {"kind": "visit", "date": "2025-04-01", "content": "走访了解开工准备"})
    assert r.status_code == 302
    assert ServiceLog.objects.get(project=p).by_name
    assert "走访了解开工准备" in client_for(world.clerk).get(p.get_absolute_url()).content.decode()


def test_figures_page_links_to_lists_and_downloads_each_table(world, client_for):
    signed(world)
    client = client_for(world.cityleader)
    page = client.get("/invest/figures/", {"year": 2025})
    assert page.status_code == 200
    body = page.content.decode()
    assert "/invest/projects/?tier=tier2&amp;signed_year=2025" in body
    for key in ("tiers", "years", "parks", "industries", "sources", "landing"):
        r = client.get("/invest/figures/", {"year": 2025, "export": key})
        assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    rows = list(load_workbook(io.BytesIO(client.get("/invest/figures/", {"year": 2025, "export": "tiers"}).content))
                .active.values)
    assert rows[0] == ("档次", "项目数", "签约金额（亿元）")
    assert ("10亿元及以上", 1, 12) in rows and ("合计", 1, 12) in rows


def test_settings_page_for_the_leader_only(world, client_for):
    assert client_for(world.clerk).get(f"/invest/settings/{world.zone.pk}/").status_code == 403
    r = client_for(world.leader).post(f"/invest/settings/{world.zone.pk}/", {
        "tier1_yi": "40", "tier2_yi": "10", "tier3_yi": "5", "tier4_yi": "1", "stuck_days": "60"})
    assert r.status_code == 302
    assert services.settings_for(world.zone.pk).stuck_days == 60


def test_a_problem_in_the_service_log_becomes_a_whistle_of_the_projects_park(world, client_for):
    from kaifaqu.core.audit.models import AuditEvent
    from kaifaqu.whistle.models import Assignment, Whistle

    p = signed(world)
    log = services.do_add_log(world.leader, p, kind="problem", date=datetime.date(2025, 4, 1),
                              content="项目用电增容迟迟未落实。\n影响设备调试。")
    visit = services.do_add_log(world.leader, p, kind="visit", date=datetime.date(2025, 4, 2), content="走访。")
    client = client_for(world.leader)
    body = client.get(p.get_absolute_url()).content.decode()
    assert body.count('data-testid="raise-whistle"') == 1 and f"/invest/logs/{log.pk}/whistle/" in body
    form = client.get(f"/invest/logs/{log.pk}/whistle/")
    assert form.status_code == 200 and "页面项目：项目用电增容迟迟未落实。" in form.content.decode()
    r = client.post(f"/invest/logs/{log.pk}/whistle/", {"kind": "key_task", "title": "页面项目用电增容",
                                                         "matter": "供电", "lead": world.city_dept.pk})
    w = Whistle.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/whistle/{w.pk}/"
    assert (w.zone_id, w.park_id, w.matter, w.title) == (world.zone.pk, world.park.pk, "供电", "页面项目用电增容")
    assert "用电增容迟迟未落实" in w.description and "页面项目" in w.description
    assert Assignment.objects.get(whistle=w).org_id == world.city_dept.pk
    log.refresh_from_db()
    assert (log.whistle_id, log.whistle_number) == (w.pk, w.number)
    assert AuditEvent.objects.filter(action="project.log_whistle", object_id=str(log.pk)).exists()
    body = client.get(p.get_absolute_url()).content.decode()
    assert f'href="/whistle/{w.pk}/" data-testid="log-whistle"' in body and 'data-testid="raise-whistle"' not in body
    # Once only, and only a problem: 422 with the reason, nothing blown.
    for target in (log, visit):
        again = client.post(f"/invest/logs/{target.pk}/whistle/", {"kind": "key_task", "title": "再吹", "matter": "供电",
                                                                    "lead": world.city_dept.pk})
        assert again.status_code == 422, target.kind
    assert Whistle.objects.count() == 1
    # Who may not blow a whistle does not see the button and is refused.
    assert client_for(world.cityleader).get(f"/invest/logs/{log.pk}/whistle/").status_code == 403


def test_without_the_whistle_module_a_problem_stays_in_the_log(world, client_for, monkeypatch):
    from django.apps import apps

    from kaifaqu.core.errors import RuleViolation

    p = signed(world)
    log = services.do_add_log(world.leader, p, kind="problem", date=datetime.date(2025, 4, 1), content="用地问题。")
    real = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name != "kaifaqu.whistle" and real(name))
    assert 'data-testid="raise-whistle"' not in client_for(world.leader).get(p.get_absolute_url()).content.decode()
    assert client_for(world.leader).get(f"/invest/logs/{log.pk}/whistle/").status_code == 404
    with pytest.raises(RuleViolation, match="未启用"):
        services.do_raise_whistle(world.leader, log, kind="key_task", matter="规划")
