"""Reading and writing the spreadsheets HR officers exchange with Talenta (import-format.md).

Pure functions, no database. A file becomes a `Table` of cleaned cells keyed by canonical
column names; cell parsers turn a cell into a domain value or raise `CellError` with an
Indonesian message. Writers never let a text cell become a formula.
"""

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

HEADER_ROW = 1


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = True


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "message": self.message}


class FileError(Exception):
    """The file as a whole cannot be read; carries the errors to show."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


class CellError(ValueError):
    """One cell is invalid; the message is shown to the user as it is."""


@dataclass
class Table:
    rows: list[tuple[int, dict]]  # (spreadsheet row number, {column: cell})
    warnings: list[str] = field(default_factory=list)


_SPACE_RUN = re.compile(r"\s+")


def normalize_header(header) -> str:
    """`Tanggal Asesmen`, ` tanggal_asesmen ` and `TANGGAL  ASESMEN` are one column."""
    return _SPACE_RUN.sub("_", str(header or "").strip().replace("_", " ")).lower()


def _clean(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return _SPACE_RUN.sub(" ", value).strip()
    return value


def _file_error(message: str) -> FileError:
    return FileError([RowError(HEADER_ROW, "", "", message)])


def _xlsx_rows(data: bytes) -> Iterable[Sequence]:
    try:
        # data_only=False: a formula arrives as its own text and is never evaluated.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise _file_error(
            "Berkas tidak dapat dibaca sebagai lembar kerja Excel (.xlsx). Simpan ulang berkas sebagai .xlsx atau .csv."
        ) from None
    if not workbook.worksheets:
        raise _file_error("Berkas Excel tidak berisi lembar kerja.")
    yield from workbook.worksheets[0].iter_rows(values_only=True)
    workbook.close()


def _csv_rows(data: bytes) -> Iterable[Sequence]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error(
            'Berkas CSV harus berenkode UTF-8. Simpan ulang dari Excel sebagai "CSV UTF-8 (Comma delimited)".'
        ) from None
    if "\x00" in text:
        raise _file_error("Berkas ini bukan berkas CSV teks.")
    header_line = text.split("\n", 1)[0]
    # Excel in an Indonesian locale separates with ";", elsewhere with ",".
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def read_table(data: bytes, filename: str, columns: Sequence[Column]) -> Table:
    """Read the first sheet of an .xlsx or a .csv into cleaned rows keyed by column name."""
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix in ("xlsx", "csv") and not data:
        raise _file_error("Berkas kosong.")
    if suffix == "xlsx":
        raw_rows = _xlsx_rows(data)
    elif suffix == "csv":
        raw_rows = _csv_rows(data)
    else:
        raise _file_error("Berkas harus berformat .xlsx atau .csv.")

    rows_iter = iter(raw_rows)
    header = next(rows_iter, None)
    if header is None or not any(_clean(h) != "" for h in header):
        raise _file_error("Berkas kosong: baris 1 harus berisi nama kolom.")

    known = {column.name: column for column in columns}
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    warnings: list[str] = []
    for index, raw in enumerate(header):
        name = normalize_header(raw)
        if not name:
            continue
        if name not in known:
            warnings.append(f'Kolom "{_clean(raw)}" tidak dikenal dan diabaikan.')
        elif name in positions:
            errors.append(RowError(HEADER_ROW, name, str(_clean(raw)), f"Kolom {name} muncul lebih dari sekali."))
        else:
            positions[name] = index
    for column in columns:
        if column.required and column.name not in positions:
            errors.append(RowError(HEADER_ROW, column.name, "", f"Kolom wajib {column.name} tidak ada."))
    if errors:
        raise FileError(errors)

    rows = []
    for row_number, raw in enumerate(rows_iter, start=HEADER_ROW + 1):
        cells = {name: _clean(raw[i]) if i < len(raw) else "" for name, i in positions.items()}
        if all(value == "" for value in cells.values()):
            continue  # completely empty rows are skipped but still counted
        rows.append((row_number, cells))
    if not rows:
        raise _file_error("Berkas tidak berisi baris data di bawah baris judul.")
    return Table(rows=rows, warnings=warnings)


# --- cell parsers -------------------------------------------------------------------------


def as_text(value) -> str:
    """A cell shown back to the user in an error list."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_text(value, *, max_length: int, required: bool = True) -> str:
    text = as_text(value).strip()
    if not text:
        if required:
            raise CellError("Wajib diisi.")
        return ""
    if len(text) > max_length:
        raise CellError(f"Terlalu panjang: paling banyak {max_length} karakter.")
    return text


