"""Sample rows of the approvals module for the scoping walk (tests/samples.py), written through the services."""

from kaifaqu.approvals import services
from kaifaqu.approvals.models import Case, Material, Parcel, PostCheck, Project, ProjectAgent, ServiceItem, Window
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


def _projects(world):
    found = list(Project.objects.filter(code__in=["P-own", "P-second", "P-other"]).order_by("code"))
    if found:
        by_code = {p.code: p for p in found}
        return [by_code["P-own"], by_code["P-second"], by_code["P-other"]]
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


@sample(Project)
def projects(world):
    return _projects(world)

def _committed(zone, department, applicant, window_=None):
    item = ServiceItem.objects.filter(zone=zone, code="S09").first() or factories.item(
        zone, department, code="S09", name="固定资产投资项目节能审查", window_=window_, commitment=True,
        commitment_text="本单位承诺符合节能审查要求。")
    case, _ = services.do_apply(SYSTEM, item, title="告知承诺制申请", applicant=applicant)
    case = services.act(SYSTEM, case, "sign_commitment")
    services.act(SYSTEM, case, "approve_on_commitment", payload={"decision_no": "承诺〔2026〕1号"})
    return PostCheck.objects.get(case=case)


@sample(PostCheck)
def post_checks(world):
    _catalogue(world)
    other_enterprise = Org.objects.filter(zone=world.other_zone, code="oe-c").first() or Org.objects.create(
        zone=world.other_zone, kind=OrgKind.ENTERPRISE, code="oe-c", name="邻区承诺企业")
    return [_committed(world.zone, world.city_dept, world.users["enterprise"].org),
            _committed(world.other_zone, world.other_org, other_enterprise)]


def _parcel(project, code):
    import datetime

    return services.do_record_parcel(SYSTEM, project, code=code, area_mu=10, transferred_on=datetime.date(2026, 3, 1),
                                     committed_investment_intensity=300, committed_tax_per_mu=20)


@sample(Parcel)
def parcels(world):
    own, second, other = _projects(world)
    return [_parcel(own, "D-own"), _parcel(second, "D-second"), _parcel(other, "D-other")]


@sample(ProjectAgent)
def agents(world):
    own, _, other = _projects(world)
    return [services.do_assign_agent(SYSTEM, own, world.users["clerk"]),
            services.do_assign_agent(SYSTEM, other, world.users["outsider"])]
