"""Open an uploaded file as rows of cells: a CSV in any of the encodings and delimiters the partner
countries' programs write, or a sheet of an Excel workbook.

Row numbers are spreadsheet rows, as the person sees them when they open the file: the first row
is 1 and a blank row still counts. A CSV cell spanning lines is one row, as in Excel.
"""
from __future__ import annotations

import codecs
import csv
import html
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from openpyxl.utils.cell import column_index_from_string

from analytics.importing.encoding import Decoded, EncodingProblem, decode

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
_ZIP = b"PK\x03\x04"
_DELIMITER_SCAN = 1 << 20  # characters: ten header-area lines of any real file
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the pre-2007 .xls container


class FileProblem(ValueError):
    """The file as a whole cannot be read; ``rows`` are (row, value) pairs it concerns, if any."""

    def __init__(self, message: str, rows: list[tuple[int, str]] | None = None):
        super().__init__(message)
        self.rows = rows or []


@dataclass
class Sheet:
    kind: str  # csv or xlsx
    description: str  # for the person: "CSV, UTF-8, semicolon-delimited"
    total_rows: int  # for the progress bar; may overcount (a cell spanning lines)
    _rows: Sequence[Sequence[object]] | None = None
    _text: str | None = None
    delimiter: str | None = None
    encoding: Decoded | None = None
    excel_epoch: datetime | None = None
    warnings: list[str] = field(default_factory=list)
    has_uncalculated: bool = False  # some cells are Uncalculated

    def rows(self) -> Iterator[tuple[int, Sequence[object]]]:
        """(row number, cells), from the first row; may be iterated more than once."""
        if self._rows is not None:
            return enumerate(self._rows, start=1)
        if self._text is None:
            raise RuntimeError("the sheet's cells were released after staging")
        reader = csv.reader(_lines(self._text), delimiter=self.delimiter, quotechar='"')
        return enumerate(reader, start=1)

    def release(self) -> None:
        """Let go of the cells once they are staged; rows() cannot be read after."""
        self._rows = self._text = self.encoding = None


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their ends, as a file opened with newline="" gives them, one at a
    time: io.StringIO would hold the whole text again at four bytes a character (a 90 MB CSV of a
    million rows took the import from ~220 to ~750 MB before the first row was checked)."""
    if text.count("\r") != text.count("\r\n"):  # a lone CR ends lines (classic Mac): StringIO splits those
        yield from io.StringIO(text, newline="")
        return
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end + 1]
        start = end + 1


def _delimiter(text: str) -> str:
    """The delimiter the header row uses most (outside quotes); a comma when it holds none."""
    # the first lines only: splitting the whole text would build a million strings to read ten
    for line in text[:_DELIMITER_SCAN].splitlines()[:10]:
        if not line.strip():
            continue
        unquoted = "".join(part for i, part in enumerate(line.split('"')) if i % 2 == 0)
        counts = {d: unquoted.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        if counts[best]:
            return best
    return ","


def _csv(data: bytes, encoding: str | None) -> Sheet:
    try:
        decoded = decode(data, encoding)
    except EncodingProblem as exc:
        raise FileProblem(str(exc), exc.rows) from None
    text = decoded.text
    # Long cells are reported with their row and column (analytics.importing.cells), not refused
    # by the csv module half-way through the file.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    delimiter = _delimiter(text)
    how = "detected" if decoded.detected else "chosen"
    return Sheet("csv", f"CSV, {decoded.label} ({how}), {DELIMITER_NAMES[delimiter]}-separated",
                 text.count("\n") + (not text.endswith("\n")), _text=text, delimiter=delimiter, encoding=decoded)


def workbook_sheets(data: bytes) -> list[str]:
    """The sheet names of an .xlsx workbook, for the page's sheet picker; [] for other files."""
    if not data.startswith(_ZIP):
        return []
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # a damaged workbook is reported by open_sheet with the reason
        return []
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _choose_sheet(names: list[str], wanted: str | None, table: str) -> tuple[str, list[str]]:
    folded = {n.strip().lower(): n for n in names}
    if wanted is not None:
        if wanted.strip().lower() not in folded:
            raise FileProblem(f"has no sheet named {wanted!r}; its sheets are: {', '.join(names)}")
        return folded[wanted.strip().lower()], []
    if table in folded:  # a template, or a workbook of several tables
        return folded[table], []
    others = names[1:]
    note = [f"read the first sheet, {names[0]!r}; the workbook's other sheets ({', '.join(others)}) were not read"]
    return names[0], note if others else []


