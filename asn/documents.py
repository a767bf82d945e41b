"""Excel documents of the ASN app: the import templates."""

from talenta.tabular import AllowedValues, write_csv, write_template_xlsx

from .services import IMPORT_KINDS

# Columns Excel must keep as typed: a NIP as a number loses its last digits, a code its form.
TEXT_COLUMNS = ("nip", "nip_baru", "instansi")


def import_template_csv(*, kind: str) -> bytes:
    """The template of an import kind as CSV: headers and the example row."""
    handler = IMPORT_KINDS[kind]
    return write_csv([column.shown for column in handler.columns], [handler.example])


def import_template_xlsx(*, kind: str) -> bytes:
    """The template of an import kind: headers, an example row, drop-downs and the allowed values."""
    handler = IMPORT_KINDS[kind]
    shown = {column.name: column.shown for column in handler.columns}
    allowed = [
        AllowedValues(group.title, tuple(shown[name] for name in group.columns), group.values, group.notes)
        for group in handler.allowed_values()
    ]
    return write_template_xlsx(
        sheet_title=kind,
        headers=[column.shown for column in handler.columns],
        example=handler.example,
        allowed=allowed,
        text_columns=[shown[name] for name in TEXT_COLUMNS if name in shown],
    )
