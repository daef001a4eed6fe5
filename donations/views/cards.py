"""The donor card: a small PDF with the donor's personal code and VietQR."""

from __future__ import annotations

import logging

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from donations import selectors
from donations.documents import donor_card_pdf
from lddh.ward.access import OFFICE_ROLES, access_for, role_required
from lddh.ward.pdf import pdf_response

logger = logging.getLogger(__name__)


@role_required(*OFFICE_ROLES)
@require_GET
def donor_card(request, pk: int):
    access = access_for(request.user)
    donor = get_object_or_404(selectors.donors_for(access), pk=pk)
    try:
        pdf = donor_card_pdf(donor)
    except Exception:
        logger.exception("Donor card %s: PDF rendering failed", donor.pk)
        return render(
            request,
            "donations/pdf_error.html",
            {"retry_url": request.get_full_path()},
            status=503,
        )
    return pdf_response(pdf, f"the-nguoi-ung-ho-{donor.code or donor.pk}.pdf")