def parse_choice(value, options: dict[str, str], *, label: str) -> str:
    """Match case-insensitively; return the spelling the lists define."""
    text = as_text(value).strip()
    if not text:
        raise CellError("Wajib diisi.")
    try:
        return options[text.casefold()]
    except KeyError:
        allowed = ", ".join(dict.fromkeys(options.values()))
        raise CellError(f'{label} "{text}" tidak dikenal. Pilihan: {allowed}.') from None


_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")
_MIDNIGHT = re.compile(r"\s+00:00:00$")


def parse_date(value, *, not_after: dt.date | None = None) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0, 0):
            raise CellError("Tanggal tidak boleh memuat jam selain 00:00:00.")
        parsed = value.date()
    elif isinstance(value, dt.date):
        parsed = value
    else:
        text = _MIDNIGHT.sub("", as_text(value).strip())
        if not text:
            raise CellError("Wajib diisi.")
        for fmt in _DATE_FORMATS:
            try:
                parsed = dt.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        else:
            raise CellError(f'Tanggal "{text}" tidak valid. Gunakan YYYY-MM-DD, DD-MM-YYYY atau DD/MM/YYYY.')
    if not_after is not None and parsed > not_after:
        raise CellError(f"Tanggal {parsed:%d-%m-%Y} melewati hari ini ({not_after:%d-%m-%Y}).")
    return parsed


def parse_decimal(value, *, minimum: Decimal, maximum: Decimal, places: int) -> Decimal:
    if isinstance(value, bool):
        raise CellError("Harus berupa angka.")
    if isinstance(value, int | float):
        text = repr(value) if isinstance(value, float) else str(value)
    else:
        text = as_text(value).strip().replace(",", ".")
    if not text:
        raise CellError("Wajib diisi.")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(f'"{as_text(value)}" bukan angka.') from None
    if not number.is_finite():
        raise CellError(f'"{as_text(value)}" bukan angka.')
    # The range first: quantizing an absurd number (1E+999999) would overflow the context.
    if not minimum <= number <= maximum:
        raise CellError(f"Harus antara {minimum} dan {maximum}.")
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise CellError(f"Paling banyak {places} angka di belakang koma.")
    return number.quantize(Decimal(1).scaleb(-places))


def parse_whole(value, *, minimum: int, maximum: int) -> int:
    number = parse_decimal(value, minimum=Decimal(minimum), maximum=Decimal(maximum), places=6)
    if number != number.to_integral_value():
        raise CellError(f"Harus bilangan bulat {minimum}–{maximum}.")
    return int(number)


def format_score(value) -> str:
    """A score as the exports write it: two decimals with a dot, empty where there is none."""
    return "" if value is None else f"{value:.2f}"


# --- writers --------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _neutralize(value):
    """Text that a spreadsheet would run as a formula is written with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else _neutralize(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence], *, sheet_title: str) -> bytes:
    return write_xlsx_sheets([(sheet_title, headers, rows)])


def write_xlsx_sheets(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """A workbook with one sheet per (title, headers, rows)."""
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])  # Excel's limit for sheet names
        sheet.append(list(headers))
        for row in rows:
            sheet.append([_xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        # openpyxl stores any string starting with "=" as a formula unless told it is text.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value
