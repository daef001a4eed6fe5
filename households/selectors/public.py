"""Public reads of money out, for the residents' disclosure pages (no household is ever
named), and the proof of spending: each paid support and distribution round on its own.

A household is never named: it appears as a count, as "Hộ gia đình tổ N" on a paid
support's own line (its category, amount, group and decision, as the proof of spending
requires), or, when the household consented, as the pseudonym of
Household.public_pseudonym() ("Hộ bà N.T.H., tổ 5"). Never a name, an address, a CCCD,
health details or the circumstances: the queries select only counts, sums, categories
and group numbers. Only paid supports count (money actually spent or goods handed over).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth

from campaigns.models import Campaign
from households.models import (
    DistributionRound,
    Household,
    RedactedScan,
    Support,
    SupportCategory,
    SupportForm,
    SupportSource,
)

__all__ = [
    "ConsentedSupport",
    "PublicRound",
    "PublicSupport",
    "PublishedScan",
    "Spending",
    "SpendingLine",
    "consented_supports",
    "household_label",
    "paid_supports",
    "public_round",
    "public_rounds",
    "public_support",
    "public_support_rows",
    "public_supports",
    "published_scan",
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


def spending(
    *,
    campaign: Campaign | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Spending:
    """Paid support by category (report order), by residential group and in all, and
    the last handover day: one pass over the paid supports' few columns, summed here
    (a household counts once per line however many supports it had)."""
    sources = list(SupportSource.values)  # SpendingLine has one attribute per source
    # (category, "c"), (group, "g") or (None, "all") -> ([supports, *per source], households)
    lines: dict[tuple, tuple[list, set]] = {}
    last_day = None
    rows = paid_supports(campaign=campaign, start=start, end=end).values_list(
        "category", "group__number", "household_id", "source", "amount", "handover_date"
    )
    for category, group, household, source, amount, day in rows:
        column = 1 + sources.index(source)
        for key in ((category, "c"), (group, "g"), (None, "all")):
            sums, households = lines.get(key) or lines.setdefault(
                key, ([0] * (1 + len(sources)), set())
            )
            sums[0] += 1
            sums[column] += amount
            households.add(household)
        if day and (last_day is None or day > last_day):
            last_day = day

    def line(key, label: str) -> SpendingLine:
        sums, households = lines[key]
        per_source = dict(zip(sources, sums[1:], strict=True))
        return SpendingLine(label, len(households), sums[0], **per_source)

    total = line((None, "all"), "") if (None, "all") in lines else SpendingLine("")
    return Spending(
        by_category=[
            line((v, "c"), label) for v, label in SupportCategory.choices if (v, "c") in lines
        ],
        by_group=[line((g, "g"), f"Tổ {g}") for g in sorted(g for g, k in lines if k == "g")],
        households=total.households,
        supports=total.supports,
        fund=total.fund,
        direct=total.direct,
        programme=total.programme,
        last_day=last_day,
    )


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


# ---------------------------------------------------------------- proof of spending
#
# Every paid support is public one by one: its decision, category, amount, residential
# group and handover record, under its handover record number (printed on the signed
# record; only a paid support has one, so the number reaches nothing that is not
# public). The household is "Hộ gia đình tổ 3", or its initials when it consented.
# A round is reached by its random public token, and only while it has a paid support.


@dataclass(frozen=True)
class PublishedScan:
    token: str
    extension: str
    content_type: str
    size: int
    uploaded_at: datetime.datetime


@dataclass(frozen=True)
class PublicSupport:
    number: str  # the handover record number: the support's public id
    category: str
    form: str
    amount: int
    group: int
    household: str
    consented: bool
    decision_number: str
    decision_date: datetime.date | None
    handover_date: datetime.date
    round_name: str
    round_token: str
    scans: int  # scans of the signed record kept by the ward (never published)
    published: tuple[PublishedScan, ...] = ()


@dataclass(frozen=True)
class PublicRound:
    token: str
    name: str
    category: str
    form: str
    amount_each: int
    households: int
    signed: int  # handover records signed (paid supports)
    scanned: int  # of which the ward keeps a scan
    published: int  # redacted scans approved for the public pages
    total: int
    first_day: datetime.date | None
    last_day: datetime.date | None
    decisions: tuple[tuple[str, datetime.date | None], ...] = ()


def household_label(household: Household, group_number: int) -> str:
    """'Hộ bà N.T.H., tổ 5' with the household's consent, else 'Hộ gia đình tổ 5':
    initials only, never the name, the address, the phone or the CCCD."""
    if household.public_consent:
        initials = ".".join(word[0].upper() for word in household.head_name.split() if word)
        if initials:
            title = f"{household.head_title} " if household.head_title else ""
            return f"Hộ {title}{initials}., tổ {group_number}"
    return f"Hộ gia đình tổ {group_number}"


_PUBLIC_FIELDS = (
    "category",
    "form",
    "amount",
    "decision_number",
    "decision_date",
    "handover_date",
    "handover_number",
    "group__number",
    "household__head_name",
    "household__head_title",
    "household__public_consent",
    "round__name",
    "round__public_token",
)


def public_supports(
    campaign: Campaign, *, round_token: str | None = None, loose: bool = False
) -> QuerySet:
    """Paid supports of the campaign, newest handover first: of one round, or (loose)
    those given one by one, outside any round."""
    qs = paid_supports(campaign=campaign)
    if round_token is not None:
        qs = qs.filter(round__public_token=round_token)
    elif loose:
        qs = qs.filter(round__isnull=True)
    return qs.order_by("-handover_date", "-pk")


def public_support_rows(supports) -> list[PublicSupport]:
    """The public facts of some paid supports (a page of public_supports), scans counted."""
    rows = list(
        supports.select_related("household", "group", "round")
        .only(*_PUBLIC_FIELDS)
        .annotate(
            scan_count=Count("attachments", distinct=True),
        )
    )
    published: dict[int, list[PublishedScan]] = {}
    scans = (
        RedactedScan.objects.published()
        .filter(support__in=[s.pk for s in rows])
        .order_by("pk")
        .values_list("support_id", "token", "extension", "content_type", "size", "uploaded_at")
    )
    for support_id, *facts in scans:
        published.setdefault(support_id, []).append(PublishedScan(*facts))
    labels = dict(SupportCategory.choices)
    forms = dict(SupportForm.choices)
    return [
        PublicSupport(
            number=s.handover_number,
            category=labels.get(s.category, s.category),
            form=forms.get(s.form, s.form),
            amount=s.amount,
            group=s.group.number,
            household=household_label(s.household, s.group.number),
            consented=s.household.public_consent,
            decision_number=s.decision_number,
            decision_date=s.decision_date,
            handover_date=s.handover_date,
            round_name=s.round.name if s.round_id else "",
            round_token=s.round.public_token if s.round_id else "",
            scans=s.scan_count,
            published=tuple(published.get(s.pk, ())),
        )
        for s in rows
    ]


def public_support(campaign: Campaign, number: str) -> PublicSupport | None:
    """One paid support of the campaign by its handover record number, else None."""
    if not number or len(number) > 20:
        return None
    rows = public_support_rows(paid_supports(campaign=campaign).filter(handover_number=number))
    return rows[0] if rows else None


def public_rounds(campaign: Campaign) -> list[PublicRound]:
    """The campaign's distribution rounds that have a paid support, newest first."""
    return _rounds(campaign, DistributionRound.objects.all())


