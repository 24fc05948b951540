"""Spreadsheet import: read → validate every row → diff by natural key → apply in one transaction.

A module registers an :class:`Importer` for one of its layouts (``register``); the engine does the rest:

* reading: .xlsx/.xls/.ods with python-calamine (formula cells give their cached values), .csv as UTF-8 (with or
  without BOM) or GB18030; the type is sniffed from the content, never trusted from the name (415 otherwise;
  plain text is taken as CSV only from a file named .csv);
* the header row is found by the headers' names, not their position; columns computed on export are ignored;
* every row is parsed and checked before anything is written; errors are (sheet row, header, value, message);
* foreign keys are resolved by natural key (name or code) with one query per column, among the objects the
  importing user may see in the target zone: anything else is "not found";
* the diff against existing rows (by natural key) gives new / changed / unchanged counts for the preview;
* ``apply_plan`` runs the importer's bulk service inside one ``transaction.atomic()``: all or nothing. Importing
  the same file again finds every row unchanged and writes nothing.
"""

import contextlib
import csv
import datetime
import decimal
import gc
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import repeat
from operator import itemgetter, methodcaller
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import transaction
from django.db.models import PositiveBigIntegerField, PositiveIntegerField, PositiveSmallIntegerField, Q
from python_calamine import CalamineWorkbook

from kaifaqu.core import files
from kaifaqu.core.errors import InvalidInput, TooLarge, UnsupportedMediaType
from kaifaqu.core.imports import scan as sheet_scan
from kaifaqu.core.imports import scan_xls
from kaifaqu.core.tabular import Column, Layout, safe_row

SPREADSHEET_KINDS = ("xlsx", "ods", "ole")
HEADER_SCAN_ROWS = 20
MAX_STORED_ERRORS = 1000
EXTRA_COLUMNS = 20  # columns a file may have beyond its layout's (notes, a computed column) before it is refused
DEFAULT_MAX_COLUMNS = 100  # reading without a layout
NO_CACHED_VALUE = "该单元格是公式但没有计算结果，请在 Excel/WPS 中打开并保存后重新导入。"


def max_rows() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", 200_000))


def sync_rows() -> int:
    """Files up to this many rows are validated and applied in the request; larger ones by `kaifaqu tick`."""
    return int(getattr(settings, "IMPORT_SYNC_ROWS", 2000))


@dataclass(frozen=True)
class FkSpec:
    """How a foreign-key column finds its target: ``queryset(user, zone_id)`` are the candidates (already scoped to
    what the user may see), matched on any of ``keys``; ``null_label`` is a text that means "none"."""

    queryset: Callable
    keys: tuple = ("name", "code")
    null_label: str | None = None
    # A reference to another row of the same file (a parent organisation imported together with its children)
    # stays a PendingRef for the importer's apply to resolve once that row exists.
    self_ref: bool = False


@dataclass(frozen=True)
class PendingRef:
    text: str


@dataclass(frozen=True)
class Importer:
    layout: Layout
    model: type
    key: tuple  # natural key (attnames) within ``existing``
    perm: str
    list_url: str  # URL name of the list page the import belongs to
    existing: Callable  # (user, zone_id) -> queryset the rows are matched against
    apply: Callable  # (actor, zone_id, plan, progress) -> None; writes and audits (runs inside the transaction)
    fks: dict = field(default_factory=dict)  # column field -> FkSpec
    check: Callable | None = None  # (user, zone_id, plan) -> None; adds errors with plan.error(...) and must
    # take the rows it refuses out of plan.new / plan.changed (see org.importers)
    needs_zone: bool = True

    @property
    def name(self):
        return self.layout.name

    @property
    def title(self):
        return self.layout.title


IMPORTERS: dict[str, Importer] = {}


def may_import(scope) -> bool:
    """Whether the user may use at least one registered importer (the 导入记录 menu entry)."""
    return any(scope.has(importer.perm) for importer in IMPORTERS.values())


def register(importer: Importer) -> None:
    IMPORTERS[importer.name] = importer


def get_importer(name: str) -> Importer:
    try:
        return IMPORTERS[name]
    except KeyError:
        raise InvalidInput("不支持导入该类数据。", fields={"layout": ["不支持导入该类数据。"]}) from None


