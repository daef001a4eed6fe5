"""Staff pages for receipts: printing one, the register, and printing a filtered part of
the register as one PDF document (one render for the batch)."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from donations import documents, selectors, services
from donations.filters import ReceiptFilter
from donations.models import Receipt, ReceiptPrint
from donations.services.batches import queued_batch_max, receipt_batch_queue
from donations.views import rows as list_rows
from donations.views.donations import filter_data, list_page
from lddh.ward.access import OFFICE_ROLES, READ_ALL_ROLES, access_for, role_required
from lddh.ward.models import WardProfile
from lddh.ward.pdf import pdf_response
from lddh.ward.sorting import SortSpec

logger = logging.getLogger(__name__)

RECEIPT_SORTS = SortSpec(
    {"so": ("series", "year", "seq"), "ngay": "date", "so_tien": "amount"},
    default="so",
    descending_first={"ngay", "so_tien"},
)


@role_required(*OFFICE_ROLES)
@require_GET
def receipt_pdf(request, pk: int):
    """Print a receipt. Runs in its own request after the donation was committed: a
    rendering failure loses nothing, logs no print, and offers a retry."""
    access = access_for(request.user)
    receipt = selectors.receipt_for(access, pk)
    try:
        with transaction.atomic():
            printed = services.receipt_print(actor=request.user, receipt=receipt)
            pdf = documents.receipt_pdf(printed.receipt, copy=printed.is_copy)
    except Exception:
        logger.exception("Receipt %s: PDF rendering failed", receipt.number)
        return render(
            request,
            "donations/pdf_error.html",
            {"receipt": receipt, "retry_url": request.get_full_path()},
            status=503,
        )
    return pdf_response(pdf, f"bien-nhan-{receipt.number}.pdf")


RECEIPT_LIST_FIELDS = (
    "number",
    "date",
    "amount",
    "donor_name",
    "status",
    "channel_label",
    "fund_name",
    "donation_id",
    "series",
    "year",
    "seq",
    "replaces_id",
)


def _receipt_filter(request, access) -> tuple[ReceiptFilter, QuerySet]:
    """The register's filter and its rows (unordered): shared by the register and the
    batch print, so what is printed is exactly what the register showed."""
    base = selectors.receipts_for(access)
    series = selectors.receipt_series()
    filterset = ReceiptFilter(request.GET or None, queryset=base, series_codes=series)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    return filterset, rows


@role_required(*READ_ALL_ROLES)
@require_GET
def receipt_register(request):
    access = access_for(request.user)
    filterset, rows = _receipt_filter(request, access)
    sort = RECEIPT_SORTS.from_request(request)
    rows = sort.apply(rows)
    page, query_string, _totals = list_page(
        request,
        rows.only(*RECEIPT_LIST_FIELDS),
        totals=selectors.receipt_list_totals(access, filter_data(filterset), rows),
    )
    return render(
        request,
        "donations/receipt_register.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "page_obj": page,
            "rows": list_rows.receipt_rows(page.object_list),
            "query_string": query_string,
            "sort": sort,
            "can_print": access.is_office,
            "batch_max": documents.BATCH_MAX,
        },
    )


@role_required(*OFFICE_ROLES)
def receipt_batch(request):
    """Print the receipts of the register's current filter as one PDF document (one A5
    page each). GET shows what will be printed; POST prints it and logs every print
    (the first print of a receipt is the original, later ones are marked BẢN SAO)."""
    access = access_for(request.user)
    filterset, rows = _receipt_filter(request, access)
    rows = rows.order_by("series", "year", "seq", "pk")
    count = rows.count()
    # Longer than one request may lay out: printed by the task worker, downloaded later.
    queued = count > documents.BATCH_MAX
    too_many = count > queued_batch_max()
    query_string = request.GET.urlencode()
    if request.method == "POST" and count and queued and not too_many:
        batch = receipt_batch_queue(actor=request.user, receipts=list(rows.only("pk", "number")))
        return redirect("donations:receipt_batch_job", pk=batch.pk)
    if request.method == "POST" and count and not too_many:
        receipts = list(rows.select_related("replaces", "donation__donor"))
        try:
            with transaction.atomic():
                copies = {
                    receipt.pk: services.receipt_print(actor=request.user, receipt=receipt).is_copy
                    for receipt in receipts
                }
                # Read again now that every receipt is locked: a void that committed
                # after the list was read must show on its page.
                receipts = list(
                    Receipt.objects.filter(pk__in=copies)
                    .select_related("replaces", "donation__donor")
                    .order_by("series", "year", "seq", "pk")
                )
                pdf = documents.receipts_pdf(receipts, copies=copies)
        except Exception:
            logger.exception("Batch of %s receipts: PDF rendering failed", len(receipts))
            return render(
                request,
                "donations/pdf_error.html",
                {"retry_url": request.get_full_path()},
                status=503,
            )
        first, last = receipts[0].number, receipts[-1].number
        name = f"bien-nhan-{first}.pdf" if first == last else f"bien-nhan-{first}-den-{last}.pdf"
        return pdf_response(pdf, name)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    edges = rows.values_list("number", flat=True)
    return render(
        request,
        "donations/receipt_batch.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "count": count,
            "too_many": too_many,
            "queued": queued,
            "batch_max": queued_batch_max(),
            "first": edges.first() if count else None,
            "last": edges.last() if count else None,
            "printed": ReceiptPrint.objects.filter(receipt__in=rows.values("pk"))
            .values("receipt")
            .distinct()
            .count()
            if count and not too_many
            else 0,
            "query_string": query_string,
        },
    )


# --------------------------------------------------------------------------- public


@login_not_required
@never_cache
@require_GET
def receipt_verify(request, token: str):
    """Target of the QR code: number, date, amount, fund, public name, status. Nothing
    else (no phone, address, note), and an unknown token is a friendly 404."""
    receipt = selectors.receipt_by_token(token)
    response = render(
        request,
        "public/receipt_verify.html",
        {"receipt": receipt, "ward": WardProfile.current() if receipt is None else None},
        status=200 if receipt is not None else 404,
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
