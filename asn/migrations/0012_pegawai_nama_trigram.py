"""The name search matches words with pg_trgm on PostgreSQL: the extension and a GIN trigram index.

The index is on UPPER(nama) because both halves of a word's match use that expression: the plain
contains (`UPPER(nama) LIKE '%WORD%'`) and the trigram word similarity (`UPPER(nama) %> 'WORD'`),
so one index serves both. SQLite (`make run`) has neither and searches with plain contains.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS pegawai_nama_trgm ON asn_pegawai USING gin (UPPER(nama) gin_trgm_ops)"
DROP = "DROP INDEX IF EXISTS pegawai_nama_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("asn", "0011_user_wajib_ganti_sandi")]

    # TrigramExtension does nothing on other databases.
    operations = [TrigramExtension(), migrations.RunPython(create, drop)]
