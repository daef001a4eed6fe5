"""Reads of money in for the reports (lddh/reports): the fund's flows over a period from
its ledger, and the rows of the donor book and the receipt register, streamed as tuples
(``values_list`` + ``iterator``: no model instance and no query per row).

Reports are for the ward's reading roles and the level above; the views check that, so
these take no Access (a leader can never reach them). The rows carry the donor's wish to
stay anonymous: the level above's copy is written without the names (lddh/reports)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from donations.models import (
    DIRECT_SERIES,
    DayTotal,
    Donation,
    Fund,
    LedgerEntry,
    Receipt,
    ReceiptCounter,
    SignedChainHead,
)
from donations.selectors.balances import Movements, fund_movements
from lddh.ward.vocab import DonorSource

CHUNK = 2000

__all__ = [
    "DONOR_ROW_FIELDS",
    "ChainHead",
    "FundFlows",
    "SeriesInfo",
    "chain_heads",
    "direct_support_by_source",
    "donor_row_count",
    "donor_rows",
    "fund_flows",
    "latest_signed_heads",
    "receipt_series",
    "series_rows",
]


@dataclass
class FundFlows(Movements):
    """A fund's books over a period (Movements: every figure positive, adding up on its
    face) with the receipts split by donor source, the receipts of the period voided
    after its end, and what of the period's receipts is still valid ("Đã vận động vào
    Quỹ" of the period: received − voided, in the period or after it)."""

    receipts: dict[str, tuple[int, int]] = field(default_factory=dict)  # source → (n, đồng)
    voided_later_count: int = 0  # receipts of the period reversed after its end
    voided_later_amount: int = 0
    raised: int = 0
    raised_count: int = 0


def fund_flows(fund: Fund, start: datetime.date, end: datetime.date) -> FundFlows:
    """Opening and closing balances and the period's movements: four queries, three of
    them over the per-day totals.

    Receipts are the receipt entries of the period, whole; the void reversals dated in
    the period are a line of their own (a receipt voided later is reversed in the later
    period, as the books do); spending is the payment entries; transfers between the
    fund's accounts come in and go out by the same amount."""
    movements = fund_movements(fund, start, end)
    flows = FundFlows(**vars(movements))
    totals = DayTotal.objects.filter(kind=DayTotal.Kind.LEDGER, fund_id=fund.pk)
    rows = (
        totals.filter(date__gte=start, date__lte=end, status=LedgerEntry.Kind.RECEIPT)
        .values_list("source")
        .annotate(c=Sum("n"), s=Sum("amount"))
        .order_by()
    )
    receipts: dict[str, list[int]] = {value: [0, 0] for value in DonorSource.values}
    for source, n, amount in rows:
        line = receipts.setdefault(source or DonorSource.OTHER, [0, 0])
        line[0] += int(n)
        line[1] += int(amount)
    flows.receipts = {source: (n, amount) for source, (n, amount) in receipts.items()}
    later = LedgerEntry.objects.filter(
        fund=fund,
        kind=LedgerEntry.Kind.VOID,
        date__gt=end,
        reverses__date__gte=start,
        reverses__date__lte=end,
    ).aggregate(n=Count("pk"), s=Coalesce(Sum("amount"), 0))
    flows.voided_later_count, flows.voided_later_amount = later["n"], -later["s"]
    valid = DayTotal.objects.filter(
        kind=DayTotal.Kind.DONATION,
        fund_id=fund.pk,
        purpose=Donation.Purpose.FUND,
        status=Donation.Status.VALID,
        date__gte=start,
        date__lte=end,
    ).aggregate(n=Coalesce(Sum("n"), 0), s=Coalesce(Sum("amount"), 0))
    flows.raised, flows.raised_count = int(valid["s"]), int(valid["n"])
    return flows


@dataclass(frozen=True)
class ChainHead:
    """The hash of a fund's latest ledger entry: it seals entries 1..sequence, so a
    printed head lets anyone check later that none of them was changed."""

    fund_code: str
    fund_name: str
    sequence: int
    hash: str

    @property
    def line(self) -> str:
        return f"Mã kiểm tra sổ quỹ {self.fund_code}: {self.hash}, đến bút toán số {self.sequence}."


def chain_heads(fund: Fund | None = None) -> list[ChainHead]:
    """The chain head of one fund, or of every fund that has entries: one query (the
    last entry per fund through the unique (fund, sequence) index)."""
    last = LedgerEntry.objects.filter(fund=OuterRef("pk")).order_by("-sequence")
    funds = Fund.objects.all() if fund is None else Fund.objects.filter(pk=fund.pk)
    rows = (
        funds.annotate(
            head_sequence=Subquery(last.values("sequence")[:1]),
            head_hash=Subquery(last.values("hash")[:1]),
        )
        .filter(head_sequence__isnull=False)
        .order_by("order", "pk")
        .values_list("code", "name", "head_sequence", "head_hash")
    )
    return [ChainHead(*row) for row in rows]


