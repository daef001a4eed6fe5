"""The ledger's chain head is printed on the money reports and on
published reports: the hash of the fund's latest entry and its number, so
a reader holding the paper can later ask whether entries 1..N still carry that hash."""

from __future__ import annotations

import datetime
import re

import pytest

from donations.models import LedgerEntry
from donations.selectors.reports import chain_heads
from lddh.reports.exports.base import ReportExport
from tests.factories import FundFactory, record_donation
from tests.households.support_helpers import pdf_text
from tests.reports.conftest import cells, download, workbook


def _head(books) -> LedgerEntry:
    return LedgerEntry.objects.filter(fund=books.fund).order_by("-sequence").first()


def _line(entry: LedgerEntry) -> str:
    return f"Mã kiểm tra sổ quỹ {entry.fund.code}: {entry.hash}, đến bút toán số {entry.sequence}."


def test_chain_heads_are_each_funds_last_entry(books, world, django_assert_num_queries):
    other = FundFactory(code="KHAC", name="Quỹ khác")
    record_donation(actor=world.users["staff"], fund=other, date=datetime.date(2024, 11, 3))
    FundFactory(code="RONG", name="Quỹ chưa có bút toán")
    with django_assert_num_queries(1):
        heads = chain_heads()
    by_code = {h.fund_code: h for h in heads}
    assert set(by_code) == {books.fund.code, "KHAC"}  # a fund with no entry has no head
    entry = _head(books)
    assert (by_code[books.fund.code].sequence, by_code[books.fund.code].hash) == (
        entry.sequence,
        entry.hash,
    )
    assert by_code["KHAC"].sequence == 1
    assert [h.fund_code for h in chain_heads(books.fund)] == [books.fund.code]


@pytest.mark.parametrize("report", ["quy", "so-ung-ho", "so-bien-nhan"])
def test_money_reports_print_the_chain_head_in_excel(staff_client, books, report):
    wb, _ = workbook(download(staff_client, books, report))
    assert _line(_head(books)) in [str(v) for v in cells(wb)]


@pytest.mark.parametrize("report", ["quy", "so-ung-ho"])
def test_money_reports_print_the_chain_head_in_pdf(staff_client, books, report):
    text = pdf_text(download(staff_client, books, report, dinh_dang="pdf").content)
    flat = re.sub(r"\s+", "", text)
    entry = _head(books)
    assert entry.hash in flat  # the hash may wrap at the page's edge
    assert f"đếnbúttoánsố{entry.sequence}" in flat and "Mãkiểmtrasổquỹ" in flat


def test_the_printed_head_moves_with_the_ledger(staff_client, books, world):
    before = _head(books)
    record_donation(actor=world.users["staff"], fund=books.fund, date=datetime.date(2024, 12, 1))
    after = _head(books)
    assert after.sequence == before.sequence + 1
    texts = [str(v) for v in cells(workbook(download(staff_client, books, "quy"))[0])]
    assert _line(after) in texts and _line(before) not in texts


def test_reports_without_money_print_no_chain_head(staff_client, books):
    texts = [str(v) for v in cells(workbook(download(staff_client, books, "ho-tro"))[0])]
    assert not any("Mã kiểm tra sổ quỹ" in t for t in texts)
    assert ReportExport.chained is False
