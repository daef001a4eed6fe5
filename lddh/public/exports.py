"""Public downloads: the donor list and the spending of one day or one month, as CSV or
XLSX through the shared renderer. Small files on purpose (never one giant
statement searched with Ctrl+F), and the same columns as the pages: no phone, address
or description."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from campaigns.models import Campaign
from donations.selectors.public import DonorFilters, public_donations, public_line
from households.selectors.public import spending_by_period
from lddh.ward.exports import Column, Export
from lddh.ward.models import WardProfile


class _Period:
    def __init__(self, campaign: Campaign, start: datetime.date, end: datetime.date, label: str):
        self.campaign = campaign
        self.start = start
        self.end = end
        self.label = label
        self.monthly = start != end

    def header_lines(self) -> Sequence[str]:
        ward = WardProfile.current(self.end)
        return ward.header_line_list if ward else ()

    def subtitle_lines(self) -> Sequence[str]:
        return (self.campaign.name, self.label)


class DonorListExport(_Period, Export):
    title = "Danh sách ủng hộ Quỹ “Vì người nghèo”"
    sheet_name = "Ủng hộ"
    columns = (
        Column("Ngày", "date", 12),
        Column("Số biên nhận", width=18),
        Column("Người ủng hộ", width=36),
        Column("Tổ dân phố / tổ chức", width=22),
        Column("Hình thức", width=22),
        Column("Số tiền (đồng)", "money", 16, total=True),
    )

    @property
    def filename(self) -> str:
        return f"ung-ho-{self.label_slug}"

    @property
    def label_slug(self) -> str:
        return self.start.strftime("%Y-%m") if self.monthly else self.start.isoformat()

    def rows(self) -> Iterable[Sequence[Any]]:
        filters = DonorFilters(date_from=self.start, date_to=self.end)
        for row in public_donations(self.campaign, filters).iterator(chunk_size=2000):
            line = public_line(row)
            yield (line.date, line.number, line.name, line.affiliation, line.channel, line.amount)


class SpendingExport(_Period, Export):
    title = "Chi hỗ trợ từ Quỹ “Vì người nghèo” và các nguồn"
    sheet_name = "Chi hỗ trợ"
    columns = (
        Column("Kỳ", width=12),
        Column("Loại hỗ trợ", width=34),
        Column("Số hộ", "int", 10),
        Column("Số lượt", "int", 10, total=True),
        Column("Số tiền / trị giá (đồng)", "money", 18, total=True),
    )

    @property
    def filename(self) -> str:
        slug = self.start.strftime("%Y-%m") if self.monthly else self.start.isoformat()
        return f"chi-ho-tro-{slug}"

    def rows(self) -> Iterable[Sequence[Any]]:
        rows = spending_by_period(
            campaign=self.campaign, start=self.start, end=self.end, monthly=self.monthly
        )
        for period, label, households, supports, amount in rows:
            shown = period.strftime("%m/%Y") if self.monthly else period.strftime("%d/%m/%Y")
            yield (shown, label, households, supports, amount)
