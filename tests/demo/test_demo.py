import pytest
from django.test import Client

from kaifaqu.core import audit
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.demo.loader import DEMO_USERNAMES, demo_password, load_demo
from kaifaqu.org.models import Org, OrgKind, Park, Staff, Zone


@pytest.fixture
def demo(demo_db):
    """The demo as `load_demo()` left it (loaded once per test process, restored for each test)."""
    return demo_db


def count(kind):
    return Org.objects.filter(zone__code="demo", kind=kind).count()


def test_demo_zone_matches_the_seeds(demo):
    zone = Zone.objects.get(code="demo")
    assert Park.objects.filter(zone=zone).count() == 5
    assert count(OrgKind.COMMITTEE) == 1
    committee = Org.objects.get(zone=zone, kind=OrgKind.COMMITTEE)
    assert committee.plaques.filter(kind="added").exists()  # 增挂高新区管委会牌子
    names = set(Org.objects.filter(zone=zone, kind=OrgKind.DEPARTMENT).values_list("name", flat=True))
    assert {"经济发展处", "招商处", "建设处"} <= names
    assert Org.objects.get(zone=zone, name="经济发展处").plaques.filter(name="平安监管处").exists()
    assert count(OrgKind.INSTITUTION) == 6
    assert count(OrgKind.CITY_DEPARTMENT) == 16
    stationed = Org.objects.filter(zone=zone, kind=OrgKind.STATIONED).select_related("home_department")
    assert stationed.count() == 6
    assert all(s.home_department.kind == OrgKind.CITY_DEPARTMENT for s in stationed)
    assert count(OrgKind.STREET) == 3
    assert count(OrgKind.PLATFORM_COMPANY) == 1
    assert count(OrgKind.FUND) == 1
    assert Staff.objects.filter(zone=zone).count() >= 80
    assert zone.reorg_events.filter(subject="开发区管理机构", before_count=2, after_count=1).exists()
    assert Zone.objects.filter(code="neighbour").exists()


def test_demo_load_is_idempotent(demo):
    events = AuditEvent.objects.count()
    orgs = Org.objects.count()
    load_demo()
    assert AuditEvent.objects.count() == events
    assert Org.objects.count() == orgs


def test_every_demo_user_logs_in(demo):
    for username in DEMO_USERNAMES:
        client = Client()
        response = client.post("/accounts/login/", {"username": username, "password": demo_password()})
        assert response.status_code == 302, username
        assert client.get("/").status_code == 200, username


def test_demo_audit_chain_is_intact(demo):
    count, broken, reason = audit.verify()
    assert count > 200
    assert broken is None and reason == ""


def test_outsider_cannot_see_demo_zone(demo):
    from kaifaqu.accounts.models import User

    outsider = User.objects.get(username="outsider")
    assert not Org.objects.visible_to(outsider).filter(zone__code="demo").exists()
    cityleader = User.objects.get(username="cityleader")
    assert set(Zone.objects.visible_to(cityleader).values_list("code", flat=True)) == {"demo", "neighbour"}


def test_demo_people_are_plausible_and_records_cite_no_source_files(demo):
    from kaifaqu.accounts.models import User
    from kaifaqu.org.models import ReorgEvent, Staff

    for username in ("zrzy", "street1", "shuiwu", "jingji"):
        assert Staff.objects.filter(org=User.objects.get(username=username).org).exists(), username
    committee = Staff.objects.filter(org__kind=OrgKind.COMMITTEE, zone__code="demo")
    assert committee.count() == 5 and not committee.filter(grade_on_file__startswith="专业技术").exists()
    assert set(committee.values_list("grade_on_file", flat=True)) <= {"一级主任科员", "二级主任科员", "三级主任科员"}
    # appointed and contract staff hold no grade on file
    assert not Staff.objects.filter(post_kind__in=["appointed", "contract"]).exclude(grade_on_file="").exists()
    assert not ReorgEvent.objects.filter(description__contains="材料").exists()
    assert not ReorgEvent.objects.filter(document_no="").exists()
