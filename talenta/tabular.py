"""Reading and writing the spreadsheets HR officers exchange with Talenta (import-format.md).

Pure functions, no database. A file becomes a `Table` of cleaned cells keyed by canonical
column names; cell parsers turn a cell into a domain value or raise `CellError` with an
Indonesian message. Writers never let a text cell become a formula.
"""

import csv
import datetime as dt
import io
import re
import sys
import zipfile
import zlib
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

HEADER_ROW = 1
# Excel itself holds at most this many characters in a cell; a longer one is no spreadsheet value.
MAX_CELL_CHARS = 32_767

# The csv module refuses fields over 131,072 characters by raising mid-file; let it read any field
# (the file size is already bounded) so that a long one becomes a row error naming its cell.
csv.field_size_limit(sys.maxsize)


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = True
    # How the column is named in messages when its header is not the name (SIASN's "NIP BARU").
    label: str = ""
    # Other headers meaning this column (SIASN's field names, e.g. `hasilKinerja`).
    aliases: tuple[str, ...] = ()

    @property
    def shown(self) -> str:
        return self.label or self.name


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
    # Cells that are no value at all (a formula, an overlong text); each is given to the
    # validation as empty, so the caller reports these instead of what the validation says there.
    cell_errors: list[RowError] = field(default_factory=list)


@dataclass(frozen=True)
class _Formula:
    """An .xlsx cell holding a formula: neither its text nor its cached result is the user's value."""

    text: str


_SPACE_RUN = re.compile(r"\s+")


def normalize_header(header) -> str:
    """`Tanggal Asesmen`, ` tanggal_asesmen ` and `TANGGAL  ASESMEN` are one column."""
    return _SPACE_RUN.sub("_", str(header or "").strip().replace("_", " ")).lower()


def _clean(value):
    if value is None:
        return ""
    if isinstance(value, str):
        # Most cells hold no whitespace but single spaces (isprintable is False for tabs, newlines and
        # Unicode spaces): skip the regular expression, which costs seconds on a 100,000-row file.
        if value.isprintable() and "  " not in value:
            return value.strip()
        return _SPACE_RUN.sub(" ", value).strip()
    return value


def _file_error(message: str) -> FileError:
    return FileError([RowError(HEADER_ROW, "", "", message)])


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _file_size(size: int) -> str:
    if size < 2**20:
        return f"{-(-size // 1024)} KB"
    return f"{size / 2**20:.1f}".removesuffix(".0").replace(".", ",") + " MB"


def size_error(size: int, *, max_bytes: int) -> str | None:
    """The message refusing a file of `size` bytes, or None when it is small enough."""
    if size <= max_bytes:
        return None
    return (
        f"Berkas terlalu besar ({_file_size(size)}); paling besar {_file_size(max_bytes)} per impor. "
        "Pecah berkas menjadi beberapa bagian."
    )


_BROKEN_XLSX = "Berkas .xlsx rusak atau terpotong. Simpan ulang berkas dari Excel lalu unggah kembali."
# A zip archive starts with its first entry's header; a cut-off .xlsx keeps it but loses the index at the end.
_ZIP_START = b"PK\x03\x04"
# What a damaged archive or sheet raises while it is read (bad checksum, cut stream, broken XML).
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, SyntaxError, KeyError, IndexError, ValueError, TypeError)


def _xlsx_rows(data: bytes) -> Iterator[Sequence]:
    try:
        # data_only=False: a formula arrives as a formula cell and is never evaluated.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, OSError, *_DAMAGED):
        if data.startswith(_ZIP_START):
            raise _file_error(_BROKEN_XLSX) from None
        raise _file_error(
            "Berkas tidak dapat dibaca sebagai lembar kerja Excel (.xlsx). Simpan ulang berkas sebagai .xlsx atau .csv."
        ) from None
    try:
        if not workbook.worksheets:
            raise _file_error("Berkas Excel tidak berisi lembar kerja.")
        sheet = workbook.worksheets[0]
        # Read-only mode stops at the size the <dimension> tag claims, and some programs write a
        # tag smaller than the sheet: read every row the sheet really holds.
        sheet.reset_dimensions()
        for cells in sheet.iter_rows():
            yield tuple(_Formula(_formula_text(cell.value)) if cell.data_type == "f" else cell.value for cell in cells)
    except _DAMAGED:
        raise _file_error(_BROKEN_XLSX) from None
    finally:
        workbook.close()


def _formula_text(value) -> str:
    # An array formula arrives as an object holding its text; an ordinary one as "=…".
    return str(getattr(value, "text", value))


