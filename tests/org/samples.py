"""Sample rows of the org module for the scoping walk (see tests/samples.py); written through the services."""

import datetime

from kaifaqu.core.access import SYSTEM
from kaifaqu.org import services
from kaifaqu.org.models import (
    Establishment,
    Org,
    OrgEvent,
    OrgKind,
    Park,
    Plaque,
    PlaqueKind,
    PostKind,
    ReorgEvent,
    ReorgKind,
    Secondment,
    SecondmentEvent,
    Staff,
    Zone,
)
from tests.samples import sample


@sample(Zone)
def zones(world):
    return [world.zone, world.other_zone]


@sample(Park)
def parks(world):
    return [world.park, services.do_create_park(SYSTEM, world.other_zone, code="op1", name="邻区园区")]


def second_department(world):
    """A second unit of the demo zone beside world.department, so a leak between two units shows."""
    found = Org.objects.filter(zone=world.zone, code="zsfw").first()
    return found or services.do_create_org(SYSTEM, world.zone, kind=OrgKind.DEPARTMENT, code="zsfw",
                                           name="招商服务处", parent=world.committee)


@sample(Org)
def orgs(world):
    return [world.committee, world.department, second_department(world), world.other_org]


@sample(Plaque)
def plaques(world):
    return [services.do_add_plaque(SYSTEM, org, name=name, kind=PlaqueKind.ATTACHED)
            for org, name in ((world.department, "招商局"), (world.other_org, "邻区招商局"))]


@sample(Establishment)
def establishments(world):
    return [services.do_set_establishment(SYSTEM, org, kind=PostKind.ADMINISTRATIVE, approved=8,
                                             document_no="X编〔2021〕18号")
            for org in (world.department, world.other_org)]


@sample(ReorgEvent)
def reorg_events(world):
    return [services.do_record_reorg(SYSTEM, zone, orgs=[org], date=datetime.date(2025, 6, 1),
                                     kind=ReorgKind.ESTABLISH, title="设立机构", subject="机构数", before_count=3,
                                     after_count=4)
            for zone, org in ((world.zone, world.department), (world.other_zone, world.other_org))]


def staff_in(world, org, staff_no, name):
    return Staff.objects.filter(zone_id=org.zone_id, staff_no=staff_no).first() or services.do_create_staff(
        SYSTEM, org, staff_no=staff_no, name=name, post_kind=PostKind.CONTRACT)


@sample(Staff)
def staff(world):
    """People in several units of the demo zone (each own-unit persona has some) and in the other zone."""
    return [world.staff, staff_in(world, second_department(world), "W002", "钱招商"),
            staff_in(world, world.street_org, "W003", "孙街道"), staff_in(world, world.city_dept, "W004", "周规划"),
            staff_in(world, world.stationed_org, "W005", "吴税务"), staff_in(world, world.platform_org, "W006", "郑平台"),
            world.other_staff]


@sample(Secondment)
def secondments(world):
    """Out of one unit, into another (hosted), between two others of the zone, and one in the other zone."""
    def second(person, **fields):
        return services.do_create_secondment(SYSTEM, person, post="挂职副职", start=datetime.date(2026, 1, 1),
                                             end=datetime.date(2027, 1, 1), **fields)

    return [second(world.staff, host_org=world.street_org),
            second(staff_in(world, world.street_org, "W003", "孙街道"), host_name="省发展改革委"),
            second(staff_in(world, second_department(world), "W002", "钱招商"), host_org=world.platform_org),
            second(world.other_staff, host_name="市商务局")]


@sample(OrgEvent)
def org_events(world):
    """An organisation abolished in each zone (made for it, so the other samples' organisations stay in being)."""
    rows = []
    for zone, code in ((world.zone, "cxsl"), (world.other_zone, "ocxsl")):
        org = Org.objects.filter(zone=zone, code=code).first() or services.do_create_org(
            SYSTEM, zone, kind=OrgKind.INTERMEDIARY, code=code, name="已撤销的咨询机构")
        if org.is_active:
            services.do_abolish_org(SYSTEM, org, date=datetime.date(2025, 6, 30), reason="并入其他机构")
        rows += list(OrgEvent.objects.filter(org=org))
    return rows


@sample(SecondmentEvent)
def secondment_events(world):
    """A secondment ended early in each zone (after the periods of the secondment samples)."""
    rows = []
    for person in (world.staff, world.other_staff):
        secondment = Secondment.objects.filter(staff=person, start=datetime.date(2028, 1, 1)).first() or \
            services.do_create_secondment(SYSTEM, person, host_name="市招商局", post="挂职干部",
                                          start=datetime.date(2028, 1, 1), end=datetime.date(2029, 1, 1))
        if secondment.ended_early_on is None:
            services.do_end_secondment(SYSTEM, secondment, date=datetime.date(2028, 6, 30), reason="回原单位")
        rows += list(SecondmentEvent.objects.filter(secondment=secondment))
    return rows
