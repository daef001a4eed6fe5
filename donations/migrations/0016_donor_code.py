from django.db import migrations, models

from donations.models.donors import donor_code_for


def backfill_codes(apps, schema_editor):
    """Every donor gets the personal code it would have had from its creation."""
    Donor = apps.get_model("donations", "Donor")
    batch = []
    for pk in Donor.objects.filter(code__isnull=True).values_list("pk", flat=True).iterator():
        batch.append(Donor(pk=pk, code=donor_code_for(pk)))
        if len(batch) >= 2000:
            Donor.objects.bulk_update(batch, ["code"])
            batch = []
    if batch:
        Donor.objects.bulk_update(batch, ["code"])


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0015_trigram_pending_list"),
    ]

    operations = [
        migrations.AddField(
            model_name="donor",
            name="code",
            field=models.CharField(
                editable=False,
                help_text=(
                    "Mã riêng ghi trong nội dung chuyển khoản để khoản tiền tự tìm đúng người."
                ),
                max_length=12,
                null=True,
                unique=True,
                verbose_name="mã người ủng hộ",
            ),
        ),
        migrations.RunPython(backfill_codes, migrations.RunPython.noop, elidable=True),
    ]