def _csv_rows(data: bytes) -> Iterator[Sequence]:
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


def _suffix(filename: str) -> str:
    return filename.lower().rsplit(".", 1)[-1] if "." in filename else ""


def _raw_rows(data: bytes, filename: str, *, max_bytes: int) -> Iterator[Sequence]:
    suffix = _suffix(filename)
    if suffix in ("xlsx", "csv") and not data:
        raise _file_error("Berkas kosong.")
    if suffix not in ("xlsx", "csv"):
        raise _file_error("Berkas harus berformat .xlsx atau .csv.")
    too_big = size_error(len(data), max_bytes=max_bytes)
    if too_big:
        raise _file_error(too_big)
    return _xlsx_rows(data) if suffix == "xlsx" else _csv_rows(data)


def read_table(
    data: bytes,
    filename: str,
    columns: Sequence[Column],
    *,
    max_bytes: int,
    max_rows: int,
    ignored: Collection[str] = (),
) -> Table:
    """Read the first sheet of an .xlsx or a .csv into cleaned rows keyed by column name.

    A file over `max_bytes` or with more than `max_rows` data rows is refused as a whole; rows are
    read one at a time and reading stops at the first row over the limit. Headers in `ignored`
    (normalised) are known columns the import does not use: dropped without a warning.
    """
    raw_rows = _raw_rows(data, filename, max_bytes=max_bytes)
    try:
        return _table(raw_rows, columns, max_rows=max_rows, ignored=ignored)
    finally:
        raw_rows.close()


def keep_columns(data: bytes, filename: str, names: Collection[str], *, max_bytes: int) -> bytes:
    """The same file with only the columns whose normalised header is in `names`, in its own format.

    For files that carry personal data an import does not use: the copy kept on the server holds
    only what the import reads. Cells keep their type (an .xlsx number stays a number, a formula a
    formula) and empty rows stay, so validating the copy reports what the original would.
    """
    raw_rows = _raw_rows(data, filename, max_bytes=max_bytes)
    try:
        header = next(raw_rows, None)
        if header is None:
            raise _file_error("Berkas kosong: baris 1 harus berisi nama kolom.")
        kept = [
            index
            for index, raw in enumerate(header)
            if not isinstance(raw, _Formula) and normalize_header(raw) in names
        ]
        rows = ([raw[i] if i < len(raw) else None for i in kept] for raw in raw_rows)
        headers = [_clean(header[i]) for i in kept]
        if _suffix(filename) == "csv":
            return _write_plain_csv(headers, rows)
        return write_xlsx(headers, rows, sheet_title="data")
    finally:
        raw_rows.close()


def _write_plain_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    # Written back as read: no apostrophe before "=", which the reader would then see as part of the value.
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode("utf-8")


def _table(
    rows_iter: Iterator[Sequence], columns: Sequence[Column], *, max_rows: int, ignored: Collection[str] = ()
) -> Table:
    header = next(rows_iter, None)
    if header is None or not any(_clean(h) != "" for h in header):
        raise _file_error("Berkas kosong: baris 1 harus berisi nama kolom.")

    known = {column.name: column for column in columns}
    alias_of = {normalize_header(alias): column.name for column in columns for alias in column.aliases}
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    warnings: list[str] = []
    for index, raw in enumerate(header):
        if isinstance(raw, _Formula):
            message = "Judul kolom berisi rumus; tulis nama kolom sebagai teks."
            errors.append(RowError(HEADER_ROW, "", raw.text, message))
            continue
        name = normalize_header(raw)
        name = alias_of.get(name, name)
        if not name:
            continue
        if name not in known:
            if name in ignored:
                continue
            warnings.append(f'Kolom "{_clean(raw)}" tidak dikenal dan diabaikan.')
        elif name in positions:
            errors.append(
                RowError(HEADER_ROW, name, str(_clean(raw)), f"Kolom {known[name].shown} muncul lebih dari sekali.")
            )
        else:
            positions[name] = index
    for column in columns:
        if column.required and column.name not in positions:
            errors.append(RowError(HEADER_ROW, column.shown, "", f"Kolom wajib {column.shown} tidak ada."))
    if errors:
        raise FileError(errors)

    rows = []
    cell_errors: list[RowError] = []
    for row_number, raw in enumerate(rows_iter, start=HEADER_ROW + 1):
        cells = {name: _clean(raw[i]) if i < len(raw) else "" for name, i in positions.items()}
        if all(value == "" for value in cells.values()):
            continue  # completely empty rows are skipped but still counted
        if len(rows) == max_rows:
            raise _file_error(
                f"Berkas memuat lebih dari {_thousands(max_rows)} baris data; paling banyak "
                f"{_thousands(max_rows)} baris per impor. Pecah berkas menjadi beberapa bagian."
            )
        for name, value in cells.items():
            if type(value) is str and len(value) <= MAX_CELL_CHARS:
                continue  # the common cell, checked without a call: a 100,000-row file has millions
            problem = _cell_problem(value)
            if problem:
                cell_errors.append(RowError(row_number, name, _shown(value), problem))
                cells[name] = ""
        rows.append((row_number, cells))
    if not rows:
        raise _file_error("Berkas tidak berisi baris data di bawah baris judul.")
    return Table(rows=rows, warnings=warnings, cell_errors=cell_errors)


