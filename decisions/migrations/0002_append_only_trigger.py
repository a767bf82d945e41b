"""On PostgreSQL the entry table refuses UPDATE and DELETE: a decision, once logged, stays as written.

TRUNCATE (the test runner's flush) is not a row operation and passes; the chain's stored head
still shows the loss. SQLite (local development) has no such trigger.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION decisions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Log keputusan hanya dapat ditambah; % ditolak.', TG_OP;
END
$$;
CREATE TRIGGER entri_keputusan_append_only
    BEFORE UPDATE OR DELETE ON decisions_entrikeputusan
    FOR EACH ROW EXECUTE FUNCTION decisions_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS entri_keputusan_append_only ON decisions_entrikeputusan;
DROP FUNCTION IF EXISTS decisions_refuse_change();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("decisions", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
