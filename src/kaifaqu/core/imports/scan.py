"""What a workbook's first sheet really holds, found before python-calamine reads it.

calamine builds the sheet as one dense rectangle from A1 to the last cell holding a value: a 7 KB file with one
cell at XFD3000 becomes 49 million cells (2 GB) before any row limit could apply. So the sheet's XML is streamed
first (a few MB at a time, never held whole) to find the last row and column that hold a value, and the formula
cells that have no cached value (written by a library that does not compute: calamine reads them as empty).

.xlsx: a fast pass with byte-level searches covers files as Excel, WPS, LibreOffice and openpyxl write them (every
cell names its position as its first attribute, no namespace prefix); any other file is walked by an XML parser.
.ods: the content is walked by an XML parser (repeated rows and columns counted, not expanded).
.xls (BIFF8): scanned by core.imports.scan_xls, record by record (a sheet of the format holds at most 256 × 65 536).
"""

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError, XMLPullParser

CHUNK = 4 << 20
MAX_ROW_BYTES = 32 << 20  # one row's XML larger than this is no table anyone typed

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


class SheetTooLarge(Exception):
    def __init__(self, row: int, col: int):  # 1-based position of the first cell found beyond the bounds
        super().__init__(row, col)
        self.row, self.col = row, col


class SheetUnreadable(Exception):
    pass


class _Unusual(Exception):
    """The fast pass cannot read this sheet: walk it with the parser."""


@dataclass
class Scan:
    formulas: list = field(default_factory=list)  # (row, col) 0-based, formula text: formulas without a value


def column_letters(col: int) -> str:
    """1 → A, 16384 → XFD."""
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _parse_ref(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})", ref.strip())
    if not m:
        raise SheetUnreadable(ref)
    return int(m[2]), _col_number(m[1].upper().encode())


def scan_xlsx(path, max_row: int, max_col: int) -> Scan:
    """Raise SheetTooLarge for the first cell with a value beyond ``max_row`` or ``max_col`` (1-based, inclusive);
    return the formula cells without a cached value."""
    try:
        with zipfile.ZipFile(path) as z:
            name = _first_sheet(z)
            try:
                with z.open(name) as stream:
                    return _scan_xlsx_stream(stream, max_row, max_col)
            except _Unusual:
                with z.open(name) as stream:
                    return _scan_xlsx_parsed(stream, max_row, max_col)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, ParseError) as exc:
        raise SheetUnreadable(str(exc)) from exc


