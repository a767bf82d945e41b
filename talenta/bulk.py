"""Set-based writes of many rows with their audit history.

On PostgreSQL the rows travel by COPY (an import of 100,000 pegawai must finish in seconds;
the ORM's bulk_create spends most of its time building SQL). Elsewhere (the embedded SQLite
default) django-simple-history's bulk helpers do the same job. Either way each written row
gets one history row naming the user, the reason and the time, as a single save would.
"""

from django.db import connection
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

HISTORY_META_FIELDS = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}


def _uses_copy() -> bool:
    return connection.vendor == "postgresql"


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _write_history(cursor, model, objs, *, history_type: str, user, reason: str, date) -> None:
    history_model = model.history.model
    columns = [f for f in history_model._meta.concrete_fields if f.attname not in HISTORY_META_FIELDS]
    meta = [date, reason, history_type, user.pk if user else None]
    _copy(
        cursor,
        history_model._meta.db_table,
        [f.column for f in columns] + ["history_date", "history_change_reason", "history_type", "history_user_id"],
        ([getattr(obj, f.attname) for f in columns] + meta for obj in objs),
    )


def create_with_history(model, objs: list, *, user, reason: str, date) -> None:
    """Insert new rows (their pk is assigned here) and a '+' history row for each."""
    if not objs:
        return
    if not _uses_copy():
        bulk_create_with_history(
            objs, model, batch_size=2000, default_user=user, default_change_reason=reason, default_date=date
        )
        return
    table = model._meta.db_table
    fields = model._meta.concrete_fields
    with connection.cursor() as cursor:
        # Reserve the ids first so that the history rows can name them without a read back.
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
        _copy(cursor, table, [f.column for f in fields], ([getattr(o, f.attname) for f in fields] for o in objs))
        _write_history(cursor, model, objs, history_type="+", user=user, reason=reason, date=date)


def update_with_history(model, objs: list, fields: list[str], *, user, reason: str, date) -> None:
    """Update the named fields of existing rows (objs carry every field) and add a '~' history row."""
    if not objs:
        return
    if not _uses_copy():
        bulk_update_with_history(
            objs, model, fields, batch_size=2000, default_user=user, default_change_reason=reason, default_date=date
        )
        return
    table = model._meta.db_table
    all_fields = model._meta.concrete_fields
    staged = f"{table}_staged_update"
    columns = [model._meta.get_field(name).column for name in fields]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE {qn(staged)} (LIKE {qn(table)}) ON COMMIT DROP")
        _copy(
            cursor, staged, [f.column for f in all_fields], ([getattr(o, f.attname) for f in all_fields] for o in objs)
        )
        assignments = ", ".join(f"{qn(c)} = s.{qn(c)}" for c in columns)
        pk = qn(model._meta.pk.column)
        cursor.execute(f"UPDATE {qn(table)} t SET {assignments} FROM {qn(staged)} s WHERE t.{pk} = s.{pk}")
        cursor.execute(f"DROP TABLE {qn(staged)}")
        _write_history(cursor, model, objs, history_type="~", user=user, reason=reason, date=date)
