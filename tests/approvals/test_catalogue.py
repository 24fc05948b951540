"""APPROVE-1/2: the catalogue, its materials, windows, imports/exports and the public guide."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from kaifaqu.approvals import services
from kaifaqu.approvals.models import Material, ServiceItem, Window
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests import kit_api as kit

from . import factories

pytestmark = pytest.mark.django_db


def test_item_limits_and_codes_are_checked(world):
    clerk = world.users["clerk"]
    with pytest.raises(InvalidInput) as exc:
        services.do_create_item(clerk, world.zone, code="X1", name="甲", department=world.department,
                                promised_limit=30, legal_limit=20)
    assert "promised_limit" in exc.value.fields
    services.do_create_item(clerk, world.zone, code="X1", name="甲", department=world.department, promised_limit=5,
                            legal_limit=20)
    with pytest.raises(Conflict):
        services.do_create_item(clerk, world.zone, code="X1", name="乙", department=world.department,
                                promised_limit=5, legal_limit=20)
    assert AuditEvent.objects.filter(action="approvals.item_create").count() == 1


def test_item_department_must_be_of_the_zone(world):
    with pytest.raises(InvalidInput) as exc:
        services.do_create_item(world.users["clerk"], world.zone, code="X2", name="甲", department=world.other_org,
                                promised_limit=5, legal_limit=20)
    assert "department" in exc.value.fields


def test_only_catalogue_managers_write_and_only_in_their_zone(world):
    with pytest.raises(Forbidden):
        services.do_create_window(world.users["enterprise"], world.zone, number=3, name="窗口")
    with pytest.raises(NotFound):
        services.do_create_window(world.users["outsider"], world.zone, number=3, name="窗口")


def test_material_rules(world):
    it = factories.item(world.zone, world.department)
    with pytest.raises(InvalidInput):
        services.do_add_material(SYSTEM, it, name="申请表")
    with pytest.raises(InvalidInput) as exc:
        services.do_add_material(SYSTEM, it, name="说明", required=False, may_follow=True)
    assert "may_follow" in exc.value.fields


def test_window_staff_must_be_of_the_zone(world):
    w = factories.window(world.zone)
    with pytest.raises(InvalidInput):
        services.do_set_window_staff(SYSTEM, w, [world.users["outsider"]])
    w = services.do_set_window_staff(world.users["clerk"], w, [world.users["clerk"]], version=w.version)
    assert list(w.staff.all()) == [world.users["clerk"]]
    with pytest.raises(Conflict):
        services.do_set_window_staff(world.users["clerk"], w, [], version=1)
    event = AuditEvent.objects.filter(action="approvals.window_staff").latest("id")
    assert event.after == {"staff": ["t_clerk"]}


def test_public_guide_needs_no_login_and_shows_the_checklist(world, client):
    w = factories.window(world.zone)
    it = factories.item(world.zone, world.department, window_=w)
    response = client.get("/approvals/public/guide/", {"zone": "demo", "code": it.code})
    assert response.status_code == 200
    text = response.content.decode()
    assert "设计方案" in text and "可容缺" in text and "承诺 5 个工作日" in text
    assert client.get("/approvals/public/guide/", {"zone": "demo", "code": "none"}).status_code == 404
    assert client.get("/approvals/public/", {"zone": "demo"}).status_code == 200
    assert client.get("/approvals/public/", {"zone": "nowhere"}).status_code == 404


def test_item_pages(world, client_for):
    it = factories.item(world.zone, world.department, window_=factories.window(world.zone))
    web = client_for(world.users["enterprise"])
    assert web.get("/approvals/items/").status_code == 200
    page = web.get(f"/approvals/items/{it.pk}/")
    assert page.status_code == 200 and "申请材料" in page.content.decode()
    assert web.get(f"/approvals/items/{it.pk}/edit/").status_code == 403
    clerk = client_for(world.users["clerk"])
    response = clerk.post(f"/approvals/items/{it.pk}/edit/", {
        "version": it.version, "code": it.code, "name": "新名称", "department": world.department.pk, "stage": "permit",
        "legal_limit": 20, "promised_limit": 3, "fee": "0", "handling": "own", "is_active": "on"})
    assert response.status_code == 302
    assert ServiceItem.objects.get(pk=it.pk).promised_limit == 3
    assert client_for(world.users["outsider"]).get(f"/approvals/items/{it.pk}/").status_code == 404


def _upload(client, layout, rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "catalogue.xlsx"
    return client.post(f"/core/imports/new/{layout}/", {"file": buf, "zone": 0})


def test_catalogue_import_and_export_round_trip(world):
    from kaifaqu.core.imports.engine import IMPORTERS, import_file

    w = factories.window(world.zone, name="综合受理窗口")
    factories.item(world.zone, world.department, window_=w)
    from kaifaqu.approvals.layouts import ITEM_LAYOUT, MATERIAL_LAYOUT
    from kaifaqu.core.tabular import write_workbook

    content = write_workbook(ITEM_LAYOUT, ServiceItem.objects.filter(zone=world.zone))
    ws = load_workbook(io.BytesIO(content)).active
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["事项编码", "事项名称", "实施部门"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert rows[0][3] == "综合受理窗口"
    # A new item, and a bad one: nothing is written until the file is clean.
    good = ["N01", "企业投资项目备案", world.department.name, "综合受理窗口", "立项用地规划许可", 5, 1, 0, "", "本级办理", "",
            "否", "", ""]
    bad = ["N02", "核准", "不存在的部门", "", "立项用地规划许可", 5, 10, 0, "", "本级办理", "", "否", "", ""]
    import tempfile
    from pathlib import Path

    def run(data_rows):
        wb = Workbook()
        sheet = wb.active
        sheet.append(headers)
        for r in data_rows:
            sheet.append(r)
        path = Path(tempfile.mkdtemp()) / "items.xlsx"
        wb.save(path)
        return import_file(IMPORTERS["approval_items"], world.users["clerk"], world.zone.pk, path, "xlsx")

    plan = run([good, bad])
    assert plan.error_count >= 1 and {e["column"] for e in plan.errors} >= {"实施部门"}
    assert not ServiceItem.objects.filter(code__in=["N01", "N02"]).exists()
    plan = run([good])
    assert plan.error_count == 0
    assert ServiceItem.objects.get(zone=world.zone, code="N01").window == w
    assert AuditEvent.objects.filter(action="approvals.item_import").count() == 1
    # materials by (事项编码, 材料名称)
    content = write_workbook(MATERIAL_LAYOUT, Material.objects.filter(zone=world.zone).select_related("item"))
    mws = load_workbook(io.BytesIO(content)).active
    assert mws.cell(2, 1).value == "T01"
    wb = Workbook()
    sheet = wb.active
    sheet.append([c.value for c in mws[1]])
    sheet.append(["N01", "项目备案表", "原件", 1, "是", "否", "", 1])
    sheet.append(["T01", "设计方案", "原件", 3, "是", "是", "", 2])
    path = Path(tempfile.mkdtemp()) / "materials.xlsx"
    wb.save(path)
    plan = import_file(IMPORTERS["approval_materials"], world.users["clerk"], world.zone.pk, path, "xlsx")
    assert plan.error_count == 0, plan.errors
    assert plan.counts["new"] == 1 and plan.counts["changed"] == 1
    assert Material.objects.get(item__code="T01", name="设计方案", item__zone=world.zone).count == 3


class TestItemsApi(kit.ModelTests):
    url = "/api/v1/approval-items/"
    model = ServiceItem
    persona = "clerk"
    list_queries = 3
    update_data = {"promised_limit": 4}

    def make(self, world, zone):
        dept = world.department if zone == world.zone else world.other_org
        n = ServiceItem.objects.filter(zone=zone).count()
        return services.do_create_item(SYSTEM, zone, code=f"K{n}", name="事项", department=dept, promised_limit=5,
                                       legal_limit=20)

    def create_data(self, world):
        return {"zone": world.zone.pk, "code": "API1", "name": "接口新增事项", "department": world.department.pk,
                "legal_limit": 20, "promised_limit": 5}


class TestWindowsApi(kit.ModelTests):
    url = "/api/v1/approval-windows/"
    model = Window
    persona = "clerk"
    list_queries = 2
    update_data = {"name": "新窗口名"}

    def make(self, world, zone):
        n = Window.objects.filter(zone=zone).count() + 1
        return services.do_create_window(SYSTEM, zone, number=n, name=f"窗口{n}")

    def create_data(self, world):
        return {"zone": world.zone.pk, "number": 99, "name": "新窗口"}


def test_windows_listed_with_item_counts(world, client_for):
    w = factories.window(world.zone)
    factories.item(world.zone, world.department, window_=w)
    page = client_for(world.users["leader"]).get("/approvals/windows/")
    assert page.status_code == 200
    page = client_for(world.users["leader"]).get(f"/approvals/windows/{w.pk}/")
    assert "建设工程规划许可证核发" in page.content.decode()


def test_checklist_is_published_at_once_and_only_once(world):
    it = services.do_create_item(SYSTEM, world.zone, code="C1", name="甲", department=world.department,
                                 promised_limit=5, legal_limit=20)
    with pytest.raises(InvalidInput):
        services.do_set_checklist(SYSTEM, it, [{"name": "申请表"}, {"name": "申请表"}])
    with pytest.raises(InvalidInput):
        services.do_set_checklist(SYSTEM, it, [{"name": "说明", "required": False, "may_follow": True}])
    made = services.do_set_checklist(world.users["clerk"], it, [{"name": "申请表"}, {"name": "图纸", "may_follow": True}])
    assert [m.name for m in made] == ["申请表", "图纸"] and Material.objects.filter(item=it).count() == 2
    assert AuditEvent.objects.get(action="approvals.checklist").after == {"materials": ["申请表", "图纸"]}
    from kaifaqu.core.errors import RuleViolation

    with pytest.raises(RuleViolation):
        services.do_set_checklist(SYSTEM, it, [{"name": "另一份"}])
