"""Work the task worker does for the donations books."""

from __future__ import annotations

from django_tasks import task


@task()
def read_statement(import_id: int) -> str:
    """Read a queued statement import (donations.services.statement_read)."""
    from donations.models import StatementImport
    from donations.services import statement_read

    batch = StatementImport.objects.filter(pk=import_id).first()
    if batch is None:
        return "missing"
    return statement_read(batch).status
