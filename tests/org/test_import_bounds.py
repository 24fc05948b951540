"""Spreadsheet reading is bounded before any cell is read (a stray far cell is refused, naming it), and a formula
saved without its result is an error, not an empty cell."""

import decimal
import io
import os
import re
import subprocess
import sys
import textwrap
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.test import override_settings
from openpyxl import load_workbook

from kaifaqu.core import imports
from kaifaqu.core.errors import InvalidInput, TooLarge
from kaifaqu.core.imports.engine import NO_CACHED_VALUE, get_importer, template_workbook
from kaifaqu.core.imports.models import ImportState
from kaifaqu.org.models import Staff

from .test_import import staff_rows, upload, xlsx

SRC = Path(__file__).resolve().parents[2] / "src"


def template_with(cell=None, rows=(("S001", "张三", "男", "经济发展处", "行政编制", "", 7400),)):
    """The staff template as downloaded, filled with ``rows``, plus one value at ``cell``."""
    wb = load_workbook(io.BytesIO(template_workbook(get_importer("staff"))))
    ws = wb.worksheets[0]
    for row in rows:
        ws.append(list(row))
    if cell:
        ws[cell] = "x"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(content: bytes, edit) -> bytes:
    """The same workbook with its first sheet's XML passed through ``edit``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data)
            dst.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize("cell", ["XFD3000", "XFD6000"])
def test_far_cell_refused_naming_it_within_100_mb(world, cell):
    content = template_with(cell)
    tracemalloc.start()
    try:
        with pytest.raises(InvalidInput) as exc:
            imports.upload(world.hr, "staff", upload(content))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100 * 2**20, f"{peak / 2**20:.0f} MB"
    row = cell[3:]
    assert exc.value.detail.startswith(f"第 {row} 行 XFD 列有内容，超出了“人员”表格的范围（最多 32 列，即 A–AF 列）")
    assert not Staff.objects.filter(staff_no__in=["S001", "F001", "A000"]).exists()


def test_far_cell_peak_resident_memory_under_100_mb(tmp_path):
    """tracemalloc sees Python objects only; calamine's own cells are Rust memory: measure the process."""
    path = tmp_path / "far.xlsx"
    script = textwrap.dedent(f"""
        import os, resource, django
        os.environ["DJANGO_SETTINGS_MODULE"] = "kaifaqu.settings"
        os.environ["KAIFAQU_VAR_DIR"] = {str(tmp_path)!r}
        django.setup()
        from kaifaqu.core.errors import InvalidInput
        from kaifaqu.core.imports.engine import get_importer, read_rows
        import kaifaqu.org.importers  # noqa
        importer = get_importer("staff")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            read_rows({str(path)!r}, "xlsx", importer.layout)
        except InvalidInput:
            pass
        print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
    """)
    path.write_bytes(template_with("XFD3000"))
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    grown = int(subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                               check=True).stdout.split()[-1])
    assert grown < 100, f"{grown} MB"


def test_far_row_refused_before_reading(world):
    with override_settings(IMPORT_MAX_ROWS=50), pytest.raises(TooLarge) as exc:
        imports.upload(world.hr, "staff", upload(template_with("A5000")))
    assert exc.value.detail.startswith("第 5000 行仍有内容，超过了导入行数上限（50 行）")


def test_extra_columns_within_the_margin_are_read(world):
    job = imports.upload(world.hr, "staff", upload(template_with("AF2")))  # a note in the last allowed column
    assert job.state == ImportState.VALIDATED, job.errors


def test_formatted_empty_far_cell_is_not_content(world):
    """Excel writes formatted empty cells (`<c r=".." s="1"/>`): calamine skips them, and so does the bound."""
    content = rewrite_sheet(template_with(), lambda x: x.replace(b"</row></sheetData>",
                                                                  b'<c r="XFD2" s="0"/></row></sheetData>'))
    job = imports.upload(world.hr, "staff", upload(content))
    assert job.state == ImportState.VALIDATED, job.errors


@pytest.mark.parametrize("variant", ["no_positions", "prefixed"])
def test_unusual_sheet_xml_is_bounded_too(world, variant):
    """Cells without `r` (positions follow on) or with a namespace prefix go through the XML parser."""
    cells = "".join(f'<c t="inlineStr"><is><t>v{i}</t></is></c>' for i in range(40))
    if variant == "no_positions":
        edit = lambda x: x.replace(b"</sheetData>", f'<row r="9">{cells}</row></sheetData>'.encode())  # noqa: E731
    else:
        def edit(x):
            x = x.replace(b'<worksheet xmlns="', b'<x:worksheet xmlns:x="').replace(b"</worksheet>", b"</x:worksheet>")
            x = re.sub(rb"<(/?)(?=[a-zA-Z])", rb"<\1x:", x)
            return x.replace(b"<x:x:", b"<x:").replace(b"</x:sheetData>",
                                                       b'<x:row r="9"><x:c r="XFD9" t="inlineStr"><x:is><x:t>v'
                                                       b"</x:t></x:is></x:c></x:row></x:sheetData>")
    with pytest.raises(InvalidInput) as exc:
        imports.upload(world.hr, "staff", upload(rewrite_sheet(template_with(), edit)))
    assert exc.value.detail.startswith("第 9 行 AG 列有内容" if variant == "no_positions" else "第 9 行 XFD 列有内容")


