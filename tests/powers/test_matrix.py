"""POWER-3: the responsibility matrix — exactly one lead per cell, gaps and conflicts, the lookup, and the query
the whistle module calls; publication waits until the matrix is whole."""

import pytest

from kaifaqu.core.access import SYSTEM
from kaifaqu.core.errors import Conflict, InvalidInput, RuleViolation
from kaifaqu.powers import queries, services
from kaifaqu.powers.models import AreaKind, Assignment, Duty
from kaifaqu.powers.workflow import LIST

from .conftest import claim


@pytest.fixture
def matrix(world):
    safety = services.do_create_matter(world.clerk, world.zone, name="安全生产")
    sanitation = services.do_create_matter(world.clerk, world.zone, name="环境卫生", sort=2)
    park = services.do_create_area(world.clerk, world.zone, kind=AreaKind.PARK, name="智造园", park=world.park)
    street = services.do_create_area(world.clerk, world.zone, kind=AreaKind.STREET, name="东城街道",
                                     street=world.street_org)
    services.do_assign(world.clerk, safety, park, world.department, duty=Duty.LEAD)
    services.do_assign(world.clerk, safety, park, world.street_org, duty=Duty.SUPPORT)
    services.do_assign(world.clerk, safety, street, world.street_org, duty=Duty.LEAD)
    services.do_assign(world.clerk, sanitation, street, world.street_org, duty=Duty.LEAD)
    return {"safety": safety, "sanitation": sanitation, "park": park, "street": street}


def test_gaps_are_reported(world, matrix):
    report = queries.matrix_report(world.zone.pk)
    assert report["cells"] == 4 and report["conflicts"] == []
    assert [(g["matter"], g["area"]) for g in report["gaps"]] == [("环境卫生", "智造园")]


def test_a_second_lead_is_refused_naming_the_cell(world, matrix):
    with pytest.raises(RuleViolation, match="“安全生产 × 智造园”已有主责单位经济发展处") as exc:
        services.do_assign(world.clerk, matrix["safety"], matrix["park"], world.committee, duty=Duty.LEAD)
    assert exc.value.code == "two_leads"
    with pytest.raises(Conflict, match="已在"):
        services.do_assign(world.clerk, matrix["safety"], matrix["park"], world.department, duty=Duty.SUPPORT)
    assert Assignment.objects.count() == 4


def test_conflicts_are_reported(world, matrix):
    # Rows written around the service (an old import) still show in the report.
    Assignment.objects.create(zone=world.zone, matter=matrix["safety"], area=matrix["park"], org=world.committee,
                              duty=Duty.LEAD)
    report = queries.matrix_report(world.zone.pk)
    assert [(c["matter"], c["area"], c["leads"]) for c in report["conflicts"]] == [
        ("安全生产", "智造园", ["经济发展处", "管委会"])]


def test_areas_must_be_of_the_zone_and_of_the_right_kind(world):
    with pytest.raises(InvalidInput, match="须为镇街机构"):
        services.do_create_area(world.clerk, world.zone, kind=AreaKind.STREET, name="错", street=world.department)
    with pytest.raises(InvalidInput, match="须选择园区"):
        services.do_create_area(world.clerk, world.zone, kind=AreaKind.PARK, name="错")


def test_lead_units_for_the_whistle_module(world, matrix):
    assert queries.lead_units_for(world.zone, "安全生产", park=world.park) == [world.department]
    assert set(queries.lead_units_for(world.zone, matrix["safety"])) == {world.department, world.street_org}
    assert queries.lead_units_for(world.zone, "环境卫生", park=world.park) == []
    assert queries.lead_units_for(world.other_zone, "安全生产") == []


def test_lookup_api(world, matrix, api_for):
    c = api_for(world.street)
    r = c.get("/api/v1/responsibility/lookup", {"matter": "安全生产", "area": "智造园"})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert [u["name"] for u in body["lead"]] == ["经济发展处"] and [u["name"] for u in body["support"]] == ["东城街道"]
    r = c.get("/api/v1/responsibility/lookup", {"matter": matrix["sanitation"].pk, "area": matrix["park"].pk})
    assert r.status_code == 200 and r.json()["lead"] == []
    assert c.get("/api/v1/responsibility/lookup", {"matter": "不存在", "area": "智造园"}).status_code == 404
    assert api_for(world.outsider).get("/api/v1/responsibility/lookup",
                                       {"matter": "安全生产", "area": "智造园"}).status_code == 404
    assert c.get("/api/v1/responsibility/lookup").status_code == 400
    report = c.get("/api/v1/responsibility/report").json()
    assert report["cells"] == 4 and len(report["gaps"]) == 1


def test_assign_through_the_api(world, matrix, api_for):
    c = api_for(world.clerk)
    body = {"matter": matrix["sanitation"].pk, "area": matrix["park"].pk, "org": world.committee.pk, "duty": "lead"}
    r = c.post("/api/v1/responsibility/assignments/", body, format="json")
    assert r.status_code == 201, r.json()
    again = c.post("/api/v1/responsibility/assignments/", {**body, "org": world.department.pk}, format="json")
    assert again.status_code == 422 and "环境卫生 × 智造园" in again.json()["detail"]
    assert queries.matrix_report(world.zone.pk)["gaps"] == []


def test_publication_waits_for_a_whole_matrix(world, matrix, catalogue, client_for):
    claim(world.clerk, catalogue["370XK0001"])
    version = LIST.perform(world.clerk, services.open_version(world.zone.pk), "submit")
    version = LIST.perform(world.leader, version, "approve")
    with pytest.raises(RuleViolation, match="责任清单缺少主责单位") as exc:
        LIST.perform(world.leader, version, "publish", payload={"publish_no": "1号", "date": "2026-06-01"})
    assert exc.value.fields == {"责任清单缺少主责单位": ["环境卫生 × 智造园"]}
    page = client_for(world.clerk).get("/powers/matrix/").content.decode()
    assert "缺少主责单位（1 格）" in page
    services.do_assign(SYSTEM, matrix["sanitation"], matrix["park"], world.committee, duty=Duty.LEAD)
    LIST.perform(world.leader, version, "publish", payload={"publish_no": "1号", "date": "2026-06-01"})


def test_matrix_pages(world, matrix, client_for):
    c = client_for(world.clerk)
    for url in ("/powers/matrix/", "/powers/matrix/matters/new/", "/powers/matrix/areas/new/",
                "/powers/matrix/assign/"):
        assert c.get(url).status_code == 200, url
    r = c.post("/powers/matrix/assign/", {"matter": matrix["sanitation"].pk, "area": matrix["street"].pk,
                                          "org": world.committee.pk, "duty": "lead"})
    assert r.status_code == 422 and "已有主责单位" in r.content.decode()
    assignment = Assignment.objects.filter(org=world.street_org, duty=Duty.SUPPORT).get()
    assert c.post(f"/powers/matrix/assignments/{assignment.pk}/remove/", {"reason": "调整"}).status_code == 302
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
