"""Tamper evidence for the fund ledger: every entry gets a hash chained to the previous
entry of its fund. Entries already in the database get their hashes here, in sequence
order per fund, with the same function the services use."""

import django.utils.timezone
from django.db import migrations, models

from donations.models.books import CHAIN_FIELDS, GENESIS_HASH, ledger_hash


def chain_existing_entries(apps, schema_editor):
    LedgerEntry = apps.get_model("donations", "LedgerEntry")
    fund_ids = LedgerEntry.objects.values_list("fund_id", flat=True).distinct()
    for fund_id in sorted(set(fund_ids)):
        previous = GENESIS_HASH
        rows = list(
            LedgerEntry.objects.filter(fund_id=fund_id)
            .order_by("sequence")
            .values_list("pk", *CHAIN_FIELDS)
        )
        for pk, *values in rows:
            previous = ledger_hash(previous, values)
            # The historical model has a plain manager: this update is allowed here only.
            LedgerEntry.objects.filter(pk=pk).update(hash=previous)


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="ledgerentry",
            name="hash",
            field=models.CharField(
                default="",
                editable=False,
                help_text="sha256(mã băm bút toán trước + nội dung bút toán), nối theo số thứ tự.",
                max_length=64,
                verbose_name="mã băm chuỗi (SHA-256)",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="created_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="ghi lúc"
            ),
        ),
        migrations.RunPython(chain_existing_entries, migrations.RunPython.noop),
    ]
