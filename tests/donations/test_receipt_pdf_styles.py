"""Receipts are laid out with their stylesheet parsed once per batch, and the
pages come out exactly as WeasyPrint lays out the template with its <style> inline."""

from __future__ import annotations

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string

from donations import documents
from lddh.ward import pdf


def _boxes(document) -> list[tuple]:
    """Every box of every page: its kind, place, size and text."""
    found = []

    def walk(box):
        found.append(
            (
                type(box).__name__,
                round(box.position_x, 3),
                round(box.position_y, 3),
                round(box.width or 0, 3),
                round(box.height or 0, 3),
                getattr(box, "text", None),
            )
        )
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return found


def _inline(context: dict):
    html = render_to_string(
        "documents/receipt.html", {"font_dir": pdf.FONT_DIR.as_uri(), **context}
    )
    page = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR))
    return page.render(font_config=pdf._font_config())


def test_a_receipt_with_the_parsed_sheet_is_laid_out_as_with_its_inline_style(books):
    donation = books.record()
    for copy in (False, True):
        context = documents.receipt_context(donation.receipt, copy=copy)
        ours = _boxes(documents._receipt_document(context))
        assert len(ours) > 50
        assert ours == _boxes(_inline(context))
    # The "BẢN SAO" mark and the A5 page come from the sheet: the sheet was applied.
    texts = [box[-1] for box in ours if box[-1]]
    assert any("BẢN SAO" in text for text in texts)


def test_a_batch_parses_the_receipt_stylesheet_once(books, monkeypatch):
    receipts = [books.record().receipt for _ in range(3)]
    pdf._fonts.__dict__.pop("sheets", None)
    parsed = []
    real_css = weasyprint.CSS

    def counting_css(*args, **kwargs):
        parsed.append(kwargs.get("string"))
        return real_css(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "CSS", counting_css)
    documents.receipts_pdf(receipts)
    documents.receipts_pdf(receipts[:1])
    assert len(parsed) == 1
    assert "@page" in parsed[0] and "A5" in parsed[0]