class Row:
    """One data row of the plan: ``cells`` are the parsed values in the order of ``plan.fields``; ``values`` is the
    same as a dict (built on first use: at 100 000 new rows the bulk insert never needs it)."""

    __slots__ = ("number", "cells", "fields", "pk", "version", "before", "changes", "_values")

    def __init__(self, number, cells, fields, pk=None, version=None, before=None, changes=None):
        self.number, self.cells, self.fields = number, cells, fields
        self.pk, self.version, self.before, self.changes = pk, version, before, changes
        self._values = None

    @property
    def values(self) -> dict:
        if self._values is None:
            self._values = dict(zip(self.fields, self.cells, strict=True))
        return self._values


@dataclass
class Plan:
    importer: Importer
    zone_id: int | None
    columns: list  # (index, Column, attname) present in the file
    total: int = 0
    new: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    unchanged: int = 0
    # Stored rows a replacing import takes away (an importer's check fills it; its apply deletes them).
    removed: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    error_count: int = 0
    headers_row: int = 1
    source: dict = field(default_factory=dict)  # job id, file name and SM3 for the audit event

    def error(self, row: int, header: str, value, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append({"row": row, "column": header, "value": _display(value), "message": message})

    @property
    def counts(self) -> dict:
        return {"total": self.total, "new": len(self.new), "changed": len(self.changed), "unchanged": self.unchanged,
                "errors": self.error_count}

    @property
    def fields(self) -> list[str]:
        return [attname for _, _, attname in self.columns]


def _display(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != datetime.time() else value.strftime("%Y-%m-%d")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# Reading -----------------------------------------------------------------------------------------------------

def sniff_file(head: bytes, path: Path | None = None, name: str = "") -> str:
    """'xlsx' | 'ods' | 'ole' | 'csv' from the content; anything else is refused (415) whatever the file's name
    says. Plain text is taken as CSV only from a file named .csv: a renamed .txt is refused like a renamed .pdf."""
    kind = files.sniff(head)
    if kind in ("zip", "xlsx") and path is not None:
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            names = set()
        kind = "xlsx" if "xl/workbook.xml" in names else kind if kind == "ods" else None
    if kind in SPREADSHEET_KINDS:
        return kind
    if kind == "txt" and name.lower().endswith(".csv"):
        return "csv"
    raise UnsupportedMediaType("不支持的文件类型（按文件内容识别）：请上传 Excel（.xlsx/.xls）、WPS/LibreOffice 表格（.ods）"
                               "或 CSV 文件。", fields={"file": ["不支持的文件类型。"]})


def decode_csv(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnsupportedMediaType("无法识别 CSV 文件的编码：请另存为 UTF-8 或 GB18030。", fields={"file": ["编码无法识别。"]})


class FormulaWithoutValue(str):
    """A formula cell saved without its result (calamine reads it as empty): an error wherever it is imported.
    The text is the formula, for the error list."""

    __slots__ = ()


def read_rows(path: Path, kind: str, layout: Layout | None = None) -> list[list]:
    """All rows of the first sheet as lists (absolute positions: row i of the list is sheet row i + 1).

    The sheet is scanned first (sheet_scan): a value beyond the layout's columns plus EXTRA_COLUMNS, or beyond
    IMPORT_MAX_ROWS (+ the rows a header may sit below), refuses the file before any cell is read."""
    max_col = len(layout.columns) + EXTRA_COLUMNS if layout is not None else DEFAULT_MAX_COLUMNS
    max_row = max_rows() + HEADER_SCAN_ROWS
    if kind == "csv":
        text = decode_csv(Path(path).read_bytes())
        rows = []
        append = rows.append
        with gc_paused():
            for row in csv.reader(io.StringIO(text, newline="")):  # checked as read: a wide row stops the reading
                if len(row) > max_col and any(c.strip() for c in row[max_col:]):
                    first = next(i for i, c in enumerate(row[max_col:]) if c.strip())
                    _too_wide(layout, len(rows) + 1, max_col + first + 1, max_col)
                if len(rows) >= max_row and any(c.strip() for c in row):
                    raise TooLarge(f"第 {len(rows) + 1} 行仍有内容，超过了导入行数上限（{max_rows()} 行）："
                                   f"请删除多余的行或分批导入。", fields={"file": [f"超过 {max_rows()} 行。"]})
                append(row)
        return rows
    scan = None
    try:
        if kind == "xlsx":
            scan = sheet_scan.scan_xlsx(path, max_row, max_col)
        elif kind == "ods":
            sheet_scan.scan_ods(path, max_row, max_col)
        elif kind == "ole":
            scan_xls.scan_xls(path, max_row, max_col)
    except sheet_scan.SheetTooLarge as exc:
        if exc.row > max_row:
            raise TooLarge(f"第 {exc.row} 行仍有内容，超过了导入行数上限（{max_rows()} 行）：请删除多余的行或分批导入。",
                           fields={"file": [f"超过 {max_rows()} 行。"]}) from None
        _too_wide(layout, exc.row, exc.col, max_col)
    except sheet_scan.SheetUnreadable as exc:
        if kind == "ole":  # an OLE2 container that is no workbook (a Word 97 .doc renamed, say), as below
            raise UnsupportedMediaType("该文件不是 Excel 工作簿（按文件内容识别）。", fields={"file": ["不支持的文件类型。"]}) from exc
        raise InvalidInput("无法读取该工作簿（文件损坏或已加密）。", fields={"file": ["无法读取该工作簿。"]}) from exc
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        with gc_paused():
            rows = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # a damaged or encrypted workbook is the user's input, not a server error
        if kind == "ole":  # an OLE2 container that is no workbook: a Word 97 .doc renamed, say
            raise UnsupportedMediaType("该文件不是 Excel 工作簿（按文件内容识别）。", fields={"file": ["不支持的文件类型。"]}) from exc
        raise InvalidInput("无法读取该工作簿（文件损坏或已加密）。", fields={"file": ["无法读取该工作簿。"]}) from exc
    for r, c, formula in scan.formulas if scan is not None else ():
        while len(rows) <= r:
            rows.append([])
        row = rows[r]
        if len(row) <= c:
            row.extend([""] * (c + 1 - len(row)))
        if row[c] in (None, ""):
            row[c] = FormulaWithoutValue(formula)
    return rows


def _too_wide(layout, row: int, col: int, max_col: int):
    what = f"“{layout.title}”" if layout is not None else "导入"
    letters = sheet_scan.column_letters
    message = (f"第 {row} 行 {letters(col)} 列有内容，超出了{what}表格的范围（最多 {max_col} 列，即 A–{letters(max_col)} 列）："
               f"请删除表格右侧多余的内容后重新导入。")
    raise InvalidInput(message, fields={"file": [message]})


def find_header(rows: list[list], layout: Layout) -> tuple[int, dict]:
    """The row (0-based) whose cells name most of the layout's headers, and header -> column index."""
    wanted = {c.header for c in layout.columns}
    best, best_idx, best_map = 0, None, {}
    for idx, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = {}
        for pos, cell in enumerate(row):
            name = str(cell).strip() if cell is not None else ""
            if name in wanted and name not in found:
                found[name] = pos
        if len(found) > best:
            best, best_idx, best_map = len(found), idx, found
    if best_idx is None:
        raise InvalidInput(f"未找到表头：第一个工作表的前 {HEADER_SCAN_ROWS} 行中没有“{layout.title}”的列名"
                           f"（如“{layout.columns[0].header}”）。请使用模板。", fields={"file": ["未找到表头。"]})
    return best_idx, best_map


# Parsing -----------------------------------------------------------------------------------------------------

class CellError(ValueError):
    pass


_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]00:00(?::00)?)?$")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


def parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # an Excel serial date in a cell without a date format
            return datetime.date.fromordinal(_EXCEL_EPOCH.toordinal() + int(value))
        raise CellError("不是有效的日期。")
    m = _DATE_RE.match(str(value).strip())
    if not m:
        raise CellError("日期格式应为 2026-01-05、2026/1/5 或 2026年1月5日。")
    try:
        return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise CellError("不是有效的日期。") from None


def parse_text(value):
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number typed into a text column (工号, 手机)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def parse_integer(value):
    if isinstance(value, bool):
        raise CellError("应为整数。")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError("应为整数。")
    text = str(value).strip().replace(",", "")
    if re.fullmatch(r"-?\d+(\.0+)?", text):
        return int(decimal.Decimal(text))
    raise CellError("应为整数。")


def parse_decimal(value):
    if isinstance(value, bool):
        raise CellError("应为数字。")
    try:
        number = decimal.Decimal(str(value).strip().replace(",", "")) if not isinstance(value, float) \
            else decimal.Decimal(repr(value))
    except decimal.InvalidOperation:
        raise CellError("应为数字。") from None
    if not number.is_finite():
        raise CellError("应为数字。")
    return number


_TRUE = {"是", "true", "True", "TRUE", "1", "Y", "y", "yes"}
_FALSE = {"否", "false", "False", "FALSE", "0", "N", "n", "no"}


def parse_bool(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError("应填“是”或“否”。")


def parse_uscc(value):
    from kaifaqu.core import uscc

    code = uscc.normalise(value)
    message = uscc.error(code)
    if message:
        raise CellError(message)
    return code


def _choice_parser(model_field):
    mapping = {}
    for code, label in model_field.choices:
        mapping[str(label)] = code
        mapping[str(code)] = code
    labels = "、".join(str(label) for _, label in model_field.choices)

    def parse(value):
        text = parse_text(value)
        try:
            return mapping[text]
        except KeyError:
            raise CellError(f"可选值：{labels}。") from None

    def fast(cells):
        if set(map(type, cells)) != {str}:
            return None
        out = list(map(mapping.get, cells))
        return None if None in out else out

    parse.fast = fast
    return parse


def _text_parser(model_field):
    limit = getattr(model_field, "max_length", None)
    if not limit:
        return parse_text

    def parse(value):
        text = value.strip() if isinstance(value, str) else parse_text(value)
        if len(text) > limit:
            raise CellError(f"不能超过 {limit} 个字。")
        return text

    parse.fast = _fast_text(limit)
    return parse


def _decimal_parser(model_field):
    places = getattr(model_field, "decimal_places", None)
    digits = getattr(model_field, "max_digits", None)
    if places is None:
        return parse_decimal
    quantum = decimal.Decimal(1).scaleb(-places)
    limit = decimal.Decimal(10) ** (digits - places)

    def parse(value):
        number = parse_decimal(value)
        try:
            number = number.quantize(quantum)
        except decimal.InvalidOperation:
            raise CellError("数值过大。") from None
        if abs(number) >= limit:
            raise CellError("数值过大。")
        return number

    def fast(cells):
        types = set(map(type, cells))
        if not types or not types <= {int, float}:
            return None
        try:
            numbers = map(Decimal, map(repr, cells)) if types == {float} else map(Decimal, cells) \
                if types == {int} else (Decimal(repr(v) if v.__class__ is float else v) for v in cells)
            out = list(map(methodcaller("quantize", quantum), numbers))
            return out if max(map(abs, out)) < limit else None
        except decimal.InvalidOperation:  # NaN, or too large to quantize: the cell path says which row
            return None

    parse.fast = fast
    return parse


def _fast_text(limit=None):
    """Whole-column path for the common case (every cell a non-blank string within the length); None otherwise,
    and the column goes cell by cell with the messages."""

    def fast(cells):
        if set(map(type, cells)) != {str}:
            return None
        out = list(map(str.strip, cells))
        if "" in out or (limit and max(map(len, out)) > limit):
            return None
        return out

    return fast


def _fast_date(cells):
    types = set(map(type, cells))
    if types == {datetime.date}:
        return list(cells)
    if types == {datetime.datetime}:
        return [v.date() for v in cells]
    return None


parse_text.fast = _fast_text()
parse_date.fast = _fast_date


def column_parser(column: Column, model_field):
    kind = column.kind
    if kind == "date":
        return parse_date
    if kind == "integer":
        return parse_integer
    if kind == "decimal":
        return _decimal_parser(model_field)
    if kind == "bool":
        return parse_bool
    if kind == "uscc":
        return parse_uscc
    if kind == "choice" and model_field is not None and model_field.choices:
        return _choice_parser(model_field)
    if kind == "fk":
        return parse_text
    return _text_parser(model_field)


def column_hint(column: Column, model_field) -> str:
    """What the template's 说明 sheet says about a column."""
    if column.help:
        return column.help
    if column.kind == "choice" and model_field is not None and model_field.choices:
        return "可选值：" + "、".join(str(label) for _, label in model_field.choices)
    return {
        "date": "日期，如 2026-01-05、2026/1/5 或 2026年1月5日",
        "integer": "整数",
        "decimal": "数字",
        "bool": "是 / 否",
        "uscc": "18位统一社会信用代码（含校验位）",
        "fk": "填写名称或代码",
    }.get(column.kind, "文本")


def _model_field(model, column: Column):
    try:
        return model._meta.get_field(column.field)
    except Exception:  # a layout column that is not a model field (only getters are, and they are not imported)
        return None


def _required(column: Column, model_field) -> bool:
    if column.required:
        return True
    if model_field is None or model_field.is_relation:
        return False
    return not model_field.blank and not model_field.has_default() and not model_field.null


# Planning ----------------------------------------------------------------------------------------------------

_PARSER_CHECKED = (MaxLengthValidator, DecimalValidator, MinValueValidator, MaxValueValidator)


def _field_validators(model_field) -> tuple:
    """The model field's own validators (a slug's characters, an e-mail …) as import validators; length, digits
    and ranges are already checked by the parsers."""
    if model_field is None or model_field.is_relation:
        return ()
    checks = [v for v in model_field.validators if not isinstance(v, _PARSER_CHECKED)]
    if isinstance(model_field, (PositiveIntegerField, PositiveSmallIntegerField, PositiveBigIntegerField)):
        checks.append(MinValueValidator(0))
    if not checks:
        return ()

    def validate(value):
        for check in checks:
            try:
                check(value)
            except ValidationError as exc:
                return "；".join(str(m) for m in exc.messages)
        return ""

    return (validate,)


def read_header(importer: Importer, rows: list[list]):
    """The header row, the importable columns present and their parsers; 400 naming any required column missing."""
    layout, model = importer.layout, importer.model
    header_idx, positions = find_header(rows, layout)
    columns, parsers, missing = [], [], []
    for column in layout.import_columns:
        model_field = _model_field(model, column)
        if column.header not in positions:
            if _required(column, model_field):
                missing.append(column.header)
            continue
        attname = model_field.attname if model_field is not None else column.field
        empty = None if model_field is None or column.kind == "fk" else model_field.get_default()
        columns.append((positions[column.header], column, attname))
        parsers.append((positions[column.header], column.header, attname, column_parser(column, model_field),
                        _required(column, model_field), empty, column.validators + _field_validators(model_field)))
    if missing:
        names = "、".join(missing)
        raise InvalidInput(f"缺少必填列：{names}。", fields={"file": [f"缺少必填列：{names}。"]})
    key_missing = [k for k in importer.key if k not in {a for _, _, a in columns}]
    if key_missing:
        raise InvalidInput("缺少用于识别记录的列。", fields={"file": ["缺少用于识别记录的列。"]})
    return header_idx, columns, parsers


def _has_data(row) -> bool:
    """A row with any value (blanks are None, "" and whitespace-only strings). The first cell usually decides."""
    first = row[0] if row else None
    if first and (first.__class__ is not str or first.strip()):
        return True
    return any(c.__class__ is not str or c.strip() for c in row if c)


@contextlib.contextmanager
def gc_paused():
    """Reading and planning allocate millions of small objects that all stay alive until the end: the cyclic
    collector's full passes over them are pure overhead (a third of a 100 000-row plan), so pause it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def plan_import(importer: Importer, user, zone_id, rows: list[list], progress=None) -> Plan:
    """Parse and check every row, resolve foreign keys, diff with the existing rows. Writes nothing.

    Parsing goes column by column (a tight loop per column is much cheaper in Python than a loop over cells of a
    row); rows are then assembled with zip."""
    with gc_paused():
        return _plan(importer, user, zone_id, rows, progress)


def _parse_cells(plan, cells, numbers, ok, header, parse, required, empty) -> list:
    out = [empty] * len(cells)
    for i, value in enumerate(cells):
        if value.__class__ is FormulaWithoutValue:
            plan.error(numbers[i], header, value, NO_CACHED_VALUE)
            ok[i] = False
            continue
        if value is None or value == "":
            if required:
                plan.error(numbers[i], header, value, "必填。")
                ok[i] = False
            continue
        try:
            parsed = parse(value)
        except CellError as exc:
            plan.error(numbers[i], header, value, str(exc))
            ok[i] = False
            continue
        if parsed == "":  # whitespace only
            if required:
                plan.error(numbers[i], header, value, "必填。")
                ok[i] = False
            parsed = empty
        out[i] = parsed
    return out


def _plan(importer, user, zone_id, rows, progress):
    header_idx, columns, parsers = read_header(importer, rows)
    # The first cell (the key, a non-blank string) nearly always decides; _has_data looks at the rest otherwise.
    data_rows = [(i, r) for i, r in enumerate(rows[header_idx + 1:], start=header_idx + 2)
                 if (r and (first := r[0]).__class__ is str and first.strip()) or _has_data(r)]
    n = len(data_rows)
    if n > max_rows():
        raise TooLarge(f"行数过多：{n} 行，上限为 {max_rows()} 行，请分批导入。",
                       fields={"file": [f"超过 {max_rows()} 行。"]})
    plan = Plan(importer, zone_id, columns, total=n, headers_row=header_idx + 1)
    numbers = [number for number, _ in data_rows]
    raws = [raw for _, raw in data_rows]
    del data_rows
    ok = [True] * n
    out_columns = []
    width = min(map(len, raws), default=0)
    for done, (idx, header, _attname, parse, required, empty, validators) in enumerate(parsers):
        if width > idx:
            cells = list(map(itemgetter(idx), raws))
        else:
            cells = [raw[idx] if idx < len(raw) else None for raw in raws]
        fast = getattr(parse, "fast", None)
        out = fast(cells) if fast is not None and n else None
        if out is None:
            out = _parse_cells(plan, cells, numbers, ok, header, parse, required, empty)
        for validator in validators:
            column_ok = getattr(validator, "column_ok", None)
            if column_ok is not None and column_ok(out):
                continue
            for i, value in enumerate(out):
                if value is not None and value != "":
                    message = validator(value)
                    if message:
                        plan.error(numbers[i], header, cells[i], message)
                        ok[i] = False
        out_columns.append(out)
        if progress:
            progress(done + 1, len(parsers) + 2)
    for (_, column, _attname), out in zip(columns, out_columns, strict=True):
        if column.kind == "fk":
            _resolve_fk(plan, user, zone_id, column, out, out_columns, numbers, ok)
    _diff(plan, user, zone_id, numbers, list(zip(*out_columns, strict=True)), ok)
    del out_columns
    if importer.check is not None:  # rules across rows, on the rows that passed so far
        importer.check(user, zone_id, plan)
    plan.errors.sort(key=lambda e: e["row"])
    return plan


def _resolve_fk(plan: Plan, user, zone_id, column, out, out_columns, numbers, ok):
    """Replace the names/codes of one column by primary keys: one query for the whole file."""
    spec: FkSpec = plan.importer.fks[column.field]
    wanted = set(out) - {None, "", spec.null_label}
    in_file = set()
    if spec.self_ref:
        for (_, c, _a), values in zip(plan.columns, out_columns, strict=True):
            if c.field in spec.keys:
                in_file.update(values)
        in_file -= {None, ""}
    found: dict[str, set] = {}
    if wanted:
        condition = Q()
        for key in spec.keys:
            condition |= Q(**{f"{key}__in": wanted})
        for row in spec.queryset(user, zone_id).filter(condition).values("pk", *spec.keys):
            for key in spec.keys:
                if row[key] in wanted:
                    found.setdefault(row[key], set()).add(row["pk"])
    mapping = {text: next(iter(pks)) for text, pks in found.items() if len(pks) == 1}
    mapping[spec.null_label] = None
    mapping[""] = mapping[None] = None
    unresolved = wanted - set(mapping)
    for text in unresolved & in_file:
        mapping[text] = PendingRef(text)
    get = mapping.get
    out[:] = map(get, out, out)
    bad = wanted - set(mapping)
    if not bad:
        return
    for i, text in enumerate(out):
        if text in bad:
            ok[i] = False
            message = (f"“{text}”对应多条记录，请改填代码。" if text in found
                       else f"未找到“{text}”（或不在您可管理的范围内）。")
            plan.error(numbers[i], column.header, text, message)


def _diff(plan: Plan, user, zone_id, numbers, rows, ok):
    importer = plan.importer
    fields = plan.fields
    key = importer.key
    has_version = "version" in _concrete(importer.model)
    key_pos = [fields.index(k) for k in key]
    single = key_pos[0] if len(key_pos) == 1 else None
    existing = {}
    for row in importer.existing(user, zone_id).values_list("pk", "version" if has_version else "pk", *fields):
        current = row[2:]
        ident = current[single] if single is not None else tuple(current[p] for p in key_pos)
        existing[ident] = (row[0], row[1] if has_version else None, current)
    idents = list(map(itemgetter(single), rows)) if single is not None else list(map(itemgetter(*key_pos), rows))
    if len(set(idents)) != len(idents):
        seen = {}
        header = next(c.header for _, c, a in plan.columns if a == key[0])
        for i, ident in enumerate(idents):
            if ident in seen:
                shown = ident if single is not None else " / ".join(map(_display, ident))
                plan.error(numbers[i], header, shown, f"与第 {seen[ident]} 行重复。")
                ok[i] = False
            else:
                seen[ident] = numbers[i]
    new, changed = plan.new, plan.changed
    if not existing and all(ok):  # a first import: every row is new
        new.extend(map(Row, numbers, rows, repeat(fields)))
        return
    for number, cells, ident, good in zip(numbers, rows, idents, ok, strict=True):
        if not good:
            continue
        found = existing.get(ident) if existing else None
        if found is None:
            new.append(Row(number, cells, fields))
            continue
        pk, version, current = found
        if cells == current:
            plan.unchanged += 1
            continue
        diff = [(f, a, b) for f, a, b in zip(fields, cells, current, strict=True) if a != b]
        changed.append(Row(number, cells, fields, pk=pk, version=version, before={f: b for f, _, b in diff},
                           changes={f: a for f, a, _ in diff}))


def _concrete(model) -> set:
    return {f.attname for f in model._meta.concrete_fields}


def apply_plan(plan: Plan, actor, progress=None) -> dict:
    """Write the plan through the importer's bulk service in one transaction; nothing when there are errors."""
    if plan.error_count:
        raise InvalidInput(f"有 {plan.error_count} 处错误，未导入任何数据。")
    if plan.new or plan.changed or plan.removed:
        with transaction.atomic():
            plan.importer.apply(actor, plan.zone_id, plan, progress)
    return plan.counts


def import_file(importer: Importer, actor, zone_id, path: Path, kind: str, *, dry_run=False, progress=None) -> Plan:
    """Read, plan and (unless ``dry_run`` or there are errors) apply. Used by jobs, the API and the benchmark."""
    plan = plan_import(importer, actor, zone_id, read_rows(path, kind, importer.layout), progress=progress)
    if not dry_run and not plan.error_count:
        with gc_paused():
            apply_plan(plan, actor, progress=progress)
    return plan


# Workbooks we write: the template and the error-marked copy ---------------------------------------------------

def template_workbook(importer: Importer) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = importer.title[:31]
    notes = wb.create_sheet("说明")
    notes.append(["列名", "必填", "填写说明"])
    for idx, column in enumerate(importer.layout.import_columns, start=1):
        model_field = _model_field(importer.model, column)
        cell = ws.cell(row=1, column=idx, value=column.header)
        cell.font = Font(bold=True, color="C00000" if _required(column, model_field) else "000000")
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center")
        ws.column_dimensions[cell.column_letter].width = column.width
        notes.append(safe_row(notes, [column.header, "是" if _required(column, model_field) else "",
                                      column_hint(column, model_field)]))
    ws.freeze_panes = "A2"
    notes.append([])
    notes.append(["按列名识别表头，列的顺序可以调整；已有记录按唯一标识（第一列）更新，新记录将新增。"])
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["C"].width = 60
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def error_workbook(rows: list[list], errors: list[dict], header_row: int, layout: Layout) -> bytes:
    """The uploaded rows again, bad cells filled red with the message as a comment, and a 错误说明 sheet."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    red = PatternFill("solid", fgColor="FFC7CE")
    wb = Workbook()
    ws = wb.active
    ws.title = layout.title[:31]
    for raw in rows:
        ws.append(safe_row(ws, [_cell_out(v) for v in raw]))
    header = rows[header_row - 1] if 0 < header_row <= len(rows) else []
    positions = {str(h).strip(): i + 1 for i, h in enumerate(header) if h not in (None, "")}
    for error in errors:
        col = positions.get(error["column"])
        if col is None:
            continue
        cell = ws.cell(row=error["row"], column=col)
        cell.fill = red
        text = error["message"] if cell.comment is None else f"{cell.comment.text}\n{error['message']}"
        cell.comment = Comment(text, "导入校验")
    sheet = wb.create_sheet("错误说明")
    sheet.append(["行", "列", "值", "说明"])
    for error in errors:
        sheet.append(safe_row(sheet, [error["row"], error["column"], error["value"], error["message"]]))
    sheet.column_dimensions["B"].width = 18
    sheet.column_dimensions["C"].width = 24
    sheet.column_dimensions["D"].width = 50
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _cell_out(value):
    if isinstance(value, (datetime.timedelta, datetime.time)):
        return str(value)
    return value