def _first_sheet(z: zipfile.ZipFile) -> str:
    """The part of the first sheet in workbook order (the one calamine reads as index 0)."""
    from xml.etree.ElementTree import fromstring

    # ElementTree resolves no external entities, and expat ≥ 2.4 refuses entity-expansion bombs.
    workbook = fromstring(z.read("xl/workbook.xml"))  # noqa: S314
    sheet = workbook.find(f"{{{_MAIN}}}sheets/{{{_MAIN}}}sheet")
    if sheet is None:
        sheet = next((e for e in workbook.iter() if e.tag.rsplit("}", 1)[-1] == "sheet"), None)
    if sheet is None:
        raise KeyError("no sheet")
    rid = sheet.get(f"{{{_REL}}}id") or next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
    rels = fromstring(z.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
    for rel in rels:
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    raise KeyError(rid)


# The fast pass reads sheets as Excel, WPS, LibreOffice and openpyxl write them: `<row r="7" …>`, `<c r="B7" …>`.
# One regular expression finds what needs a look: a cell whose position has more column letters or row digits than
# the bounds allow (then checked exactly), a formula, and any cell or row written otherwise (`<c s="1" r=…>`,
# `<c>`), which sends the file to the parser, as does a namespace prefix (`<x:c …>`; a false alarm only costs the
# slower, exact walk).
_PREFIXED = re.compile(rb":(?:c|row)[\s>/]")
_CELL_REF = re.compile(rb'<c r="([A-Z]+)(\d+)"')


def _suspects(max_row, max_col):
    """Positions surely within the bounds (fewer letters and digits than the bounds have) are not suspects."""
    letters, digits = len(column_letters(max_col)) - 1, len(str(max_row)) - 1
    if not digits:
        return re.compile(rb'<(?:c|row(?! r=")|f)[\s>/]')  # a tiny row limit: look at every cell
    columns = rb"[A-Z]{1,%d}" % letters if letters else rb"[A-%c]" % (64 + max_col)
    return re.compile(rb'<(?:c(?! r="%s\d{1,%d}")|row(?! r=")|f)[\s>/]' % (columns, digits))


def _scan_xlsx_stream(stream, max_row, max_col) -> Scan:
    suspects = _suspects(max_row, max_col)
    scan = Scan()
    carry = b""
    seen_data = False
    while True:
        chunk = stream.read(CHUNK)
        data = carry + chunk if carry else chunk
        cut = len(data)
        if chunk:
            cut = data.rfind(b"</row>")
            if cut < 0:
                if len(data) > MAX_ROW_BYTES:
                    raise SheetUnreadable("row too long")
                carry = data
                continue
            cut += len(b"</row>")
        if not seen_data:
            seen_data = data.find(b"<sheetData", 0, cut) >= 0
            if not seen_data and data.find(b"sheetData", 0, cut) >= 0:  # a namespace prefix
                raise _Unusual
        if _PREFIXED.search(data, 0, cut):
            raise _Unusual
        for m in suspects.finditer(data, 0, cut):
            if data[m.start() + 1] == 0x66:  # <f
                _check_formula(data, m.start(), scan)
                continue
            ref = _CELL_REF.match(data, m.start())
            if ref is None:
                raise _Unusual
            row, col = int(ref[2]), _col_number(ref[1])
            if (row > max_row or col > max_col) and _has_value(data, ref.end()):
                raise SheetTooLarge(row, col)
        carry = data[cut:]
        if not chunk:
            return scan


def _has_value(data: bytes, pos: int) -> bool:
    """The cell whose `<c r="…"` ends at ``pos`` has content (not `<c …/>` nor `<c …></c>`)."""
    end = data.find(b">", pos)
    return end > 0 and data[end - 1:end] != b"/" and not data.startswith(b"</c>", end + 1)


_V = re.compile(rb"<v(?:\s[^>]*)?>([^<]*)</v>")


def _check_formula(data: bytes, at: int, scan: Scan) -> None:
    start = data.rfind(b"<c ", 0, at)
    end = data.find(b"</c>", at)
    if start < 0 or end < 0:
        return
    cell = data[start:end]
    head = cell[:cell.find(b">") + 1]
    m = _V.search(cell)
    if m and (m[1] or b' t="str"' in head):  # a cached value (an empty text when the formula gives "")
        return
    ref = re.match(rb'<c r="([A-Z]+)(\d+)"', head)
    if ref is None:
        return
    formula = re.search(rb"<f[^>]*>([^<]*)</f>", cell)
    text = formula[1].decode("utf-8", "replace") if formula else ""
    scan.formulas.append((int(ref[2]) - 1, _col_number(ref[1]) - 1, "=" + _unescape(text) if text else "（公式）"))


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'") \
        .replace("&amp;", "&")


def _scan_xlsx_parsed(stream, max_row, max_col) -> Scan:
    """Any well-formed sheet: positions as calamine computes them (a cell without `r` follows the previous one)."""
    scan = Scan()
    parser = XMLPullParser(events=("start", "end"))
    row = col = 0
    cell = None

    def feed(data):
        nonlocal row, col, cell
        parser.feed(data)
        for event, elem in parser.read_events():
            tag = elem.tag.rsplit("}", 1)[-1]
            if event == "start":
                if tag == "row":
                    r = elem.get("r")
                    row = int(r) if r else row + 1
                    col = 0
                elif tag == "c":
                    r = elem.get("r")
                    if r:
                        row, col = _parse_ref(r)
                    else:
                        col += 1
                    cell = {"t": elem.get("t"), "value": False, "formula": None}
                continue
            if tag in ("v", "t") and cell is not None and (elem.text or (tag == "v" and cell["t"] == "str")):
                cell["value"] = True
            elif tag == "f" and cell is not None:
                cell["formula"] = elem.text or ""
            elif tag == "c" and cell is not None:
                if cell["value"] and (row > max_row or col > max_col):
                    raise SheetTooLarge(row, col)
                if cell["formula"] is not None and not cell["value"]:
                    scan.formulas.append((row - 1, col - 1, "=" + cell["formula"] if cell["formula"] else "（公式）"))
                cell = None
                elem.clear()
            elif tag == "row":
                elem.clear()

    while chunk := stream.read(CHUNK):
        feed(chunk)
    parser.close()
    return scan


_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def scan_ods(path, max_row: int, max_col: int) -> None:
    """Raise SheetTooLarge for the first cell with a value beyond the bounds in the first table of an .ods."""
    try:
        with zipfile.ZipFile(path) as z, z.open("content.xml") as stream:
            _scan_ods_stream(stream, max_row, max_col)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, ParseError) as exc:
        raise SheetUnreadable(str(exc)) from exc


def _scan_ods_stream(stream, max_row, max_col) -> None:
    parser = XMLPullParser(events=("start", "end"))
    table_tag, row_tag = f"{{{_TABLE}}}table", f"{{{_TABLE}}}table-row"
    cell_tags = (f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell")
    rows_rep, cols_rep = f"{{{_TABLE}}}number-rows-repeated", f"{{{_TABLE}}}number-columns-repeated"
    value_type = f"{{{_OFFICE}}}value-type"
    depth = row = col = 0
    repeated = 1
    while chunk := stream.read(CHUNK):
        parser.feed(chunk)
        for event, elem in parser.read_events():
            if elem.tag == table_tag:
                if event == "end":
                    return  # only the first table is read
                depth += 1
            elif not depth:
                continue
            elif elem.tag == row_tag and event == "start":
                col, repeated = 0, int(elem.get(rows_rep) or 1)
            elif elem.tag == row_tag:
                row += repeated
                elem.clear()
            elif elem.tag in cell_tags and event == "end":
                repeat = int(elem.get(cols_rep) or 1)
                has_value = elem.get(value_type) is not None or any(True for _ in elem.iter()
                                                                     if _ is not elem and (_.text or "").strip())
                if has_value and (row + repeated > max_row or col + repeat > max_col):
                    raise SheetTooLarge(min(row + repeated, max(row + 1, max_row + 1)),
                                        min(col + repeat, max(col + 1, max_col + 1)))
                col += repeat
