"""PostgreSQL only: an index on the ledger's rarer kinds for the integrity check.

The check looks up void and payment entries (a few hundred among a million receipt
entries); without an index each look-up reads the whole ledger. The ledger belongs to
donations, so the index is added here as raw SQL, on PostgreSQL only (SQLite books are
small), and named so donations' own migrations never clash with it."""

from django.db import migrations

INDEX = "supervision_ledger_kind_idx"
TABLE = "donations_ledgerentry"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} (kind, fund_id) WHERE kind <> 'receipt'"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_inspections_samples"),
        ("donations", "0002_ledger_hash_chain"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
