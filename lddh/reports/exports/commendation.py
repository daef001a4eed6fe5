"""The commendation list (đề nghị khen thưởng) of a campaign or a calendar year as a sheet."""

from __future__ import annotations

from lddh.reports.commendation import CommendationRow
from lddh.reports.exports.base import ReportExport
from lddh.ward.exports import Column
from lddh.ward.money import format_dong


class CommendationList(ReportExport):
    title = "Danh sách đề nghị khen thưởng"
    sheet_name = "Đề nghị khen thưởng"
    filename = "de-nghi-khen-thuong"
    uses_fund = False
    columns = (
        Column("STT", "seq", 6),
        Column("Tên cá nhân, tập thể", "text", 34),
        Column("Địa chỉ, đơn vị", "text", 30),
        Column("Cá nhân / Tập thể", "text", 11),
        Column("Tổng số tiền ủng hộ (đồng)", "money", 18, total=True),
        Column("Số lần ủng hộ", "int", 9, total=True),
        Column("Hình thức đề nghị khen thưởng", "text", 32),
    )

    def __init__(self, context, rows: list[CommendationRow], rule):
        super().__init__(context)
        self.list_rows = rows
        self.rule = rule

    def subtitle_lines(self):
        return [
            (
                f"Chiến dịch: {self.context.campaign.name}"
                if self.context.campaign is not None
                else f"Năm {self.context.period.start.year}: các khoản ủng hộ ghi ngày trong "
                "năm dương lịch, mọi chiến dịch"
            ),
            f"Mức đề nghị: cá nhân từ {format_dong(self.rule.individual_min)}, cơ quan, "
            f"doanh nghiệp, tổ chức từ {format_dong(self.rule.organisation_min)}",
        ]

    def rows(self):
        for number, row in enumerate(self.list_rows, start=1):
            yield (
                number,
                row.donor.name,
                row.place,
                row.kind,
                row.total,
                row.count,
                row.form,
            )
