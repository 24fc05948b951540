"""Sample rows of the whistle module for the scoping walk: a whistle in each zone, the demo zone's addressed to
two streets (a leak between two units of one zone shows), written through the services."""

from kaifaqu.core.access import SYSTEM
from kaifaqu.org import services as org_services
from kaifaqu.org.models import Org, OrgKind
from kaifaqu.whistle import services
from kaifaqu.whistle.models import Assignment, AssignmentEvent, Whistle, WhistleEvent, WhistlePolicy, WhistleScoring
from tests.samples import sample


def _street(zone, code, name):
    return (Org.objects.filter(zone=zone, code=code).first()
            or org_services.do_create_org(SYSTEM, zone, kind=OrgKind.STREET, code=code, name=name))


def _whistles(world):
    found = list(Whistle.objects.filter(title="样例吹哨").order_by("zone_id", "id"))
    if found:
        return found
    second = _street(world.zone, "street-sample", "样例街道")
    here = services.do_blow(SYSTEM, world.zone, kind="key_task", title="样例吹哨", description="样例",
                            matter="其他", lead=world.street_org, supporters=[second])
    there = services.do_blow(SYSTEM, world.other_zone, kind="emergency", title="样例吹哨", description="样例",
                             matter="其他", lead=_street(world.other_zone, "other-street", "邻区街道"))
    lead = here.assignments.get(org=world.street_org)
    services.act(SYSTEM, lead, "report_in")
    services.act(SYSTEM, there.assignments.get(), "report_in")
    return [here, there]


@sample(Whistle)
def whistles(world):
    return _whistles(world)


@sample(Assignment)
def assignments(world):
    return list(Assignment.objects.filter(whistle__in=_whistles(world)))


@sample(AssignmentEvent)
def assignment_events(world):
    _whistles(world)
    return list(AssignmentEvent.objects.all())


@sample(WhistleEvent)
def whistle_events(world):
    here, there = _whistles(world)
    for w in (here, there):
        if not WhistleEvent.objects.filter(whistle=w).exists():
            a = w.assignments.first()
            services.act(SYSTEM, a, "request_extension", note="样例", payload={"amount": 1})
            services.act(SYSTEM, w, "refuse_extension", note="样例", payload={"assignment": a.pk})
    return list(WhistleEvent.objects.all())


@sample(WhistlePolicy)
def policies(world):
    return [services.do_set_policy(SYSTEM, zone, "emergency", report_in_limit=30, solve_limit=24)
            for zone in (world.zone, world.other_zone)]


@sample(WhistleScoring)
def scorings(world):
    return [services.do_set_scoring(SYSTEM, zone, basic_weight="0.9") for zone in (world.zone, world.other_zone)]
