"""The Hà Nội 2024 housing levels (to verify each year): seeded as configuration,
edited in the admin, never constants in code."""

import datetime

from django.db import migrations

LEVELS = [
    ("new_house", 100_000_000, "Mức hỗ trợ xây mới nhà của Hà Nội năm 2024 (cần kiểm tra)"),
    ("house_repair", 60_000_000, "Mức hỗ trợ sửa chữa nhà của Hà Nội năm 2024 (cần kiểm tra)"),
]


def seed(apps, schema_editor):
    SupportLevel = apps.get_model("households", "SupportLevel")
    for category, amount, note in LEVELS:
        SupportLevel.objects.get_or_create(
            category=category,
            valid_from=datetime.date(2024, 1, 1),
            defaults={"max_amount": amount, "note": note},
        )


class Migration(migrations.Migration):
    dependencies = [("households", "0002_support")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
