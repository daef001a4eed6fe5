"""Receipts are laid out with their stylesheet parsed once per batch, and the
pages come out exactly as WeasyPrint lays out the template with its <style> inline."""

from __future__ import annotations

import io
from decimal import Decimal
from unittest import mock

import weasyprint
import weasyprint.css
from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from donations import documents, services
from donations.models import Receipt
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
    # The receipt's sheet and the batch's own small sheet, each parsed once.
    receipt_sheets = [css for css in parsed if "A5" in css]
    assert len(receipt_sheets) == 1 and "@page" in receipt_sheets[0]
    assert len(parsed) == 2


def _printed(page) -> list[tuple]:
    """What a page prints: every box but the html, body and batch wrapper blocks, whose
    heights differ in a document of many pages."""
    found = []

    def walk(box):
        element = getattr(box, "element", None)
        css_class = element.get("class", "") if element is not None else ""
        if type(box).__name__ == "MarginBox" or "one-page-footer" in css_class:
            # The footer: a margin box alone, the receipt's own block in a batch. Both
            # print its text at the same place (its baseline, not its line's top).
            for text in box.descendants():
                if getattr(text, "text", None):
                    found.append(
                        (
                            "footer",
                            round(text.position_x, 3),
                            round(text.position_y + text.baseline, 2),
                            round(text.width, 3),
                            text.text,
                        )
                    )
            return
        if box.element_tag not in ("html", "body") and "batch-page" not in css_class:
            found.append(
                (
                    type(box).__name__,
                    box.element_tag,
                    round(box.position_x, 3),
                    round(box.position_y, 3),
                    round(box.width or 0, 3),
                    round(box.height or 0, 3),
                    getattr(box, "text", None),
                )
            )
        for child in getattr(box, "children", ()):
            walk(child)

    walk(page._page_box)
    return found


def test_a_batch_lays_out_each_receipt_as_alone(books):
    """The batch is one document, but each page prints what the receipt prints alone:
    a reprint's "BẢN SAO" and a void's "ĐÃ HỦY" on their own page only, the footer
    "Trang 1/1", the same places for every box."""
    receipts = [books.record(amount=100_000 * (i + 1)).receipt for i in range(4)]
    void = services.void_request(
        actor=books.staff, donation=receipts[2].donation, reason="Nhập sai"
    )
    services.void_approve(actor=books.committee, void=void)
    receipts[2].refresh_from_db()
    copies = [False, True, False, False]
    contexts = [documents.receipt_context(r, copy=c) for r, c in zip(receipts, copies, strict=True)]
    document, pages = pdf.render_together(
        documents.RECEIPT_TEMPLATE, contexts, one_page_css=documents.ONE_PAGE_FOOTER
    )
    assert len(document.pages) == 4 and None not in pages
    for context, page in zip(contexts, pages, strict=True):
        alone = documents._receipt_document(context)
        assert len(alone.pages) == 1
        assert _printed(page) == _printed(alone.pages[0])
        assert page.bookmarks == alone.pages[0].bookmarks
        assert page.anchors == alone.pages[0].anchors == {}
    texts = [[box[-1] for box in _printed(page) if box[-1]] for page in pages]
    assert all(("footer", "Trang 1/1") in [(b[0], b[-1]) for b in _printed(p)] for p in pages)
    assert ["BẢN SAO" in " ".join(t) for t in texts] == [False, True, False, False]
    assert ["ĐÃ HỦY" in " ".join(t) for t in texts] == [False, False, True, False]
    assert all("Trang 1/1" in t for t in texts)


def test_a_batch_computes_each_style_once(books):
    """Laid out together, the receipts' elements share their computed styles."""
    receipts = [books.record().receipt for _ in range(6)]
    contexts = [documents.receipt_context(r, copy=False) for r in receipts]
    one = _batch_styles(contexts[:1])
    assert _batch_styles(contexts) < 3 * one  # one by one: six times as many


