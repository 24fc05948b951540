"""Formula injection: text that looks like a formula is written as text by every workbook the product writes.

Staff, organisations and a park are named like formulas through the API and the services (which also records
audit events naming them); then every export route is walked — each list page's ``?export=xlsx``, the import
error workbook, every import template (page and API) and ``kaifaqu audit export`` — and each workbook is read back
with openpyxl and python-calamine and its sheet XML is searched for formula elements.
"""

import datetime
import decimal
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from kaifaqu.core import imports
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.imports.engine import IMPORTERS
from kaifaqu.core.tabular import safe_row
from kaifaqu.core.web.views import ScopedListView
from kaifaqu.org import services
from kaifaqu.org.models import OrgKind
from tests.test_scoping import walk

NAMES = ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet_xml(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")}


def read_back(content: bytes) -> list:
    """All cell values, read by both libraries; they must agree on every text cell that starts like a formula."""
    with_openpyxl = [v for ws in load_workbook(io.BytesIO(content)).worksheets
                     for row in ws.iter_rows(values_only=True) for v in row]
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    with_calamine = [v for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python() for v in row]
    suspicious = re.compile(r"^[=+\-@\t\r]")
    texts = sorted(v for v in with_openpyxl if isinstance(v, str) and suspicious.match(v))
    assert texts == sorted(v for v in with_calamine if isinstance(v, str) and suspicious.match(v))
    return with_openpyxl


def assert_formula_free(content: bytes, where: str) -> list:
    sheets = sheet_xml(content)
    assert sheets, where
    for name, xml in sheets.items():
        assert not re.search(rb"<(\w+:)?f[ >/]", xml), f"{where}: a formula element in {name}"
    return read_back(content)


@pytest.fixture
def formula_names(world, api_for):
    leader = api_for(world.hr)
    for i, name in enumerate(NAMES):
        response = leader.post("/api/v1/staff/", {"org": world.department.pk, "staff_no": f"F{i}", "name": name,
                                                  "post_kind": "appointed", "archive_salary": "6000.00"},
                               format="json")
        assert response.status_code == 201, response.content
        if name != response.json()["name"]:  # the API trims surrounding whitespace: "\tx" arrives as "x"
            services.do_create_staff(SYSTEM, world.department, staff_no=f"FS{i}", name=name, post_kind="appointed")
        services.do_create_org(SYSTEM, world.zone, code=f"f{i}", name=name, kind=OrgKind.DEPARTMENT)
    services.do_create_park(SYSTEM, world.zone, code="fp", name=NAMES[0])
    return world


def text_xlsx(rows):
    """An upload whose cells are text (a string cell, not a formula), as Excel saves text typed with a quote."""
    wb = Workbook()
    ws = wb.active
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value if not isinstance(value, str) else None)
            if isinstance(value, str):
                cell._value, cell.data_type = value, "s"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def list_export_routes():
    for route, pattern, _kwargs in walk():
        cls = getattr(pattern.callback, "view_class", None)
        if cls is not None and issubclass(cls, ScopedListView):
            yield route, pattern.full_name


def test_every_export_route_writes_formula_looking_text_as_text(formula_names, client_for, tmp_path):
    from django.urls import reverse

    world = formula_names
    personas = [world.hr, world.leader, world.clerk, world.sysadmin, world.secadmin, world.auditadmin]
    walked = {}

    # 1. Every list page's Excel export.
    for route, name in list_export_routes():
        for user in personas:
            response = client_for(user).get(reverse(name), {"export": "xlsx"})
            if response.status_code == 200:
                break
        assert response.status_code == 200 and response["Content-Type"] == XLSX, route
        walked[route] = assert_formula_free(response.content, route)
    from kaifaqu.org.models import Org, Staff

    assert set(Staff.objects.filter(staff_no__startswith="F").values_list("name", flat=True)) >= set(NAMES)
    assert set(Org.objects.filter(code__startswith="f").values_list("name", flat=True)) == set(NAMES)
    for route in ("org/staff/", "org/orgs/", "core/audit/"):
        for value in NAMES:
            assert value in walked[route], f"{route} lost {value!r}"
    assert NAMES[0] in walked["org/parks/"]
    # Numbers stay numbers: the staff export's salary and the audit export's sequence numbers.
    assert 6000 in walked["org/staff/"] and any(isinstance(v, int) for v in walked["core/audit/"])

    # 2. The import error workbook: formula-looking text in the upload, one row with an unknown organisation.
    headers = ["工号", "姓名", "性别", "所在单位", "编制类型", "档案工资（元/月）", "到岗日期", "状态"]
    rows = [[f"G{i}", name, "男", "经济发展处", "行政编制", 5000, datetime.date(2026, 1, 5), "在岗"]
            for i, name in enumerate(NAMES)]
    rows.append(["G9", "=HYPERLINK(\"http://x\")", "男", "-不存在的单位", "行政编制", 5000, None, "在岗"])
    job = imports.upload(world.hr, "staff", SimpleUploadedFile("人员.xlsx", text_xlsx([headers, *rows])))
    assert job.error_count >= 1
    response = client_for(world.hr).get(f"/core/imports/{job.pk}/errors/")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    values = walked["core/imports/<int:pk>/errors/"] = assert_formula_free(response.content, "import errors")
    for value in (*NAMES, "=HYPERLINK(\"http://x\")", "-不存在的单位"):
        assert value in values
    assert 5000 in values

    # 3. Every import template, page and API.
    for layout in sorted(IMPORTERS):
        for url in (f"/core/imports/templates/{layout}/", f"/api/v1/imports/templates/{layout}/"):
            for user in personas:
                response = client_for(user).get(url)
                if response.status_code == 200:
                    break
            assert response.status_code == 200 and response["Content-Type"] == XLSX, url
            walked[url] = assert_formula_free(response.content, url)

    # 4. kaifaqu audit export.
    out = tmp_path / "audit.xlsx"
    today = timezone.localdate().isoformat()
    call_command("audit", "export", "--from", today, "--to", today, "--out", str(out))
    values = walked["kaifaqu audit export"] = assert_formula_free(out.read_bytes(), "audit export command")
    for value in NAMES:
        assert value in values

    list_routes = len(list(list_export_routes()))
    assert list_routes >= 13 and len(walked) == list_routes + 1 + 2 * len(IMPORTERS) + 1


def test_safe_row_keeps_numbers_and_negative_amounts(db):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("t")
    values = [*NAMES, "\rcr", "-", -5, decimal.Decimal("-12.50"), 3.5, datetime.date(2026, 1, 5), "普通文字", None]
    ws.append(safe_row(ws, values))
    buffer = io.BytesIO()
    wb.save(buffer)
    content = buffer.getvalue()
    assert_formula_free(content, "row")
    row = next(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert list(row[:7]) == [*NAMES, "\rcr", "-"]
    assert row[7:10] == (-5, -12.5, 3.5) and all(isinstance(v, (int, float)) for v in row[7:10])
    assert row[10].date() == datetime.date(2026, 1, 5) and row[11] == "普通文字"
    xml = next(iter(sheet_xml(content).values()))
    assert b'<c r="H1" t="n"><v>-5</v>' in xml  # a negative number is still a number cell
    # Excel's quote prefix on the formula-looking cells, so editing them in Excel or WPS keeps them text.
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        assert b'quotePrefix="1"' in z.read("xl/styles.xml")
