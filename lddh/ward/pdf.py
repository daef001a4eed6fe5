"""Printable documents: HTML templates rendered to PDF with WeasyPrint.

Fonts are the vendored DejaVu Serif files under static/fonts, embedded in every PDF, so
Vietnamese diacritics print the same on any machine.
"""

from __future__ import annotations

import atexit
import datetime
import re
import threading
from collections.abc import Sequence
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


_fonts = threading.local()
# Drop it while the interpreter is whole: WeasyPrint's finaliser fails at a late shutdown.
atexit.register(lambda: [_fonts.__dict__.pop(name, None) for name in ("sheets", "config")])


def _font_config():
    """One WeasyPrint font configuration per thread, reused by every document.

    A new configuration loads the system's font list and the four embedded DejaVu faces
    again: about half of the time of a one-page receipt. WeasyPrint keys the faces it
    added by their @font-face rule, so reusing it neither grows nor changes the output."""
    config = getattr(_fonts, "config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _fonts.config = FontConfiguration()
    return config


STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)
STYLESHEETS_KEPT = 32


def _stylesheet(css: str):
    """The document's <style> parsed once per thread and text, then reused.

    Parsing it (with its @font-face and @page rules) took about 35 ms of every receipt,
    and the receipts of a batch share one text. The parsed sheet holds only what it was
    built from, the faces it added live in this thread's font configuration, so handing
    it to the next document changes nothing in the output (tests compare the pages)."""
    sheets = getattr(_fonts, "sheets", None)
    if sheets is None:
        sheets = _fonts.sheets = {}
    sheet = sheets.get(css)
    if sheet is None:
        from weasyprint import CSS

        if len(sheets) >= STYLESHEETS_KEPT:
            sheets.clear()
        sheet = sheets[css] = CSS(
            string=css, base_url=str(settings.BASE_DIR), font_config=_font_config()
        )
    return sheet


def render_document(template_name: str, context: dict):
    """The template laid out as a WeasyPrint document (pages not yet written)."""
    html = render_to_string(template_name, {"font_dir": FONT_DIR.as_uri(), **context})
    stylesheets = []
    style = STYLE.search(html)
    if style:
        # Given as the only sheet besides WeasyPrint's own, its rules win as before.
        stylesheets.append(_stylesheet(style.group(1)))
        html = html[: style.start()] + html[style.end() :]
    page = _weasyprint_html()(string=html, base_url=str(settings.BASE_DIR))
    return page.render(font_config=_font_config(), stylesheets=stylesheets)


def render_pdf(template_name: str, context: dict) -> bytes:
    return render_document(template_name, context).write_pdf()


def join_pdf(documents: Sequence) -> bytes:
    """Several laid-out documents written as one PDF (fonts embedded once), each keeping
    its own pages, marks and footers."""
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
