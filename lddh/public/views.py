from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.safestring import mark_safe

from lddh.ward.models import WardProfile
from lddh.ward.vietqr import VietQRError, build_payload, qr_svg


def account_payload(account) -> str | None:
    """The static VietQR payload of an official bank account (None when it has no BIN)."""
    if not account.bank_bin:
        return None
    try:
        return build_payload(bin=account.bank_bin, account=account.account_number)
    except VietQRError:
        return None


def account_qr(account) -> str:
    """The account's VietQR as inline SVG ('' when it has none)."""
    payload = account_payload(account)
    if payload is None:
        return ""
    # segno escapes the title and emits only SVG elements: safe to embed.
    return mark_safe(qr_svg(payload, scale=4, title=f"VietQR {account.account_number}"))


@login_not_required
def home(request):
    ward = WardProfile.current()
    accounts = list(ward.accounts.filter(is_public=True)) if ward else []
    for account in accounts:
        account.qr_svg = account_qr(account)
    return render(request, "public/home.html", {"ward": ward, "accounts": accounts})
