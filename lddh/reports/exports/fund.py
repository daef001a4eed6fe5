"""Báo cáo kết quả vận động và sử dụng Quỹ "Vì người nghèo" (docs/domain.md §6): one sheet
of blocks, the same figures as its PDF (lddh/reports/documents.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from donations.selectors.reports import FundFlows, direct_support_by_source, fund_flows
from households.models import Category, SupportCategory
from households.selectors.reports import (
    DIFFICULT,
    fund_spending_by_category,
    fund_supported_by_household_kind,
)
from lddh.reports.exports.base import ReportContext, ReportExport
from lddh.reports.exports.render import Formula, Heading, Line, Subtotal
from lddh.ward.exports import Column
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
        return self.flows.computed_closing == self.flows.closing


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
    other = flows.spending - categorised
    if other:
        counted = sum(n for n, _ in by_category.values())
        data.spending.append(Item(OTHER_SPENDING, flows.spending_count - counted, other))
    kinds = fund_supported_by_household_kind(fund, period.start, period.end)
    data.households = [
        Item(KIND_LABELS[kind], *kinds[kind]) for kind in KIND_ORDER if kind in kinds
    ]
    direct = direct_support_by_source(period.start, period.end)
    data.direct = [
        Item(label, *direct[value]) for value, label in DonorSource.choices if value in direct
    ]
    return data


class FundReport(ReportExport):
    title = "Báo cáo kết quả vận động và sử dụng Quỹ “Vì người nghèo”"
    sheet_name = "Báo cáo Quỹ"
    filename = "bao-cao-quy-vi-nguoi-ngheo"
    chained = True
    columns = (
        Column("STT", "text", 6),
        Column("Nội dung", "text", 50),
        Column("Số lượt / số hộ", "int", 16),
        Column("Số tiền (đồng)", "money", 24),
    )
    label_column = 1

    def __init__(self, context: ReportContext, data: FundReportData | None = None):
        super().__init__(context)
        self.data = data or fund_report_data(context)

    def rows(self):
        data, flows = self.data, self.data.flows
        yield Line(("I", "SỐ DƯ ĐẦU KỲ", None, flows.opening), name="opening", bold=True)
        yield Heading("THU TRONG KỲ (theo nguồn)", "II")
        for number, item in enumerate(data.receipts, start=1):
            yield (str(number), item.label, item.count, item.amount)
        yield Subtotal("Cộng thu trong kỳ", name="receipts")
        yield Heading("CHI TRONG KỲ (theo loại hỗ trợ)", "III")
        for number, item in enumerate(data.spending, start=1):
            yield (str(number), item.label, item.count, item.amount)
        yield Subtotal("Cộng chi trong kỳ", name="spending")
        yield Line(
            (
                "IV",
                "SỐ DƯ CUỐI KỲ (= I + II − III)",
                None,
                Formula("=D{opening}+D{receipts}-D{spending}"),
            ),
            name="closing",
            bold=True,
        )
        yield Line(("", "Số dư cuối kỳ theo sổ quỹ", None, flows.closing), name="book")
        yield Line(
            ("", "Kiểm tra: chênh lệch (phải bằng 0)", None, Formula("=D{closing}-D{book}")),
            italic=True,
        )
        yield Heading("HỘ ĐƯỢC HỖ TRỢ TỪ QUỸ TRONG KỲ (theo phân loại hộ)", "V")
        for number, item in enumerate(data.households, start=1):
            yield (str(number), item.label, item.count, item.amount)
        yield Subtotal("Cộng")
        yield Heading("HỖ TRỢ TRỰC TIẾP CHO HỘ (không qua Quỹ, không tính vào số dư)", "VI")
        for number, item in enumerate(data.direct, start=1):
            yield (str(number), item.label, item.count, item.amount)
        yield Subtotal("Cộng hỗ trợ trực tiếp")

    def footer_lines(self):
        flows = self.data.flows
        lines = [
            f"Số dư cuối kỳ bằng chữ: {amount_in_words(flows.closing)}.",
            "Thu trong kỳ = các khoản thu theo biên nhận trừ các biên nhận bị hủy trong kỳ "
            "(bút toán đảo); chi trong kỳ = các khoản chi hỗ trợ đã ghi sổ quỹ.",
        ]
        if flows.voided_count:
            lines.append(
                f"Trong kỳ có {flows.voided_count} biên nhận bị hủy, đã trừ "
                f"{format_dong(-flows.voided_amount)} khỏi số thu."
            )
        if flows.voided_later_count:
            lines.append(
                f"{flows.voided_later_count} biên nhận lập trong kỳ đã bị hủy sau kỳ "
                f"({format_dong(flows.voided_later_amount)}): số tiền này được trừ ở kỳ hủy."
            )
        if flows.transfers_net:
            lines.append(
                "Chuyển tiền giữa các tài khoản của Quỹ chênh lệch "
                f"{format_dong(flows.transfers_net)} (phải bằng 0): đề nghị kiểm tra sổ quỹ."
            )
        if not self.data.balanced:
            lines.append("CẢNH BÁO: số dư tính theo thu chi không khớp số dư theo sổ quỹ.")
        return lines
