"""Imports through core.imports: the standard catalogue and the zone's items (usual layout, round trip)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from kaifaqu.core import imports
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.imports.models import ImportState
from kaifaqu.powers.layouts import ITEM_LAYOUT
from kaifaqu.powers.models import PowerItem, StandardItem

from .conftest import claim

STD_HEADERS = ["事项编码", "事项名称", "子项名称", "事项类型", "设定依据"]


def xlsx(headers, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def run(user, layout, content, zone):
    return imports.upload(user, layout, SimpleUploadedFile("清单.xlsx", content), zone_id=zone.pk)


def errors_of(job):
    return [(e["row"], e["column"], e["message"]) for e in job.errors]


def test_system_administrator_imports_the_catalogue(world):
    rows = [[f"370XK{i:04d}", f"许可事项{i}", "", "行政许可", "《中华人民共和国行政许可法》第十二条"] for i in range(5)]
    job = run(world.sysadmin, "power_standards", xlsx(STD_HEADERS, rows), world.zone)
    assert job.state == ImportState.VALIDATED, job.errors
    imports.confirm(world.sysadmin, job)
    assert StandardItem.objects.filter(zone=world.zone).count() == 5
    assert AuditEvent.objects.get(action="powerstd.import").after["new"] == 5


def test_catalogue_duplicate_codes_and_unknown_types_are_refused(world):
    rows = [["370XK0001", "许可事项", "", "行政许可", ""], ["370XK0001", "重复", "", "行政许可", ""],
            ["370XK0002", "类型不对", "", "行政指导", ""]]
    job = run(world.sysadmin, "power_standards", xlsx(STD_HEADERS, rows), world.zone)
    errors = errors_of(job)
    assert (3, "事项编码", "与第 2 行重复。") in errors
    assert any(r == 4 and c == "事项类型" for r, c, _ in errors)
    assert not StandardItem.objects.exists()


ITEM_HEADERS = ITEM_LAYOUT.headers


def item_row(n, code, name, kind="行政许可", basis="《中华人民共和国行政许可法》第十二条", body="管委会"):
    return [n, code, name, "", kind, basis, body, "经济发展处", "受理\n审查", "不予受理的", "0571-1", ""]


def test_item_import_with_bad_rows_then_fixed(world, catalogue):
    rows = [item_row(1, "KFQ-1", "自有事项一", kind="公共服务"), item_row(2, "KFQ-2", "类型不明", kind="行政指导"),
            item_row(3, "370XK0001", "改了名字的标准事项"), item_row(4, "KFQ-1", "重复编码")]
    job = run(world.clerk, "power_items", xlsx(ITEM_HEADERS, rows), world.zone)
    errors = errors_of(job)
    assert any(r == 3 and c == "事项类型" for r, c, _ in errors)
    assert (5, "事项编码", "与第 2 行重复。") in errors
    assert any(r == 4 and c == "事项名称" and "须与标准目录一致" in m for r, c, m in errors)
    assert job.state != ImportState.DONE and not PowerItem.objects.exists()
    std = catalogue["370XK0001"]
    fixed = [item_row(1, "KFQ-1", "自有事项一", kind="公共服务"), item_row(2, "KFQ-2", "类型已改", kind="其他行政权力"),
             [3, std.code, std.name, std.sub_name, "行政许可", std.basis, "管委会", "规划国土处", "受理", "", "", ""]]
    job = run(world.clerk, "power_items", xlsx(ITEM_HEADERS, fixed), world.zone)
    assert job.state == ImportState.VALIDATED, job.errors
    imports.confirm(world.clerk, job)
    items = {i.code: i for i in PowerItem.objects.all()}
    assert set(items) == {"KFQ-1", "KFQ-2", "370XK0001"}
    assert items["370XK0001"].standard == std and items["KFQ-1"].standard is None
    assert items["KFQ-1"].duty_list == ["受理", "审查"]
    assert items["370XK0001"].legal_bases[0]["law"] == "中华人民共和国城乡规划法"


def test_export_edit_import_round_trip(world, catalogue, client_for):
    for code in ("370XK0001", "370XK0002", "370CF0001"):
        claim(world.clerk, catalogue[code], duties=["受理", "审查"], supervision_phone="0571-1")
    version = PowerItem.objects.first().list_version
    before = {i.code: (i.version, i.note, i.undertaking_unit) for i in PowerItem.objects.all()}
    response = client_for(world.clerk).get(f"/powers/versions/{version.pk}/export.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.active
    headers = [c.value for c in ws[1]]
    assert headers == ITEM_HEADERS
    assert [ws.cell(row=r, column=1).value for r in (2, 3, 4)] == [1, 2, 3]
    same = io.BytesIO()
    wb.save(same)
    job = run(world.clerk, "power_items", same.getvalue(), world.zone)
    assert (job.new_rows, job.changed_rows, job.unchanged_rows) == (0, 0, 3), job.errors
    ws.cell(row=3, column=12).value = "已调整"  # 备注 of the second row
    edited = io.BytesIO()
    wb.save(edited)
    job = run(world.clerk, "power_items", edited.getvalue(), world.zone)
    assert (job.new_rows, job.changed_rows, job.unchanged_rows) == (0, 1, 2), job.errors
    imports.confirm(world.clerk, job)
    after = {i.code: (i.version, i.note, i.undertaking_unit) for i in PowerItem.objects.all()}
    changed = {c for c in after if after[c] != before[c]}
    assert len(changed) == 1 and after[changed.pop()][1] == "已调整"


def test_standard_fields_of_claimed_items_cannot_change_by_import(world, catalogue, client_for):
    claim(world.clerk, catalogue["370XK0001"])
    version = PowerItem.objects.get().list_version
    wb = load_workbook(io.BytesIO(client_for(world.clerk).get(f"/powers/versions/{version.pk}/export.xlsx").content))
    wb.active.cell(row=2, column=3).value = "擅自改名"
    out = io.BytesIO()
    wb.save(out)
    job = run(world.clerk, "power_items", out.getvalue(), world.zone)
    assert any(c == "事项名称" and "不能修改" in m for _, c, m in errors_of(job))
    assert PowerItem.objects.get().name == "建设工程规划许可证核发"
