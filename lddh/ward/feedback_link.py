"""The residents' feedback address (phản ánh, kiến nghị), printed as a QR code on the
handover lists and on the receipts. Kept in the core so that the apps that print those
papers need not import the page that answers it (lddh/public/urls.py serves
FEEDBACK_PATH; tests/supervision/test_feedback.py checks that both agree)."""

from __future__ import annotations

from functools import lru_cache

import segno
from django.conf import settings

FEEDBACK_PATH = "/phan-anh/"


def feedback_url() -> str:
    """The public address of the feedback form, as printed on paper."""
    return settings.SITE_URL + FEEDBACK_PATH


@lru_cache(maxsize=8)
def _qr_png(url: str) -> str:
    return segno.make(url, error="m").png_data_uri(scale=4, border=1)


def feedback_qr_data_uri() -> str:
    """The feedback address as a small PNG QR code (data URI) for printed documents."""
    return _qr_png(feedback_url())
