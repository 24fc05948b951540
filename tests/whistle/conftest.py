"""Whistle fixtures: a second street beside the world's (a leak between two units of one zone shows) and helpers."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import OrgFactory, UserFactory

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime.datetime(*args, tzinfo=SH)


@pytest.fixture
def units(world):
    """world gains a second street (street2) with its officer (street2_user)."""
    from kaifaqu.accounts.roles import Role
    from kaifaqu.org.models import OrgKind

    street2 = OrgFactory(zone=world.zone, kind=OrgKind.STREET, code="street2", name="西城街道")
    world.users["street2_user"] = UserFactory(username="t_street2", role=Role.STREET_STAFF, org=street2, name="西城街道干部")
    world.street2 = street2
    return world


@pytest.fixture
def blow(world):
    """blow(kind=..., lead=..., supporters=..., now=...) as the zone leader."""
    from kaifaqu.whistle import services

    def make(kind="key_task", lead=None, supporters=(), now=None, **kw):
        fields = {"title": "园区道路塌陷", "description": "智造园主干道路面塌陷，影响企业通行。", "matter": "市政园林"}
        fields.update(kw)
        return services.do_blow(world.leader, world.zone, kind=kind, lead=lead or world.city_dept,
                                supporters=list(supporters), now=now, **fields)

    return make
