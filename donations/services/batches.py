"""Receipts printed as one PDF by the task worker (lists too long for one request).

Rules: the request only queues the batch (which receipts, in which order); the worker
logs every print and renders the document in one transaction, exactly as the page does,
so a rendering failure logs no print; the first print of a receipt is the original, later
ones BẢN SAO. The finished PDF is kept in the batch row for the office to download.
"""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.db import transaction
from django.utils import timezone

from donations import documents
from donations.models import Receipt, ReceiptBatch
from donations.services.receipts import receipt_print

logger = logging.getLogger(__name__)

# Receipts in one background batch: 10 × what one request may lay out.
QUEUED_BATCH_FACTOR = 10
# A finished batch's PDF is kept this long for downloading, then dropped (the prints
# stay logged; the receipts can be printed again as copies).
KEEP_PDF = datetime.timedelta(days=7)


def queued_batch_max() -> int:
    return documents.BATCH_MAX * QUEUED_BATCH_FACTOR


def _enqueue(batch_id: int) -> None:
    from donations.tasks import print_receipt_batch

    try:
        print_receipt_batch.enqueue(batch_id)
    except Exception:
        logger.exception("Receipt batch %s: could not enqueue", batch_id)


@transaction.atomic
def receipt_batch_queue(*, actor, receipts: list[Receipt]) -> ReceiptBatch:
    """Queue a batch of receipts (already in print order) for the worker."""
    if not receipts:
        raise ValueError("no receipts to print")
    ReceiptBatch.objects.filter(finished_at__lt=timezone.now() - KEEP_PDF).exclude(pdf=None).update(
        pdf=None
    )
    batch = ReceiptBatch.objects.create(
        requested_by=actor,
        receipt_ids=[r.pk for r in receipts],
        count=len(receipts),
        first_number=receipts[0].number,
        last_number=receipts[-1].number,
    )
    transaction.on_commit(partial(_enqueue, batch.pk))
    return batch


def receipt_batch_render(batch_id: int) -> ReceiptBatch | None:
    """The worker's side: log the prints and write the PDF, or record why it failed."""
    claimed = ReceiptBatch.objects.filter(pk=batch_id, status=ReceiptBatch.Status.QUEUED).update(
        status=ReceiptBatch.Status.RUNNING
    )
    batch = ReceiptBatch.objects.select_related("requested_by").filter(pk=batch_id).first()
    if not claimed or batch is None:
        return batch
    try:
        with transaction.atomic():
            receipts = Receipt.objects.filter(pk__in=batch.receipt_ids)
            order = {pk: i for i, pk in enumerate(batch.receipt_ids)}
            copies = {
                r.pk: receipt_print(actor=batch.requested_by, receipt=r).is_copy
                for r in sorted(receipts, key=lambda r: order[r.pk])
            }
            # Read again under the print locks: a void committed meanwhile shows.
            fresh = sorted(
                Receipt.objects.filter(pk__in=copies).select_related("replaces", "donation__donor"),
                key=lambda r: order[r.pk],
            )
            pdf = documents.receipts_pdf(fresh, copies=copies)
    except Exception as error:
        logger.exception("Receipt batch %s: rendering failed", batch_id)
        batch.status, batch.error = ReceiptBatch.Status.FAILED, f"{type(error).__name__}"
    else:
        batch.status, batch.pdf = ReceiptBatch.Status.DONE, pdf
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "error", "pdf", "finished_at"])
    return batch
