"""Printable documents of the donations app: the receipt (A5), the thank-you letter and
the donor card, and the donor's personal VietQR they print (the fund's official account
with the donor's own transfer note, so a later transfer is credited to them without a
look-up)."""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Mapping, Sequence

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from campaigns.models import Campaign
from donations.models import Donation, Donor, Receipt
from donations.selectors import fund_bank_account
from donations.statements.codes import donor_note
from lddh.ward.feedback_link import feedback_qr_data_uri, feedback_url
from lddh.ward.money import amount_in_words
from lddh.ward.pdf import (
    document_context,
    join_pdf,
    render_document,
    render_pdf,
    render_together,
    without_cycle_collection,
)
from lddh.ward.vietqr import VietQRError, build_payload

# Receipts in one batch document. Printing runs inside the request: about 75 ms a receipt
# on the 2-core server, so 200 take ~15 s, under gunicorn's default 30 s worker timeout.
BATCH_MAX = 200


def verify_url(receipt: Receipt) -> str:
    """The public address printed in the receipt's QR code."""
    path = reverse("donations_public:receipt_verify", kwargs={"token": receipt.token})
    return settings.SITE_URL + path


# Pixels per module of the receipt's QR code: at the printed 24 mm it is about 165 dpi,
# and the template asks for no smoothing, so the modules print as sharp squares.
QR_PIXELS = 4


def qr_png(url: str) -> bytes:
    """The receipt's QR code as a PNG of 8-bit grey (black modules on white, a quiet
    zone of one module, ``QR_PIXELS`` pixels a module).

    A PNG is drawn as one image; the same code as SVG is one path of hundreds of
    squares that WeasyPrint parses and draws in Python, a tenth of a receipt's time.
    The pixels are those of segno's own PNG, but segno writes 1 bit a pixel, which
    WeasyPrint converts to RGB and compresses once more when it loads it, for every
    receipt; an 8-bit grey PNG it keeps as it is, and the PDF holds a grey image."""
    rows = segno.make(url, error="m").matrix_iter(scale=1, border=1)
    modules = b"".join(bytes(0 if dark else 255 for dark in row) for row in rows)
    side = math.isqrt(len(modules))
    image = Image.frombytes("L", (side, side), modules)
    image = image.resize((side * QR_PIXELS, side * QR_PIXELS), Image.Resampling.NEAREST)
    png = io.BytesIO()
    image.save(png, format="PNG")
    return png.getvalue()


def qr_data_uri(url: str) -> str:
    """The receipt's QR code (``qr_png``) as a data URI for the template."""
    return "data:image/png;base64," + base64.b64encode(qr_png(url)).decode("ascii")


def receipt_context(receipt: Receipt, *, copy: bool, wards: dict | None = None) -> dict:
    """What the receipt template needs. ``wards`` keeps the ward profile and signatory
    per date across the receipts of one batch, so they are read once per date."""
    wards = {} if wards is None else wards
    if receipt.date not in wards:
        ward_context = document_context(receipt.date)
        ward = ward_context["ward"]
        ward_context["signatory"] = ward.signatory_on(receipt.date) if ward else None
        wards[receipt.date] = ward_context
    url = verify_url(receipt)
    return {
        **wards[receipt.date],
        "receipt": receipt,
        "number": receipt.number,
        "copy": copy,
        "verify_url": url,
        "qr": qr_data_uri(url),
        # The residents' feedback form (phản ánh, kiến nghị), beside the receipt's check.
        "feedback_url": feedback_url(),
        "feedback_qr": feedback_qr_data_uri(),
    }


RECEIPT_TEMPLATE = "documents/receipt.html"
# The footer of templates/documents/base.html on a receipt of one page, as printed alone:
# the receipt's own block "Trang 1/1" in place of the page's margin box (cheaper to lay out).
ONE_PAGE_FOOTER = "@page { @bottom-right { content: none; } } .one-page-footer { display: block; }"


def _receipt_document(context: dict):
    return render_document(RECEIPT_TEMPLATE, context)


def receipt_pdf(receipt: Receipt, *, copy: bool) -> bytes:
    return _receipt_document(receipt_context(receipt, copy=copy)).write_pdf()


def receipts_pdf(
    receipts: Sequence[Receipt], *, copies: Mapping[int, bool] | bool = False
) -> bytes:
    """Several receipts as one PDF document, each on its own A5 page exactly as printed
    alone (same template, its own "BẢN SAO" / "ĐÃ HỦY" mark and page footer).

    ``copies`` says per receipt id whether it is a reprint (or one flag for all). The
    receipts are laid out together as one document (``render_together``: the style of
    the template's elements is computed once, not once per receipt), each on its own
    page; a receipt needing more than one page is laid out alone, as it prints alone.
    The pages are written as one PDF, which embeds the fonts once."""
    if not receipts:
        raise ValueError("no receipts to print")
    wards: dict = {}
    contexts = [
        receipt_context(
            receipt,
            copy=copies if isinstance(copies, bool) else copies.get(receipt.pk, False),
            wards=wards,
        )
        for receipt in receipts
    ]
    with without_cycle_collection():
        together = render_together(RECEIPT_TEMPLATE, contexts, one_page_css=ONE_PAGE_FOOTER)
        if together is None:
            return join_pdf([_receipt_document(context) for context in contexts])
        document, pages = together
        printed = []
        for context, page in zip(contexts, pages, strict=True):
            printed.extend([page] if page is not None else _receipt_document(context).pages)
        return join_pdf([document], printed)


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


def personal_qr(donor: Donor, *, scale: int = 3) -> dict | None:
    """The QR (an SVG data URI for the PDF templates), the note it carries and the
    account it pays into; None when the fund has no official bank account with a bank
    BIN, or the donor has no code yet."""
    if not donor.code:
        return None
    account = fund_bank_account()
    if account is None:
        return None
    official = account.official_account
    note = donor_note(donor)
    try:
        payload = build_payload(bin=official.bank_bin, account=official.account_number, note=note)
    except VietQRError:
        return None
    qr = segno.make_qr(payload, error="m", boost_error=False)
    return {
        "uri": qr.svg_data_uri(scale=scale, border=2),
        "payload": payload,
        "note": note,
        "official": official,
    }


def donor_card_pdf(donor: Donor) -> bytes:
    """A small card (A7, landscape): the donor's name, code and personal QR, and the
    fund's account written out for a transfer typed by hand."""
    context = document_context(timezone.localdate())
    return render_pdf(
        "documents/donor_card.html", {**context, "donor": donor, "qr": personal_qr(donor)}
    )


def donor_statement_pdf(donor: Donor, year: int, donations: Sequence[Donation]) -> bytes:
    """The yearly statement (thư xác nhận ủng hộ năm): every valid gift of the donor dated
    in the calendar year with its receipt number, and the total in figures and words,
    signed by the ward's signatory of the day it is printed."""
    context = thank_you_context(donor, None, donations)
    return render_pdf("documents/donor_statement.html", {**context, "year": year})
