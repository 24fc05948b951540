"""POWER-2: the two catalogues — retained and stripped functions, the receiver's hand-over confirmation or dispute."""

import datetime

import pytest

from kaifaqu.core.errors import Forbidden, InvalidInput, NotFound
from kaifaqu.powers import queries, services
from kaifaqu.powers.models import Catalogue, FunctionItem, HandoverState
from kaifaqu.powers.workbench import handovers_to_confirm
from kaifaqu.powers.workflow import HANDOVER


@pytest.fixture
def stripped(world):
    return services.do_create_function(world.clerk, world.zone, catalogue=Catalogue.STRIPPED, category="环境卫生",
                                       name="城乡环境卫生", receiver=world.street_org,
                                       handover_on=datetime.date(2022, 1, 1))


def test_catalogues_and_counts(world, stripped):
    services.do_create_function(world.clerk, world.zone, catalogue=Catalogue.RETAINED, category="招商引资",
                                name="招商引资统筹")
    counts = queries.function_counts(world.zone.pk)
    assert counts["retained"]["total"] == 1 and counts["retained"]["states"]["retained"] == 1
    assert counts["stripped"]["categories"] == {"环境卫生": {"total": 1, "retained": 0, "pending": 1, "confirmed": 0,
                                                            "disputed": 0}}


def test_a_stripped_function_needs_a_receiver(world):
    with pytest.raises(InvalidInput, match="“社会治安：群防群治”是剥离的职能，须写明承接单位") as exc:
        services.do_create_function(world.clerk, world.zone, catalogue=Catalogue.STRIPPED, category="社会治安",
                                    name="群防群治")
    assert "receiver" in exc.value.fields
    with pytest.raises(InvalidInput, match="不能有承接单位"):
        services.do_create_function(world.clerk, world.zone, catalogue=Catalogue.RETAINED, category="招商",
                                    name="招商", receiver=world.street_org)
    assert not FunctionItem.objects.exists()


def test_the_receiver_confirms_in_its_inbox(world, stripped):
    entry = handovers_to_confirm(world.street, world.street.scope, datetime.date(2026, 6, 1))
    assert entry.count == 1 and entry.items[0].url == stripped.get_absolute_url()
    with pytest.raises(Forbidden, match="只有承接单位"):
        HANDOVER.perform(world.city_clerk, stripped, "confirm")  # addressed to another unit
    with pytest.raises(NotFound):
        HANDOVER.perform(world.outsider, stripped, "confirm")
    item = HANDOVER.perform(world.street, stripped, "confirm")
    assert item.state == HandoverState.CONFIRMED
    assert handovers_to_confirm(world.street, world.street.scope, datetime.date(2026, 6, 1)).count == 0


def test_a_dispute_needs_a_reason_and_the_zone_resolves_it(world, stripped):
    with pytest.raises(InvalidInput):
        HANDOVER.perform(world.street, stripped, "dispute", note="")
    item = HANDOVER.perform(world.street, stripped, "dispute", note="人员经费未到位")
    assert item.state == HandoverState.DISPUTED
    with pytest.raises(Forbidden):
        HANDOVER.perform(world.street, item, "resolve", note="x")  # the zone's decision
    item = HANDOVER.perform(world.clerk, item, "resolve", note="改由市直部门承接", payload={"receiver": world.city_dept.pk})
    assert item.state == HandoverState.PENDING and item.receiver == world.city_dept
    assert HANDOVER.perform(world.city_clerk, item, "confirm").state == HandoverState.CONFIRMED


def test_api_and_pages(world, stripped, api_for, client_for):
    r = api_for(world.street).post(f"/api/v1/power-functions/{stripped.pk}/dispute/", {"note": "未交接资产"},
                                   format="json")
    assert r.status_code == 200 and r.json()["state"] == "disputed"
    bad = api_for(world.clerk).post("/api/v1/power-functions/", {"zone": world.zone.pk, "catalogue": "stripped",
                                                                "category": "x", "name": "y"}, format="json")
    assert bad.status_code == 400 and "receiver" in bad.json()["fields"]
    c = client_for(world.street)
    assert "城乡环境卫生" in c.get("/powers/functions/received/").content.decode()
    assert c.get(f"/powers/functions/{stripped.pk}/").status_code == 200
    page = client_for(world.clerk).get("/powers/functions/summary/").content.decode()
    assert "剥离社会事务管理职能：1 类 1 项" in page
    assert client_for(world.clerk).get("/powers/functions/new/").status_code == 200
    assert client_for(world.clerk).get("/powers/functions/").status_code == 200
