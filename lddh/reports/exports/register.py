"""The household register and its needs per residential group. The ward's own roles get
the list with the heads' names (never CCCD, phone or health notes: a report does not
need them); the level above gets the counts only."""

from __future__ import annotations

from django.db.models import Q

from households.models import Household, NeedType
from households.selectors.reports import (
    household_kind,
    needs_by_type,
    register_members,
    register_needs,
    register_rows,
    register_summary,
)
from lddh.reports.exports.base import ReportExport
from lddh.reports.exports.render import Heading, Subtotal
from lddh.reports.exports.support import KIND_LABELS
from lddh.ward.exports import Column
from lddh.ward.models import ResidentialGroup

NEED_LABELS = dict(NeedType.choices)


def register_groups(context) -> list[ResidentialGroup]:
    """Groups in force today and any group that still has households on the register."""
    in_force = ResidentialGroup.objects.valid_on(context.today).values("pk")
    with_households = Household.objects.active().values("group_id")
    return list(
        ResidentialGroup.objects.filter(Q(pk__in=in_force) | Q(pk__in=with_households)).order_by(
            "number", "pk"
        )
    )


class _RegisterExport(ReportExport):
    uses_fund = False

    def subtitle_lines(self):
        return [f"Danh sách hộ đang theo dõi tại ngày {self.context.today:%d/%m/%Y}"]


class HouseholdList(_RegisterExport):
    title = "Danh sách hộ gia đình và nhu cầu hỗ trợ"
    sheet_name = "Danh sách hộ"
    filename = "danh-sach-ho-va-nhu-cau"
    columns = (
        Column("STT", "seq", 6),
        Column("Họ tên chủ hộ", "text", 24),
        Column("Năm sinh", "seq", 8),
        Column("Địa chỉ", "text", 28),
        Column("Phân loại hộ", "text", 20),
        Column("Số nhân khẩu", "int", 9),
        Column("Nhu cầu chưa đáp ứng", "text", 36),
        Column("Số nhu cầu", "int", 9),
        Column("Dự toán (đồng)", "money", 15, total=True),
    )

    def rows(self):
        members = register_members()
        needs = register_needs()
        pending = next(needs, None)
        current, current_name = None, ""
        for number, row in enumerate(register_rows(), start=1):
            pk, group_number, group_name, head, birth_year, address, category, difficult = row
            if group_number != current:
                if current is not None:
                    yield Subtotal(f"Cộng {current_name}")
                current, current_name = group_number, group_name
                yield Heading(group_name)
            types, cost = [], 0
            while pending is not None and pending[0] == pk:
                types.append(NEED_LABELS.get(pending[1], pending[1]))
                cost += pending[2]
                pending = next(needs, None)
            yield (
                number,
                head,
                birth_year,
                address,
                KIND_LABELS[household_kind(category, difficult)],
                members.get(pk, 0),
                "; ".join(types),
                len(types),
                cost,
            )
        if current is not None:
            yield Subtotal(f"Cộng {current_name}")


class RegisterSummary(_RegisterExport):
    title = "Tổng hợp hộ gia đình và nhu cầu theo tổ dân phố"
    sheet_name = "Tổng hợp theo tổ"
    filename = "tong-hop-ho-va-nhu-cau"
    columns = (
        Column("Tổ dân phố", "text", 16),
        Column("Số hộ", "int", 8, total=True),
        Column("Hộ nghèo", "int", 8, total=True),
        Column("Hộ cận nghèo", "int", 9, total=True),
        Column("Hộ có hoàn cảnh đặc biệt khó khăn", "int", 13, total=True),
        Column("Hộ khác", "int", 8, total=True),
        Column("Số nhân khẩu", "int", 9, total=True),
        Column("Số nhu cầu chưa đáp ứng", "int", 11, total=True),
        Column("Dự toán nhu cầu (đồng)", "money", 16, total=True),
    )

    def rows(self):
        for line in register_summary(register_groups(self.context)):
            yield (
                line.name,
                line.households,
                line.poor,
                line.near_poor,
                line.difficult,
                line.other,
                line.members,
                line.needs,
                line.needs_cost,
            )


class NeedsByType(_RegisterExport):
    title = "Tổng hợp nhu cầu hỗ trợ theo loại"
    sheet_name = "Nhu cầu theo loại"
    filename = "nhu-cau-theo-loai"
    columns = (
        Column("STT", "seq", 6),
        Column("Loại nhu cầu", "text", 34),
        Column("Số hộ có nhu cầu", "int", 12),
        Column("Số nhu cầu", "int", 10, total=True),
        Column("Dự toán (đồng)", "money", 18, total=True),
    )

    def rows(self):
        by_type = needs_by_type(register_groups(self.context))
        for number, (value, label) in enumerate(NeedType.choices, start=1):
            households, needs, cost = by_type.get(value, (0, 0, 0))
            yield (number, label, households, needs, cost)


def register_exports(context) -> list[ReportExport]:
    """The level above receives the counts only."""
    exports: list[ReportExport] = [RegisterSummary(context), NeedsByType(context)]
    if context.names_people:
        exports.insert(0, HouseholdList(context))
    return exports
