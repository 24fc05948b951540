"""Sample rows of the powers module for the scoping walk (see tests/samples.py); written through the services."""

import datetime

from kaifaqu.core.access import SYSTEM
from kaifaqu.powers import services
from kaifaqu.powers.models import (
    Area,
    AreaKind,
    AssessmentPeriod,
    AssessmentRight,
    Assignment,
    Batch,
    Catalogue,
    Duty,
    FunctionItem,
    HeadChange,
    HeadChangeKind,
    ListVersion,
    Matter,
    PowerItem,
    PowerKind,
    StandardItem,
)
from tests.samples import sample


def standard_of(zone, code="S001"):
    return StandardItem.objects.filter(zone=zone, code=code).first() or services.do_create_standard(
        SYSTEM, zone, code=code, name="建设工程规划许可证核发", sub_name="建筑类", kind=PowerKind.LICENSING,
        basis="《中华人民共和国城乡规划法》第四十条第一款")


@sample(StandardItem)
def standards(world):
    return [standard_of(world.zone), standard_of(world.other_zone)]


@sample(Batch)
def batches(world):
    return [Batch.objects.filter(zone=z, name="第一批").first() or services.do_create_batch(
        SYSTEM, z, name="第一批", document_no="X政发〔2022〕12号", document_date=datetime.date(2022, 3, 15))
        for z in (world.zone, world.other_zone)]


def item_of(zone):
    found = PowerItem.objects.filter(zone=zone, code="S001").first()
    return found or services.do_claim(SYSTEM, standard_of(zone), implementing_body="管委会", duties=["受理", "审查"])


@sample(PowerItem)
def items(world):
    return [item_of(world.zone), item_of(world.other_zone)]


@sample(ListVersion)
def versions(world):
    return [item_of(world.zone).list_version, item_of(world.other_zone).list_version]


def matter_of(zone):
    return Matter.objects.filter(zone=zone, name="安全生产").first() or services.do_create_matter(
        SYSTEM, zone, name="安全生产")


def area_of(zone, name="核心区"):
    return Area.objects.filter(zone=zone, name=name).first() or services.do_create_area(
        SYSTEM, zone, kind=AreaKind.NEW_AREA, name=name)


@sample(Matter)
def matters(world):
    return [matter_of(world.zone), matter_of(world.other_zone)]


@sample(Area)
def areas(world):
    return [area_of(world.zone), area_of(world.other_zone)]


@sample(Assignment)
def assignments(world):
    rows = []
    for zone, org in ((world.zone, world.department), (world.other_zone, world.other_org)):
        found = Assignment.objects.filter(zone=zone, org=org).first()
        rows.append(found or services.do_assign(SYSTEM, matter_of(zone), area_of(zone), org, duty=Duty.LEAD))
    return rows


@sample(FunctionItem)
def functions(world):
    rows = []
    for zone, receiver in ((world.zone, world.street_org), (world.zone, world.city_dept),
                           (world.other_zone, world.other_org)):
        found = FunctionItem.objects.filter(zone=zone, receiver=receiver).first()
        rows.append(found or services.do_create_function(SYSTEM, zone, catalogue=Catalogue.STRIPPED,
                                                         category="环境卫生", name=f"保洁{receiver.pk}",
                                                         receiver=receiver))
    rows.append(FunctionItem.objects.filter(zone=world.zone, catalogue=Catalogue.RETAINED).first()
                or services.do_create_function(SYSTEM, world.zone, catalogue=Catalogue.RETAINED, category="招商引资",
                                               name="招商引资统筹"))
    return rows


def _agency_of(world, zone):
    from kaifaqu.org.models import Org, OrgKind
    from tests.factories import OrgFactory

    if zone == world.zone:
        return world.stationed_org
    found = Org.objects.filter(zone=zone, kind=OrgKind.STATIONED).first()
    if found:
        return found
    parent = OrgFactory(zone=zone, kind=OrgKind.CITY_DEPARTMENT, code="other-tax", name="邻市税务局")
    return OrgFactory(zone=zone, kind=OrgKind.STATIONED, code="other-tax-station", name="邻区税务分局",
                      home_department=parent)


@sample(HeadChange)
def head_changes(world):
    rows = []
    for zone in (world.zone, world.other_zone):
        agency = _agency_of(world, zone)
        rows.append(HeadChange.objects.filter(agency=agency).first() or services.do_request_head_change(
            SYSTEM, agency, kind=HeadChangeKind.DISMISS, person_name="张某", post="分局局长", reason="到龄退休"))
    return rows


@sample(AssessmentRight)
def assessment_rights(world):
    rows = []
    for zone in (world.zone, world.other_zone):
        agency = _agency_of(world, zone)
        rows.append(AssessmentRight.objects.filter(agency=agency).first() or services.do_record_assessment(
            SYSTEM, agency, scheme="派驻机构年度综合考核", period=AssessmentPeriod.YEAR, since=datetime.date(2023, 1, 1)))
    return rows
