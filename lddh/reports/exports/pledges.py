"""Cam kết ủng hộ: what was pledged at the launch of the campaign and what has been paid
of it. The level above gets the figures only (counts and sums by status); the ward's
own roles also get one row per pledge with its receipts."""

from __future__ import annotations

from donations.selectors import pledge_report_rows, pledge_totals
from lddh.reports.exports.base import ReportExport
from lddh.reports.exports.render import Heading, Line
from lddh.ward.exports import Column


class PledgeReport(ReportExport):
    title = "Báo cáo cam kết ủng hộ"
    sheet_name = "Cam kết ủng hộ"
    filename = "cam-ket-ung-ho"
    uses_fund = False
    columns = (
        Column("STT", "text", 6),
        Column("Nội dung", "text", 48),
        Column("Số cam kết", "int", 10),
        Column("Cam kết (đồng)", "money", 18),
        Column("Đã nộp (đồng)", "money", 18),
        Column("Còn lại (đồng)", "money", 18),
        Column("Biên nhận", "text", 34),
    )
    label_column = 1

    def __init__(self, context):
        super().__init__(context)
        self.campaign = context.campaign
        self.totals = pledge_totals(self.campaign)
        self.rows_by_status = pledge_report_rows(self.campaign)

    def subtitle_lines(self):
        c = self.campaign
        return [
            f"{c.name} (từ ngày {c.start_date:%d/%m/%Y} đến ngày {c.end_date:%d/%m/%Y})",
            "Đã nộp: các khoản ủng hộ có biên nhận còn hiệu lực được tính vào cam kết "
            "(phần nộp vượt số cam kết không tính thêm). Cam kết đã hủy không tính.",
        ]

    def rows(self):
        t = self.totals
        yield Line(("", "TỔNG CỘNG", t.count, t.pledged, t.paid, t.remaining, ""), bold=True)
        yield Heading("THEO TRẠNG THÁI", "I")
        for number, group in enumerate(self.rows_by_status, start=1):
            yield (
                str(number),
                group.label,
                group.count,
                group.pledged,
                group.paid,
                group.pledged - group.paid,
                "",
            )
        if not self.context.names_people:
            return
        yield Heading("TỪNG CAM KẾT", "II")
        number = 0
        for group in self.rows_by_status:
            for pledge in group.pledges:
                number += 1
                yield (
                    str(number),
                    f"{pledge.transfer_note} – {pledge.donor.name} ({group.label.lower()})",
                    1,
                    pledge.amount,
                    min(pledge.paid, pledge.amount),
                    pledge.remaining,
                    ", ".join(pledge.receipt_numbers),
                )