def latest_signed_heads() -> list[SignedChainHead]:
    """The latest signed chain head of each fund, in the funds' order: one query."""
    latest = (
        SignedChainHead.objects.filter(fund=OuterRef("fund")).order_by("-sequence").values("pk")
    )
    return list(
        SignedChainHead.objects.filter(pk=Subquery(latest[:1]))
        .defer("prefixes")
        .order_by("fund__order", "fund_id")
    )


def direct_support_by_source(
    start: datetime.date, end: datetime.date, *, campaign=None
) -> dict[str, tuple[int, int]]:
    """Valid direct support (straight to a household, never in a fund) by donor source."""
    qs = DayTotal.objects.filter(
        kind=DayTotal.Kind.DONATION,
        purpose=Donation.Purpose.DIRECT,
        status=Donation.Status.VALID,
        date__gte=start,
        date__lte=end,
    )
    if campaign is not None:
        qs = qs.filter(campaign_id=campaign.pk)
    rows = qs.values_list("source").annotate(c=Sum("n"), s=Sum("amount")).order_by()
    return {source: (int(n), int(amount)) for source, n, amount in rows if n}


# --------------------------------------------------------------------------- donor book


def _source_order() -> Case:
    return Case(
        *(When(donor__source=value, then=Value(i)) for i, value in enumerate(DonorSource.values)),
        default=Value(len(DonorSource.values)),
        output_field=IntegerField(),
    )


DONOR_ROW_FIELDS = (
    "receipt__number",
    "date",
    "donor__name",
    "donor__representative",
    "donor__source",
    "channel",
    "amount",
    "status",
    "approved_void__reason",
    "credited_group__name",
    "donor__anonymous",
)


def _donations(fund: Fund, start: datetime.date, end: datetime.date, campaign=None):
    qs = Donation.objects.filter(
        purpose=Donation.Purpose.FUND, fund=fund, date__gte=start, date__lte=end
    )
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs


def donor_row_count(fund: Fund, start: datetime.date, end: datetime.date, campaign=None) -> int:
    return _donations(fund, start, end, campaign).count()


def donor_rows(
    fund: Fund, start: datetime.date, end: datetime.date, campaign=None
) -> Iterator[tuple]:
    """Every donation to the fund dated in the period, by source (the report's order),
    then date and receipt number: tuples of DONOR_ROW_FIELDS, streamed in chunks."""
    return (
        _donations(fund, start, end, campaign)
        .annotate(
            source_order=_source_order(),
            approved_void=FilteredRelation("voids", condition=Q(voids__status="approved")),
        )
        .order_by("source_order", "date", "receipt__seq", "pk")
        .values_list(*DONOR_ROW_FIELDS)
        .iterator(chunk_size=CHUNK)
    )


# --------------------------------------------------------------------------- receipts


@dataclass(frozen=True)
class SeriesInfo:
    series: str
    year: int
    counter_last: int  # the last number the counter handed out (0: none)
    issued: int
    voided: int
    valid_amount: int


def receipt_series(fund: Fund, years: list[int]) -> list[SeriesInfo]:
    """The fund's series and the direct-support series for each year: two queries."""
    series = [fund.code, DIRECT_SERIES]
    counters = {
        (s, y): last
        for s, y, last in ReceiptCounter.objects.filter(
            series__in=series, year__in=years
        ).values_list("series", "year", "last")
    }
    stats = {
        (s, y): (n, v, a)
        for s, y, n, v, a in Receipt.objects.filter(series__in=series, year__in=years)
        .values_list("series", "year")
        .annotate(
            n=Count("pk"),
            v=Count("pk", filter=Q(status=Receipt.Status.VOIDED)),
            a=Coalesce(Sum("amount", filter=Q(status=Receipt.Status.ISSUED)), 0),
        )
        .order_by()
    }
    result = []
    for year in years:
        for name in series:
            n, v, a = stats.get((name, year), (0, 0, 0))
            last = counters.get((name, year), 0)
            if n or last or name == fund.code:
                result.append(SeriesInfo(name, year, last, n, v, a))
    return result


SERIES_ROW_FIELDS = (
    "seq",
    "number",
    "date",
    "donor_name",
    "purpose_label",
    "amount",
    "status",
    "voided_at",
    "approved_void__reason",
    "donor_display_name",
    "donation__donor__anonymous",
)


def series_rows(series: str, year: int) -> Iterator[tuple]:
    """Every receipt of one series and year in number order (SERIES_ROW_FIELDS)."""
    return (
        Receipt.objects.filter(series=series, year=year)
        .annotate(
            approved_void=FilteredRelation(
                "donation__voids", condition=Q(donation__voids__status="approved")
            )
        )
        .order_by("seq")
        .values_list(*SERIES_ROW_FIELDS)
        .iterator(chunk_size=CHUNK)
    )
