from django.db import migrations

TRIGRAM_INDEX = "statement_line_description_trgm"
PENDING_KB = 262144


def defer_trigram_merge(apps, schema_editor):
    """A statement import adds its lines' trigrams to the index's pending list, which the
    task worker merges right after the import (donations.tasks.tidy_statement_index):
    the import's cost then does not grow with the lines already stored. A search reads
    the pending list too, so it finds the new lines before the merge."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER INDEX {TRIGRAM_INDEX} SET (fastupdate = on, gin_pending_list_limit = {PENDING_KB})"
    )


def reset(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER INDEX {TRIGRAM_INDEX} RESET (gin_pending_list_limit)")


class Migration(migrations.Migration):
    dependencies = [("donations", "0014_statement_account_queue_index")]

    operations = [migrations.RunPython(defer_trigram_merge, reset)]
