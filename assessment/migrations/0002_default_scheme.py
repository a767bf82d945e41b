from django.db import migrations

from assessment.defaults import load_default_scheme


def load(apps, schema_editor):
    load_default_scheme(apps)


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
