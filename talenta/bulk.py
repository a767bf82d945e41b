"""Set-based writes of many rows, optionally with their audit history.

On PostgreSQL the rows travel by COPY (an import of 100,000 pegawai or a recompute of 100,000
placements must finish in seconds; the ORM's bulk_create spends most of its time building SQL).
Elsewhere (the embedded SQLite default) the ORM's bulk operations and django-simple-history's
helpers do the same job. With history, each written row gets one history row naming the user,
the reason and the time, as a single save would.
"""

import json
from functools import partial

from django.db import connection, transaction
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
    # The staged copy lives until the transaction commits: in autocommit it would be gone before the COPY.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        _copy_update(cursor, model, objs, fields)
        _copy_history(cursor, model, objs, history_type="~", user=user, reason=reason, date=date)


# --- rows as tuples: for recomputes that never build a model instance per row -----------------------


class JsonText(str):
    """A JSON value given as its encoded text, for a JSON column: written as it is, not encoded again."""


def _encode(model, fields: list[str]):
    """COPY takes Python values as they are; JSON goes as its text."""
    json_at = [i for i, name in enumerate(fields) if model._meta.get_field(name).get_internal_type() == "JSONField"]
    if not json_at:
        return lambda row: row

    def encode(row):
        values = list(row)
        for i in json_at:
            if not isinstance(values[i], JsonText):
                values[i] = json.dumps(values[i], ensure_ascii=False)
        return values

    return encode


def _decoded(row: tuple) -> list:
    """The ORM takes JSON columns as Python values."""
    return [json.loads(value) if isinstance(value, JsonText) else value for value in row]


def _columns(model, fields: list[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in fields]


def insert_values(model, fields: list[str], rows: list[tuple]) -> None:
    """Insert rows given as tuples of `fields` (attnames, no pk: the database numbers them).

    A JSON column takes a Python value, or its text already encoded as a `JsonText`.
    """
    if not rows:
        return
    if not _uses_copy():
        objs = [model(**dict(zip(fields, _decoded(row), strict=True))) for row in rows]
        model.objects.bulk_create(objs, batch_size=ORM_BATCH)
        return
    encode = _encode(model, fields)
    with connection.cursor() as cursor:
        _copy(cursor, model._meta.db_table, _columns(model, fields), (encode(row) for row in rows))


def update_values(model, fields: list[str], rows: list[tuple]) -> None:
    """Update rows given as tuples of (pk, *fields) through a staged COPY and one UPDATE … FROM."""
    if not rows:
        return
    if not _uses_copy():
        objs = [model(pk=row[0], **dict(zip(fields, _decoded(row[1:]), strict=True))) for row in rows]
        model.objects.bulk_update(objs, fields, batch_size=ORM_BATCH)
        return
    table = model._meta.db_table
    staged = f"{table}_staged_values"
    pk = model._meta.pk.column
    columns = _columns(model, fields)
    encode = _encode(model, fields)
    # The staged copy lives until the transaction commits: in autocommit it would be gone before the COPY.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        # Only the written columns, with their types and without the table's NOT NULL constraints.
        selected = ", ".join(_qn(c) for c in [pk, *columns])
        cursor.execute(
            f"CREATE TEMP TABLE {_qn(staged)} ON COMMIT DROP AS SELECT {selected} FROM {_qn(table)} WITH NO DATA"
        )
        _copy(cursor, staged, [pk, *columns], ([row[0], *encode(row[1:])] for row in rows))
        assignments = ", ".join(f"{_qn(c)} = s.{_qn(c)}" for c in columns)
        cursor.execute(f"UPDATE {_qn(table)} t SET {assignments} FROM {_qn(staged)} s WHERE t.{_qn(pk)} = s.{_qn(pk)}")
        cursor.execute(f"DROP TABLE {_qn(staged)}")


# A bulk write larger than this, and at least half of what the planner believes the table holds, leaves
# its statistics stale enough to mislead the next query (a join planned for an empty table).
ANALYZE_AFTER_ROWS = 5000


def analyze_if_stale(model, written: int) -> bool:
    """ANALYZE the table once the current transaction commits, after a write that changed it materially.

    After the commit, not inside the transaction: ANALYZE holds a lock that a second ANALYZE of the same
    table waits for, and inside a refresh it would hold it until the refresh commits, so two workers
    filling the same table would take turns. True when an ANALYZE was scheduled.
    """
    if not _uses_copy() or written < ANALYZE_AFTER_ROWS:
        return False
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        believed = cursor.fetchone()[0]
    if believed >= 0 and written < believed / 2:
        return False
    transaction.on_commit(partial(_analyze, table))
    return True


def _analyze(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {_qn(table)}")


# --- whole rows as tuples, with history: imports that never build a model instance per row ------------


# The order `meta` lists are built in below.
_HISTORY_META = ["history_date", "history_change_reason", "history_type", "history_user_id"]


def _history_columns(model, fields: list[str]) -> list[str]:
    column_of = {f.attname: f.column for f in model.history.model._meta.concrete_fields}
    return [column_of[name] for name in fields]


def create_values_with_history(model, fields: list[str], rows: list[tuple], *, user, reason: str, date) -> list:
    """Insert rows given as tuples of `fields` (every concrete attname but the pk) with a '+' history row each.

    Returns the new pks, in the order of `rows`.
    """
    if not rows:
        return []
    if not _uses_copy():
        objs = [model(**dict(zip(fields, row, strict=True))) for row in rows]
        create_with_history(model, objs, user=user, reason=reason, date=date)
        return [obj.pk for obj in objs]
    table, pk = model._meta.db_table, model._meta.pk
    meta = [date, reason, "+", user.pk if user else None]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk.column, len(rows)]
        )
        pks = [value for (value,) in cursor.fetchall()]
        _copy(
            cursor,
            table,
            [pk.column, *_columns(model, fields)],
            ([key, *row] for key, row in zip(pks, rows, strict=True)),
        )
        _copy(
            cursor,
            model.history.model._meta.db_table,
            [*_history_columns(model, [pk.attname, *fields]), *_HISTORY_META],
            ([key, *row, *meta] for key, row in zip(pks, rows, strict=True)),
        )
    return pks


