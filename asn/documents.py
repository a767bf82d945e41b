"""asn's documents: the blank template of an import kind, its columns and one example row."""

from talenta.tabular import write_csv, write_xlsx


def _headers(handler) -> list[str]:
    return [column.shown for column in handler.columns]


def import_template_csv(handler) -> bytes:
    return write_csv(_headers(handler), [handler.example])


def import_template_xlsx(handler, *, kind: str) -> bytes:
    return write_xlsx(_headers(handler), [handler.example], sheet_title=kind)
