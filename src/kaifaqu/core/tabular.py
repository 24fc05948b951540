"""Spreadsheet layouts: one declaration per list, used for export, import (core.tabular_import) and templates.

A layout's headers are the Chinese column names people see; export writes them in order so a
workbook exported from a list can be edited and read back with the same layout.
"""

import datetime
import decimal
import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from operator import is_not
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = "text"  # text | integer | decimal | date | datetime | choice | fk | bool | uscc
    required: bool = False
    getter: Callable | None = None
    width: int = 16
    # Import: columns computed on export (a getter) are skipped unless marked importable; ``validators`` are
    # callables value -> '' or a Chinese message, run after parsing.
    importable: bool | None = None
    validators: tuple = ()
    help: str = ""

    @property
    def imports(self) -> bool:
        return self.getter is None if self.importable is None else self.importable

    def value(self, obj):
        if self.getter is not None:
            return self.getter(obj)
        if self.kind == "choice":
            display = getattr(obj, f"get_{self.field}_display", None)
            return display() if display else getattr(obj, self.field)
        value = obj
        for part in self.field.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        if self.kind == "bool":
            return "是" if value else "否"
        if self.kind == "fk":
            return str(value)
        return value


def not_negative(value) -> str:
    """Import validator for amounts and counts that the database also refuses when negative."""
    return "不能为负数。" if value is not None and value < 0 else ""


# Whole-column check first: when it passes, the import skips the cell-by-cell loop.
not_negative.column_ok = lambda values: min(filter(partial(is_not, None), values), default=0) >= 0


@dataclass(frozen=True)
class Layout:
    name: str
    title: str
    columns: tuple

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def import_columns(self) -> tuple:
        return tuple(c for c in self.columns if c.imports)

    def row(self, obj) -> list:
        return [_cell_value(c.value(obj)) for c in self.columns]


def _cell_value(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, decimal.Decimal):
        return value
    return value


# Formula injection (OWASP "CSV injection"): text beginning with one of these is what a spreadsheet may take for a
# formula. openpyxl itself turns any str starting with "=" into a formula cell.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(ws, value: str) -> Cell:
    """A cell that holds ``value`` as literal text: string type (never a formula, whatever the first character)
    and Excel's quote prefix, so that editing the cell in Excel or WPS does not turn it into one either."""
    cell = WriteOnlyCell(ws, value=None)
    cell.value = value
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def safe_value(ws, value):
    """What every workbook writer of the product appends: text that could be read as a formula becomes a
    ``text_cell``; everything else (numbers, negative amounts, dates, ordinary text) is passed through as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return text_cell(ws, value)
    return value


def safe_row(ws, values) -> list:
    return [safe_value(ws, v) for v in values]


_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def write_workbook(layout: Layout, objects) -> bytes:
    """Write-only workbook (constant memory for large lists)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(layout.title[:31])
    for idx, column in enumerate(layout.columns):
        ws.column_dimensions[_col_letter(idx)].width = column.width
    header = []
    for column in layout.columns:
        cell = WriteOnlyCell(ws, value=column.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        header.append(cell)
    ws.append(header)
    ws.freeze_panes = "A2"
    for obj in objects:
        ws.append(safe_row(ws, layout.row(obj)))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _col_letter(idx: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(idx + 1)


def attachment_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    ascii_name = filename.encode("ascii", "ignore").decode() or "export"
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return response


def xlsx_response(layout: Layout, objects, filename_stem: str | None = None) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    filename = f"{filename_stem or layout.title}_{stamp}.xlsx"
    return attachment_response(write_workbook(layout, objects), filename, XLSX_MIME)
