"""Reads of the register and of support for the reports (lddh/reports): aggregates in a
fixed number of queries and rows streamed as tuples (``values_list`` + ``iterator``).

The report views let only the roles that read everything in; whether names may appear
is the caller's decision (the level above receives counts only)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from donations.models import Fund, LedgerEntry
from households.models import Category, Household, Need, Support

CHUNK = 2000
DIFFICULT = "difficult"
"""The Front's working category: not officially recognised, especially difficult."""

__all__ = [
    "DIFFICULT",
    "REGISTER_ROW_FIELDS",
    "SUPPORT_ROW_FIELDS",
    "GroupSummary",
    "MatrixRow",
    "fund_spending_by_category",
    "fund_supported_by_household_kind",
    "household_kind",
    "needs_by_type",
    "register_members",
    "register_needs",
    "register_rows",
    "register_summary",
    "support_rows",
    "supported_households_per_group",
    "supported_matrix",
    "supports_in_period",
]


def household_kind(category: str, especially_difficult: bool) -> str:
    """The official category, or DIFFICULT for a household the Front works with without
    a recognised category."""
    if category == Category.NONE and especially_difficult:
        return DIFFICULT
    return category


# ---------------------------------------------------------------- the fund's spending


def _paid_from_fund(fund: Fund, start: datetime.date, end: datetime.date) -> QuerySet[Support]:
    return Support.objects.filter(
        ledger_entry__fund=fund,
        ledger_entry__kind=LedgerEntry.Kind.PAYMENT,
        ledger_entry__date__gte=start,
        ledger_entry__date__lte=end,
    )


def fund_spending_by_category(
    fund: Fund, start: datetime.date, end: datetime.date
) -> dict[str, tuple[int, int]]:
    """{support category: (count, đồng)} of the fund's payments dated in the period."""
    rows = (
        _paid_from_fund(fund, start, end)
        .values_list("category")
        .annotate(n=Count("pk"), s=Sum("ledger_entry__amount"))
        .order_by()
    )
    return {category: (n, -amount) for category, n, amount in rows}


def fund_supported_by_household_kind(
    fund: Fund, start: datetime.date, end: datetime.date
) -> dict[str, tuple[int, int]]:
    """{household kind: (households, đồng)} of the fund's payments in the period."""
    rows = (
        _paid_from_fund(fund, start, end)
        .values_list("household__category", "household__especially_difficult")
        .annotate(n=Count("household", distinct=True), s=Sum("ledger_entry__amount"))
        .order_by()
    )
    result: dict[str, tuple[int, int]] = {}
    for category, difficult, n, amount in rows:
        kind = household_kind(category, difficult)
        old_n, old_s = result.get(kind, (0, 0))
        result[kind] = (old_n + n, old_s - amount)
    return result


# ---------------------------------------------------------------- support lists


def supports_in_period(
    start: datetime.date, end: datetime.date, *, campaign=None
) -> QuerySet[Support]:
    """Supports that stand (proposed, approved, paid) of a campaign, or of a period:
    paid ones by their handover date, the others by the day they were proposed."""
    qs = Support.objects.filter(status__in=Support.STANDING)
    if campaign is not None:
        return qs.filter(campaign=campaign)
    return qs.annotate(proposed_day=TruncDate("proposed_at")).filter(
        Q(handover_date__gte=start, handover_date__lte=end)
        | Q(handover_date__isnull=True, proposed_day__gte=start, proposed_day__lte=end)
    )


SUPPORT_ROW_FIELDS = (
    "group__number",
    "group__name",
    "household__head_name",
    "household__category",
    "household__especially_difficult",
    "category",
    "form",
    "source",
    "description",
    "decision_number",
    "decision_date",
    "amount",
    "status",
    "handover_date",
    "handover_number",
)


def support_rows(qs: QuerySet[Support]) -> Iterator[tuple]:
    return (
        qs.order_by("group__number", "household__head_name", "household_id", "pk")
        .values_list(*SUPPORT_ROW_FIELDS)
        .iterator(chunk_size=CHUNK)
    )


@dataclass(frozen=True)
class MatrixRow:
    group_number: int
    group_name: str
    kind: str
    category: str
    households: int
    supports: int
    amount: int


