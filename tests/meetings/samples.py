"""Sample rows of the meetings module for the scoping walk: a meeting in each zone, the demo zone's with
decisions to two streets (a leak between two units of one zone shows), written through the services."""

import datetime

from django.utils import timezone

from kaifaqu.core import calendar as cal
from kaifaqu.core.access import SYSTEM
from kaifaqu.meetings import services
from kaifaqu.meetings.models import Decision, DecisionEvent, JointBody, Meeting, MeetingEvent
from kaifaqu.org import services as org_services
from kaifaqu.org.models import Org, OrgKind
from tests.samples import sample


def _street(zone, code, name):
    return (Org.objects.filter(zone=zone, code=code).first()
            or org_services.do_create_org(SYSTEM, zone, kind=OrgKind.STREET, code=code, name=name))


def _meetings(world):
    found = list(Meeting.objects.filter(title="样例会议").order_by("zone_id", "id"))
    if found:
        return found
    made = []
    due = cal.add_workdays(timezone.localdate(), 5)
    for zone, units in ((world.zone, [world.street_org, _street(world.zone, "street-sample-m", "样例街道")]),
                        (world.other_zone, [_street(world.other_zone, "other-street-m", "邻区街道")])):
        services.do_set_body(SYSTEM, zone, name="样例联席会议", convener_name="样例召集人", members=units)
        m = services.do_schedule(SYSTEM, zone, kind="joint", title="样例会议", place="会议室",
                                 starts_at=timezone.now() - datetime.timedelta(hours=1))
        services.do_add_agenda_item(SYSTEM, m, title="样例议题")
        services.act(SYSTEM, m, "hold")
        for unit in units:
            d = services.do_add_decision(SYSTEM, m, content="样例议定事项", owner=unit, due_date=due)
            services.act(SYSTEM, d, "report", payload={"report": "样例"})
        made.append(m)
    return made


@sample(Meeting)
def meetings(world):
    return _meetings(world)


@sample(Decision)
def decisions(world):
    return list(Decision.objects.filter(meeting__in=_meetings(world)))


@sample(JointBody)
def bodies(world):
    _meetings(world)
    return list(JointBody.objects.all())


@sample(MeetingEvent)
def meeting_events(world):
    _meetings(world)
    return list(MeetingEvent.objects.all())


@sample(DecisionEvent)
def decision_events(world):
    _meetings(world)
    return list(DecisionEvent.objects.all())
