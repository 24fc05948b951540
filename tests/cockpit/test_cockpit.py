"""The cockpit: figures computed from the rows for the leader's zone, a park, and a city leader's zones; every
figure downloads; each row links to its list."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kaifaqu.core.access import SYSTEM
from kaifaqu.economy import services as economy
from kaifaqu.invest import services as invest
from tests.economy.helpers import enterprise, indicator

YI = Decimal(100000000)
YEAR = datetime.date.today().year  # noqa: DTZ011 - the page's default year is the local one; a test at New Year is not


@pytest.fixture
def data(world):
    for zone, amount in ((world.zone, 12), (world.zone, 3), (world.other_zone, 60)):
        p = invest.do_create_project(SYSTEM, zone, name="驾驶舱项目", industry_code="3670",
                                     lead_on=datetime.date(YEAR, 1, 2), park=world.park if zone == world.zone else None)
        p = invest.do_advance(SYSTEM, p, "negotiate", date=datetime.date(YEAR, 1, 3))
        invest.do_advance(SYSTEM, p, "sign", date=datetime.date(YEAR, 1, 4), signed_amount=amount * YI)
    rev = indicator(world.zone, "revenue", name="主营业务收入", key=True)
    a = enterprise(world.zone, 1, park=world.park, above_size=True, above_size_year=2020)
    b = enterprise(world.zone, 2)
    economy.do_bulk_values(SYSTEM, rev, [(a.pk, YEAR - 1, 1, Decimal(100)), (a.pk, YEAR, 1, Decimal(110)),
                                         (b.pk, YEAR - 1, 1, Decimal(50)), (b.pk, YEAR, 1, Decimal(70))])
    return rev


def charts(response):
    body = response.content.decode()
    start = body.index('id="cockpit-data"')
    return json.loads(body[body.index(">", start) + 1:body.index("</script>", start)])


def test_the_leader_sees_the_zones_figures_from_the_rows(world, client_for, data):
    r = client_for(world.leader).get("/cockpit/")
    assert r.status_code == 200
    c = charts(r)
    assert c["tiers"]["categories"][:2] == ["50亿元及以上", "10亿元及以上"]
    assert c["tiers"]["series"][0]["data"] == [0, 1, 0, 1, 0, 2]  # 12 亿 and 3 亿; the other zone's 60 亿 not here
    assert c["status"]["series"][0]["data"][2] == 2  # 投产
    indicators = c["indicators"]
    assert indicators["series"][0]["data"] == [20.0]  # (110 + 70) / (100 + 50) − 1 = 20 %
    body = r.content.decode()
    assert "/invest/projects/?tier=tier2" in body and "/economy/enterprises/?status=producing" in body
    assert "vendor/echarts/echarts.min.js" in body


def test_one_park(world, client_for, data):
    c = charts(client_for(world.leader).get("/cockpit/", {"park": world.park.pk}))
    assert c["tiers"]["series"][0]["data"][-1] == 2
    assert c["indicators"]["series"][0]["data"] == [10.0]  # only 甲 is in the park: 110 / 100


def test_the_city_leader_sees_both_zones_added_up(world, client_for, data):
    from kaifaqu.accounts.models import User

    world.cityleader.extra_zones.set([world.other_zone])  # set-up: the security administrator's grant
    city = User.objects.get(pk=world.cityleader.pk)
    c = charts(client_for(city).get("/cockpit/"))
    assert c["tiers"]["series"][0]["data"][0] == 1 and c["tiers"]["series"][0]["data"][-1] == 3
    only = charts(client_for(city).get("/cockpit/", {"zone": world.other_zone.pk}))
    assert only["tiers"]["series"][0]["data"][-1] == 1


def test_every_figure_downloads_its_numbers(world, client_for, data):
    client = client_for(world.leader)
    for key in charts(client.get("/cockpit/")):
        r = client.get("/cockpit/", {"export": key})
        assert r.status_code == 200, key
    rows = list(load_workbook(io.BytesIO(client.get("/cockpit/", {"export": "indicators"}).content)).active.values)
    assert rows[1][0].startswith("主营业务收入") and rows[1][2] == 180 and rows[1][4] == "20.0%"


def test_who_may_see_it(world, client_for, data):
    assert client_for(world.clerk).get("/cockpit/").status_code == 403
    assert client_for(world.leader).get("/cockpit/", {"zone": world.other_zone.pk}).status_code == 404
    assert client_for(world.leader).get("/cockpit/", {"export": "nothing"}).status_code == 404


@pytest.fixture
def cross(world, data):
    """A whistle of this year in the zone (one unit dispatched, nothing reported yet), the approvals baseline of
    both zones and case clocks: one overdue in the zone, one running in the other zone."""
    import datetime as dt

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from kaifaqu.approvals import services as approvals
    from kaifaqu.approvals.models import Case
    from kaifaqu.approvals.workflow import CASE_KIND
    from kaifaqu.core.clock.models import DeadlineClock
    from kaifaqu.whistle import services as whistle

    w = whistle.do_blow(world.leader, world.zone, kind="key_task", lead=world.city_dept, title="园区道路塌陷",
                        description="智造园主干道路面塌陷。", matter="市政园林", park=world.park)
    approvals.do_record_baseline(SYSTEM, world.zone, kind="general_industrial", working_days=87)
    approvals.do_record_baseline(SYSTEM, world.other_zone, kind="general_industrial", working_days=60)
    now = timezone.now()
    ct = ContentType.objects.get_for_model(Case)
    for zone, due in ((world.zone, now - dt.timedelta(days=1)), (world.other_zone, now + dt.timedelta(days=3))):
        DeadlineClock.objects.create(zone_id=zone.pk, content_type=ct, object_id="1", kind=CASE_KIND,
                                     unit="workdays", limit=5, started_at=now - dt.timedelta(days=8), due_at=due)
    return w


def table(response, key):
    return charts(response)[key]


def test_whistle_figures_and_approval_times_through_those_modules(world, client_for, cross):
    r = client_for(world.leader).get("/cockpit/")
    whistle = table(r, "whistle")
    assert whistle["categories"] == ["本年吹哨", "其中已办结", "当前办理中", "有单位逾期"]
    assert whistle["series"][0]["data"] == [1, 0, 1, 0]
    assert whistle["links"][0] == f"/whistle/?period={YEAR}" and whistle["links"][2] == "/whistle/?state=open"
    rates = table(r, "whistle-rates")  # one zone: the units from whistle.queries.unit_figures, then the total
    assert rates["categories"] == [world.city_dept.name, "合计"]
    assert rates["series"][0]["data"] == [0.0, 0.0]  # dispatched, not yet reported: 0 of 1 on time
    assert rates["links"][0] == f"/whistle/?unit={world.city_dept.pk}&period={YEAR}"
    ba = table(r, "approvals")
    assert ba["categories"] == ["一般工业项目"] and ba["series"][0]["data"] == [87.0]
    assert ba["series"][1]["data"] == [None]  # no project completed this year: no median
    cases = table(r, "approval-cases")
    assert cases["series"][0]["data"] == [1] and cases["series"][1]["data"] == [1]  # open, of which overdue
    body = r.content.decode()
    assert f"/approvals/figures/?year={YEAR}" in body
    rows = list(load_workbook(io.BytesIO(client_for(world.leader).get("/cockpit/", {"export": "whistle-rates"})
                                         .content)).active.values)
    assert rows[0] == ("单位", "派发（次）", "按时报到率", "按时办结率") and rows[-1] == ("合计", 1, "0.0%", "0.0%")


def test_a_city_leader_sees_the_whistle_and_approval_figures_of_each_zone(world, client_for, cross):
    from kaifaqu.accounts.models import User

    world.cityleader.extra_zones.set([world.other_zone])
    r = client_for(User.objects.get(pk=world.cityleader.pk)).get("/cockpit/")
    rates = table(r, "whistle-rates")
    assert rates["categories"] == [world.zone.name, "合计"]
    assert rates["links"][0] == f"/cockpit/?zone={world.zone.pk}&year={YEAR}"
    ba = table(r, "approvals")
    assert ba["categories"] == [f"一般工业项目（{world.zone.name}）", f"一般工业项目（{world.other_zone.name}）"]
    assert ba["series"][0]["data"] == [87.0, 60.0]
    cases = table(r, "approval-cases")
    assert cases["categories"] == sorted([world.zone.name, world.other_zone.name]) + ["合计"]
    assert cases["series"][0]["data"][-1] == 2 and cases["series"][1]["data"][-1] == 1


def test_the_cockpit_works_without_the_whistle_and_approvals_modules(world, client_for, cross, monkeypatch):
    from django.apps import apps

    real = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name not in ("kaifaqu.whistle", "kaifaqu.approvals")
                        and real(name))
    r = client_for(world.leader).get("/cockpit/")
    assert r.status_code == 200
    assert not {"whistle", "whistle-rates", "approvals", "approval-cases"} & set(charts(r))
    assert "tiers" in charts(r)
