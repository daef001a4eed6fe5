"""Printable PDF versions of the fund report and the donor book: the same data objects
as their Excel sheets (so the same figures), in the official layout."""

from __future__ import annotations

from lddh.reports.exports.base import ReportContext, ReportExport
from lddh.reports.exports.books import DonorList, donor_blocks
from lddh.reports.exports.commendation import CommendationList
from lddh.reports.exports.fund import FundReport, fund_report_data
from lddh.ward.figures import GLOSSARY
from lddh.ward.money import amount_in_words
from lddh.ward.pdf import document_context, render_pdf

PDF_ROW_LIMIT = 5000
"""A donor book longer than this is refused as PDF (hundreds of pages nobody prints):
the page suggests the Excel file or a shorter period."""


class TooManyRows(Exception):
    def __init__(self, count: int, limit: int):
        super().__init__(count)
        self.count = count
        self.limit = limit


def _common(context: ReportContext, export: ReportExport) -> dict:
    base = document_context(context.today, context.ward)
    return {
        **base,
        "context": context,
        "title": export.title,
        "subtitles": export.subtitle_lines(),
        "signatures": [
            {"lines": caption.split("\n"), "name": name} for caption, name in export.signatures()
        ],
        "chain_lines": export.chain_lines(),
    }


def fund_report_pdf(context: ReportContext) -> bytes:
    data = fund_report_data(context)
    export = FundReport(context, data)
    return render_pdf(
        "documents/report_fund.html",
        {
            **_common(context, export),
            "data": data,
            "flows": data.flows,
            "names": {figure.key: figure.name for figure in GLOSSARY},
            "notes": export.footer_lines(),
        },
    )


def donor_list_pdf(context: ReportContext, *, limit: int | None = None) -> bytes:
    limit = limit or PDF_ROW_LIMIT
    blocks, count = donor_blocks(context, limit)
    if count > limit:
        raise TooManyRows(count, limit)
    total = sum(b.total for b in blocks)
    valid = sum(b.count for b in blocks)
    return render_pdf(
        "documents/report_donors.html",
        {
            **_common(context, DonorList(context)),
            "blocks": blocks,
            "total": total,
            "valid_count": valid,
            "voided_count": sum(len(b.rows) for b in blocks) - valid,
            "total_words": amount_in_words(total),
        },
    )


def commendation_pdf(context: ReportContext, rows: list, rule) -> bytes:
    """The commendation list in the official layout (A4 landscape), signed like a report."""
    export = CommendationList(context, rows, rule)
    total = sum(row.total for row in rows)
    return render_pdf(
        "documents/commendation.html",
        {
            **_common(context, export),
            "rows": rows,
            "total": total,
            "count": sum(row.count for row in rows),
            "total_words": amount_in_words(total),
        },
    )
