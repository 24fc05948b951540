"""Meetings fixtures: a second street beside the world's (a leak between two units of one zone shows), the zone's
body, and a meeting held with decisions to two units."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import OrgFactory, UserFactory

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime.datetime(*args, tzinfo=SH)


@pytest.fixture
def units(world):
    """world gains a second street (street2) with its officer (street2_user) and heads for both streets."""
    from kaifaqu.accounts.roles import Role
    from kaifaqu.org.models import Org, OrgKind

    street2 = OrgFactory(zone=world.zone, kind=OrgKind.STREET, code="street2", name="西城街道")
    world.users["street2_user"] = UserFactory(username="t_street2", role=Role.STREET_STAFF, org=street2,
                                              name="西城街道干部")
    world.users["street_head"] = UserFactory(username="t_street_head", role=Role.STREET_STAFF, org=world.street_org,
                                             name="东城街道主任")
    Org.objects.filter(pk=world.street_org.pk).update(head=world.users["street_head"])
    world.street_org.refresh_from_db()
    world.street2 = street2
    return world


@pytest.fixture
def body(units):
    from kaifaqu.meetings import services

    w = units
    return services.do_set_body(w.leader, w.zone, name="示范经济开发区联席会议", convener_name="韩志红",
                                convener_title="市政府副市长", convener=w.cityleader,
                                members=[w.street_org, w.street2, w.city_dept, w.department])


@pytest.fixture
def held(units, body):
    """held(now=…) -> a joint meeting held at ``now`` with one free agenda item."""
    from kaifaqu.meetings import services

    def make(now, kind="joint", title="示范经济开发区2026年第一次联席会议"):
        m = services.do_schedule(units.leader, units.zone, kind=kind, title=title, starts_at=now,
                                 place="管委会三楼会议室", now=now)
        services.do_add_agenda_item(units.leader, m, title="重点项目要素保障", presenter=units.department, now=now)
        return services.act(units.leader, m, "hold", now=now)

    return make
