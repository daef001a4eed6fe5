"""What every report shares: the issuing body's header, the period and date lines, and
the signature blocks of a ward report."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from campaigns.models import Campaign
from donations.models import Fund
from donations.selectors.reports import chain_heads
from lddh.reports.periods import Period
from lddh.ward.dates import date_line
from lddh.ward.exports import Export
from lddh.ward.models import DEFAULT_SIGNATORY, WardProfile

DEFAULT_HEADER = ("ỦY BAN MTTQ VIỆT NAM", "BAN THƯỜNG TRỰC")


@dataclass(frozen=True)
class ReportContext:
    """Everything a report needs besides its own data, fixed when it is asked for."""

    period: Period
    fund: Fund | None
    today: datetime.date
    ward: WardProfile | None = None
    names_people: bool = True  # False for the level above: counts only, no one named
    campaign: Campaign | None = None  # the campaign chosen (the progress report needs one)


class ReportExport(Export):
    """A ward report: subclasses set title, sheet_name, filename, columns and rows()."""

    def __init__(self, context: ReportContext):
        self.context = context

    # -------------------------------------------------------------- the page around

    def header_lines(self) -> Sequence[str]:
        ward = self.context.ward
        return ward.header_line_list if ward else DEFAULT_HEADER

    def nation_lines(self) -> Sequence[str]:
        ward = self.context.ward
        if ward is None:
            return super().nation_lines()
        return (ward.nation_line, ward.motto_line)

    def date_line(self) -> str:
        ward = self.context.ward
        return date_line(ward.place_name if ward else "Hà Nội", self.context.today)

    def subtitle_lines(self) -> Sequence[str]:
        lines = [f"Kỳ báo cáo: {self.context.period.label}"]
        if self.context.fund is not None and self.uses_fund:
            lines.append(f"Quỹ: {self.context.fund.name}")
        return lines

    uses_fund = True
    chained = False
    """Money reports print the ledger's chain head under their footer, so that a later
    change to the ledger shows."""

    def chain_lines(self) -> list[str]:
        """One line per fund (the report's fund, or every fund when none is chosen): its
        chain head as the ledger stands when the report is made, see ChainHead.line."""
        if not self.chained:
            return []
        return [head.line for head in chain_heads(self.context.fund)]

    def signatures(self) -> Sequence[tuple[str, str]]:
        """The preparer and the accountant named in the ward profile, then its
        signatory (WardProfile.report_signatures); blank boxes without a profile."""
        ward = self.context.ward
        if ward is None:
            return (("NGƯỜI LẬP BIỂU", ""), ("KẾ TOÁN", ""), (DEFAULT_SIGNATORY, ""))
        return tuple(ward.report_signatures(self.context.today))

    @property
    def period(self) -> Period:
        return self.context.period
