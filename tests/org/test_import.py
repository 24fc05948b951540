"""Staff and organisation imports end to end through core.imports (the same path the pages and the API use)."""

import datetime
import decimal
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from kaifaqu.core import imports
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.errors import InvalidInput, RuleViolation, TooLarge, UnsupportedMediaType
from kaifaqu.core.imports.models import ImportState
from kaifaqu.org.models import Org, Staff

STAFF_HEADERS = ["工号", "姓名", "性别", "所在单位", "编制类型", "档案工资（元/月）", "到岗日期", "状态"]


def xlsx(rows, headers=STAFF_HEADERS, before=()):
    wb = Workbook()
    ws = wb.active
    for r in before:
        ws.append(r)
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(content, name="人员.xlsx"):
    return SimpleUploadedFile(name, content)


def staff_rows(n=3, org="经济发展处"):
    return [[f"A{i:03d}", f"员工{i}", "男", org, "行政编制", 5000 + i, datetime.date(2026, 1, 5), "在岗"]
            for i in range(n)]


def run(user, content, layout="staff", name="人员.xlsx"):
    job = imports.upload(user, layout, upload(content, name))
    return job


def test_staff_import_preview_then_confirm(world):
    job = run(world.hr, xlsx(staff_rows(3)))
    assert job.state == ImportState.VALIDATED, job.errors
    assert (job.new_rows, job.changed_rows, job.unchanged_rows) == (3, 0, 0)
    assert not Staff.objects.filter(staff_no="A000").exists()  # preview writes nothing
    job = imports.confirm(world.hr, job)
    assert job.state == ImportState.DONE
    staff = Staff.objects.get(staff_no="A001")
    assert staff.org == world.department and staff.zone == world.zone
    assert staff.archive_salary == decimal.Decimal("5001.00")
    assert staff.joined_on == datetime.date(2026, 1, 5)
    assert staff.gender == "male" and staff.post_kind == "administrative"
    event = AuditEvent.objects.get(action="staff.import")
    assert event.after["new"] == 3 and event.after["sm3"] == job.sm3 and event.zone_id == world.zone.pk


def test_reimport_same_file_changes_nothing(world):
    content = xlsx(staff_rows(3))
    imports.confirm(world.hr, run(world.hr, content))
    before = list(Staff.objects.order_by("pk").values())
    job = run(world.hr, content)
    assert (job.new_rows, job.changed_rows, job.unchanged_rows) == (0, 0, 3)
    imports.confirm(world.hr, job)
    assert list(Staff.objects.order_by("pk").values()) == before
    assert AuditEvent.objects.filter(action="staff.import").count() == 1


def test_changed_rows_update_and_bump_version(world):
    imports.confirm(world.hr, run(world.hr, xlsx(staff_rows(2))))
    rows = staff_rows(2)
    rows[1][1] = "改名"
    job = run(world.hr, xlsx(rows))
    assert (job.new_rows, job.changed_rows, job.unchanged_rows) == (0, 1, 1)
    imports.confirm(world.hr, job)
    staff = Staff.objects.get(staff_no="A001")
    assert staff.name == "改名" and staff.version == 2
    event = AuditEvent.objects.filter(action="staff.import").latest("seq")
    assert event.before["changed"] == [{"staff_no": "A001", "name": "员工1"}]


# Bad files ---------------------------------------------------------------------------------------------------

def errors_of(job):
    return [(e["row"], e["column"], e["message"]) for e in job.errors]


def test_renamed_text_file_is_415(world):
    with pytest.raises(UnsupportedMediaType):
        run(world.hr, b"%PDF-1.4 not a sheet", name="人员.xlsx")


@pytest.mark.parametrize("name", ["人员.xlsx", "人员.txt"])
def test_text_not_named_csv_is_415(world, name):
    with pytest.raises(UnsupportedMediaType):
        run(world.hr, "工号,姓名\nA1,张三\n".encode(), name=name)


def test_renamed_ole_document_that_is_no_workbook_is_415(world):
    fake = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    with pytest.raises(UnsupportedMediaType):
        run(world.hr, fake, name="人员.xls")


def test_renamed_zip_without_workbook_is_415(world):
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(UnsupportedMediaType):
        run(world.hr, buffer.getvalue(), name="人员.xlsx")


