"""A batch of receipts printed by the task worker: its progress page and its PDF."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from donations.models import ReceiptBatch
from lddh.ward.access import OFFICE_ROLES, role_required
from lddh.ward.background import progress_response
from lddh.ward.pdf import pdf_response


def _batch(request, pk: int) -> ReceiptBatch:
    """A batch is seen by the person who asked for it (it is their print run)."""
    return get_object_or_404(ReceiptBatch.objects.defer("pdf"), pk=pk, requested_by=request.user)


def _text(batch: ReceiptBatch) -> str:
    if batch.status == ReceiptBatch.Status.DONE:
        return f"Đã in xong {batch.count} biên nhận."
    if batch.status == ReceiptBatch.Status.FAILED:
        return "Không tạo được tệp PDF. Hãy thử in lại."
    if batch.status == ReceiptBatch.Status.RUNNING:
        return f"Đang in {batch.count} biên nhận…"
    return f"Đang chờ bộ chạy việc nền in {batch.count} biên nhận…"


@role_required(*OFFICE_ROLES)
@require_GET
def batch_detail(request, pk: int):
    batch = _batch(request, pk)
    return render(
        request,
        "donations/receipt_batch_job.html",
        {
            "batch": batch,
            "progress_url": reverse("donations:receipt_batch_progress", args=[batch.pk]),
            "text": _text(batch),
        },
    )


@role_required(*OFFICE_ROLES)
@require_GET
def batch_progress(request, pk: int):
    batch = _batch(request, pk)
    done = batch.status in {ReceiptBatch.Status.DONE, ReceiptBatch.Status.FAILED}
    return progress_response(
        percent=100 if done else None,
        text=_text(batch),
        done=done,
        redirect=reverse("donations:receipt_batch_job", args=[batch.pk]) if done else None,
    )


@role_required(*OFFICE_ROLES)
@require_GET
def batch_download(request, pk: int):
    batch = get_object_or_404(
        ReceiptBatch.objects.exclude(pdf=None),
        pk=pk,
        requested_by=request.user,
        status=ReceiptBatch.Status.DONE,
    )
    return pdf_response(bytes(batch.pdf), batch.filename)
