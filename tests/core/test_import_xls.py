"""An .xls (BIFF8) is bounded like .xlsx and .ods: the sheet's records are scanned before python-calamine builds
the dense rectangle, so a 5.6 KB file with one value at IV65536 (16.7 million cells, about 1 GB in calamine) is
refused naming the cell, within 100 MB."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kaifaqu.core import imports
from kaifaqu.core.errors import InvalidInput, TooLarge, UnsupportedMediaType
from kaifaqu.core.imports import scan_xls
from kaifaqu.core.imports.scan import SheetTooLarge
from kaifaqu.org.models import Staff
from tests.org.test_import import upload

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FAR = FIXTURES / "staff_far_cell.xls"  # tests/fixtures/make_xls_fixtures.py
SRC = Path(__file__).resolve().parents[2] / "src"


def test_far_cell_in_xls_refused_naming_it(world):
    with pytest.raises(InvalidInput) as exc:
        imports.upload(world.hr, "staff", upload(FAR.read_bytes(), name="人员.xls"))
    assert exc.value.detail.startswith("第 65536 行 IV 列有内容，超出了“人员”表格的范围"), exc.value.detail
    assert not Staff.objects.filter(staff_no="XL001").exists()


def test_far_row_in_xls_refused_before_reading(world, settings):
    settings.IMPORT_MAX_ROWS = 50
    with pytest.raises(TooLarge) as exc:
        imports.upload(world.hr, "staff", upload(FAR.read_bytes(), name="人员.xls"))
    assert exc.value.detail.startswith("第 65536 行仍有内容，超过了导入行数上限（50 行）")


def test_scan_finds_the_far_cell_and_passes_a_real_workbook():
    with pytest.raises(SheetTooLarge) as exc:
        scan_xls.scan_xls(FAR, 200_000, 40)
    assert (exc.value.row, exc.value.col) == (65536, 256)
    scan_xls.scan_xls(FAR, 65536, 256)  # within the bounds: nothing to say
    scan_xls.scan_xls(FIXTURES / "staff_libreoffice.xls", 10, 10)  # LibreOffice's own: 4 rows, 10 columns
    with pytest.raises(SheetTooLarge):
        scan_xls.scan_xls(FIXTURES / "staff_libreoffice.xls", 3, 10)
    with pytest.raises(SheetTooLarge):
        scan_xls.scan_xls(FIXTURES / "staff_libreoffice.xls", 10, 9)


def test_ole_file_without_a_workbook_is_refused_415(world, tmp_path):
    content = bytearray(FAR.read_bytes())
    at = content.find("Workbook".encode("utf-16-le"))
    assert at > 0
    content[at:at + 16] = "Document".encode("utf-16-le")  # a compound file that holds no workbook stream
    with pytest.raises(UnsupportedMediaType):
        imports.upload(world.hr, "staff", upload(bytes(content), name="人员.xls"))


def test_far_cell_xls_peak_resident_memory_under_100_mb(tmp_path):
    """calamine's cells are Rust memory: measure the process, as for .xlsx."""
    script = textwrap.dedent(f"""
        import os, resource, django
        os.environ["DJANGO_SETTINGS_MODULE"] = "kaifaqu.settings"
        os.environ["KAIFAQU_VAR_DIR"] = {str(tmp_path)!r}
        django.setup()
        from kaifaqu.core.errors import InvalidInput
        from kaifaqu.core.imports.engine import get_importer, read_rows
        import kaifaqu.org.importers  # noqa
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            read_rows({str(FAR)!r}, "ole", get_importer("staff").layout)
        except InvalidInput:
            pass
        print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
    """)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    grown = int(subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                               check=True).stdout.split()[-1])
    assert grown < 100, f"{grown} MB"
