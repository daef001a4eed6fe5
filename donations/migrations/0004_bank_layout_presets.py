from django.db import migrations

from donations.bank_layouts import PRESETS


def add_presets(apps, schema_editor):
    BankLayout = apps.get_model("donations", "BankLayout")
    for preset in PRESETS:
        values = dict(preset)
        BankLayout.objects.get_or_create(name=values.pop("name"), defaults=values)


class Migration(migrations.Migration):
    dependencies = [("donations", "0003_rounds_and_bank_statements")]

    operations = [migrations.RunPython(add_presets, migrations.RunPython.noop)]
