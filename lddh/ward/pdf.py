"""Printable documents: HTML templates rendered to PDF with WeasyPrint.

Fonts are the vendored DejaVu Serif files under static/fonts, embedded in every PDF, so
Vietnamese diacritics print the same on any machine.
"""

from __future__ import annotations

import datetime
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

from lddh.ward.dates import date_line
from lddh.ward.models import WardProfile

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"


@cache
def _weasyprint_html():
    # Importing WeasyPrint costs about a second: do it once per process, on first use.
    from weasyprint import HTML

    return HTML


def document_context(day: datetime.date | None = None, ward: WardProfile | None = None) -> dict:
    """What the official header and date line of templates/documents/base.html need."""
    ward = ward or WardProfile.current(day)
    return {
        "ward": ward,
        "font_dir": FONT_DIR.as_uri(),
        "date_line": date_line(ward.place_name if ward else "Hà Nội", day) if day else "",
    }


def render_pdf(template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, {"font_dir": FONT_DIR.as_uri(), **context})
    return _weasyprint_html()(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