def test_empty_file_is_400(world):
    with pytest.raises(InvalidInput, match="文件为空"):
        run(world.hr, b"", name="人员.xlsx")


def test_header_only_is_400(world):
    with pytest.raises(InvalidInput, match="没有数据行"):
        run(world.hr, xlsx([]))


def test_missing_required_column_names_it(world):
    headers = [h for h in STAFF_HEADERS if h != "编制类型"]
    rows = [[c for h, c in zip(STAFF_HEADERS, r, strict=True) if h != "编制类型"] for r in staff_rows(1)]
    with pytest.raises(InvalidInput, match="缺少必填列：编制类型"):
        run(world.hr, xlsx(rows, headers=headers))


def test_no_header_at_all(world):
    with pytest.raises(InvalidInput, match="未找到表头"):
        run(world.hr, xlsx([["a", "b"]], headers=["甲", "乙"]))


def test_header_found_by_name_below_a_title_and_in_any_order(world):
    headers = list(reversed(STAFF_HEADERS))
    rows = [list(reversed(r)) for r in staff_rows(2)]
    job = run(world.hr, xlsx(rows, headers=headers, before=[["人员花名册（2026年）"], []]))
    assert job.state == ImportState.VALIDATED, job.errors
    assert job.header_row == 3 and job.new_rows == 2


@pytest.mark.parametrize(("column", "value", "message"), [
    ("到岗日期", "2026-13-01", "不是有效的日期"),
    ("到岗日期", "下周一", "日期格式"),
    ("编制类型", "临时工", "可选值"),
    ("所在单位", "不存在的单位", "未找到"),
    ("所在单位", "邻区管委会", "未找到"),  # exists, but in another zone
    ("档案工资（元/月）", "五千", "应为数字"),
    ("姓名", "", "必填"),
])
def test_bad_cells_are_reported_and_nothing_written(world, column, value, message):
    rows = staff_rows(3)
    rows[1][STAFF_HEADERS.index(column)] = value
    job = run(world.hr, xlsx(rows))
    assert job.state == ImportState.FAILED
    assert [(e["row"], e["column"], e["value"]) for e in job.errors] == [(3, column, value)]
    assert message in job.errors[0]["message"]
    assert not Staff.objects.filter(staff_no__startswith="A").exists()
    with pytest.raises(RuleViolation):
        imports.confirm(world.hr, job)


def test_dates_in_every_accepted_form(world):
    rows = staff_rows(4)
    for row, value in zip(rows, ["2026-01-05", "2026/1/5", "2026年1月5日", 46027], strict=True):
        row[6] = value
    job = run(world.hr, xlsx(rows))
    assert job.state == ImportState.VALIDATED, job.errors
    imports.confirm(world.hr, job)
    assert set(Staff.objects.filter(staff_no__startswith="A").values_list("joined_on", flat=True)) == {
        datetime.date(2026, 1, 5)}


def test_duplicate_key_inside_the_file(world):
    rows = staff_rows(3)
    rows[2][0] = rows[0][0]
    job = run(world.hr, xlsx(rows))
    assert errors_of(job) == [(4, "工号", "与第 2 行重复。")]


def test_all_errors_of_all_rows_are_collected(world):
    rows = staff_rows(3)
    rows[0][4] = "x"
    rows[2][6] = "y"
    job = run(world.hr, xlsx(rows))
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "编制类型"), (4, "到岗日期")]


def test_too_many_rows_is_413(world, settings):
    settings.IMPORT_MAX_ROWS = 5
    with pytest.raises(TooLarge):
        run(world.hr, xlsx(staff_rows(6)))


def test_choice_accepts_code_as_well_as_label(world):
    rows = staff_rows(1)
    rows[0][4] = "public_service"
    job = imports.confirm(world.hr, run(world.hr, xlsx(rows)))
    assert job.state == ImportState.DONE
    assert Staff.objects.get(staff_no="A000").post_kind == "public_service"


def test_new_staff_not_into_an_abolished_org(world):
    world.department.is_active = False
    world.department.save()
    job = run(world.hr, xlsx(staff_rows(1)))
    assert errors_of(job) == [(2, "所在单位", "该机构已撤销，不能新增人员。")]


