"""A receipt batch longer than one request may lay out goes to the task worker: the page
queues it, the worker logs the prints and writes the PDF, the person downloads it."""

import io

from django.urls import reverse
from pypdf import PdfReader

from donations import documents
from donations.models import ReceiptBatch, ReceiptPrint
from lddh.ward.models import AuditEvent
from tests.donations.test_staff_lists import BATCH, _rows


def test_a_long_batch_is_printed_by_the_worker_and_downloaded(
    books, staff_client, committee_client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(documents, "BATCH_MAX", 2)
    _rows(books, 3)
    page = staff_client.get(BATCH).content.decode()
    assert "chế độ nền" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(BATCH)
    batch = ReceiptBatch.objects.get()
    job = reverse("donations:receipt_batch_job", args=[batch.pk])
    assert response.status_code == 302 and response["Location"] == job
    assert batch.status == ReceiptBatch.Status.DONE and batch.count == 3
    assert ReceiptPrint.objects.filter(is_copy=False).count() == 3
    assert AuditEvent.objects.filter(action="receipt.print", actor=books.staff).count() == 3

    progress = staff_client.get(reverse("donations:receipt_batch_progress", args=[batch.pk]))
    assert progress.json()["done"] is True and progress.json()["redirect"] == job
    assert "Mở tệp PDF" in staff_client.get(job).content.decode()
    download = staff_client.get(reverse("donations:receipt_batch_download", args=[batch.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert batch.first_number in download["Content-Disposition"]
    reader = PdfReader(io.BytesIO(download.content))
    assert len(reader.pages) == 3
    assert committee_client.get(job).status_code == 404  # another person's print run


def test_a_worker_failure_logs_no_print(
    books, staff_client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(documents, "BATCH_MAX", 2)
    _rows(books, 3)

    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint crashed")

    monkeypatch.setattr(documents, "receipts_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(BATCH)
    batch = ReceiptBatch.objects.get()
    assert batch.status == ReceiptBatch.Status.FAILED and batch.pdf is None
    assert not ReceiptPrint.objects.exists()
    page = staff_client.get(reverse("donations:receipt_batch_job", args=[batch.pk]))
    assert "Không tạo được tệp PDF" in page.content.decode()
    download = reverse("donations:receipt_batch_download", args=[batch.pk])
    assert staff_client.get(download).status_code == 404


def test_a_short_batch_still_prints_in_the_request(books, staff_client):
    _rows(books, 2)
    response = staff_client.post(BATCH)
    assert response["Content-Type"] == "application/pdf"
    assert not ReceiptBatch.objects.exists()
