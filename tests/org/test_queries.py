"""ORG-2/ORG-3 figures: rule warnings, establishment totals, the zone's structure."""

from kaifaqu.org import queries
from kaifaqu.org.models import OrgKind, PostKind, StaffStatus
from tests.factories import EstablishmentFactory, OrgFactory, StaffFactory, ZoneFactory


def codes(zone):
    return {w.code for w in queries.rule_warnings(zone)}


def add_departments(world, n, comprehensive):
    for _ in range(n):
        OrgFactory(zone=world.zone, kind=OrgKind.DEPARTMENT, comprehensive=comprehensive, parent=world.committee)


def test_comprehensive_share_at_30_percent_is_fine(world):
    # world has 1 non-comprehensive department; 3 of 10 = 30 % is within the limit.
    add_departments(world, 6, False)
    add_departments(world, 3, True)
    assert "comprehensive_share" not in codes(world.zone)


def test_comprehensive_share_above_30_percent_warns(world):
    add_departments(world, 5, False)
    add_departments(world, 3, True)  # 3 of 9 = 33 %
    warnings = {w.code: w.message for w in queries.rule_warnings(world.zone)}
    assert "comprehensive_share" in warnings
    assert "33%" in warnings["comprehensive_share"] and "30%" in warnings["comprehensive_share"]


def test_abolished_departments_do_not_count(world):
    add_departments(world, 2, False)
    for _ in range(2):
        OrgFactory(zone=world.zone, kind=OrgKind.DEPARTMENT, comprehensive=True, is_active=False)
    OrgFactory(zone=world.zone, kind=OrgKind.DEPARTMENT, comprehensive=True)  # 1 of 4 active
    assert "comprehensive_share" not in codes(world.zone)


def test_headcount_cap_warning(world):
    world.department.headcount_cap = 2
    world.department.save()
    StaffFactory(org=world.department)  # 2 people: at the cap
    assert "headcount_cap" not in codes(world.zone)
    StaffFactory(org=world.department, status=StaffStatus.LEFT)  # people who left do not count
    assert "headcount_cap" not in codes(world.zone)
    StaffFactory(org=world.department)
    messages = {w.code: w.message for w in queries.rule_warnings(world.zone)}
    assert "经济发展处（3/2）" in messages["headcount_cap"]


def test_one_zone_per_county_warning(world):
    assert "one_per_county" not in codes(world.zone)
    ZoneFactory(province=world.zone.province, city=world.zone.city, county=world.zone.county)
    assert "one_per_county" in codes(world.zone)


def test_zone_establishment_totals(world):
    EstablishmentFactory(org=world.department, kind=PostKind.ADMINISTRATIVE, approved=5)
    EstablishmentFactory(org=world.committee, kind=PostKind.ADMINISTRATIVE, approved=3)
    EstablishmentFactory(org=world.committee, kind=PostKind.APPOINTED, approved=10)
    StaffFactory(org=world.committee, post_kind=PostKind.APPOINTED)
    rows = {r.kind: r for r in queries.zone_establishment(world.zone.pk)}
    assert (rows["administrative"].approved, rows["administrative"].actual) == (8, 1)  # world.staff
    assert (rows["appointed"].approved, rows["appointed"].actual, rows["appointed"].vacancy) == (10, 1, 9)
    assert rows["contract"].approved == 0


def test_zone_structure(world, django_assert_max_num_queries):
    institution = OrgFactory(zone=world.zone, kind=OrgKind.INSTITUTION, parent=world.department, name="服务中心")
    for _ in range(5):
        OrgFactory(zone=world.zone, kind=OrgKind.ENTERPRISE, park=world.park)
    with django_assert_max_num_queries(3):
        structure = queries.zone_structure(world.zone)
    [root] = structure["roots"]
    assert root.org == world.committee
    [dept] = root.children
    assert dept.org == world.department and [n.org for n in dept.children] == [institution]
    groups = {g.key: g for g in structure["groups"]}
    assert [n.org for n in groups["stationed"].nodes] == [world.stationed_org]
    assert groups["department"].count == 0  # shown under the committee
    assert groups["enterprise"].count == 6 and groups["enterprise"].nodes == []
    assert (world.park.pk, "智造园", 6) in groups["enterprise"].by_park
