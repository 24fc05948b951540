"""ORG services: every write checks permission and scope, validates, and audits in the same transaction."""

import datetime

import pytest

from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from kaifaqu.org import services
from kaifaqu.org.models import (
    Establishment,
    Org,
    OrgKind,
    Plaque,
    PlaqueKind,
    PostKind,
    ReorgKind,
    Secondment,
    Staff,
    StaffStatus,
)
from tests.factories import StaffFactory

D = datetime.date


def audit_count(action=None):
    qs = AuditEvent.objects.all()
    return qs.filter(action=action).count() if action else qs.count()


# Zones and parks -----------------------------------------------------------------------------------------------

def test_update_zone_records_audit_and_bumps_version(world):
    zone = services.do_update_zone(world.hr, world.zone, version=1, short_name="示范区")
    assert zone.short_name == "示范区" and zone.version == 2
    event = AuditEvent.objects.get(action="zone.update")
    assert event.before == {"short_name": ""} and event.after == {"short_name": "示范区"}
    assert event.actor_name == world.hr.username


def test_update_zone_stale_version_is_conflict_and_changes_nothing(world):
    services.do_update_zone(world.hr, world.zone, version=1, short_name="一")
    before = audit_count()
    with pytest.raises(Conflict) as exc:
        services.do_update_zone(world.hr, world.zone, version=1, short_name="二")
    assert exc.value.code == "stale"
    world.zone.refresh_from_db()
    assert world.zone.short_name == "一" and audit_count() == before


def test_update_zone_outsider_not_found_enterprise_forbidden(world):
    with pytest.raises(NotFound):
        services.do_update_zone(world.outsider, world.zone, name="改名")
    with pytest.raises(Forbidden):
        services.do_update_zone(world.enterprise, world.zone, name="改名")
    world.zone.refresh_from_db()
    assert world.zone.name == "示范经济开发区"


def test_update_zone_rejects_fields_outside_the_list(world):
    with pytest.raises(InvalidInput):
        services.do_update_zone(world.hr, world.zone, code="hijack")


def test_create_and_update_park(world):
    park = services.do_create_park(world.hr, world.zone, name="生物医药园", code="bio", sort=2)
    assert park.zone == world.zone and audit_count("park.create") == 1
    park = services.do_update_park(world.hr, park, version=park.version, leading_industries="生物医药")
    assert park.leading_industries == "生物医药" and park.version == 2


def test_create_park_duplicate_name_is_refused(world):
    with pytest.raises(Conflict) as exc:  # a key already used: 409
        services.do_create_park(world.hr, world.zone, name="智造园", code="other-code")
    assert exc.value.fields == {"name": ["本开发区已有同名园区。"]}
    assert audit_count("park.create") == 0


def test_create_park_outsider_not_found(world):
    with pytest.raises(NotFound):
        services.do_create_park(world.outsider, world.zone, name="外园", code="x")


# Organisations -------------------------------------------------------------------------------------------------

def test_create_org_sets_zone_and_audits(world):
    org = services.do_create_org(world.hr, world.zone, kind=OrgKind.DEPARTMENT, name="招商处", code="zsc",
                                 parent=world.committee, comprehensive=False)
    assert org.zone_id == world.zone.pk and org.parent == world.committee
    event = AuditEvent.objects.get(action="org.create")
    assert event.after["name"] == "招商处" and event.zone_id == world.zone.pk


def test_create_org_bad_input_gives_field_errors(world):
    with pytest.raises(InvalidInput) as exc:
        services.do_create_org(world.hr, world.zone, kind="nonsense", name="", code="bad code")
    assert {"kind", "name", "code"} <= set(exc.value.fields)
    assert Org.objects.filter(code="bad code").count() == 0 and audit_count() == 0


