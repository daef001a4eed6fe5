"""PostgreSQL only: a trigram index for the public donor search by name.

The residents' search filters ``donor__name_key__contains`` (the name without
diacritics, lower case), i.e. ``name_key::text LIKE '%…%'``: a B-tree cannot serve a
match in the middle of a key, so with a million donors the search read the whole donor
table. A GIN index with gin_trgm_ops serves LIKE '%…%' (a donor search under
50 ms at the server). The donor table belongs to donations, so the index is raw SQL
here, skipped on SQLite."""

from django.db import migrations

INDEX = "public_donor_name_trgm_idx"
TABLE = "donations_donor"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} USING gin (name_key gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0002_published_report_chain_heads"),
        ("donations", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
