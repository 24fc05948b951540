"""What an .xls (BIFF8 in an OLE2 compound file) workbook's first sheet really holds, found before python-calamine
reads it: calamine builds the sheet as one dense rectangle up to the last cell holding a value, so a 6 KB file with
one value at IV65536 becomes 16.7 million cells (about 1 GB) however few rows it has.

The compound file is read by its sector chains (the FAT, the directory, the mini stream) to the ``Workbook``
stream; its records are walked from the first sheet's BOF to its EOF, and every record that holds a value (number,
text, formula, boolean or error; blanks are not read by calamine either) gives its row and columns. The stream is
bounded by the upload size (``KAIFAQU_UPLOAD_MAX_BYTES``). Anything malformed is ``SheetUnreadable``.
"""

import struct

from kaifaqu.core.imports.scan import SheetTooLarge, SheetUnreadable

_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_MAX_SECTOR_IDS = 1 << 24

# BIFF8 record types
_BOF, _EOF, _BOUNDSHEET = 0x0809, 0x000A, 0x0085
# records whose data starts with (row, col): FORMULA, LABELSST, NUMBER, RK, BOOLERR, LABEL, RSTRING
_CELL = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0205, 0x0204, 0x00D6}
_MULRK = 0x00BD  # (row, first col, …, last col)


def scan_xls(path, max_row: int, max_col: int) -> None:
    """Raise SheetTooLarge for the first cell with a value beyond ``max_row``/``max_col`` (1-based) in the first
    sheet of an .xls; SheetUnreadable when the file is no readable BIFF8 workbook."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        stream = _workbook_stream(data)
        _scan_first_sheet(stream, max_row, max_col)
    except (struct.error, IndexError, ValueError) as exc:
        raise SheetUnreadable(str(exc)) from exc


def _workbook_stream(data: bytes) -> bytes:
    if data[:8] != _MAGIC or len(data) < 512:
        raise SheetUnreadable("not an OLE2 compound file")
    sector_size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini_size = 1 << struct.unpack_from("<H", data, 0x20)[0]
    if sector_size not in (512, 4096) or mini_size != 64:
        raise SheetUnreadable("unusual sector size")
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    cutoff, first_minifat, n_minifat, first_difat, n_difat = struct.unpack_from("<IIIII", data, 0x38)

    def sector(sid: int) -> bytes:
        start = (sid + 1) * sector_size
        if sid >= _MAX_SECTOR_IDS or start >= len(data):
            raise SheetUnreadable("sector outside the file")
        return data[start:start + sector_size]

    # the FAT's own sectors: 109 in the header, the rest in the DIFAT chain
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s not in (_FREE, _END_OF_CHAIN)]
    sid, seen = first_difat, 0
    per = sector_size // 4 - 1
    while sid not in (_FREE, _END_OF_CHAIN) and seen < n_difat:
        entries = struct.unpack(f"<{per + 1}I", sector(sid))
        fat_sectors.extend(s for s in entries[:per] if s not in (_FREE, _END_OF_CHAIN))
        sid, seen = entries[per], seen + 1
    fat = []
    for s in fat_sectors[:n_fat]:
        fat.extend(struct.unpack(f"<{sector_size // 4}I", sector(s)))

    def chain(start: int, table: list, limit: int) -> list[int]:
        out, sid = [], start
        while sid not in (_END_OF_CHAIN, _FREE):
            if sid >= len(table) or len(out) > limit:
                raise SheetUnreadable("broken sector chain")
            out.append(sid)
            sid = table[sid]
        return out

    limit = len(data) // sector_size + 1
    directory = b"".join(sector(s) for s in chain(first_dir, fat, limit))
    entries = {}
    for offset in range(0, len(directory) - 127, 128):
        entry = directory[offset:offset + 128]
        name_len = struct.unpack_from("<H", entry, 0x40)[0]
        kind = entry[0x42]
        start, size = struct.unpack_from("<II", entry, 0x74)
        name = entry[:max(0, min(name_len, 64) - 2)].decode("utf-16-le", "replace")
        entries.setdefault(name if offset else "\x00root", (kind, start, size))
    found = entries.get("Workbook") or entries.get("Book")
    if found is None:
        raise SheetUnreadable("no Workbook stream")
    _, start, size = found
    if size >= cutoff:
        stream = b"".join(sector(s) for s in chain(start, fat, limit))
    else:  # a small workbook lives in the mini stream, which the root entry's chain holds
        _, root_start, _ = entries["\x00root"]
        mini_stream = b"".join(sector(s) for s in chain(root_start, fat, limit))
        minifat = []
        for s in chain(first_minifat, fat, limit)[:max(n_minifat, 0)]:
            minifat.extend(struct.unpack(f"<{sector_size // 4}I", sector(s)))
        stream = b"".join(mini_stream[s * mini_size:(s + 1) * mini_size]
                          for s in chain(start, minifat, len(mini_stream) // mini_size + 1))
    return stream[:size]


def _records(stream: bytes, offset: int):
    while offset + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, offset)
        yield kind, stream[offset + 4:offset + 4 + length]
        offset += 4 + length


def _scan_first_sheet(stream: bytes, max_row: int, max_col: int) -> None:
    first_sheet = None
    for kind, body in _records(stream, 0):
        if kind == _BOUNDSHEET:
            first_sheet = struct.unpack_from("<I", body, 0)[0]
            break
        if kind == _EOF:
            break
    if first_sheet is None or first_sheet >= len(stream):
        raise SheetUnreadable("no sheet")
    records = _records(stream, first_sheet)
    if next(records, (None,))[0] != _BOF:
        raise SheetUnreadable("the sheet does not start with BOF")
    for kind, body in records:
        if kind == _EOF:
            return
        if kind in _CELL and len(body) >= 4:
            row, col = struct.unpack_from("<HH", body, 0)
            last_col = col
        elif kind == _MULRK and len(body) >= 6:
            row, col = struct.unpack_from("<HH", body, 0)
            last_col = struct.unpack_from("<H", body, len(body) - 2)[0]
        else:
            continue
        if row + 1 > max_row:
            raise SheetTooLarge(row + 1, col + 1)
        if last_col + 1 > max_col:  # the first cell of the record beyond the bounds
            raise SheetTooLarge(row + 1, max(col + 1, max_col + 1))