def test_create_org_duplicate_code_refused_but_other_zones_may_use_it(world):
    with pytest.raises(Conflict) as exc:
        services.do_create_org(world.hr, world.zone, kind=OrgKind.DEPARTMENT, name="另一个", code="jjfz")
    assert exc.value.fields == {"code": ["本开发区已有该代码的机构。"]}
    services.do_update_org(world.hr, world.department, code="jjfz")  # its own code is not a clash
    services.do_create_org(world.outsider, world.other_zone, kind=OrgKind.DEPARTMENT, name="邻区经发处", code="jjfz")


def test_create_org_links_must_be_same_zone_and_home_must_be_city_dept(world):
    with pytest.raises(InvalidInput) as exc:
        services.do_create_org(world.hr, world.zone, kind=OrgKind.DEPARTMENT, name="甲", code="a",
                               parent=world.other_org)
    assert "parent" in exc.value.fields
    with pytest.raises(InvalidInput) as exc:
        services.do_create_org(world.hr, world.zone, kind=OrgKind.STATIONED, name="乙", code="b",
                               home_department=world.street_org)
    assert exc.value.fields == {"home_department": ["派出部门必须是市直部门。"]}


def test_comprehensive_only_for_departments_also_on_kind_change(world):
    with pytest.raises(InvalidInput) as exc:
        services.do_create_org(world.hr, world.zone, kind=OrgKind.INSTITUTION, name="中心", code="c",
                               comprehensive=True)
    assert "comprehensive" in exc.value.fields
    dept = services.do_update_org(world.hr, world.department, comprehensive=True)
    with pytest.raises(InvalidInput) as exc:
        services.do_update_org(world.hr, dept, kind=OrgKind.INSTITUTION)
    assert "comprehensive" in exc.value.fields


def test_update_org_parent_cycle_refused(world):
    child = services.do_create_org(world.hr, world.zone, kind=OrgKind.INSTITUTION, name="中心", code="c",
                                   parent=world.department)
    with pytest.raises(InvalidInput) as exc:
        services.do_update_org(world.hr, world.department, parent=child)
    assert "parent" in exc.value.fields


def test_update_org_stale_version(world):
    services.do_update_org(world.hr, world.department, version=1, phone="123")
    with pytest.raises(Conflict):
        services.do_update_org(world.hr, world.department, version=1, phone="456")
    world.department.refresh_from_db()
    assert world.department.phone == "123"


def test_update_org_outsider_not_found(world):
    with pytest.raises(NotFound):
        services.do_update_org(world.outsider, world.department, name="被改")


def test_abolish_org_needs_date_and_reason_and_no_staff(world):
    with pytest.raises(InvalidInput) as exc:
        services.do_abolish_org(world.hr, world.platform_org, date=None, reason="")
    assert set(exc.value.fields) == {"date", "reason"}
    with pytest.raises(RuleViolation):  # 李经济 is still in post
        services.do_abolish_org(world.hr, world.department, date=D(2024, 1, 1), reason="合并")
    before = audit_count()
    org = services.do_abolish_org(world.hr, world.platform_org, date=D(2024, 1, 1), reason="并入集团")
    assert not org.is_active and org.abolished_on == D(2024, 1, 1)
    assert audit_count() == before + 1
    assert AuditEvent.objects.get(action="org.abolish").reason == "并入集团"
    with pytest.raises(RuleViolation):
        services.do_abolish_org(world.hr, org, date=D(2024, 1, 2), reason="再次")


def test_abolish_org_with_active_children_refused(world):
    # The committee's department has no children but the committee has the department.
    Staff.objects.all().delete()
    with pytest.raises(RuleViolation):
        services.do_abolish_org(world.hr, world.committee, date=D(2024, 1, 1), reason="x")


# Plaques and establishment -------------------------------------------------------------------------------------

