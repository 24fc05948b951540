"""Sample rows of the approvals module for the scoping walk (tests/samples.py), written through the services."""

from kaifaqu.approvals import services
from kaifaqu.approvals.models import Case, Material, Project, ServiceItem, Window
from kaifaqu.core.access import SYSTEM
from kaifaqu.org.models import Org, OrgKind
from tests.samples import sample

from . import factories


def _catalogue(world):
    found = ServiceItem.objects.filter(zone=world.zone, code="S01").first()
    if found:
        return
    w = factories.window(world.zone, staff=[world.users["clerk"]])
    factories.item(world.zone, world.department, code="S01", window_=w)
    factories.item(world.zone, world.city_dept, code="S02", name="建设用地规划许可证核发", stage="land")
    ow = factories.window(world.other_zone, name="邻区窗口")
    factories.item(world.other_zone, world.other_org, code="S01", window_=ow)


@sample(Window)
def windows(world):
    _catalogue(world)
    return list(Window.objects.filter(zone__in=[world.zone, world.other_zone]))


@sample(ServiceItem)
def items(world):
    _catalogue(world)
    return list(ServiceItem.objects.filter(zone__in=[world.zone, world.other_zone]))


@sample(Material)
def materials(world):
    _catalogue(world)
    return list(Material.objects.filter(zone__in=[world.zone, world.other_zone]))


@sample(Case)
def cases(world):
    _catalogue(world)
    here = ServiceItem.objects.get(zone=world.zone, code="S01")
    dept_item = ServiceItem.objects.get(zone=world.zone, code="S02")
    there = ServiceItem.objects.get(zone=world.other_zone, code="S01")
    other_enterprise = Org.objects.create(zone=world.other_zone, kind=OrgKind.ENTERPRISE, code="oe", name="邻区企业")
    second = Org.objects.filter(zone=world.zone, code="e-sample").first() or Org.objects.create(
        zone=world.zone, kind=OrgKind.ENTERPRISE, code="e-sample", name="另一企业")
    made = [
        services.do_apply(world.users["enterprise"], here, title="本企业申请")[0],
        services.do_apply(SYSTEM, dept_item, title="他企业申请", applicant=second)[0],
        services.do_apply(SYSTEM, there, title="邻区申请", applicant=other_enterprise)[0],
    ]
    return made


@sample(Project)
def projects(world):
    _catalogue(world)
    other_enterprise = Org.objects.filter(zone=world.other_zone, code="oe-p").first() or Org.objects.create(
        zone=world.other_zone, kind=OrgKind.ENTERPRISE, code="oe-p", name="邻区项目企业")
    second = Org.objects.filter(zone=world.zone, code="e-proj").first() or Org.objects.create(
        zone=world.zone, kind=OrgKind.ENTERPRISE, code="e-proj", name="另一项目企业")
    return [services.do_create_project(SYSTEM, world.zone, code="P-own", name="本企业项目",
                                       enterprise=world.users["enterprise"].org),
            services.do_create_project(SYSTEM, world.zone, code="P-second", name="他企业项目", enterprise=second),
            services.do_create_project(SYSTEM, world.other_zone, code="P-other", name="邻区项目",
                                       enterprise=other_enterprise)]
