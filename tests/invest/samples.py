"""Sample rows of the investment module for the scoping walk (see tests/samples.py); written through the services."""

import datetime
from decimal import Decimal

from kaifaqu.core.access import SYSTEM
from kaifaqu.invest import services
from kaifaqu.invest.models import InvestSettings, Project, ProjectEvent, ServiceLog
from tests.samples import sample

LEAD_ON = datetime.date(2025, 1, 10)


def project_in(zone, name="智能安防终端项目"):
    found = Project.objects.filter(zone=zone, name=name).first()
    if found:
        return found
    project = services.do_create_project(SYSTEM, zone, name=name, industry_code="3990", lead_on=LEAD_ON)
    project = services.do_advance(SYSTEM, project, "negotiate", date=datetime.date(2025, 2, 1))
    return services.do_advance(SYSTEM, project, "sign", date=datetime.date(2025, 3, 1),
                               signed_amount=Decimal("1200000000"))


@sample(Project)
def projects(world):
    return [project_in(world.zone), project_in(world.other_zone, "邻区生物医药项目")]


@sample(ProjectEvent)
def project_events(world):
    projects(world)
    return list(ProjectEvent.objects.all())


@sample(ServiceLog)
def service_logs(world):
    return [services.do_add_log(SYSTEM, p, kind="visit", date=datetime.date(2025, 4, 1), content="走访企业，了解用地需求。")
            for p in projects(world)]


@sample(InvestSettings)
def invest_settings(world):
    return [services.do_update_settings(SYSTEM, zone, stuck_days=60) for zone in (world.zone, world.other_zone)]
