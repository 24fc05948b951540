"""Org pages: the structure tree, details, forms (field errors, stale versions), exports, escaping."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.org import services
from kaifaqu.org.models import Establishment, Org, OrgKind, Park, Plaque, PostKind, ReorgEvent, Secondment, Staff
from tests.factories import EstablishmentFactory, OrgFactory, StaffFactory

D = datetime.date


def html(response):
    return response.content.decode()


@pytest.fixture
def leader(world, client_for):
    return client_for(world.hr)


def test_every_page_renders_for_the_leader(world, leader):
    secondment = services.do_create_secondment(world.hr, world.staff, host_name="市发改委", post="科员",
                                               start=D(2024, 1, 1), end=D(2025, 1, 1))
    plaque = services.do_add_plaque(world.hr, world.committee, name="示范高新区管委会", kind="added")
    reorg = services.do_record_reorg(world.hr, world.zone, orgs=[world.department], date=D(2021, 1, 1),
                                     kind="merge", title="整合", subject="机构数", before_count=26, after_count=23)
    urls = [
        reverse("org:zone-list"), reverse("org:zone-detail", args=[world.zone.pk]),
        reverse("org:zone-edit", args=[world.zone.pk]), reverse("org:park-create", args=[world.zone.pk]),
        reverse("org:park-list"), reverse("org:park-detail", args=[world.park.pk]),
        reverse("org:park-edit", args=[world.park.pk]),
        reverse("org:org-list"), reverse("org:org-create"), f"{reverse('org:org-create')}?zone={world.zone.pk}",
        *[reverse(name, args=[org.pk]) for org in (world.committee, world.department, world.stationed_org,
                                                   world.city_dept, world.enterprise_org)
          for name in ("org:org-detail", "org:org-edit", "org:org-abolish", "org:plaque-add",
                       "org:establishment-set")],
        f"{reverse('org:establishment-set', args=[world.department.pk])}?kind=administrative",
        reverse("org:plaque-remove", args=[plaque.pk]),
        reverse("org:staff-list"), reverse("org:staff-create"), f"{reverse('org:staff-create')}?org={world.department.pk}",
        reverse("org:staff-detail", args=[world.staff.pk]), reverse("org:staff-edit", args=[world.staff.pk]),
        reverse("org:secondment-list"), reverse("org:secondment-create"),
        f"{reverse('org:secondment-create')}?staff={world.staff.pk}",
        reverse("org:secondment-detail", args=[secondment.pk]), reverse("org:secondment-end", args=[secondment.pk]),
        reverse("org:reorg-list"), reverse("org:reorg-create"), reverse("org:reorg-detail", args=[reorg.pk]),
    ]
    for url in urls:
        response = leader.get(url)
        assert response.status_code == 200, url


def test_zone_detail_shows_tree_warnings_plaques_establishment_and_reorgs(world, leader):
    OrgFactory(zone=world.zone, kind=OrgKind.INSTITUTION, parent=world.department, name="企业服务中心")
    OrgFactory(zone=world.zone, kind=OrgKind.DEPARTMENT, comprehensive=True, parent=world.committee, name="党政办")
    for _ in range(3):
        OrgFactory(zone=world.zone, kind=OrgKind.ENTERPRISE, park=world.park)
    services.do_add_plaque(world.hr, world.committee, name="示范高新区管理委员会", kind="added")
    EstablishmentFactory(org=world.department, kind=PostKind.ADMINISTRATIVE, approved=7)
    services.do_record_reorg(world.hr, world.zone, date=D(2021, 3, 1), kind="merge", title="工业园区整合",
                             subject="工业园区数", before_count=15, after_count=6)
    page = html(leader.get(reverse("org:zone-detail", args=[world.zone.pk])))
    tree = page[page.index('data-testid="org-tree"'):]
    # committee at the root, its departments below it, the service centre below its department
    assert tree.index("管委会") < tree.index("经济发展处") < tree.index("企业服务中心")
    for heading in ("派驻机构", "属地镇街", "市直部门", "平台公司/基金", "中介", "企业"):
        assert heading in tree
    assert "税务分局" in tree and "市税务局" in tree
    assert "智造园：4 家" in tree  # enterprises counted per park, not listed
    assert f"park={world.park.pk}" in tree
    assert "某科技公司" not in tree
    assert "示范高新区管理委员会" in page
    assert 'data-testid="rule-warnings"' in page and "综合性内设机构" in page  # 1 of 2 = 50 %
    assert "15 → 6" in page
    assert "行政编制" in page


def test_org_detail(world, leader):
    world.department.headcount_cap = 1
    world.department.save()
    StaffFactory(org=world.department, name="超员者")
    EstablishmentFactory(org=world.department, kind=PostKind.ADMINISTRATIVE, approved=1)
    page = html(leader.get(reverse("org:org-detail", args=[world.department.pk])))
    assert "管委会" in page  # parent
    assert 'data-testid="over-cap"' in page and "超过员额上限 1 人" in page
    assert "超编" in page
    assert "李经济" in page and "超员者" in page
    assert f"/org/staff/?org={world.department.pk}&amp;export=xlsx" in page
    assert 'data-testid="users"' in page and "开发区部门工作人员" in page  # the clerk's account
    stationed = html(leader.get(reverse("org:org-detail", args=[world.stationed_org.pk])))
    assert 'data-testid="home-department"' in stationed and "市税务局" in stationed


def test_enterprise_user_sees_own_org_but_no_structure_and_no_staff(world, client_for):
    client = client_for(world.enterprise)
    assert client.get(reverse("org:org-detail", args=[world.department.pk])).status_code == 404
    page = html(client.get(reverse("org:org-detail", args=[world.enterprise_org.pk])))
    assert "某科技公司" in page and 'data-testid="staff"' not in page
    assert 'data-testid="establishment"' not in page and 'data-testid="reorgs"' not in page
    assert 'data-testid="children"' not in page
    listed = client.get(reverse("org:org-list")).context["object_list"]
    assert [o.pk for o in listed] == [world.enterprise_org.pk]
    assert client.get(reverse("org:reorg-list")).status_code == 403
    assert client.get(reverse("org:staff-list")).status_code == 403
    assert client.get(reverse("org:staff-detail", args=[world.staff.pk])).status_code == 403
    assert client.get(reverse("org:org-edit", args=[world.department.pk])).status_code == 403


def test_street_user_sees_only_own_staff(world, client_for):
    own = StaffFactory(org=world.street_org, name="街道人员")
    client = client_for(world.street)
    page = html(client.get(reverse("org:staff-list")))
    assert "街道人员" in page and "李经济" not in page
    assert client.get(reverse("org:staff-detail", args=[world.staff.pk])).status_code == 404
    assert client.get(reverse("org:staff-detail", args=[own.pk])).status_code == 200


def test_outsider_gets_404_on_demo_pages(world, client_for):
    client = client_for(world.outsider)
    for url in (reverse("org:zone-detail", args=[world.zone.pk]), reverse("org:org-detail", args=[world.committee.pk]),
                reverse("org:org-edit", args=[world.committee.pk]), reverse("org:staff-detail", args=[world.staff.pk]),
                f"{reverse('org:org-create')}?zone={world.zone.pk}"):
        assert client.get(url).status_code == 404, url
    assert "经济发展处" not in html(client.get(reverse("org:org-list")))


def test_org_list_filters_search_and_export(world, leader):
    services.do_add_plaque(world.hr, world.committee, name="高新区管委会", kind="added")
    services.do_add_plaque(world.hr, world.committee, name="高新区党工委", kind="added")
    url = reverse("org:org-list")
    response = leader.get(url, {"q": "高新区"})
    assert [o.name for o in response.context["object_list"]] == ["管委会"]  # once, though two plaques match
    response = leader.get(url, {"kind": "stationed"})
    assert [o.name for o in response.context["object_list"]] == ["税务分局"]
    response = leader.get(url, {"park": world.park.pk, "active": "true"})
    assert [o.name for o in response.context["object_list"]] == ["某科技公司"]
    response = leader.get(url, {"kind": "wizard"})
    assert response.status_code == 200 and list(response.context["object_list"]) == []
    export = leader.get(url, {"zone": world.zone.pk, "export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(export.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("机构名称", "代码", "机构类型")
    names = {r[0] for r in rows[1:]}
    assert "经济发展处" in names and "邻区管委会" not in names
    dept_row = next(r for r in rows if r[0] == "经济发展处")
    header = list(rows[0])
    assert dept_row[header.index("实有人数")] == 1
    assert "高新区管委会；高新区党工委" in next(r for r in rows if r[0] == "管委会")


def test_staff_export_is_a_real_workbook_with_chinese_headers(world, leader):
    StaffFactory(org=world.department, name="钱二", archive_salary="5000.00", actual_pay="150000.00")
    StaffFactory(org=world.committee, name="孙三")
    response = leader.get(reverse("org:staff-list"), {"org": world.department.pk, "export": "xlsx"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("工号", "姓名", "性别", "所在单位", "编制类型", "档案职级（原职务）", "档案工资（元/月）", "聘任岗位",
                       "实际薪酬（元/年）", "到岗日期", "状态", "手机")
    assert {r[1] for r in rows[1:]} == {"李经济", "钱二"}
    qian = next(r for r in rows if r[1] == "钱二")
    assert qian[3] == "经济发展处" and qian[4] == "行政编制" and float(qian[6]) == 5000 and float(qian[8]) == 150000


def test_staff_detail_shows_three_separations(world, leader):
    staff = StaffFactory(org=world.department, grade_on_file="二级主任科员", archive_salary="6100.00",
                         appointed_post="招商部长", actual_pay="260000.00")
    page = html(leader.get(reverse("org:staff-detail", args=[staff.pk])))
    cards = page[page.index('data-testid="three-separations"'):]
    file_part = cards[cards.index("身份与档案"):cards.index("岗位与薪酬")]
    post_part = cards[cards.index("岗位与薪酬"):]
    assert "二级主任科员" in file_part and "6100.00" in file_part and "招商部长" not in file_part
    assert "招商部长" in post_part and "260000.00" in post_part


def test_create_org_form_field_errors_in_chinese(world, leader):
    url = f"{reverse('org:org-create')}?zone={world.zone.pk}"
    response = leader.post(url, {"kind": "department", "name": "", "code": "x"})
    assert response.status_code == 400
    page = html(response)
    assert "该字段是必填项。" in page
    response = leader.post(url, {"kind": "institution", "name": "中心", "code": "zx", "comprehensive": "on", "sort": 0})
    assert "只有内设机构可以标记为综合性。" in html(response)
    response = leader.post(url, {"kind": "department", "name": "重复", "code": "jjfz", "sort": 0})
    assert response.status_code == 409 and "本开发区已有该代码的机构。" in html(response)
    assert Org.objects.filter(name="重复").count() == 0


def test_create_org_form_success(world, leader):
    url = f"{reverse('org:org-create')}?zone={world.zone.pk}"
    response = leader.post(url, {"kind": "department", "name": "招商处", "code": "zsc", "parent": world.committee.pk,
                                 "sort": 2})
    org = Org.objects.get(code="zsc")
    assert response.status_code == 302 and response["Location"] == org.get_absolute_url()
    assert org.parent == world.committee and org.zone == world.zone
    assert AuditEvent.objects.filter(action="org.create").count() == 1


def test_edit_with_stale_version_shows_409_message(world, leader):
    url = reverse("org:org-edit", args=[world.department.pk])
    form = leader.get(url).context["form"]
    assert form.initial["version"] == 1
    services.do_update_org(world.hr, world.department, phone="110")
    data = {"kind": "department", "name": "经济发展局", "code": "jjfz", "parent": world.committee.pk, "sort": 0,
            "version": 1}
    response = leader.post(url, data)
    assert response.status_code == 409
    assert "该记录已被他人修改，请刷新后重试。" in html(response)
    world.department.refresh_from_db()
    assert world.department.name == "经济发展处"
    response = leader.post(url, {**data, "phone": "110", "version": 2})  # after reloading the form
    assert response.status_code == 302
    world.department.refresh_from_db()
    assert world.department.name == "经济发展局" and world.department.phone == "110"


def test_html_in_names_is_escaped(world, leader):
    evil = "<script>alert(1)</script>"
    leader.post(f"{reverse('org:org-create')}?zone={world.zone.pk}",
                {"kind": "department", "name": evil, "code": "evil", "parent": world.committee.pk, "sort": 0})
    org = Org.objects.get(code="evil")
    for url in (org.get_absolute_url(), reverse("org:org-list"), reverse("org:zone-detail", args=[world.zone.pk]),
                reverse("org:org-edit", args=[org.pk])):
        page = html(leader.get(url))
        assert evil not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url


def test_zone_and_park_forms(world, leader):
    response = leader.post(reverse("org:zone-edit", args=[world.zone.pk]),
                           {"name": "示范经济技术开发区", "kind": "economic", "level": "national", "version": 1})
    assert response.status_code == 302
    world.zone.refresh_from_db()
    assert world.zone.name == "示范经济技术开发区" and world.zone.level == "national"
    response = leader.post(reverse("org:park-create", args=[world.zone.pk]),
                           {"name": "物流园", "code": "wl", "sort": 3})
    park = Park.objects.get(code="wl")
    assert response.status_code == 302 and park.zone == world.zone
    response = leader.post(reverse("org:park-create", args=[world.zone.pk]), {"name": "", "code": "", "sort": 0})
    assert response.status_code == 400 and "该字段是必填项。" in html(response)
    response = leader.post(reverse("org:park-edit", args=[park.pk]),
                           {"name": "现代物流园", "code": "wl", "sort": 3, "version": 1})
    park.refresh_from_db()
    assert response.status_code == 302 and park.name == "现代物流园"


def test_plaque_establishment_and_abolish_forms(world, leader):
    response = leader.post(reverse("org:plaque-add", args=[world.committee.pk]), {"name": "高新区党工委", "kind": "added"})
    assert response.status_code == 302
    plaque = Plaque.objects.get(name="高新区党工委")
    response = leader.post(reverse("org:plaque-remove", args=[plaque.pk]), {"reason": "机构调整"})
    plaque.refresh_from_db()
    assert response.status_code == 302 and not plaque.is_active
    url = reverse("org:establishment-set", args=[world.department.pk])
    no_document = leader.post(url, {"kind": "administrative", "approved": 6})
    assert no_document.status_code == 400 and "编办批文号" in html(no_document)
    assert leader.post(url, {"kind": "administrative", "approved": 6, "document_no": "X编〔2026〕3号"}).status_code == 302
    assert Establishment.objects.get(org=world.department).approved == 6
    response = leader.post(url, {"kind": "administrative", "approved": -2, "document_no": "X编〔2026〕4号"})
    assert response.status_code == 400 and "Establishment" not in html(response)
    assert Establishment.objects.get(org=world.department).approved == 6
    abolish = reverse("org:org-abolish", args=[world.platform_org.pk])
    response = leader.post(abolish, {"date": "", "reason": ""})
    assert response.status_code == 400 and "该字段是必填项。" in html(response)
    response = leader.post(reverse("org:org-abolish", args=[world.department.pk]),
                           {"date": "2024-01-01", "reason": "合并"})
    assert response.status_code == 422 and "仍有在岗人员" in html(response)
    response = leader.post(abolish, {"date": "2024-01-01", "reason": "并入集团", "version": 1})
    world.platform_org.refresh_from_db()
    assert response.status_code == 302 and not world.platform_org.is_active


def test_staff_and_secondment_forms(world, leader):
    response = leader.post(f"{reverse('org:staff-create')}?org={world.department.pk}", {
        "org": world.department.pk, "staff_no": "B001", "name": "周四", "post_kind": "appointed", "status": "active",
        "grade_on_file": "一级科员", "archive_salary": "4800", "appointed_post": "项目专员", "actual_pay": "120000"})
    assert response.status_code == 302
    staff = Staff.objects.get(staff_no="B001")
    assert staff.zone == world.zone and staff.grade_on_file == "一级科员"
    response = leader.post(reverse("org:staff-create"), {"org": world.department.pk, "staff_no": "B001",
                                                         "name": "重号", "post_kind": "appointed", "status": "active"})
    assert response.status_code in (400, 409)
    response = leader.post(reverse("org:staff-edit", args=[staff.pk]), {
        "org": world.committee.pk, "staff_no": "B001", "name": "周四", "post_kind": "appointed", "status": "active",
        "version": 1})
    staff.refresh_from_db()
    assert response.status_code == 302 and staff.org == world.committee
    create = reverse("org:secondment-create")
    response = leader.post(create, {"staff": staff.pk, "host_name": "省商务厅", "post": "挂职干部",
                                    "start": "2024-03-01", "end": "2024-02-01"})
    assert response.status_code == 400 and "结束日期必须晚于开始日期。" in html(response)
    response = leader.post(create, {"staff": staff.pk, "host_name": "省商务厅", "post": "挂职干部",
                                    "start": "2024-03-01", "end": "2026-03-01"})
    secondment = Secondment.objects.get(staff=staff)
    assert response.status_code == 302
    response = leader.post(reverse("org:secondment-end", args=[secondment.pk]), {"date": "2025-01-15"})
    secondment.refresh_from_db()
    assert response.status_code == 302 and secondment.ended_early_on == D(2025, 1, 15)


def test_reorg_form(world, leader):
    response = leader.post(f"{reverse('org:reorg-create')}?zone={world.zone.pk}", {
        "date": "2021-06-01", "kind": "merge", "title": "两区合并", "subject": "开发区管理机构数",
        "before_count": 2, "after_count": 1, "orgs": [world.committee.pk, world.department.pk]})
    event = ReorgEvent.objects.get()
    assert response.status_code == 302 and set(event.orgs.all()) == {world.committee, world.department}
    page = html(leader.get(event.get_absolute_url()))
    assert "2 <i class=\"bi bi-arrow-right\"></i> 1" in page and "经济发展处" in page
    response = leader.post(reverse("org:reorg-create"), {"date": "", "kind": "merge", "title": "", "subject": "x",
                                                         "before_count": "a", "after_count": 1})
    assert response.status_code == 400 and "该字段是必填项。" in html(response) and "输入整数。" in html(response)


def test_list_pages_pagination_beyond_last_is_404(world, leader):
    assert leader.get(reverse("org:org-list"), {"page": 99}).status_code == 404


def test_org_hr_names_a_units_head_among_its_users(world, client_for, api_for):
    url = reverse("org:org-head", args=[world.committee.pk])
    hr = client_for(world.hr)
    page = hr.get(url)
    assert page.status_code == 200 and "t_leader" in html(page) and "t_clerk" not in html(page)  # the unit's users
    assert hr.post(url, {"head": world.clerk.pk}).status_code == 400  # not a user of the committee
    assert hr.post(url, {"head": world.leader.pk}).status_code == 302
    world.committee.refresh_from_db()
    assert world.committee.head == world.leader
    assert AuditEvent.objects.filter(action="org.set_head").count() == 1
    assert 'data-testid="org-head"' in html(hr.get(reverse("org:org-detail", args=[world.committee.pk])))
    assert client_for(world.leader).get(url).status_code == 403
    api = api_for(world.hr)
    refused = api.post(f"/api/v1/orgs/{world.committee.pk}/set-head/", {"head": world.clerk.pk}, format="json")
    assert refused.status_code == 400 and "head" in refused.json()["fields"]
    cleared = api.post(f"/api/v1/orgs/{world.committee.pk}/set-head/", {"head": None}, format="json")
    assert cleared.status_code == 200 and cleared.json()["head"] is None
    assert api_for(world.clerk).post(f"/api/v1/orgs/{world.committee.pk}/set-head/", {"head": None},
                                     format="json").status_code == 403


def test_a_units_head_sees_their_units_pay_row_by_row_in_the_export(world, client_for):
    StaffFactory(org=world.committee, name="赵主任", actual_pay="300000.00", phone="13812345678")
    StaffFactory(org=world.department, name="钱二", actual_pay="150000.00", phone="13987654321")
    head = client_for(world.leader)  # zone_leader: every unit's staff, no pay permission

    def export():
        response = head.get(reverse("org:staff-list"), {"export": "xlsx"})
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        return list(rows[0]), {r[1]: r for r in rows[1:]}

    header, _ = export()
    assert "实际薪酬（元/年）" not in header and "手机" not in header  # not a head yet: the columns are left out
    services.do_set_head(world.hr, world.committee, world.leader)
    header, by_name = export()
    assert float(by_name["赵主任"][header.index("实际薪酬（元/年）")]) == 300000
    assert by_name["赵主任"][header.index("手机")] == "13812345678"
    assert by_name["钱二"][header.index("实际薪酬（元/年）")] is None and by_name["钱二"][header.index("手机")] is None
