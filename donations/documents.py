"""Printable documents of the donations app: the receipt (A5) and the thank-you letter."""

from __future__ import annotations

from collections.abc import Sequence

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from donations.models import Donation, Donor, Receipt
from lddh.ward.money import amount_in_words
from lddh.ward.pdf import document_context, render_pdf


def verify_url(receipt: Receipt) -> str:
    """The public address printed in the receipt's QR code."""
    path = reverse("donations_public:receipt_verify", kwargs={"token": receipt.token})
    return settings.SITE_URL + path


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=3, border=1)


def receipt_context(receipt: Receipt, *, copy: bool) -> dict:
    url = verify_url(receipt)
    ward_context = document_context(receipt.date)
    ward = ward_context["ward"]
    return {
        **ward_context,
        "receipt": receipt,
        "number": receipt.number,
        "copy": copy,
        "verify_url": url,
        "qr": qr_data_uri(url),
        "signatory": ward.signatory_on(receipt.date) if ward else None,
    }


def receipt_pdf(receipt: Receipt, *, copy: bool) -> bytes:
    return render_pdf("documents/receipt.html", receipt_context(receipt, copy=copy))


def thank_you_context(donor: Donor, campaign: Campaign | None, donations: Sequence[Donation]):
    today = timezone.localdate()
    ward_context = document_context(today)
    ward = ward_context["ward"]
    total = sum(d.amount for d in donations)
    return {
        **ward_context,
        "donor": donor,
        "campaign": campaign,
        "donations": donations,
        "total": total,
        "total_words": amount_in_words(total),
        "signatory": ward.signatory_on(today) if ward else None,
    }


def thank_you_pdf(donor: Donor, campaign: Campaign | None, donations: Sequence[Donation]) -> bytes:
    return render_pdf("documents/thank_you.html", thank_you_context(donor, campaign, donations))
