"""Printable documents: HTML templates rendered to PDF with WeasyPrint.

Fonts are the vendored DejaVu Serif files under static/fonts, embedded in every PDF, so
Vietnamese diacritics print the same on any machine.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime
import gc
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


BODY = re.compile(r"<body>(.*)</body>", re.DOTALL)
BATCH_MARK = "lddh-batch-page"
BATCH_SHEET = f"""
.batch-next {{ break-before: page; }}
/* Where each document starts (an id would do, but an element with an id gets a style
   of its own, and nothing under it could share styles). */
.batch-page {{ bookmark-level: 1; bookmark-label: "{BATCH_MARK}"; }}
/* Alone, a fixed mark is printed once on the document's one page; here it would be
   repeated on every page of the batch. On the receipt's own page it sits where the
   fixed one sat: both are placed in the page area. */
.copy-mark {{ position: absolute; }}
"""


def render_together(template_name: str, contexts: Sequence[dict], *, one_page_css: str = ""):
    """Documents of one page each, laid out together as one WeasyPrint document.

    Returns ``(document, pages)``: ``pages[i]`` is the page of ``contexts[i]``, or None
    where that document needed more than one page (the caller lays it out alone: its
    furniture, such as "page 1 of 2", would be wrong here); or None altogether when the
    documents do not share one stylesheet.

    Laid out one by one, each document computes the style of every element again; in
    one document WeasyPrint shares the computed style of elements matched by the same
    rules under the same parent, so the documents after the first cost little more than
    their layout. ``one_page_css`` makes the page furniture read as in a document of
    one page (a footer "page 1 of 1")."""
    htmls = [
        render_to_string(template_name, {"font_dir": FONT_DIR.as_uri(), **context})
        for context in contexts
    ]
    styles, bodies = [], []
    for html in htmls:
        style, body = STYLE.search(html), BODY.search(html)
        if style is None or body is None:
            return None
        styles.append(style.group(1))
        bodies.append(body.group(1))
    if not htmls or any(css != styles[0] for css in styles):
        return None
    first = htmls[0]
    style, body = STYLE.search(first), BODY.search(first)
    head = first[: style.start()] + first[style.end() : body.start()]
    parts = "".join(
        f'<div class="batch-page{" batch-next" if i else ""}">{inner}</div>'
        for i, inner in enumerate(bodies)
    )
    document = _weasyprint_html()(
        string=f"{head}<body>{parts}</body></html>", base_url=str(settings.BASE_DIR)
    ).render(
        font_config=_font_config(),
        stylesheets=[_stylesheet(styles[0]), _stylesheet(BATCH_SHEET + one_page_css)],
    )
    if len(document.pages) == len(htmls):  # each starts a page: one page each
        for page in document.pages:
            page.bookmarks = [mark for mark in page.bookmarks if mark[1] != BATCH_MARK]
        return document, list(document.pages)
    # Some took more than one page: find them by where each starts.
    found: list[list] = []
    for page in document.pages:
        marks = [mark for mark in page.bookmarks if mark[1] == BATCH_MARK]
        page.bookmarks = [mark for mark in page.bookmarks if mark[1] != BATCH_MARK]
        if marks:
            found.append([])
        if len(marks) > 1 or not found:
            return None
        found[-1].append(page)
    if len(found) != len(htmls):
        return None
    pages = [one[0] if len(one) == 1 else None for one in found]
    return document, pages


@contextlib.contextmanager
def without_cycle_collection():
    """Python's cycle collector paused while a batch of documents is laid out and written.

    A batch holds every laid-out page until the PDF is written: the collector walks
    those boxes again and again and finds nothing to free, about a quarter of the time
    of a batch of 100 receipts. Paused, the batch's peak memory grew by 3 % (215 MB
    against 208 MB for 100 receipts); the cycles left are collected when it ends."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def render_pdf(template_name: str, context: dict) -> bytes:
    return render_document(template_name, context).write_pdf()


def join_pdf(documents: Sequence, pages: Sequence | None = None) -> bytes:
    """Several laid-out documents written as one PDF (fonts embedded once), each keeping
    its own pages, marks and footers; ``pages`` if given, else every document's pages."""
    if pages is None:
        pages = [page for document in documents for page in document.pages]
    return documents[0].copy(list(pages)).write_pdf()


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
