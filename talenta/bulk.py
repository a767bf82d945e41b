"""Set-based writes of many rows, optionally with their audit history.

On PostgreSQL the rows travel by COPY (an import of 100,000 pegawai or a recompute of 100,000
placements must finish in seconds; the ORM's bulk_create spends most of its time building SQL).
Elsewhere (the embedded SQLite default) the ORM's bulk operations and django-simple-history's
helpers do the same job. With history, each written row gets one history row naming the user,
the reason and the time, as a single save would.
"""

from django.db import connection
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

HISTORY_META_FIELDS = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}
ORM_BATCH = 2000


def _uses_copy() -> bool:
    return connection.vendor == "postgresql"


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    quoted = ", ".join(_qn(c) for c in columns)
    with cursor.cursor.copy(f"COPY {_qn(table)} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _copy_objects(cursor, table: str, fields, objs) -> None:
    # COPY takes Python values as they are, except JSON, which needs the field's own adaptation.
    getters = [
        (lambda o, f=f: f.get_db_prep_save(getattr(o, f.attname), connection))
        if f.get_internal_type() == "JSONField"
        else (lambda o, a=f.attname: getattr(o, a))
        for f in fields
    ]
    _copy(cursor, table, [f.column for f in fields], ([get(o) for get in getters] for o in objs))


def _copy_insert(cursor, model, objs: list) -> None:
    table = model._meta.db_table
    # Reserve the ids first so that callers (and history rows) know them without a read back.
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [table, model._meta.pk.column, len(objs)],
    )
    for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
        obj.pk = pk
    _copy_objects(cursor, table, model._meta.concrete_fields, objs)


def _copy_update(cursor, model, objs: list, fields: list[str]) -> None:
    table = model._meta.db_table
    staged = f"{table}_staged_update"
    cursor.execute(f"CREATE TEMP TABLE {_qn(staged)} (LIKE {_qn(table)}) ON COMMIT DROP")
    _copy_objects(cursor, staged, model._meta.concrete_fields, objs)
    columns = [model._meta.get_field(name).column for name in fields]
    assignments = ", ".join(f"{_qn(c)} = s.{_qn(c)}" for c in columns)
    pk = _qn(model._meta.pk.column)
    cursor.execute(f"UPDATE {_qn(table)} t SET {assignments} FROM {_qn(staged)} s WHERE t.{pk} = s.{pk}")
    cursor.execute(f"DROP TABLE {_qn(staged)}")


def _copy_history(cursor, model, objs, *, history_type: str, user, reason: str, date) -> None:
    history_model = model.history.model
    fields = [f for f in history_model._meta.concrete_fields if f.attname not in HISTORY_META_FIELDS]
    meta = [date, reason, history_type, user.pk if user else None]
    _copy(
        cursor,
        history_model._meta.db_table,
        [f.column for f in fields] + ["history_date", "history_change_reason", "history_type", "history_user_id"],
        ([getattr(obj, f.attname) for f in fields] + meta for obj in objs),
    )


def insert_rows(model, objs: list) -> None:
    """Insert new rows; their pk is set afterwards."""
    if not objs:
        return
    if not _uses_copy():
        model.objects.bulk_create(objs, batch_size=ORM_BATCH)
        return
    with connection.cursor() as cursor:
        _copy_insert(cursor, model, objs)


def update_rows(model, objs: list, fields: list[str]) -> None:
    """Update the named fields of existing rows; every obj carries all its fields."""
    if not objs:
        return
    if not _uses_copy():
        model.objects.bulk_update(objs, fields, batch_size=ORM_BATCH)
        return
    with connection.cursor() as cursor:
        _copy_update(cursor, model, objs, fields)


def create_with_history(model, objs: list, *, user, reason: str, date) -> None:
    """Insert new rows and a '+' history row for each."""
    if not objs:
        return
    if not _uses_copy():
        bulk_create_with_history(
            objs, model, batch_size=ORM_BATCH, default_user=user, default_change_reason=reason, default_date=date
        )
        return
    with connection.cursor() as cursor:
        _copy_insert(cursor, model, objs)
        _copy_history(cursor, model, objs, history_type="+", user=user, reason=reason, date=date)


def update_with_history(model, objs: list, fields: list[str], *, user, reason: str, date) -> None:
    """Update the named fields of existing rows and add a '~' history row for each."""
    if not objs:
        return
    if not _uses_copy():
        bulk_update_with_history(
            objs,
            model,
            fields,
            batch_size=ORM_BATCH,
            default_user=user,
            default_change_reason=reason,
            default_date=date,
        )
        return
    with connection.cursor() as cursor:
        _copy_update(cursor, model, objs, fields)
        _copy_history(cursor, model, objs, history_type="~", user=user, reason=reason, date=date)