def test_add_and_remove_plaque(world):
    plaque = services.do_add_plaque(world.hr, world.committee, name="示范高新区管委会", kind=PlaqueKind.ADDED,
                                    since=D(2021, 5, 1))
    assert plaque.zone_id == world.zone.pk
    with pytest.raises(Conflict) as exc:
        services.do_add_plaque(world.hr, world.committee, name="示范高新区管委会", kind=PlaqueKind.ADDED)
    assert "name" in exc.value.fields
    removed = services.do_remove_plaque(world.hr, plaque, reason="摘牌")
    assert not removed.is_active
    assert Plaque.objects.filter(pk=plaque.pk).exists()  # kept on record
    with pytest.raises(RuleViolation):
        services.do_remove_plaque(world.hr, removed)
    assert audit_count("plaque.create") == 1 and audit_count("plaque.remove") == 1


def test_plaque_bad_kind_and_outsider(world):
    with pytest.raises(InvalidInput) as exc:
        services.do_add_plaque(world.hr, world.committee, name="牌", kind="painted")
    assert "kind" in exc.value.fields
    with pytest.raises(NotFound):
        services.do_add_plaque(world.outsider, world.committee, name="牌", kind=PlaqueKind.ATTACHED)
    assert Plaque.objects.count() == 0 and audit_count() == 0


def test_set_establishment_creates_then_updates(world):
    row = services.do_set_establishment(world.hr, world.department, kind=PostKind.ADMINISTRATIVE, approved=8,
                                        document_no="X编〔2021〕18号")
    assert row.approved == 8 and row.zone_id == world.zone.pk and row.document_no == "X编〔2021〕18号"
    row = services.do_set_establishment(world.hr, world.department, kind=PostKind.ADMINISTRATIVE, approved=6,
                                        document_no="X编〔2026〕3号", note="核减")
    assert Establishment.objects.get(org=world.department).approved == 6
    assert Establishment.objects.get(org=world.department).document_no == "X编〔2026〕3号"
    assert audit_count("establishment.create") == 1 and audit_count("establishment.update") == 1


@pytest.mark.parametrize(("kind", "approved", "field"), [
    (PostKind.ADMINISTRATIVE, -1, "approved"), (PostKind.ADMINISTRATIVE, "abc", "approved"), ("wizard", 3, "kind"),
])
def test_set_establishment_bad_input(world, kind, approved, field):
    with pytest.raises(InvalidInput) as exc:
        services.do_set_establishment(world.hr, world.department, kind=kind, approved=approved, document_no="X编〔2026〕3号")
    assert field in exc.value.fields
    assert not Establishment.objects.exists() and audit_count() == 0


def test_establishment_needs_the_approving_document_and_only_org_hr_sets_it(world):
    from kaifaqu.core.errors import Forbidden

    with pytest.raises(InvalidInput) as exc:
        services.do_set_establishment(world.hr, world.department, kind=PostKind.ADMINISTRATIVE, approved=3,
                                      document_no="  ")
    assert "document_no" in exc.value.fields
    for persona in ("leader", "clerk", "cityleader", "street", "enterprise"):
        with pytest.raises(Forbidden):
            services.do_set_establishment(world.users[persona], world.department, kind=PostKind.ADMINISTRATIVE,
                                          approved=3, document_no="X编〔2026〕3号")
    assert not Establishment.objects.exists() and audit_count() == 0


def test_set_establishment_outsider(world):
    with pytest.raises(NotFound):
        services.do_set_establishment(world.outsider, world.department, kind=PostKind.ADMINISTRATIVE, approved=1,
                                      document_no="X编〔2026〕3号")


def test_record_reorg(world):
    ev = services.do_record_reorg(world.hr, world.zone, orgs=[world.department, world.committee],
                                  date=D(2021, 3, 1), kind=ReorgKind.MERGE, title="机构整合", subject="机构数",
                                  before_count=26, after_count=23)
    assert ev.change == -3 and set(ev.orgs.all()) == {world.department, world.committee}
    with pytest.raises(InvalidInput):
        services.do_record_reorg(world.hr, world.zone, orgs=[world.other_org], date=D(2021, 3, 1),
                                 kind=ReorgKind.MERGE, title="x", subject="机构数", before_count=1, after_count=0)
    with pytest.raises(InvalidInput) as exc:
        services.do_record_reorg(world.hr, world.zone, date=D(2021, 3, 1), kind=ReorgKind.MERGE, title="x",
                                 subject="机构数", before_count=-1, after_count=0)
    assert "before_count" in exc.value.fields


