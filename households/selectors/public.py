"""Public reads of money out, for the residents' disclosure pages (no household is ever named).

Households appear only as counts, or, when the household consented, as the pseudonym of
Household.public_pseudonym() ("Hộ bà N.T.H., tổ 5"). Never a name, an address, a CCCD,
health details or the circumstances: the queries select only counts, sums, categories
and group numbers. Only paid supports count (money actually spent or goods handed over).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth

from campaigns.models import Campaign
from households.models import Household, Support, SupportCategory, SupportSource

__all__ = [
    "ConsentedSupport",
    "Spending",
    "SpendingLine",
    "consented_supports",
    "last_handover_day",
    "paid_supports",
    "spending",
    "spending_by_period",
]


@dataclass
class SpendingLine:
    label: str
    households: int = 0
    supports: int = 0
    fund: int = 0  # paid from the fund (the ledger's payments)
    direct: int = 0  # direct support of donors, handed over through the ward
    programme: int = 0  # other programmes and sources

    @property
    def total(self) -> int:
        return self.fund + self.direct + self.programme


@dataclass
class Spending:
    by_category: list[SpendingLine] = field(default_factory=list)
    by_group: list[SpendingLine] = field(default_factory=list)
    households: int = 0
    supports: int = 0
    fund: int = 0
    direct: int = 0
    programme: int = 0
    last_day: datetime.date | None = None

    @property
    def total(self) -> int:
        return self.fund + self.direct + self.programme


@dataclass(frozen=True)
class ConsentedSupport:
    pseudonym: str
    category: str
    date: datetime.date
    amount: int


def paid_supports(
    *,
    campaign: Campaign | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[Support]:
    """Paid supports of a campaign, or handed over between two dates (or both)."""
    qs = Support.objects.filter(status=Support.Status.PAID)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if start is not None:
        qs = qs.filter(handover_date__gte=start)
    if end is not None:
        qs = qs.filter(handover_date__lte=end)
    return qs


def _sums() -> dict:
    return {
        "households": Count("household", distinct=True),
        "supports": Count("pk"),
        "fund": Coalesce(Sum("amount", filter=Q(source=SupportSource.FUND)), 0),
        "direct": Coalesce(Sum("amount", filter=Q(source=SupportSource.DIRECT)), 0),
        "programme": Coalesce(Sum("amount", filter=Q(source=SupportSource.PROGRAMME)), 0),
    }


def _line(label: str, row: dict) -> SpendingLine:
    return SpendingLine(
        label=label,
        households=row["households"],
        supports=row["supports"],
        fund=row["fund"],
        direct=row["direct"],
        programme=row["programme"],
    )


def spending(
    *,
    campaign: Campaign | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Spending:
    """Paid support by category (report order) and by residential group: three queries."""
    qs = paid_supports(campaign=campaign, start=start, end=end)
    rows = {r["category"]: r for r in qs.values("category").annotate(**_sums()).order_by()}
    result = Spending(
        by_category=[
            _line(label, rows[value]) for value, label in SupportCategory.choices if value in rows
        ]
    )
    for row in qs.values("group__number").annotate(**_sums()).order_by("group__number"):
        result.by_group.append(_line(f"Tổ {row['group__number']}", row))
    totals = qs.aggregate(**_sums())
    result.households = totals["households"]
    result.supports = totals["supports"]
    result.fund, result.direct, result.programme = (
        totals["fund"],
        totals["direct"],
        totals["programme"],
    )
    return result


def consented_supports(campaign: Campaign) -> list[ConsentedSupport]:
    """The paid supports of households that agreed to appear, pseudonymised."""
    labels = dict(SupportCategory.choices)
    qs = (
        paid_supports(campaign=campaign)
        .filter(household__public_consent=True)
        .select_related("household__group")
        .only(
            "category",
            "amount",
            "handover_date",
            "household__head_name",
            "household__head_title",
            "household__public_consent",
            "household__group__number",
        )
        .order_by("handover_date", "pk")
    )
    result = []
    for support in qs:
        household: Household = support.household
        pseudonym = household.public_pseudonym()
        if pseudonym:
            result.append(
                ConsentedSupport(
                    pseudonym=pseudonym,
                    category=labels.get(support.category, support.category),
                    date=support.handover_date,
                    amount=support.amount,
                )
            )
    return result


def spending_by_period(
    *, campaign: Campaign, start: datetime.date, end: datetime.date, monthly: bool
) -> list[tuple[datetime.date, str, int, int, int]]:
    """(day or first of month, category label, households, supports, amount) rows of
    the paid supports handed over between start and end, for the public downloads."""
    labels = dict(SupportCategory.choices)
    order = {value: i for i, value in enumerate(SupportCategory.values)}
    qs = paid_supports(campaign=campaign, start=start, end=end)
    period = TruncMonth("handover_date") if monthly else F("handover_date")
    rows = (
        qs.annotate(period=period)
        .values("period", "category")
        .annotate(
            households=Count("household", distinct=True),
            supports=Count("pk"),
            amount=Coalesce(Sum("amount"), 0),
        )
        .order_by()
    )
    ordered = sorted(rows, key=lambda r: (r["period"], order.get(r["category"], len(order))))
    return [
        (
            row["period"],
            labels.get(row["category"], row["category"]),
            row["households"],
            row["supports"],
            row["amount"],
        )
        for row in ordered
    ]


def last_handover_day(campaign: Campaign) -> datetime.date | None:
    return (
        paid_supports(campaign=campaign)
        .order_by("-handover_date")
        .values_list("handover_date", flat=True)
        .first()
    )
