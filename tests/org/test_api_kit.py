"""The org API on the kit's test mixins (tests/kit_api.py): one class per model."""

from kaifaqu.org.models import Establishment, Org, OrgKind, Park, Plaque, PostKind, ReorgEvent, Secondment, Staff, Zone
from tests import kit_api as kit
from tests.factories import (
    EstablishmentFactory,
    OrgFactory,
    ParkFactory,
    PlaqueFactory,
    ReorgEventFactory,
    SecondmentFactory,
    StaffFactory,
    ZoneFactory,
)

API = "/api/v1"


def org_of(world, zone):
    """An organisation of the zone the row is made in (the demo zone's department, or the other zone's committee)."""
    return world.department if zone == world.zone else world.other_org


class TestZones(kit.ModelTests):
    url = f"{API}/zones/"
    model = Zone
    persona = "hr"  # 组织人事 maintains the structure
    create_persona = "sysadmin"  # zone.manage
    count_persona = "sysadmin"  # sees every zone
    list_queries = 2
    update_data = {"short_name": "示范区"}

    def make(self, world, zone):
        return zone

    def make_many(self, world, n):
        ZoneFactory.create_batch(n)

    def create_data(self, world):
        return {"code": "kit-new", "name": "新设经济开发区", "kind": "high_tech", "level": "provincial",
                "committee_name": "新设开发区管委会"}


class TestParks(kit.ModelTests):
    url = f"{API}/parks/"
    model = Park
    persona = "hr"  # 组织人事 maintains the structure
    list_queries = 2
    update_data = {"leading_industries": "冷链"}

    def make(self, world, zone):
        return ParkFactory(zone=zone)

    def create_data(self, world):
        return {"zone": world.zone.pk, "name": "物流园", "code": "wl"}


class TestOrgs(kit.ModelTests, kit.ActionTests):
    url = f"{API}/orgs/"
    model = Org
    persona = "hr"  # 组织人事 maintains the structure
    list_queries = 5  # count, page, active plaques, approved totals, people in post
    update_data = {"headcount_cap": 9}
    actions = {"abolish": kit.Action({"date": "2024-01-01", "reason": "合并"})}

    def make(self, world, zone):
        return OrgFactory(zone=zone, kind=OrgKind.DEPARTMENT)

    def make_many(self, world, n):
        for _ in range(n):  # with what the list reads per row: plaques, establishment, people
            org = OrgFactory(zone=world.zone, kind=OrgKind.DEPARTMENT, parent=world.committee, park=world.park)
            PlaqueFactory(org=org)
            EstablishmentFactory(org=org, kind=PostKind.ADMINISTRATIVE, approved=2)
            StaffFactory(org=org)

    def create_data(self, world):
        return {"zone": world.zone.pk, "kind": "department", "name": "招商处", "code": "zsc",
                "parent": world.committee.pk}


class TestPlaques(kit.ReadTests, kit.CreateTests, kit.ActionTests):
    url = f"{API}/plaques/"
    model = Plaque
    persona = "hr"  # 组织人事 maintains the structure
    list_queries = 2
    actions = {"remove": kit.Action({"reason": "调整"})}

    def make(self, world, zone):
        return PlaqueFactory(org=org_of(world, zone))

    def create_data(self, world):
        return {"org": world.committee.pk, "name": "高新区管委会", "kind": "added"}


class TestEstablishments(kit.ReadTests, kit.CreateTests):
    url = f"{API}/establishments/"
    model = Establishment
    persona = "hr"  # 组织人事 maintains the structure
    list_queries = 4  # count, page, approved and people in post per kind for the page's organisations

    def make(self, world, zone):
        return EstablishmentFactory(org=OrgFactory(zone=zone, kind=OrgKind.DEPARTMENT))

    def create_data(self, world):
        return {"org": world.department.pk, "post_kind": "administrative", "approved": 5,
                "document_no": "X编〔2026〕3号"}


class TestReorgEvents(kit.ReadTests, kit.CreateTests):
    url = f"{API}/reorg-events/"
    model = ReorgEvent
    persona = "hr"  # 组织人事 maintains the structure
    list_queries = 3  # count, page, involved organisations

    def make(self, world, zone):
        event = ReorgEventFactory(zone=zone)
        event.orgs.set([org_of(world, zone)])
        return event

    def create_data(self, world):
        return {"zone": world.zone.pk, "date": "2021-03-01", "kind": "merge", "title": "机构整合", "subject": "机构数",
                "before_count": 26, "after_count": 23, "orgs": [world.committee.pk, world.department.pk]}


class TestStaff(kit.ModelTests):
    url = f"{API}/staff/"
    model = Staff
    persona = "hr"  # 组织人事 maintains the structure
    list_queries = 2
    update_data = {"actual_pay": "230000.00"}

    def make(self, world, zone):
        return StaffFactory(org=org_of(world, zone))

    def create_data(self, world):
        return {"org": world.department.pk, "staff_no": "C001", "name": "吴五", "post_kind": "appointed",
                "grade_on_file": "三级主任科员", "archive_salary": "6000.00", "appointed_post": "招商经理"}


class TestSecondments(kit.ReadTests, kit.CreateTests, kit.ActionTests):
    url = f"{API}/secondments/"
    model = Secondment
    persona = "hr"  # 组织人事 maintains the structure
    list_queries = 2
    actions = {"end": kit.Action({"date": "2024-06-30", "reason": "工作需要"})}

    def make(self, world, zone):
        return SecondmentFactory(staff=StaffFactory(org=org_of(world, zone)))

    def create_data(self, world):
        return {"staff": world.staff.pk, "host_name": "省商务厅", "post": "处长助理", "start": "2024-01-01",
                "end": "2025-12-31"}
