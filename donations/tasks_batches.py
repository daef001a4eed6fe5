"""The task worker's side of printing many receipts at once."""

from __future__ import annotations

from django_tasks import task


@task()
def print_receipt_batch(batch_id: int) -> str:
    """Log the prints and render a queued batch (donations.services.batches)."""
    from donations.services.batches import receipt_batch_render

    batch = receipt_batch_render(batch_id)
    return batch.status if batch is not None else "missing"