def test_without_permission_403(world):
    from kaifaqu.core.errors import Forbidden

    with pytest.raises(Forbidden):
        run(world.street, xlsx(staff_rows(1)))


def test_error_workbook_marks_bad_cells(world):
    rows = staff_rows(3)
    rows[1][4] = "临时工"
    job = run(world.hr, xlsx(rows))
    wb = load_workbook(io.BytesIO(imports.error_file(job)))
    sheet = wb.worksheets[0]
    cell = sheet.cell(row=3, column=5)
    assert cell.value == "临时工" and cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert "可选值" in cell.comment.text
    notes = wb["错误说明"]
    assert [c.value for c in notes[1]] == ["行", "列", "值", "说明"]
    assert [c.value for c in notes[2]][:3] == [3, "编制类型", "临时工"]


# CSV ---------------------------------------------------------------------------------------------------------

def csv_bytes(encoding, rows=None):
    lines = [",".join(STAFF_HEADERS)] + [",".join(str(c) for c in r) for r in (rows or staff_rows(2))]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_each_encoding(world, encoding):
    job = run(world.hr, csv_bytes(encoding), name="人员.csv")
    assert job.state == ImportState.VALIDATED, job.errors
    imports.confirm(world.hr, job)
    assert Staff.objects.get(staff_no="A001").name == "员工1"
    assert Staff.objects.get(staff_no="A001").org == world.department


# Export → import round trip ----------------------------------------------------------------------------------

def test_staff_export_then_import_is_a_no_op(world, client_for):
    for i in range(3):
        from tests.factories import StaffFactory

        StaffFactory(org=world.department, staff_no=f"R{i}", gender="female", archive_salary=decimal.Decimal("4321.5"),
                     joined_on=datetime.date(2025, 3, 1), phone="13800000000")
    exported = client_for(world.hr).get("/org/staff/?export=xlsx")
    assert exported.status_code == 200
    job = run(world.hr, exported.content)
    assert job.state == ImportState.VALIDATED, job.errors
    assert (job.new_rows, job.changed_rows) == (0, 0) and job.unchanged_rows == Staff.objects.filter(
        zone=world.zone).count()


def test_org_export_then_import_is_a_no_op(world, client_for):
    world.department.credit_code = "91350100M000100Y43"
    world.department.save()
    exported = client_for(world.hr).get("/org/orgs/?export=xlsx")
    assert exported.status_code == 200
    job = run(world.hr, exported.content, layout="orgs")
    assert job.state == ImportState.VALIDATED, job.errors
    assert (job.new_rows, job.changed_rows) == (0, 0)
    assert job.unchanged_rows == Org.objects.filter(zone=world.zone).count()


ORG_HEADERS = ["机构名称", "代码", "机构类型", "上级机构", "派出部门", "统一社会信用代码", "员额上限"]


def test_org_import_with_parent_in_the_same_file(world):
    rows = [
        ["综合办公室", "zhb", "内设机构", "新中心", "", "", 5],  # parent appears later in the file
        ["新中心", "xzx", "事业单位", "管委会", "", "91350100M000100Y43", ""],
        ["新税务站", "xsw", "派驻机构", "", "市税务局", "", ""],
    ]
    job = run(world.hr, xlsx(rows, headers=ORG_HEADERS), layout="orgs")
    assert job.state == ImportState.VALIDATED, job.errors
    assert job.new_rows == 3
    imports.confirm(world.hr, job)
    office = Org.objects.get(zone=world.zone, code="zhb")
    assert office.parent.code == "xzx" and office.parent.parent == world.committee and office.headcount_cap == 5
    assert Org.objects.get(code="xzx").credit_code == "91350100M000100Y43"
    assert AuditEvent.objects.filter(action="org.create").count() == 3
    assert AuditEvent.objects.get(action="org.import").after["created"] == ["zhb", "xzx", "xsw"]
    again = run(world.hr, xlsx(rows, headers=ORG_HEADERS), layout="orgs")
    assert (again.new_rows, again.changed_rows, again.unchanged_rows) == (0, 0, 3)


