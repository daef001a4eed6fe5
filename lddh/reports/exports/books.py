"""The ward's own books: the donor book (sổ theo dõi ủng hộ) and the receipt register
(sổ biên nhận) with its check that no number of a series is missing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from donations.models import ANONYMOUS_NAME, DIRECT_SERIES, Donation, Receipt
from donations.selectors.reports import (
    SeriesInfo,
    donor_row_count,
    donor_rows,
    receipt_series,
    series_rows,
)
from lddh.reports.exports.base import ReportExport
from lddh.reports.exports.render import Heading, Line, Subtotal
from lddh.ward.exports import Column
from lddh.ward.money import amount_in_words, format_dong, format_number
from lddh.ward.vocab import DonorSource

SOURCE_LABELS = dict(DonorSource.choices)
CHANNEL_LABELS = dict(Donation.Channel.choices)
VOIDED = Donation.Status.VOIDED


# ---------------------------------------------------------------------------- donor book


@dataclass
class DonorRow:
    number: int
    receipt: str
    date: object
    donor: str
    group: str
    channel: str
    amount: int | None  # None for a voided receipt
    note: str


@dataclass
class SourceBlock:
    source: str
    label: str
    rows: list[DonorRow] = field(default_factory=list)
    count: int = 0
    total: int = 0


def donor_book(context) -> Iterator[tuple[str, DonorRow]]:
    """(source, row) for every donation to the fund in the period, in the report's order:
    the one stream both the Excel and the PDF are written from."""
    for source, cells in donor_book_cells(context):
        yield source, DonorRow(*cells)


def donor_book_cells(context) -> Iterator[tuple[str, tuple]]:
    """donor_book with each row as a plain tuple of the DonorRow fields, in order (the
    Excel export's hot loop: no object per row)."""
    period = context.period
    rows = donor_rows(context.fund, period.start, period.end, campaign=None)
    channels = CHANNEL_LABELS
    names = context.names_people
    for number, row in enumerate(rows, start=1):
        (receipt, day, name, representative, source, channel, amount, status, reason, group,
         anonymous) = row  # fmt: skip
        if anonymous and not names:
            donor = ANONYMOUS_NAME
        else:
            donor = f"{name} (đại diện: {representative})" if representative else name
        if status == VOIDED:
            note = f"Biên nhận đã hủy, không tính số tiền {format_dong(amount)}"
            # A void's reason is free text that may name people: not for the level above.
            note += f": {reason}" if reason and names else ""
            shown = None
        else:
            note, shown = "", amount
        channel = channels[channel]
        yield source, (number, receipt or "", day, donor, group or "", channel, shown, note)


def donor_blocks(context, limit: int) -> tuple[list[SourceBlock], int]:
    """The donor book grouped by source for the PDF, at most `limit` rows; also the
    number of rows in the period (the caller refuses a PDF above the limit)."""
    period = context.period
    count = donor_row_count(context.fund, period.start, period.end)
    if count > limit:
        return [], count
    blocks: dict[str, SourceBlock] = {}
    for source, row in donor_book(context):
        block = blocks.setdefault(source, SourceBlock(source, SOURCE_LABELS.get(source, source)))
        block.rows.append(row)
        if row.amount is not None:
            block.count += 1
            block.total += row.amount
    return list(blocks.values()), count


class DonorList(ReportExport):
    title = "Sổ theo dõi ủng hộ Quỹ “Vì người nghèo”"
    sheet_name = "Sổ theo dõi ủng hộ"
    filename = "so-theo-doi-ung-ho"
    chained = True
    columns = (
        Column("STT", "seq", 7),
        Column("Số biên nhận", "text", 17),
        Column("Ngày", "date", 11),
        Column("Người ủng hộ", "text", 34),
        Column("Tổ dân phố", "text", 12),
        Column("Hình thức", "text", 16),
        Column("Số tiền (đồng)", "money", 16, total=True),
        Column("Ghi chú", "text", 30),
    )

    def rows(self):
        self.count = self.voided = self.total = 0
        current = None
        for source, cells in donor_book_cells(self.context):
            if source != current:
                if current is not None:
                    yield Subtotal(f"Cộng {SOURCE_LABELS.get(current, current)}")
                current = source
                position = DonorSource.values.index(source) + 1 if source in SOURCE_LABELS else ""
                yield Heading(f"{position}. {SOURCE_LABELS.get(source, source)}")
            if cells[6] is None:
                self.voided += 1
            else:
                self.count += 1
                self.total += cells[6]
            yield cells
        if current is not None:
            yield Subtotal(f"Cộng {SOURCE_LABELS.get(current, current)}")

    def footer_lines(self):
        lines = [
            f"Tổng số {format_number(self.count)} khoản ủng hộ hợp lệ, "
            f"bằng chữ: {amount_in_words(self.total)}."
        ]
        if self.voided:
            lines.append(f"{self.voided} biên nhận đã hủy được ghi để đối chiếu, không tính tiền.")
        lines.append("Không gồm hỗ trợ trực tiếp cho hộ (không qua Quỹ).")
        return lines


# ---------------------------------------------------------------------------- register


def series_label(info: SeriesInfo, fund) -> str:
    what = "hỗ trợ trực tiếp" if info.series == DIRECT_SERIES else fund.name
    return f"Sê-ri {info.series} năm {info.year} – {what}"


def gap_text(series: str, year: int, gaps: list[tuple[int, int]]) -> str:
    parts = []
    for first, last in gaps:
        a = Receipt.format_number(series, year, first)
        parts.append(a if first == last else f"{a} đến {Receipt.format_number(series, year, last)}")
    return "; ".join(parts)


class ReceiptRegister(ReportExport):
    title = "Sổ đăng ký biên nhận"
    sheet_name = "Sổ biên nhận"
    filename = "so-dang-ky-bien-nhan"
    chained = True
    nowrap = ("Nội dung",)  # the receipt's long purpose line, the same on most rows
    columns = (
        Column("Số biên nhận", "text", 18),
        Column("Ngày", "date", 11),
        Column("Người nộp", "text", 30),
        Column("Nội dung", "text", 36),
        Column("Số tiền (đồng)", "money", 15, total=True),
        Column("Số tiền biên nhận hủy (đồng)", "money", 15, total=True),
        Column("Trạng thái", "text", 10),
        Column("Ngày hủy", "date", 11),
        Column("Lý do hủy", "text", 30),
    )

    def subtitle_lines(self):
        years = ", ".join(str(y) for y in self.period.years)
        return [
            f"Năm {years}: toàn bộ các số đã cấp của sê-ri {self.context.fund.code} "
            f"({self.context.fund.name}) và sê-ri {DIRECT_SERIES} (hỗ trợ trực tiếp)",
        ]

    @staticmethod
    def counted_only(info: SeriesInfo, purpose: str, display_name: str, anonymous: bool):
        """The level above's copy: the donor as the public sees them (an anonymous donor
        is not named), a direct support without the household it went to, and no void
        reason (free text that may name people)."""
        donor = ANONYMOUS_NAME if anonymous else display_name
        if info.series == DIRECT_SERIES:
            purpose = "Hỗ trợ trực tiếp cho hộ gia đình"
        return donor, purpose, ""

    def rows(self):
        names = self.context.names_people
        self.results: list[tuple[SeriesInfo, list[tuple[int, int]], int]] = []
        for info in receipt_series(self.context.fund, self.period.years):
            yield Heading(series_label(info, self.context.fund))
            gaps: list[tuple[int, int]] = []
            expected = 1
            for row in series_rows(info.series, info.year):
                seq, number, day, donor, purpose, amount, status, voided_at, reason = row[:9]
                if not names:
                    donor, purpose, reason = self.counted_only(info, purpose, *row[9:])
                if seq > expected:
                    gaps.append((expected, seq - 1))
                    yield Line(
                        (f"THIẾU SỐ: {gap_text(info.series, info.year, [gaps[-1]])}",), bold=True
                    )
                expected = seq + 1
                voided = status == Receipt.Status.VOIDED
                yield (
                    number,
                    day,
                    donor,
                    purpose,
                    None if voided else amount,
                    amount if voided else None,
                    "Đã hủy" if voided else "Hợp lệ",
                    voided_at.date() if voided_at else None,
                    reason or "",
                )
            if info.counter_last >= expected:
                gaps.append((expected, info.counter_last))
                yield Line(
                    (
                        f"THIẾU SỐ: {gap_text(info.series, info.year, [gaps[-1]])} "
                        f"(bộ đếm đã cấp đến số {info.counter_last})",
                    ),
                    bold=True,
                )
            yield Subtotal(f"Cộng sê-ri {info.series}-{info.year}")
            last = max(info.counter_last, expected - 1)
            yield Line((self.series_sentence(info, gaps, last),), italic=True)
            self.results.append((info, gaps, last))

    @staticmethod
    def series_sentence(info: SeriesInfo, gaps: list[tuple[int, int]], last: int) -> str:
        if not info.issued and not last:
            return f"Sê-ri {info.series}-{info.year}: chưa cấp số nào."
        head = (
            f"Sê-ri {info.series}-{info.year}: {info.issued} số đã cấp "
            f"({info.voided} số đã hủy), từ số {1:06d} đến số {last:06d}"
        )
        if not gaps:
            return f"{head}: liên tục, không có số bị thiếu."
        return f"{head}: CÓ SỐ BỊ THIẾU – {gap_text(info.series, info.year, gaps)}."

    def footer_lines(self):
        return [self.series_sentence(*result) for result in self.results]
