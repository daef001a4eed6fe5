from django.db import migrations

from donations.statements.presets import ensure_presets


def add_presets(apps, schema_editor):
    ensure_presets(apps.get_model("donations", "BankLayout"))


class Migration(migrations.Migration):
    dependencies = [("donations", "0003_rounds_and_bank_statements")]

    operations = [migrations.RunPython(add_presets, migrations.RunPython.noop)]