def test_org_import_bad_uscc_and_service_rules(world):
    rows = [["甲", "jia", "内设机构", "", "", "91350100M000100Y44", ""]]
    job = run(world.hr, xlsx(rows, headers=ORG_HEADERS), layout="orgs")
    assert errors_of(job) == [(2, "统一社会信用代码", "统一社会信用代码校验位不正确。")]
    # A rule only the service knows (派出部门 must be a city department) rolls the whole import back.
    rows = [["乙", "yi", "内设机构", "", "", "", ""], ["丙", "bing", "派驻机构", "", "经济发展处", "", ""]]
    job = imports.confirm(world.hr, run(world.hr, xlsx(rows, headers=ORG_HEADERS), layout="orgs"))
    assert job.state == ImportState.FAILED and "派出部门必须是市直部门" in job.message
    assert not Org.objects.filter(code__in=["yi", "bing"]).exists()


# Files made by LibreOffice (tests/fixtures/make_libreoffice_fixtures.py) and by openpyxl -----------------------

FIXTURES = __import__("pathlib").Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize("name", ["staff_libreoffice.xlsx", "staff_libreoffice.xls", "staff_libreoffice.ods",
                                  "staff_libreoffice_gb18030.csv"])
def test_libreoffice_files(world, name):
    job = run(world.hr, (FIXTURES / name).read_bytes(), name=name)
    assert job.state == ImportState.VALIDATED, job.errors
    assert job.new_rows == 3
    imports.confirm(world.hr, job)
    zhao = Staff.objects.get(staff_no="LO001")
    assert zhao.org == world.department and zhao.joined_on == datetime.date(2026, 1, 5)
    assert zhao.actual_pay == decimal.Decimal("62400.00")  # the formula's cached value (=F2*12)
    assert zhao.phone == "13800000001"
    qian = Staff.objects.get(staff_no="LO002")
    assert qian.archive_salary == decimal.Decimal("4800.50") and qian.actual_pay == decimal.Decimal("57606.00")
    assert qian.gender == "female" and qian.org == world.committee
    sun = Staff.objects.get(staff_no="LO003")
    assert sun.gender == "" and sun.status == "seconded_out" and sun.joined_on == datetime.date(2024, 2, 29)
    again = run(world.hr, (FIXTURES / name).read_bytes(), name=name)
    assert (again.new_rows, again.changed_rows, again.unchanged_rows) == (0, 0, 3)


def test_openpyxl_formula_without_cached_value_is_reported_not_guessed(world):
    """openpyxl stores formulas without computing them: the cell has no value, so a required column is empty."""
    rows = staff_rows(1)
    rows[0][1] = '="员"&"工"'
    job = run(world.hr, xlsx(rows))
    assert job.state == ImportState.FAILED
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "姓名")]


def test_negative_amount_and_bad_org_code_are_caught_in_the_preview(world):
    rows = staff_rows(1)
    rows[0][5] = -1
    job = run(world.hr, xlsx(rows))
    assert errors_of(job) == [(2, "档案工资（元/月）", "不能为负数。")]
    job = run(world.hr, xlsx([["甲", "有 空格", "内设机构", "", "", "", -2]], headers=ORG_HEADERS), layout="orgs")
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "代码"), (2, "员额上限")]


def test_moving_staff_to_another_org_by_import(world):
    imports.confirm(world.hr, run(world.hr, xlsx(staff_rows(2))))
    rows = staff_rows(2)
    rows[0][3] = "committee"  # by code this time
    job = run(world.hr, xlsx(rows))
    assert (job.new_rows, job.changed_rows, job.unchanged_rows) == (0, 1, 1)
    imports.confirm(world.hr, job)
    assert Staff.objects.get(staff_no="A000").org == world.committee


def test_a_key_taken_between_preview_and_confirm_fails_cleanly(world):
    from tests.factories import StaffFactory

    job = run(world.hr, xlsx(staff_rows(2)))
    StaffFactory(org=world.department, staff_no="A001")  # someone else created it meanwhile
    job = imports.confirm(world.hr, job)
    # The apply re-checks the file: the row is now an update, not a duplicate insert.
    assert job.state == ImportState.DONE and (job.new_rows, job.changed_rows) == (1, 1)
