"""Money out: the support list and the households supported (official category ×
support category × residential group). Every source of support is listed (the fund,
direct support of donors, programmes), each row saying which."""

from __future__ import annotations

from households.models import Category, Support, SupportCategory, SupportForm, SupportSource
from households.selectors.reports import (
    DIFFICULT,
    household_kind,
    support_rows,
    supported_households_per_group,
    supported_matrix,
    supports_in_period,
)
from lddh.reports.exports.base import ReportExport
from lddh.reports.exports.render import Heading, Subtotal
from lddh.ward.exports import Column

KIND_LABELS = {
    **dict(Category.choices),
    DIFFICULT: "Hộ có hoàn cảnh đặc biệt khó khăn",
}
KIND_ORDER = [c for c in Category.values if c != Category.NONE] + [DIFFICULT, Category.NONE]
CATEGORY_LABELS = dict(SupportCategory.choices)
FORM_LABELS = dict(SupportForm.choices)
SOURCE_LABELS = {
    SupportSource.FUND: "Quỹ",
    SupportSource.DIRECT: "Hỗ trợ trực tiếp",
    SupportSource.PROGRAMME: "Chương trình khác",
}
STATUS_LABELS = dict(Support.Status.choices)


def _supports(context):
    period = context.period
    return supports_in_period(period.start, period.end, campaign=period.campaign)


class SupportList(ReportExport):
    title = "Danh sách hỗ trợ hộ gia đình"
    sheet_name = "Danh sách hỗ trợ"
    filename = "danh-sach-ho-tro"
    uses_fund = False
    named_columns = ("Họ tên chủ hộ", "Nội dung hỗ trợ")

    def columns_for(self):
        columns = [
            Column("STT", "seq", 6),
            Column("Họ tên chủ hộ", "text", 24),
            Column("Phân loại hộ", "text", 16),
            Column("Loại hỗ trợ", "text", 20),
            Column("Hình thức", "text", 11),
            Column("Nguồn", "text", 12),
            Column("Nội dung hỗ trợ", "text", 28),
            Column("Quyết định số", "text", 13),
            Column("Ngày quyết định", "date", 11),
            Column("Số tiền / trị giá (đồng)", "money", 15, total=True),
            Column("Trạng thái", "text", 14),
            Column("Ngày chi / bàn giao", "date", 11),
            Column("Biên bản số", "text", 12),
            Column("Đã chi / bàn giao (đồng)", "money", 15, total=True),
        ]
        if not self.context.names_people:
            columns = [c for c in columns if c.header not in self.named_columns]
        return columns

    def subtitle_lines(self):
        return [
            *super().subtitle_lines(),
            "Gồm các khoản đang chờ duyệt, đã duyệt và đã chi (không gồm khoản không duyệt "
            "hoặc đã hủy); khoản đã chi tính theo ngày chi / bàn giao.",
        ]

    def rows(self):
        names = self.context.names_people
        current, current_name = None, ""
        for number, row in enumerate(support_rows(_supports(self.context)), start=1):
            (
                group_number,
                group_name,
                head_name,
                category,
                difficult,
                support_category,
                form,
                source,
                description,
                decision_number,
                decision_date,
                amount,
                status,
                handover_date,
                handover_number,
            ) = row
            if group_number != current:
                if current is not None:
                    yield Subtotal(f"Cộng {current_name}")
                current, current_name = group_number, group_name
                yield Heading(group_name)
            paid = status == Support.Status.PAID
            values = [number]
            if names:
                values.append(head_name)
            values += [
                KIND_LABELS[household_kind(category, difficult)],
                CATEGORY_LABELS.get(support_category, support_category),
                FORM_LABELS.get(form, form),
                SOURCE_LABELS.get(source, source),
            ]
            if names:
                values.append(description)
            values += [
                decision_number,
                decision_date,
                amount,
                STATUS_LABELS.get(status, status),
                handover_date,
                handover_number,
                amount if paid else None,
            ]
            yield values
        if current is not None:
            yield Subtotal(f"Cộng {current_name}")


class HouseholdsSupported(ReportExport):
    title = "Tổng hợp hộ được hỗ trợ"
    sheet_name = "Hộ được hỗ trợ"
    filename = "tong-hop-ho-duoc-ho-tro"
    uses_fund = False
    columns = (
        Column("STT", "seq", 6),
        Column("Phân loại hộ", "text", 34),
        Column("Loại hỗ trợ", "text", 30),
        Column("Số hộ", "int", 10),
        Column("Số lượt hỗ trợ", "int", 12, total=True),
        Column("Số tiền / trị giá (đồng)", "money", 18, total=True),
    )

    def subtitle_lines(self):
        return [
            *super().subtitle_lines(),
            "Các khoản đã chi / bàn giao, từ mọi nguồn (Quỹ, hỗ trợ trực tiếp, chương trình "
            "khác), theo tổ dân phố, phân loại hộ và loại hỗ trợ.",
        ]

    def rows(self):
        supports = _supports(self.context)
        per_group = supported_households_per_group(supports)
        kind_rank = {kind: i for i, kind in enumerate(KIND_ORDER)}
        category_rank = {c: i for i, c in enumerate(SupportCategory.values)}
        matrix = sorted(
            supported_matrix(supports),
            key=lambda r: (r.group_number, kind_rank[r.kind], category_rank.get(r.category, 99)),
        )
        self.households = 0
        current, current_name = None, ""
        for number, row in enumerate(matrix, start=1):
            if row.group_number != current:
                if current is not None:
                    yield Subtotal(f"Cộng {current_name}", values={3: per_group[current]})
                current, current_name = row.group_number, row.group_name
                yield Heading(row.group_name)
            yield (
                number,
                KIND_LABELS[row.kind],
                CATEGORY_LABELS.get(row.category, row.category),
                row.households,
                row.supports,
                row.amount,
            )
        if current is not None:
            yield Subtotal(f"Cộng {current_name}", values={3: per_group[current]})
        self.households = sum(per_group.values())

    def footer_lines(self):
        return [
            f"Tổng số hộ được hỗ trợ: {self.households} hộ "
            "(một hộ nhận nhiều loại hỗ trợ được tính một lần)."
        ]
