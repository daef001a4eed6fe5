"""A donor's personal VietQR: the fund's official account with the donor's own transfer
note (their personal code), so a later transfer is credited to them without a look-up.
Printed on the thank-you letter and on the donor card."""

from __future__ import annotations

import segno
from django.utils import timezone

from donations.models import Donor
from donations.selectors import fund_bank_account
from donations.statements.codes import donor_note
from lddh.ward.pdf import document_context, render_pdf
from lddh.ward.vietqr import VietQRError, build_payload


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