# Staff and secondments -----------------------------------------------------------------------------------------

def test_create_staff_keeps_three_separations(world):
    staff = services.do_create_staff(world.hr, world.department, staff_no="A001", name="赵一",
                                     post_kind=PostKind.PUBLIC_SERVICE, grade_on_file="四级主任科员",
                                     archive_salary="6500.00", appointed_post="招商专员", actual_pay="180000")
    staff.refresh_from_db()
    assert staff.zone_id == world.zone.pk
    assert (staff.grade_on_file, str(staff.archive_salary)) == ("四级主任科员", "6500.00")
    assert (staff.appointed_post, str(staff.actual_pay)) == ("招商专员", "180000.00")


def test_create_staff_errors(world):
    with pytest.raises(InvalidInput) as exc:
        services.do_create_staff(world.hr, world.department, staff_no="", name="", post_kind="x")
    assert {"staff_no", "name", "post_kind"} <= set(exc.value.fields)
    with pytest.raises(Conflict):  # staff_no is unique in the zone
        services.do_create_staff(world.hr, world.department, staff_no=world.staff.staff_no, name="重号",
                                 post_kind=PostKind.ADMINISTRATIVE)
    with pytest.raises(Forbidden):
        services.do_create_staff(world.street, world.street_org, staff_no="S1", name="街", post_kind="contract")
    with pytest.raises(NotFound):
        services.do_create_staff(world.outsider, world.department, staff_no="S2", name="外", post_kind="contract")
    abolished = services.do_abolish_org(world.hr, world.platform_org, date=D(2024, 1, 1), reason="撤")
    with pytest.raises(RuleViolation):
        services.do_create_staff(world.hr, abolished, staff_no="S3", name="撤", post_kind="contract")
    assert Staff.objects.count() == 2


def test_update_staff_stale_and_move(world):
    staff = services.do_update_staff(world.hr, world.staff, version=1, org=world.committee, actual_pay="200000")
    assert staff.org == world.committee and staff.version == 2
    with pytest.raises(Conflict):
        services.do_update_staff(world.hr, world.staff, version=1, name="旧版本")
    with pytest.raises(InvalidInput):
        services.do_update_staff(world.hr, staff, org=world.other_org)
    with pytest.raises(NotFound):
        services.do_update_staff(world.outsider, staff, name="外改")


def test_secondment_create_and_end(world):
    s = services.do_create_secondment(world.hr, world.staff, host_name="市发改委", post="副主任",
                                      start=D(2024, 1, 1), end=D(2025, 12, 31))
    assert s.zone_id == world.zone.pk
    with pytest.raises(RuleViolation):  # overlaps
        services.do_create_secondment(world.hr, world.staff, host_org=world.street_org, post="副书记",
                                      start=D(2025, 6, 1), end=D(2026, 6, 1))
    with pytest.raises(RuleViolation):  # outside the period
        services.do_end_secondment(world.hr, s, date=D(2026, 1, 1))
    ended = services.do_end_secondment(world.hr, s, date=D(2024, 6, 30), reason="回原单位")
    assert ended.ended_early_on == D(2024, 6, 30)
    with pytest.raises(RuleViolation):
        services.do_end_secondment(world.hr, ended, date=D(2024, 7, 1))
    assert audit_count("secondment.create") == 1 and audit_count("secondment.end") == 1


