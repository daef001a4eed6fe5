"""Báo cáo kết quả vận động và sử dụng Quỹ "Vì người nghèo" (docs/domain.md §6): one sheet
of blocks, the same figures as its PDF (lddh/reports/documents.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from donations.selectors.reports import FundFlows, direct_support_by_source, fund_flows
from donations.selectors.stock import StockFlow, stock_flows
from households.models import Category, SupportCategory
from households.selectors.reports import (
    DIFFICULT,
    fund_spending_by_category,
    fund_supported_by_household_kind,
)
from lddh.reports.exports.base import ReportContext, ReportExport
from lddh.reports.exports.render import Formula, Heading, Line, Subtotal
from lddh.ward.exports import Column
from lddh.ward.figures import (
    CLOSING,
    DIRECT,
    OPENING,
    RAISED,
    RECEIVED,
    SPENT,
    TRANSFER_IN,
    TRANSFER_OUT,
    TRANSFERS,
    VOIDED,
    VOIDED_LATER,
)
from lddh.ward.money import amount_in_words, format_dong
from lddh.ward.vocab import DonorSource

OTHER_SPENDING = "Chi khác (không gắn với hồ sơ hỗ trợ)"
KIND_LABELS = {
    **dict(Category.choices),
    DIFFICULT: "Hộ có hoàn cảnh đặc biệt khó khăn (chưa được công nhận)",
}
KIND_ORDER = [c for c in Category.values if c != Category.NONE] + [DIFFICULT, Category.NONE]


@dataclass(frozen=True)
class Item:
    label: str
    count: int
    amount: int


@dataclass
class FundReportData:
    flows: FundFlows
    receipts: list[Item] = field(default_factory=list)
    spending: list[Item] = field(default_factory=list)
    households: list[Item] = field(default_factory=list)
    direct: list[Item] = field(default_factory=list)
    stock: list[StockFlow] = field(default_factory=list)

    @property
    def stock_value(self) -> int:
        return sum(s.closing_value for s in self.stock)

    @property
    def spending_total(self) -> int:
        return sum(i.amount for i in self.spending)

    @property
    def households_total(self) -> tuple[int, int]:
        return sum(i.count for i in self.households), sum(i.amount for i in self.households)

    @property
    def direct_total(self) -> tuple[int, int]:
        return sum(i.count for i in self.direct), sum(i.amount for i in self.direct)

    @property
    def balanced(self) -> bool:
        return self.flows.adds_up


def fund_report_data(context: ReportContext) -> FundReportData:
    """Six grouped queries whatever the number of donations and supports."""
    period, fund = context.period, context.fund
    flows = fund_flows(fund, period.start, period.end)
    data = FundReportData(flows=flows)
    data.receipts = [
        Item(label, *flows.receipts.get(value, (0, 0))) for value, label in DonorSource.choices
    ]
    by_category = fund_spending_by_category(fund, period.start, period.end)
    data.spending = [
        Item(label, *by_category.get(value, (0, 0))) for value, label in SupportCategory.choices
    ]
    categorised = sum(amount for _, amount in by_category.values())
    other = flows.spent - categorised
    if other:
        counted = sum(n for n, _ in by_category.values())
        data.spending.append(Item(OTHER_SPENDING, flows.spent_count - counted, other))
    kinds = fund_supported_by_household_kind(fund, period.start, period.end)
    data.households = [
        Item(KIND_LABELS[kind], *kinds[kind]) for kind in KIND_ORDER if kind in kinds
    ]
    direct = direct_support_by_source(period.start, period.end)
    data.direct = [
        Item(label, *direct[value]) for value, label in DonorSource.choices if value in direct
    ]
    data.stock = stock_flows(period.start, period.end)
    return data


NONE = "Không có"
STOCK_HEADING = "HIỆN VẬT TRONG KHO (theo sổ kho; trị giá cuối kỳ theo giá bình quân)"


class FundReport(ReportExport):
    """The balance table adds up on its face: I opening + II received − III voided after
    recording − IV spent + V transfers in − transfers out = VI closing (a formula in the
    workbook, checked against the ledger's own closing balance). Each block's count is
    in the column it counts (times or households); an empty block says "Không có"."""

    title = "Báo cáo kết quả vận động và sử dụng Quỹ “Vì người nghèo”"
    sheet_name = "Báo cáo Quỹ"
    filename = "bao-cao-quy-vi-nguoi-ngheo"
    chained = True
    columns = (
        Column("STT", "text", 6),
        Column("Nội dung", "text", 50),
        Column("Số lượt", "int", 10),
        Column("Số hộ", "int", 10),
        Column("Số tiền (đồng)", "money", 22),
    )
    label_column = 1

    def __init__(self, context: ReportContext, data: FundReportData | None = None):
        super().__init__(context)
        self.data = data or fund_report_data(context)

    @staticmethod
    def _block(items, *, households: bool = False):
        """The rows of a block: (number, label, times, households, đồng)."""
        for number, item in enumerate(items, start=1):
            if households:
                yield (str(number), item.label, None, item.count, item.amount)
            else:
                yield (str(number), item.label, item.count, None, item.amount)

    def rows(self):
        data, flows = self.data, self.data.flows
        yield Line(
            ("I", OPENING.name.upper(), None, None, flows.opening), name="opening", bold=True
        )
        yield Heading(f"{RECEIVED.name.upper()} TRONG KỲ (theo nguồn)", "II")
        yield from self._block(data.receipts)
        yield Subtotal(f"Cộng: {RECEIVED.name.lower()}", name="receipts", skip=(3,))
        yield Line(
            ("III", VOIDED.name.upper(), flows.voided_count, None, flows.voided),
            name="voided",
            bold=True,
        )
        yield Heading(f"{SPENT.name.upper()} TRONG KỲ (theo loại hỗ trợ)", "IV")
        yield from self._block(data.spending)
        yield Subtotal(f"Cộng: {SPENT.name.lower()}", name="spending", skip=(3,))
        yield Heading(f"{TRANSFERS.name.upper()} (giữa các tài khoản, két của Quỹ)", "V")
        yield Line(("1", TRANSFER_IN.name, None, None, flows.transfer_in), name="tin")
        yield Line(("2", TRANSFER_OUT.name, None, None, flows.transfer_out), name="tout")
        yield Line(
            (
                "VI",
                f"{CLOSING.name.upper()} (= I + II − III − IV + V.1 − V.2)",
                None,
                None,
                Formula("=E{opening}+E{receipts}-E{voided}-E{spending}+E{tin}-E{tout}"),
            ),
            name="closing",
            bold=True,
        )
        yield Line(("", f"{CLOSING.name} theo sổ quỹ", None, None, flows.closing), name="book")
        yield Line(
            ("", "Kiểm tra: chênh lệch (phải bằng 0)", None, None, Formula("=E{closing}-E{book}")),
            italic=True,
        )
        yield Heading("HỘ ĐƯỢC HỖ TRỢ TỪ QUỸ TRONG KỲ (theo phân loại hộ)", "VII")
        if data.households:
            yield from self._block(data.households, households=True)
            yield Subtotal("Cộng", skip=(2,))
        else:
            yield Line(("", NONE))
        yield Heading(f"{DIRECT.name.upper()} CHO HỘ (không qua Quỹ, không tính vào số dư)", "VIII")
        if data.direct:
            yield from self._block(data.direct)
            yield Subtotal(f"Cộng: {DIRECT.name.lower()}", skip=(3,))
        else:
            yield Line(("", NONE))
        yield Heading(STOCK_HEADING, "IX")
        if data.stock:
            for number, flow in enumerate(data.stock, start=1):
                yield (str(number), flow.label, None, None, flow.closing_value)
            yield Subtotal("Cộng: trị giá hiện vật còn trong kho cuối kỳ", skip=(2, 3))
        else:
            yield Line(("", NONE))

    def footer_lines(self):
        flows = self.data.flows
        lines = [
            f"{CLOSING.name} bằng chữ: {amount_in_words(flows.closing)}.",
            f"{RECEIVED.name}: {RECEIVED.explanation}",
            f"{VOIDED.name}: {VOIDED.explanation}",
            f"{SPENT.name}: {SPENT.explanation}",
            f"{TRANSFERS.name}: {TRANSFERS.explanation}",
        ]
        if flows.voided_later_count:
            lines.append(
                f"{VOIDED_LATER.name}: {flows.voided_later_count} biên nhận lập trong kỳ đã "
                f"bị hủy sau ngày cuối kỳ ({format_dong(flows.voided_later_amount)}); "
                "số tiền này vẫn nằm trong số dư cuối kỳ và được trừ ở kỳ hủy."
            )
        lines.append(
            f"{RAISED.name} trong kỳ (biên nhận lập trong kỳ còn hiệu lực): "
            f"{format_dong(flows.raised)} = {RECEIVED.name.lower()} "
            f"{format_dong(flows.received)} − các biên nhận lập trong kỳ đã hủy (trong kỳ "
            f"hoặc sau kỳ) {format_dong(flows.received - flows.raised)}."
        )
        if flows.transfer_in != flows.transfer_out:
            lines.append(
                f"{TRANSFER_IN.name} ({format_dong(flows.transfer_in)}) khác "
                f"{TRANSFER_OUT.name.lower()} ({format_dong(flows.transfer_out)}): "
                "đề nghị kiểm tra sổ quỹ."
            )
        if not self.data.balanced:
            lines.append("CẢNH BÁO: số dư tính theo thu chi không khớp số dư theo sổ quỹ.")
        return lines