def _batch_styles(contexts) -> int:
    """How many computed styles the elements of a batch of these receipts hold."""
    seen = {}
    real = weasyprint.css.StyleFor.__init__

    def counting(self, *args, **kwargs):
        real(self, *args, **kwargs)
        elements = self._computed_styles.items()
        seen["styles"] = len({id(style) for (_, pseudo), style in elements if pseudo is None})

    with mock.patch.object(weasyprint.css.StyleFor, "__init__", counting):
        pdf.render_together(documents.RECEIPT_TEMPLATE, contexts)
    return seen["styles"]


def test_the_receipts_after_the_second_add_no_style_to_a_batch(books):
    """From the second receipt on, every element of a receipt shares the computed style
    of the same element of the receipt before: the template gives no element a style
    of its own (a style attribute does, and nothing under it shares)."""
    receipts = [books.record(amount=100_000 * (i + 1)).receipt for i in range(5)]
    contexts = [documents.receipt_context(r, copy=False) for r in receipts]
    assert _batch_styles(contexts) == _batch_styles(contexts[:2])


def test_a_batch_reads_the_ward_once_for_its_receipts_of_one_day(books):
    """The ward profile and signatory are read once per receipt date, not per receipt:
    a batch of many receipts of one day asks the database as often as one receipt."""
    receipts = [books.record(amount=100_000 * (i + 1)).receipt for i in range(4)]
    receipts = list(
        Receipt.objects.select_related("donation").filter(pk__in=[r.pk for r in receipts])
    )
    with CaptureQueriesContext(connection) as one:
        documents.receipts_pdf(receipts[:1])
    with CaptureQueriesContext(connection) as four:
        documents.receipts_pdf(receipts)
    assert len(one) > 0
    assert len(four) == len(one)


def test_a_receipt_of_two_pages_is_laid_out_alone_in_a_batch(books):
    items = [services.ItemLine(f"Hiện vật {i}", Decimal(1), "cái", 10_000) for i in range(40)]
    long = books.record(channel="in_kind", amount=None, items=items).receipt
    short = [books.record().receipt for _ in range(2)]
    receipts = [short[0], long, short[1]]
    contexts = [documents.receipt_context(r, copy=False) for r in receipts]
    _document, pages = pdf.render_together(
        documents.RECEIPT_TEMPLATE, contexts, one_page_css=documents.ONE_PAGE_FOOTER
    )
    assert pages[0] is not None and pages[1] is None and pages[2] is not None
    alone = documents._receipt_document(contexts[1])
    n = len(alone.pages)
    assert n >= 2
    reader = PdfReader(io.BytesIO(documents.receipts_pdf(receipts)))
    texts = [page.extract_text() for page in reader.pages]
    assert len(texts) == n + 2
    assert [long.number in t for t in texts] == [False, True] + [False] * n
    assert all(f"Trang {i}/{n}" in texts[i] for i in range(1, n + 1))
    assert "Trang 1/1" in texts[0] and "Trang 1/1" in texts[-1]


def test_the_fields_sit_in_two_columns_without_a_table(books):
    """Each field's label starts at the left edge at the top of its row, its value 32 mm
    in on the same row, as the columns of a table would put them (the amount, larger,
    included), and the rows are blocks: no table is laid out for them."""
    context = documents.receipt_context(books.record(amount=12_345_000).receipt, copy=False)
    page = documents._receipt_document(context).pages[0]._page_box
    rows = [
        box
        for box in page.descendants()
        if type(box).__name__ == "BlockBox" and "field" in (box.element.get("class") or "")
    ]
    assert len(rows) == 5  # name, purpose, channel, amount, words
    left = min(row.content_box_x() - row.padding_left for row in rows)
    for row in rows:
        line = row.children[0]
        label, value = line.children[0], line.children[1]
        assert type(label).__name__ == "InlineBlockBox" and label.element.get("class") == "label"
        assert round(label.content_box_x(), 3) == round(left, 3)
        assert round(value.position_x - left, 2) == round(32 * 96 / 25.4, 2)
        assert label.position_y == line.position_y == row.content_box_y()
    tables = {box.element.get("class") for box in page.descendants() if box.element_tag == "table"}
    assert "fields" not in tables and "doc-header" in tables
