"""What a donor reads: the e-receipt email and the text message, in Vietnamese."""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from donations.documents import receipt_pdf, verify_url
from donations.messaging.tokens import opt_out_url
from lddh.ward.dates import format_date
from lddh.ward.models import WardProfile
from lddh.ward.money import format_dong


def ascii_fold(text: str) -> str:
    """Vietnamese without diacritics ("Biên nhận số" → "Bien nhan so"): a text message in
    plain GSM letters fits 160 characters, one with diacritics only 70."""
    text = text.replace("đ", "d").replace("Đ", "D").replace("\u00a0", " ")
    decomposed = unicodedata.normalize("NFD", text)
    return (
        "".join(c for c in decomposed if not unicodedata.combining(c))
        .encode("ascii", "replace")
        .decode()
    )


def _fund_label(receipt) -> str:
    ward = WardProfile.current(receipt.date)
    return ward.short_name if ward is not None else "Quỹ Vì người nghèo"


def sms_text(message) -> str:
    """Short: the receipt number, the amount and the link that confirms the receipt."""
    receipt = message.donation.receipt
    text = (
        f"{_fund_label(receipt)} cảm ơn! Đã nhận {format_dong(receipt.amount)}, "
        f"biên nhận số {receipt.number}. Xem: {verify_url(receipt)}"
    )
    return ascii_fold(text) if settings.SMS_ASCII else text.replace("\u00a0", " ")


def receipt_email(message) -> EmailMessage:
    """The e-receipt: a plain-text letter with the receipt's public link and its PDF."""
    receipt = message.donation.receipt
    context = {
        "receipt": receipt,
        "donor": message.donor,
        "amount": format_dong(receipt.amount),
        "date": format_date(receipt.date),
        "verify_url": verify_url(receipt),
        "opt_out_url": opt_out_url(message),
        "ward": WardProfile.current(receipt.date),
    }
    subject = f"Biên nhận số {receipt.number} – cảm ơn ông/bà đã ủng hộ"
    body = render_to_string("donations/email/receipt.txt", context)
    email = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.address],
        headers={"List-Unsubscribe": f"<{context['opt_out_url']}>"},
    )
    copy = receipt.prints.exists()  # the paper original went out first: this is a copy
    email.attach(
        f"bien-nhan-{receipt.number}.pdf", receipt_pdf(receipt, copy=copy), "application/pdf"
    )
    return email
