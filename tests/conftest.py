"""Personas of ARCHITECTURE.md: every test can ask for a zone with its people and a second zone's outsider."""

from dataclasses import dataclass

import pytest

from tests.factories import PASSWORD, OrgFactory, ParkFactory, StaffFactory, UserFactory, ZoneFactory

# The kinds of deadline clock the core tests start (modules register theirs in their AppConfig).
TEST_CLOCK_KINDS = ("t", "test", "test.concurrent", "test.ladder", "test.ladder.concurrent", "test.ladder.hours",
                    "test.ladder.late", "test.ladder.long", "test.ladder.moves", "test.ladder.newyear",
                    "test.ladder.steps", "test.ladder.zero", "test.overdue.resumed", "test.workhours.warn")


@pytest.fixture(autouse=True, scope="session")
def _test_clock_kinds():
    from kaifaqu.core import clock

    for kind in TEST_CLOCK_KINDS:
        clock.register_kind(kind, f"测试时限（{kind}）")


PERSONAS = ("leader", "hr", "clerk", "city_clerk", "street", "stationed", "platform", "enterprise", "intermediary",
            "cityleader", "sysadmin", "secadmin", "auditadmin", "outsider")
# The other zone's people the scoping walk sends at the demo zone's objects: the ordinary outsider (zone staff,
# holding every business permission) and that zone's own administrators, who hold the 三员 permissions there.
OUTSIDERS = ("outsider", "outsider_sysadmin", "outsider_secadmin", "outsider_auditadmin")


@dataclass
class World:
    zone: object
    other_zone: object
    park: object
    committee: object
    department: object
    street_org: object
    city_dept: object
    stationed_org: object
    platform_org: object
    enterprise_org: object
    intermediary_org: object
    other_org: object
    staff: object
    other_staff: object
    users: dict

    def __getattr__(self, name):
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AUDIT_ANCHOR_DIR = tmp_path / "audit-anchor"


@pytest.fixture(autouse=True, scope="session")
def _role_cache_for_the_run():
    """Stored role definitions are cached per process; within a test run only a write changes them."""
    from kaifaqu.accounts import roles

    roles.CACHE_SECONDS = float("inf")


@pytest.fixture(autouse=True)
def _fresh_role_definitions():
    """A rolled-back test must not leave its role changes in the process cache."""
    from kaifaqu.accounts import roles

    yield
    roles.invalidate()


@pytest.fixture(autouse=True)
def _fresh_calendar_tables():
    """Working-day tables are cached per process; a rolled-back test must not leave its overrides behind."""
    from kaifaqu.core import calendar

    calendar.invalidate()
    yield
    calendar.invalidate()


@pytest.fixture
def world(db):
    from kaifaqu.accounts.roles import Role
    from kaifaqu.org.models import OrgKind

    zone = ZoneFactory(code="demo", name="示范经济开发区", county="甲县")
    other = ZoneFactory(code="other", name="邻区高新区", county="乙县")
    park = ParkFactory(zone=zone, code="p1", name="智造园")
    committee = OrgFactory(zone=zone, kind=OrgKind.COMMITTEE, code="committee", name="管委会")
    department = OrgFactory(zone=zone, kind=OrgKind.DEPARTMENT, code="jjfz", name="经济发展处", parent=committee)
    street = OrgFactory(zone=zone, kind=OrgKind.STREET, code="street1", name="东城街道")
    city_dept = OrgFactory(zone=zone, kind=OrgKind.CITY_DEPARTMENT, code="zrzy", name="市自然资源和规划局")
    tax = OrgFactory(zone=zone, kind=OrgKind.CITY_DEPARTMENT, code="tax", name="市税务局")
    stationed = OrgFactory(zone=zone, kind=OrgKind.STATIONED, code="tax-station", name="税务分局", home_department=tax)
    platform = OrgFactory(zone=zone, kind=OrgKind.PLATFORM_COMPANY, code="pingtai", name="开发建设公司")
    enterprise = OrgFactory(zone=zone, kind=OrgKind.ENTERPRISE, code="qiye", name="某科技公司", park=park)
    intermediary = OrgFactory(zone=zone, kind=OrgKind.INTERMEDIARY, code="zhongjie", name="某评估公司")
    other_org = OrgFactory(zone=other, kind=OrgKind.COMMITTEE, code="other-committee", name="邻区管委会")
    staff = StaffFactory(org=department, name="李经济")
    other_staff = StaffFactory(org=other_org, name="王邻区")

    def user(username, role, org=None, **kw):
        return UserFactory(username=username, role=role, org=org, name=kw.pop("name", username), **kw)

    users = {
        "leader": user("t_leader", Role.ZONE_LEADER, committee),
        "hr": user("t_hr", Role.ORG_HR, committee),  # the zone's 组织人事 (in the demo: 党政办公室)
        "clerk": user("t_clerk", Role.ZONE_STAFF, department),
        "city_clerk": user("t_zrzy", Role.CITY_DEPT_STAFF, city_dept),
        "street": user("t_street", Role.STREET_STAFF, street),
        "stationed": user("t_shuiwu", Role.STATIONED_STAFF, stationed),
        "platform": user("t_pingtai", Role.PLATFORM_STAFF, platform),
        "enterprise": user("t_qiye", Role.ENTERPRISE_USER, enterprise),
        "intermediary": user("t_zhongjie", Role.INTERMEDIARY_USER, intermediary),
        "cityleader": user("t_cityleader", Role.CITY_LEADER, city_dept),
        "sysadmin": user("t_sys", Role.SYS_ADMIN),
        "secadmin": user("t_sec", Role.SEC_ADMIN),
        "auditadmin": user("t_audit", Role.AUDIT_ADMIN),
        # Holds every business permission there (a clerk who is also 组织人事 and a leader): multi-role.
        "outsider": user("t_outsider", Role.ZONE_STAFF, other_org, roles=[Role.ORG_HR, Role.ZONE_LEADER]),
    }
    return World(zone, other, park, committee, department, street, city_dept, stationed, platform, enterprise,
                 intermediary, other_org, staff, other_staff, users)


@pytest.fixture
def outsiders(world):
    """world.users gains the other zone's system, security and audit administrators (OUTSIDERS)."""
    from kaifaqu.accounts.roles import Role

    for persona, role in (("outsider_sysadmin", Role.SYS_ADMIN), ("outsider_secadmin", Role.SEC_ADMIN),
                          ("outsider_auditadmin", Role.AUDIT_ADMIN)):
        world.users[persona] = UserFactory(username=f"t_{persona}", role=role, org=world.other_org, name=persona)
    return [world.users[persona] for persona in OUTSIDERS]


@pytest.fixture
def client_for(client):
    """client_for(user) -> a Django test client logged in as that user."""
    from django.test import Client

    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make


@pytest.fixture
def api_for():
    """api_for(user) -> a DRF APIClient authenticated as that user (token auth as a real client would use)."""
    from rest_framework.test import APIClient

    def make(user):
        c = APIClient()
        c.force_authenticate(user)
        return c

    return make


@pytest.fixture
def password():
    return PASSWORD