def test_secondment_bad_input(world):
    with pytest.raises(InvalidInput) as exc:
        services.do_create_secondment(world.hr, world.staff, host_name="x", post="p", start=D(2024, 1, 1),
                                      end=D(2023, 1, 1))
    assert "end" in exc.value.fields
    with pytest.raises(InvalidInput) as exc:
        services.do_create_secondment(world.hr, world.staff, post="p", start=D(2024, 1, 1), end=D(2025, 1, 1))
    assert "host_org" in exc.value.fields
    with pytest.raises(InvalidInput) as exc:
        services.do_create_secondment(world.hr, world.staff, host_name="x", post="p", start=None, end=None)
    assert set(exc.value.fields) == {"start", "end"}
    with pytest.raises(InvalidInput):
        services.do_create_secondment(world.hr, world.staff, host_org=world.other_org, post="p",
                                      start=D(2024, 1, 1), end=D(2025, 1, 1))
    with pytest.raises(NotFound):
        services.do_create_secondment(world.outsider, world.staff, host_name="x", post="p", start=D(2024, 1, 1),
                                      end=D(2025, 1, 1))
    left = StaffFactory(org=world.department, status=StaffStatus.LEFT)
    with pytest.raises(RuleViolation):
        services.do_create_secondment(world.hr, left, host_name="x", post="p", start=D(2024, 1, 1),
                                      end=D(2025, 1, 1))
    assert not Secondment.objects.exists() and audit_count() == 0


def test_a_failing_service_leaves_no_audit_row_and_no_change(world, monkeypatch):
    """The audit write and the change commit together: if the audit write fails, the change is rolled back."""
    from kaifaqu.core import audit

    def boom(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(audit, "record", boom)
    with pytest.raises(RuntimeError):
        services.do_update_org(world.hr, world.department, name="改名失败")
    with pytest.raises(RuntimeError):
        services.do_create_org(world.hr, world.zone, kind=OrgKind.DEPARTMENT, name="新处", code="new")
    world.department.refresh_from_db()
    assert world.department.name == "经济发展处" and world.department.version == 1
    assert not Org.objects.filter(code="new").exists()
    assert AuditEvent.objects.count() == 0


def test_pay_and_phone_need_their_own_permission_to_be_written(world):
    from kaifaqu.accounts import services as account_services
    from kaifaqu.accounts.roles import perms_for
    from kaifaqu.core.errors import Forbidden

    # The security administrator lets department clerks keep their own staff records, without pay or phones.
    account_services.do_update_role(world.secadmin, "zone_staff", permissions=perms_for("zone_staff") | {"staff.change"},
                                    reason="各处室维护本处室人员基本信息")
    world.clerk.refresh_from_db()
    with pytest.raises(Forbidden, match="实际薪酬"):
        services.do_update_staff(world.clerk, world.staff, version=1, actual_pay="200000")
    with pytest.raises(Forbidden, match="手机"):
        services.do_create_staff(world.clerk, world.department, staff_no="A002", name="钱二", post_kind="administrative",
                                 phone="13900000000")
    staff = services.do_update_staff(world.clerk, world.staff, version=1, appointed_post="项目专员")  # the rest is fine
    assert staff.appointed_post == "项目专员"


def test_the_committee_cannot_be_abolished_or_moved_by_zone_users(world):
    import datetime

    from kaifaqu.core.errors import RuleViolation

    with pytest.raises(RuleViolation, match="党工委/管委会"):
        services.do_update_org(world.hr, world.committee, parent=world.department)
    with pytest.raises(RuleViolation, match="党工委/管委会"):
        services.do_update_org(world.hr, world.committee, kind="department")
    services.do_update_org(world.hr, world.committee, short_name="管委会")  # other changes are fine
    world.committee.refresh_from_db()
    with pytest.raises(RuleViolation, match="不能在此撤销"):
        services.do_abolish_org(world.hr, world.committee, date=datetime.date(2026, 3, 1), reason="整合",
                                version=world.committee.version)