def public_round(campaign: Campaign, token: str) -> PublicRound | None:
    """A round of the campaign with a paid support, by its public token, else None."""
    if not token or len(token) > 16:
        return None
    rounds = _rounds(campaign, DistributionRound.objects.filter(public_token=token))
    return rounds[0] if rounds else None


def _rounds(campaign: Campaign, rounds: QuerySet) -> list[PublicRound]:
    paid = Q(supports__status=Support.Status.PAID, supports__campaign=campaign)
    rows = list(
        rounds.filter(paid)
        .values("pk", "public_token", "name", "category", "form", "amount")
        .annotate(
            households=Count("supports__household", filter=paid, distinct=True),
            signed=Count("supports", filter=paid, distinct=True),
            scanned=Count(
                "supports",
                filter=paid & Q(supports__attachments__isnull=False),
                distinct=True,
            ),
            published=Count(
                "supports__redacted_scans",
                filter=paid
                & Q(
                    supports__redacted_scans__review__approved=True,
                    supports__redacted_scans__withdrawal__isnull=True,
                ),
                distinct=True,
            ),
            first_day=Min("supports__handover_date", filter=paid),
            last_day=Max("supports__handover_date", filter=paid),
        )
        .order_by("-last_day", "-pk")
    )
    if not rows:
        return []
    totals = dict(
        paid_supports(campaign=campaign)
        .filter(round__in=[r["pk"] for r in rows])
        .values("round")
        .annotate(total=Coalesce(Sum("amount"), 0))
        .values_list("round", "total")
    )
    decisions: dict[int, list] = {}
    for round_id, number, day in (
        paid_supports(campaign=campaign)
        .filter(round__in=[r["pk"] for r in rows])
        .values_list("round", "decision_number", "decision_date")
        .distinct()
        .order_by("round", "decision_date", "decision_number")
    ):
        decisions.setdefault(round_id, []).append((number, day))
    labels = dict(SupportCategory.choices)
    forms = dict(SupportForm.choices)
    return [
        PublicRound(
            token=r["public_token"],
            name=r["name"],
            category=labels.get(r["category"], r["category"]),
            form=forms.get(r["form"], r["form"]),
            amount_each=r["amount"],
            households=r["households"],
            signed=r["signed"],
            scanned=r["scanned"],
            published=r["published"],
            total=totals.get(r["pk"], 0),
            first_day=r["first_day"],
            last_day=r["last_day"],
            decisions=tuple(decisions.get(r["pk"], ())),
        )
        for r in rows
    ]


def published_scan(campaign: Campaign, token: str):
    """An approved redacted scan of a paid support of the campaign, else None. Only
    RedactedScan rows are looked at: an original scan is never reached from here."""
    if not token or len(token) > 32:
        return None
    return (
        RedactedScan.objects.published()
        .filter(
            token=token,
            support__status=Support.Status.PAID,
            support__campaign=campaign,
        )
        .first()
    )
