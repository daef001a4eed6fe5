"""The fund report's in-kind section agrees with the stock ledger and with the receipts."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from donations.models import Donation, DonationItem, StockItem, item_key
from donations.services.stock import on_hand
from lddh.reports.documents import fund_report_pdf
from lddh.reports.exports.base import ReportContext
from lddh.reports.exports.fund import FundReport, fund_report_data
from lddh.reports.exports.render import write_report_xlsx
from lddh.reports.periods import Period
from lddh.supervision.integrity import check_stock
from tests.stock.test_stock_services import DAY, _households
from tests.stock.test_stock_services import store as store

START, END = datetime.date(2024, 10, 1), datetime.date(2024, 12, 31)


def test_in_kind_section_reconciles_with_the_ledger_and_the_receipts(world, store):
    from donations import services

    store.receive(("Gạo tẻ", "1000", "kg", 18_000_000), ("Mì tôm", "50", "thùng", 5_000_000))
    store.hand_over(store.round(_households(world, 4), quantity=10))
    rice = StockItem.objects.get(key=item_key("Gạo tẻ", "kg"))
    count = services.stock_count_record(
        actor=world.users["treasurer"], item=rice, date=DAY, counted="957"
    )
    services.stock_count_approve(actor=world.users["committee"], count=count, reason="Hao hụt")

    context = ReportContext(Period(START, END, ""), store.fund, datetime.date(2025, 1, 5))
    data = fund_report_data(context)
    flows = {f.item.name: f for f in data.stock}
    assert set(flows) == {"Gạo tẻ", "Mì tôm"}
    flow = flows["Gạo tẻ"]
    assert (flow.opening, flow.received, flow.handed_out, flow.counted, flow.closing) == (
        0,
        1000,
        40,
        -3,
        957,
    )
    assert flow.opening + flow.received - flow.handed_out + flow.counted == flow.closing
    assert (flow.closing, flow.closing_value) == on_hand(rice, at=END)
    lines = DonationItem.objects.filter(
        donation__status=Donation.Status.VALID, donation__fund=store.fund
    )
    assert flow.received == sum(
        line.quantity for line in lines if item_key(line.description, line.unit) == rice.key
    )
    assert data.stock_value == 18_000_000 - 720_000 - 54_000 + 5_000_000
    assert check_stock() == []
    assert "Gạo tẻ: đầu kỳ 0 kg, nhận 1.000, xuất 40, chênh lệch kiểm kê -3; cuối kỳ 957 kg" in (
        flow.label
    )

    workbook = io.BytesIO()
    write_report_xlsx(workbook, FundReport(context, data))
    sheet = load_workbook(io.BytesIO(workbook.getvalue())).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert any(isinstance(c, str) and c.startswith("HIỆN VẬT TRONG KHO") for c in cells)
    assert flow.label in cells and flow.closing_value in cells
    assert fund_report_pdf(context).startswith(b"%PDF")


def test_before_any_goods_the_section_says_none(world, store):
    context = ReportContext(Period(START, END, ""), store.fund, datetime.date(2025, 1, 5))
    assert fund_report_data(context).stock == []
    assert Decimal(0) == on_hand(StockItem(pk=0))[0]