def _xlsx(data: bytes, sheet: str | None, table: str) -> Sheet:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FileProblem(f"is not a readable Excel workbook (.xlsx): {exc}") from None
    try:
        name, warnings = _choose_sheet(list(wb.sheetnames), sheet, table)
        # listed, not read a row at a time: streamed, 100,000 rows staged slower (11.9 against
        # 10.2 s) and peaked no lower (313 against 296 MB); the Data page bounds the rows anyway
        rows = list(wb[name].iter_rows(values_only=True))
        epoch = wb.epoch
        xml_path = wb[name]._worksheet_path
    finally:
        wb.close()
    uncalculated = _uncalculated(data, xml_path)
    for row, column, formula in uncalculated:
        cells = list(rows[row - 1]) + [None] * max(0, column + 1 - len(rows[row - 1]))
        cells[column] = Uncalculated(formula)
        rows[row - 1] = cells
    return Sheet("xlsx", f"Excel workbook, sheet {name!r}", len(rows), _rows=rows, excel_epoch=epoch,
                 warnings=warnings, has_uncalculated=bool(uncalculated))


class Uncalculated:
    """A formula cell without a value. A workbook written by a script rather than saved by a
    spreadsheet program has never computed its formulas; read as empty, their values would be lost."""

    def __init__(self, formula: str):
        self.formula = formula

    def __str__(self) -> str:
        return self.formula


_CELL = re.compile(rb'<c r="([A-Z]+)([0-9]+)"[^>]*?(?:/>|>(.*?)</c>)', re.DOTALL)
_FORMULA = re.compile(rb"<f[^>]*?(?:/>|>(.*?)</f>)", re.DOTALL)
_VALUE = re.compile(rb"<v>[^<]+</v>")


def _uncalculated(data: bytes, xml_path: str) -> list[tuple[int, int, str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if not _holds(archive, xml_path.lstrip("/"), b"<f"):  # no formula at all: the usual case
            return []
        xml = archive.read(xml_path.lstrip("/"))
    found = []
    for letters, number, body in _CELL.findall(xml):
        formula = _FORMULA.search(body or b"")
        if formula and not _VALUE.search(body):
            found.append((int(number), column_index_from_string(letters.decode()) - 1,
                          "=" + html.unescape((formula.group(1) or b"").decode("utf-8"))))
    return found


def _holds(archive: zipfile.ZipFile, member: str, needle: bytes) -> bool:
    """Whether the member's uncompressed bytes hold ``needle``, read a megabyte at a time (a sheet's
    XML is ten times the workbook's size)."""
    tail = b""
    with archive.open(member) as part:
        while block := part.read(1 << 20):
            if needle in tail + block[:len(needle)] or needle in block:
                return True
            tail = block[-(len(needle) - 1):]
    return False


def open_sheet(data: bytes, *, table: str, sheet: str | None = None, encoding: str | None = None) -> Sheet:
    """The rows of a CSV file or of one sheet of a workbook (named, else the table's, else the first)."""
    if not data.strip():
        raise FileProblem("is empty")
    if data.startswith(_ZIP):
        return _xlsx(data, sheet, table)
    if data.startswith(_OLE):
        raise FileProblem("is an old-style Excel file (.xls); save it as .xlsx or as CSV and upload that")
    if data.startswith(b"%PDF"):
        raise FileProblem("is a PDF document, not a table; upload the CSV or Excel file it was made from")
    if b"\x00" in data[:65536] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileProblem("is not a CSV or Excel (.xlsx) file: it holds binary data")
    if sheet is not None:
        raise FileProblem("is a CSV file, which has no sheets; leave the sheet name out")
    return _csv(data, encoding)
