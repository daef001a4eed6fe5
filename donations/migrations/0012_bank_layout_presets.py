from django.db import migrations

from donations.statements.presets import sync_presets


def update_presets(apps, schema_editor):
    sync_presets(apps.get_model("donations", "BankLayout"))


class Migration(migrations.Migration):
    """One preset per bank export (Vietcombank, VietinBank, BIDV, Agribank, Techcombank,
    MB, Kho bạc) and the generic one; the two earlier presets are renamed and updated."""

    dependencies = [("donations", "0011_statement_rows_and_gaps")]

    operations = [migrations.RunPython(update_presets, migrations.RunPython.noop)]