def _cell_problem(value) -> str | None:
    if isinstance(value, _Formula):
        return "Sel berisi rumus; isi dengan nilai."
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        return f"Isian terlalu panjang (lebih dari {_thousands(MAX_CELL_CHARS)} karakter)."
    return None


def _shown(value, limit: int = 100) -> str:
    """A cell as an error list shows it: a formula as written, an overlong text cut short."""
    text = value.text if isinstance(value, _Formula) else as_text(value)
    return text if len(text) <= limit else text[:limit] + "…"


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

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

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


def write_xlsx_sheets(
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]], *, print_header: str = ""
) -> bytes:
    """A workbook with one sheet per (title, headers, rows).

    With `print_header`, every printed page of every sheet carries that text at the top and its page
    number ("Halaman n dari m") at the bottom: a document's identity on each page.
    """
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])  # Excel's limit for sheet names
        if print_header:
            sheet.oddHeader.center.text = print_header.replace("&", "&&")  # "&" starts a header code
            sheet.oddFooter.center.text = "Halaman &P dari &N"
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


@dataclass(frozen=True)
class AllowedValues:
    """A closed value set of an import kind: the columns that take it and its values.

    `notes` (same length as `values`, optional) are shown beside the values, e.g. an instansi's name.
    """

    title: str
    columns: tuple[str, ...]
    values: tuple
    notes: tuple[str, ...] = ()


ALLOWED_SHEET = "Nilai yang diizinkan"
# Excel's last row: the drop-downs and the text format cover every row an operator may fill.
LAST_ROW = 1_048_576


def write_template_xlsx(
    *,
    sheet_title: str,
    headers: Sequence[str],
    example: Sequence,
    allowed: Sequence[AllowedValues] = (),
    text_columns: Collection[str] = (),
) -> bytes:
    """An import template: headers and an example row on the first sheet (the one imports read).

    Every column with a closed value set gets a drop-down list fed from the second sheet, which
    lists the allowed values; `text_columns` (NIP, instansi code) are formatted as text so that
    Excel keeps all 18 digits of a NIP typed in.
    """
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    values_sheet = workbook.create_sheet(ALLOWED_SHEET) if allowed else None
    sheet.append(list(headers))
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
    for index, value in enumerate(example, start=1):
        cell = sheet.cell(row=HEADER_ROW + 1, column=index, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, even when it starts with "="
    position = {name: index for index, name in enumerate(headers, start=1)}
    for name in text_columns:
        if name in position:
            letter = get_column_letter(position[name])
            sheet.column_dimensions[letter].number_format = "@"
            sheet.cell(row=HEADER_ROW + 1, column=position[name]).number_format = "@"

    column = 1
    for group in allowed:
        letter = get_column_letter(column)
        values_sheet.cell(row=1, column=column, value=group.title).font = Font(bold=True)
        for offset, value in enumerate(group.values, start=2):
            cell = values_sheet.cell(row=offset, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
        if group.notes:
            values_sheet.cell(row=1, column=column + 1, value="keterangan").font = Font(bold=True)
            for offset, note in enumerate(group.notes, start=2):
                values_sheet.cell(row=offset, column=column + 1, value=note)
        source = f"{quote_sheetname(ALLOWED_SHEET)}!${letter}$2:${letter}${len(group.values) + 1}"
        validation = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Nilai tidak dikenal",
            error=f"Pilih salah satu nilai {group.title} dari daftar (lembar '{ALLOWED_SHEET}').",
        )
        for name in group.columns:
            if name in position:
                target = get_column_letter(position[name])
                validation.add(f"{target}{HEADER_ROW + 1}:{target}{LAST_ROW}")
        sheet.add_data_validation(validation)
        column += 3 if group.notes else 2
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