def update_values_with_history(model, fields: list[str], rows: list[tuple], written: list[str], *, user, reason, date):
    """Update the `written` fields of rows given as (pk, *every other concrete attname in `fields`) tuples,
    with a '~' history row each (the history keeps the whole row)."""
    if not rows:
        return
    if not _uses_copy():
        objs = [model(pk=row[0], **dict(zip(fields, row[1:], strict=True))) for row in rows]
        update_with_history(model, objs, written, user=user, reason=reason, date=date)
        return
    table, pk = model._meta.db_table, model._meta.pk.column
    staged = f"{table}_staged_values"
    columns = _columns(model, fields)
    written_columns = _columns(model, written)
    meta = [date, reason, "~", user.pk if user else None]
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        selected = ", ".join(_qn(c) for c in [pk, *columns])
        cursor.execute(
            f"CREATE TEMP TABLE {_qn(staged)} ON COMMIT DROP AS SELECT {selected} FROM {_qn(table)} WITH NO DATA"
        )
        _copy(cursor, staged, [pk, *columns], rows)
        assignments = ", ".join(f"{_qn(c)} = s.{_qn(c)}" for c in written_columns)
        cursor.execute(f"UPDATE {_qn(table)} t SET {assignments} FROM {_qn(staged)} s WHERE t.{_qn(pk)} = s.{_qn(pk)}")
        cursor.execute(f"DROP TABLE {_qn(staged)}")
        _copy(
            cursor,
            model.history.model._meta.db_table,
            [*_history_columns(model, [model._meta.pk.attname, *fields]), *_HISTORY_META],
            ([*row, *meta] for row in rows),
        )