def supported_matrix(qs: QuerySet[Support]) -> list[MatrixRow]:
    """Paid supports by residential group × household kind × support category (one
    query; at most groups × kinds × categories rows)."""
    rows = (
        qs.filter(status=Support.Status.PAID)
        .values_list(
            "group__number",
            "group__name",
            "household__category",
            "household__especially_difficult",
            "category",
        )
        .annotate(h=Count("household", distinct=True), n=Count("pk"), s=Sum("amount"))
        .order_by("group__number")
    )
    merged: dict[tuple, list[int]] = {}
    names: dict[int, str] = {}
    for number, name, category, difficult, support_category, h, n, s in rows:
        names[number] = name
        key = (number, household_kind(category, difficult), support_category)
        line = merged.setdefault(key, [0, 0, 0])
        line[0] += h
        line[1] += n
        line[2] += s
    return [
        MatrixRow(number, names[number], kind, category, h, n, s)
        for (number, kind, category), (h, n, s) in merged.items()
    ]


def supported_households_per_group(qs: QuerySet[Support]) -> dict[int, int]:
    """Distinct households with a paid support, per group number (a household with two
    kinds of support counts once)."""
    return dict(
        qs.filter(status=Support.Status.PAID)
        .values_list("group__number")
        .annotate(h=Count("household", distinct=True))
        .order_by()
    )


# ---------------------------------------------------------------- the register

REGISTER_ROW_FIELDS = (
    "pk",
    "group__number",
    "group__name",
    "head_name",
    "head_birth_year",
    "address",
    "category",
    "especially_difficult",
)
OPEN_NEEDS = (Need.Status.OPEN, Need.Status.PLANNED)


def _register(group_ids=None) -> QuerySet[Household]:
    qs = Household.objects.active()
    if group_ids is not None:
        qs = qs.filter(group_id__in=group_ids)
    return qs


def register_rows(group_ids=None) -> Iterator[tuple]:
    """Households on the register (active), by group and name (REGISTER_ROW_FIELDS)."""
    return (
        _register(group_ids)
        .order_by("group__number", "head_name", "pk")
        .values_list(*REGISTER_ROW_FIELDS)
        .iterator(chunk_size=CHUNK)
    )


def register_needs(group_ids=None) -> Iterator[tuple]:
    """Open needs (household pk, type, estimated cost) in the order of register_rows, so
    that the two streams merge without a query per household."""
    return (
        Need.objects.filter(household__in=_register(group_ids), status__in=OPEN_NEEDS)
        .order_by("household__group__number", "household__head_name", "household_id", "pk")
        .values_list("household_id", "type", "estimated_cost")
        .iterator(chunk_size=CHUNK)
    )


def register_members(group_ids=None) -> dict[int, int]:
    """Members per household (one grouped query; a dict of small ints)."""
    return dict(
        _register(group_ids)
        .values_list("pk")
        .annotate(n=Count("members"))
        .filter(n__gt=0)
        .order_by()
    )


@dataclass
class GroupSummary:
    number: int
    name: str
    households: int = 0
    poor: int = 0
    near_poor: int = 0
    difficult: int = 0
    other: int = 0
    members: int = 0
    needs: int = 0
    needs_cost: int = 0


def register_summary(groups) -> list[GroupSummary]:
    """Counts per group, no person named: three grouped queries."""
    summary = {g.pk: GroupSummary(g.number, g.name) for g in groups}
    households = Household.objects.active().filter(group_id__in=summary)
    for group_id, n, poor, near, difficult in (
        households.values_list("group_id")
        .annotate(
            n=Count("pk"),
            poor=Count("pk", filter=Q(category=Category.POOR)),
            near=Count("pk", filter=Q(category=Category.NEAR_POOR)),
            difficult=Count("pk", filter=Q(category=Category.NONE, especially_difficult=True)),
        )
        .order_by()
    ):
        line = summary[group_id]
        line.households, line.poor, line.near_poor, line.difficult = n, poor, near, difficult
        line.other = n - poor - near - difficult
    for group_id, n in households.values_list("group_id").annotate(n=Count("members")).order_by():
        summary[group_id].members = n
    for group_id, n, cost in (
        Need.objects.filter(household__in=households, status__in=OPEN_NEEDS)
        .values_list("household__group_id")
        .annotate(n=Count("pk"), cost=Sum("estimated_cost"))
        .order_by()
    ):
        summary[group_id].needs = n
        summary[group_id].needs_cost = cost or 0
    return list(summary.values())


def needs_by_type(groups) -> dict[str, tuple[int, int, int]]:
    """{need type: (households, needs, estimated đồng)} of open needs: one query."""
    rows = (
        Need.objects.filter(
            household__status=Household.Status.ACTIVE,
            household__group_id__in=[g.pk for g in groups],
            status__in=OPEN_NEEDS,
        )
        .values_list("type")
        .annotate(h=Count("household", distinct=True), n=Count("pk"), s=Sum("estimated_cost"))
        .order_by()
    )
    return {t: (h, n, s or 0) for t, h, n, s in rows}
