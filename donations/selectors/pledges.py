"""Reads of pledges: the list with what each has paid and its derived status, one
pledge with its instalments and payments, the donor's open pledges, and the totals
(pledged, paid of it) for the dashboard, the public page and the reports.

What a pledge has paid is the sum of its linked donations that are still valid; it
falls due instalment by instalment, so "overdue" is: what fell due before today is more
than what was paid."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BigIntegerField,
    Case,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.utils import timezone

from donations.models import (
    Donation,
    Donor,
    Fund,
    Pledge,
    PledgeInstalment,
    PledgePayment,
    pledge_progress,
)
from donations.statements.codes import pledge_codes_in
from lddh.ward import compiled
from lddh.ward.access import Access
from lddh.ward.text import clean_input, normalise

__all__ = [
    "PledgeTotals",
    "donor_by_name_or_code",
    "donor_open_pledges",
    "donor_pledges",
    "pledge_for",
    "pledge_for_update",
    "pledge_in_note",
    "pledge_instalments",
    "pledge_payments",
    "pledge_report_rows",
    "pledge_status_of",
    "pledge_totals",
    "pledges_due_soon",
    "pledges_for",
    "pledges_with_progress",
]

DUE_SOON_DAYS = 7
"""The "due and overdue" list shows pledges with an unpaid instalment due within a week."""


def _sum(queryset: QuerySet, field: str) -> Subquery:
    return Coalesce(
        Subquery(
            queryset.order_by().values("pledge").annotate(total=Sum(field)).values("total")[:1],
            output_field=BigIntegerField(),
        ),
        Value(0),
        output_field=BigIntegerField(),
    )


def pledges_with_progress(
    queryset: QuerySet[Pledge], today: datetime.date | None = None
) -> QuerySet[Pledge]:
    """Each pledge with ``paid`` (its valid linked donations), ``due_by_today`` (its
    instalments due before today), ``due_soon`` (due up to a week ahead) and ``progress``
    (the derived status's code)."""
    today = today or timezone.localdate()
    paid = _sum(
        PledgePayment.objects.filter(pledge=OuterRef("pk"), donation__status=Donation.Status.VALID),
        "donation__amount",
    )
    due = _sum(PledgeInstalment.objects.filter(pledge=OuterRef("pk"), due_date__lt=today), "amount")
    soon = _sum(
        PledgeInstalment.objects.filter(
            pledge=OuterRef("pk"),
            due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
        ),
        "amount",
    )
    return queryset.annotate(paid=paid, due_by_today=due, due_soon=soon).annotate(
        remaining=Greatest(F("amount") - F("paid"), Value(0), output_field=BigIntegerField()),
        progress=Case(
            When(status=Pledge.Status.CANCELLED, then=Value(Pledge.Progress.CANCELLED)),
            When(paid__gte=F("amount"), then=Value(Pledge.Progress.PAID)),
            When(due_by_today__gt=F("paid"), then=Value(Pledge.Progress.OVERDUE)),
            When(paid__gt=0, then=Value(Pledge.Progress.PARTLY)),
            default=Value(Pledge.Progress.UNPAID),
        ),
    )


def pledge_status_of(pledge: Pledge) -> Pledge.Progress:
    """The derived status of a pledge read through pledges_with_progress."""
    return pledge_progress(
        status=pledge.status,
        amount=pledge.amount,
        paid=pledge.paid,
        due_by_today=pledge.due_by_today,
    )


def pledges_for(access: Access) -> QuerySet[Pledge]:
    """Pledges name donors: the ward's roles and the supervisors read them, nobody else."""
    if not access.reads_all:
        raise PermissionDenied
    return pledges_with_progress(Pledge.objects.select_related("donor", "campaign", "fund"))


def pledge_for(access: Access, pk: int) -> Pledge:
    try:
        return pledges_for(access).get(pk=pk)
    except Pledge.DoesNotExist:
        raise Http404 from None


def pledge_for_update(access: Access, pk: int) -> Pledge:
    """The pledge to change (cancel, link a payment): ward staff and the committee."""
    pledge = pledge_for(access, pk)
    if not access.is_office:
        raise PermissionDenied
    return pledge


def pledges_due_soon(access: Access, today: datetime.date | None = None) -> QuerySet[Pledge]:
    """Open pledges not paid in full with an instalment overdue or due within a week
    (plain rows: ``pledges_for`` reads their progress). Every staff page counts them
    for the inbox: the rule's SQL is compiled once a day per process
    (lddh/ward/compiled.py), and the rows are read fresh through it."""
    if not access.reads_all:
        raise PermissionDenied
    today = today or timezone.localdate()

    def due_soon_keys() -> QuerySet:
        return (
            pledges_with_progress(Pledge.objects.all(), today)
            .filter(status=Pledge.Status.OPEN, paid__lt=F("amount"), due_soon__gt=F("paid"))
            .order_by()
            .values("pk")
        )

    # The SQL is Django's own compilation; values stay parameters.
    keys = RawSQL(*compiled.statement(("pledges_due_soon", today), due_soon_keys))  # noqa: S611
    return Pledge.objects.filter(pk__in=keys).order_by("pk")


def pledge_payments(pledge: Pledge) -> list[PledgePayment]:
    return list(
        pledge.payments.select_related("donation", "donation__receipt").order_by(
            "donation__date", "pk"
        )
    )


def pledge_instalments(pledge: Pledge) -> list[dict]:
    """The instalments with what of each is covered: payments fill them in date order."""
    left = pledge.paid
    rows = []
    for instalment in pledge.instalments.order_by("due_date", "pk"):
        covered = min(left, instalment.amount)
        left -= covered
        rows.append(
            {
                "due_date": instalment.due_date,
                "amount": instalment.amount,
                "covered": covered,
                "open": instalment.amount - covered,
                "overdue": covered < instalment.amount
                and instalment.due_date < timezone.localdate()
                and not pledge.is_cancelled,
            }
        )
    return rows


def donor_pledges(donor: Donor) -> list[Pledge]:
    """A donor's pledges with their payments (receipt numbers), for the donor's page."""
    pledges = list(
        pledges_with_progress(Pledge.objects.filter(donor=donor))
        .select_related("campaign", "fund")
        .order_by("-pledged_on", "-pk")
    )
    for pledge in pledges:
        pledge.payment_list = pledge_payments(pledge)
    return pledges


def donor_open_pledges(donor_id: int | None) -> QuerySet[Pledge]:
    """The donor's pledges still open (not cancelled, not paid in full): what the entry
    form offers to count a donation against."""
    if not donor_id:
        return Pledge.objects.none()
    return (
        pledges_with_progress(Pledge.objects.filter(donor_id=donor_id, status=Pledge.Status.OPEN))
        .filter(paid__lt=F("amount"))
        .select_related("campaign", "fund", "donor")
        .order_by("pk")
    )


@dataclass(frozen=True)
class PledgeTotals:
    count: int
    pledged: int
    paid: int  # of the amount pledged: an overpayment is not counted twice
    paid_in_full: int
    overdue: int

    @property
    def remaining(self) -> int:
        return self.pledged - self.paid

    @property
    def percent(self) -> int:
        return round(100 * self.paid / self.pledged) if self.pledged else 0


def pledge_totals(campaign=None) -> PledgeTotals:
    """Figures only (no names): open pledges of a campaign (or all), what they promise
    and what has been paid of it. Safe for the level above and the public page."""
    today = timezone.localdate()
    campaign_id = campaign.pk if campaign is not None else None

    def build() -> QuerySet:
        queryset = Pledge.objects.filter(status=Pledge.Status.OPEN)
        if campaign_id is not None:
            queryset = queryset.filter(campaign_id=campaign_id)
        return pledges_with_progress(queryset, today).values_list("amount", "paid", "due_by_today")

    # The dashboard and the public page read them on every view: the SQL is compiled
    # once a day per campaign (lddh/ward/compiled.py), the rows read fresh.
    rows = compiled.value_rows(("pledge_totals", campaign_id, today), build)
    count = pledged = paid = paid_in_full = overdue = 0
    for amount, paid_of, due in rows:
        count += 1
        pledged += amount
        paid += min(paid_of, amount)
        paid_in_full += paid_of >= amount
        overdue += paid_of < amount and due > paid_of
    return PledgeTotals(count, pledged, paid, paid_in_full, overdue)


def donor_by_name_or_code(text: str) -> tuple[Donor | None, str]:
    """The donor a typed name or personal code means: (donor, "") when exactly one,
    (None, "") when nobody (a new donor), (None, message) when several share the name."""
    text = " ".join(clean_input(text or "").split())
    if not text:
        return None, ""
    by_code = Donor.objects.filter(code=text.upper().replace(" ", "")).first()
    if by_code is not None:
        return by_code, ""
    matches = list(Donor.objects.filter(name_key=normalise(text))[:3])
    if len(matches) == 1:
        return matches[0], ""
    if len(matches) > 1:
        codes = ", ".join(d.code for d in matches if d.code)
        return None, (
            f"Có nhiều người ủng hộ tên “{text}” ({codes}): hãy gõ mã người ủng hộ để chọn "
            "đúng người."
        )
    return None, ""


@dataclass
class PledgeGroup:
    """The pledges of one status, for the report."""

    label: str
    count: int = 0
    pledged: int = 0
    paid: int = 0
    pledges: list = field(default_factory=list)


def pledge_report_rows(campaign) -> list[PledgeGroup]:
    """The campaign's open pledges grouped by status (paid, partly, overdue, unpaid),
    each with its receipt numbers."""
    order = [
        Pledge.Progress.PAID,
        Pledge.Progress.PARTLY,
        Pledge.Progress.OVERDUE,
        Pledge.Progress.UNPAID,
    ]
    groups = {code: PledgeGroup(Pledge.Progress(code).label) for code in order}
    pledges = (
        pledges_with_progress(Pledge.objects.filter(campaign=campaign, status=Pledge.Status.OPEN))
        .select_related("donor", "fund")
        .order_by("pk")
    )
    numbers: dict[int, list[str]] = {}
    for pledge_id, number, status in (
        PledgePayment.objects.filter(pledge__campaign=campaign)
        .values_list("pledge_id", "donation__receipt__number", "donation__status")
        .order_by("donation__date", "pk")
    ):
        if status == Donation.Status.VALID:
            numbers.setdefault(pledge_id, []).append(number)
    for pledge in pledges:
        pledge.receipt_numbers = numbers.get(pledge.pk, [])
        group = groups[pledge.progress]
        group.count += 1
        group.pledged += pledge.amount
        group.paid += min(pledge.paid, pledge.amount)
        group.pledges.append(pledge)
    return [groups[code] for code in order]


def pledge_in_note(description: str) -> Pledge | None:
    """The open pledge whose code (VNN P0007) a transfer note carries, when exactly one."""
    found = pledge_codes_in(description, Fund.objects.values_list("code", flat=True))
    if len(found) != 1:
        return None
    fund_code, number = next(iter(found))
    return (
        Pledge.objects.select_related("donor", "campaign", "fund")
        .filter(pk=number, fund__code=fund_code, status=Pledge.Status.OPEN)
        .first()
    )