def test_wide_csv_refused(world):
    line = "工号,姓名,所在单位,编制类型\nS1,张三,经济发展处,行政编制" + "," * 40 + "x\n"
    with pytest.raises(InvalidInput) as exc:
        imports.upload(world.hr, "staff", upload(line.encode(), name="人员.csv"))
    assert exc.value.detail.startswith("第 2 行 AR 列有内容")


def test_far_cell_in_ods_refused(world):
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "staff_libreoffice.ods"
    out = io.BytesIO()
    with zipfile.ZipFile(fixture) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "content.xml":
                far = (b'<table:table-row table:number-rows-repeated="2990"><table:table-cell/></table:table-row>'
                       b'<table:table-row><table:table-cell table:number-columns-repeated="16383"/>'
                       b'<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
                       b"</table:table-row>")
                tail = b'<table:table-row table:style-name="ro1" table:number-rows-repeated='  # LibreOffice's own
                assert tail in data
                data = data.replace(tail, far + tail, 1)
            dst.writestr(item, data)
    with pytest.raises(InvalidInput) as exc:
        imports.upload(world.hr, "staff", upload(out.getvalue(), name="人员.ods"))
    assert exc.value.detail.startswith("第 2995 行 XFD 列有内容"), exc.value.detail


def formula_file(cached=None):
    content = xlsx([["F001", "公式", "男", "经济发展处", "行政编制", "=7400+0", None, "在岗"], *staff_rows(2)])
    if cached is not None:
        content = rewrite_sheet(content, lambda x: x.replace(b"<f>7400+0</f><v></v>",
                                                             f"<f>7400+0</f><v>{cached}</v>".encode()))
    return content


def test_formula_without_cached_value_is_an_error_and_nothing_is_imported(world):
    job = imports.upload(world.hr, "staff", upload(formula_file()))
    assert job.state == ImportState.FAILED
    assert job.errors == [{"row": 2, "column": "档案工资（元/月）", "value": "=7400+0", "message": NO_CACHED_VALUE}]
    assert NO_CACHED_VALUE == "该单元格是公式但没有计算结果，请在 Excel/WPS 中打开并保存后重新导入。"
    assert not Staff.objects.filter(staff_no__in=["S001", "F001", "A000"]).exists()


def test_formula_with_cached_value_imports_the_value(world):
    job = imports.upload(world.hr, "staff", upload(formula_file(cached=7400)))
    assert job.state == ImportState.VALIDATED, job.errors
    imports.confirm(world.hr, job)
    assert Staff.objects.get(staff_no="F001").archive_salary == decimal.Decimal("7400.00")


def test_formula_giving_empty_text_is_not_an_error(world):
    content = rewrite_sheet(formula_file(), lambda x: x.replace(b'<c r="F2"><f>7400+0</f><v></v>',
                                                                b'<c r="F2" t="str"><f>""</f><v></v>'))
    job = imports.upload(world.hr, "staff", upload(content))
    assert job.state == ImportState.VALIDATED, job.errors


def test_long_csv_refused_at_the_row_beyond_the_limit(world):
    text = "工号,姓名,所在单位,编制类型\n" + "".join(f"S{i},张{i},经济发展处,行政编制\n" for i in range(80))
    with override_settings(IMPORT_MAX_ROWS=50), pytest.raises(TooLarge) as exc:
        imports.upload(world.hr, "staff", upload(text.encode(), name="人员.csv"))
    assert exc.value.detail.startswith("第 71 行仍有内容，超过了导入行数上限（50 行）")


@pytest.mark.parametrize(("max_col", "inside", "outside"), [(32, "AF9", "AG9"), (21, "U9", "V9"), (100, "CV9", "CW9")])
def test_scan_bounds_are_exact(tmp_path, max_col, inside, outside):
    from kaifaqu.core.imports import scan as sheet_scan

    for cell, refused in ((inside, False), (outside, True)):
        path = tmp_path / f"{cell}.xlsx"
        path.write_bytes(template_with(cell))
        if refused:
            with pytest.raises(sheet_scan.SheetTooLarge) as exc:
                sheet_scan.scan_xlsx(path, 1000, max_col)
            assert (exc.value.row, sheet_scan.column_letters(exc.value.col)) == (9, outside[:-1])
        else:
            assert sheet_scan.scan_xlsx(path, 1000, max_col).formulas == []
