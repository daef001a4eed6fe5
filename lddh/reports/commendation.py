"""The commendation list (đề nghị khen thưởng): the donors whose valid gifts in a campaign,
or dated in a calendar year whatever their campaign, reach the committee's thresholds,
and the change of those thresholds."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from campaigns.models import Campaign
from donations.models import Donation, Donor
from lddh.reports.models import CommendationRule
from lddh.ward.audit import AuditAction, log_event
from lddh.ward.vocab import DonorSource

ORGANISATIONS = (DonorSource.AGENCY, DonorSource.BUSINESS, DonorSource.ORGANISATION)
INDIVIDUALS = (DonorSource.INDIVIDUAL, DonorSource.RESIDENTS, DonorSource.OTHER)
"""Who may be proposed: money from the level above and bank interest is nobody's gift."""

RULE_FIELDS = ("individual_min", "organisation_min", "individual_form", "organisation_form")


def commendation_rule() -> CommendationRule:
    """The thresholds in force (the defaults until the committee sets them)."""
    rule = CommendationRule.objects.order_by("pk").first()
    return rule if rule is not None else CommendationRule()


@transaction.atomic
def commendation_rule_update(
    *,
    actor,
    individual_min: int,
    organisation_min: int,
    individual_form: str,
    organisation_form: str,
) -> CommendationRule:
    """Set the thresholds and the forms of commendation proposed; audited with the values
    before and after."""
    rule = CommendationRule.objects.select_for_update().order_by("pk").first()
    if rule is None:
        rule = CommendationRule()
    before = {field: getattr(rule, field) for field in RULE_FIELDS}
    rule.individual_min = individual_min
    rule.organisation_min = organisation_min
    rule.individual_form = individual_form
    rule.organisation_form = organisation_form
    rule.updated_at = timezone.now()
    rule.updated_by = actor
    rule.save()
    log_event(
        actor=actor,
        action=AuditAction.COMMENDATION_RULE_UPDATE,
        obj=rule,
        before=before,
        after={field: getattr(rule, field) for field in RULE_FIELDS},
    )
    return rule


@dataclass(frozen=True)
class CommendationRow:
    donor: Donor
    total: int
    count: int
    organisation: bool
    form: str

    @property
    def kind(self) -> str:
        return "Tập thể" if self.organisation else "Cá nhân"

    @property
    def place(self) -> str:
        """The address, else the residential group, else the representative."""
        donor = self.donor
        if donor.address:
            return donor.address
        if donor.group_id:
            return donor.group.name
        return donor.representative


def commendation_rows(
    campaign: Campaign | None, rule: CommendationRule, *, year: int | None = None
) -> list[CommendationRow]:
    """Named donors whose valid gifts (to a fund or direct support) in the campaign, or
    with ``year`` dated in that calendar year (every campaign and none), total at least
    their threshold: organisations (agencies, businesses, member organisations) first,
    then individuals; largest total first within each. A donor who asked to stay
    anonymous is never listed, nor the collective donor of a collection round recorded on
    one receipt (a whole group's money)."""
    if (campaign is None) == (year is None):
        raise ValueError("commendation_rows needs a campaign or a year, not both")
    if year is not None:
        chosen = Donation.objects.filter(
            date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
        )
    else:
        chosen = Donation.objects.filter(campaign=campaign)
    totals = (
        chosen.filter(
            status=Donation.Status.VALID,
            donor__anonymous=False,
            donor__source__in=(*ORGANISATIONS, *INDIVIDUALS),
        )
        # A collection round's one receipt is the whole group's ("Nhân dân tổ …"), no one's.
        .exclude(donor__in=Donation.objects.filter(collection_round__isnull=False).values("donor"))
        .values("donor")
        .annotate(total=Sum("amount"), count=Count("pk"))
        .order_by()
    )
    sums = {row["donor"]: (row["total"], row["count"]) for row in totals}
    donors = Donor.objects.filter(pk__in=sums).select_related("group")
    rows = []
    for donor in donors:
        total, count = sums[donor.pk]
        organisation = donor.source in ORGANISATIONS
        threshold = rule.organisation_min if organisation else rule.individual_min
        if total >= threshold:
            form = rule.organisation_form if organisation else rule.individual_form
            rows.append(CommendationRow(donor, total, count, organisation, form))
    rows.sort(key=lambda row: (not row.organisation, -row.total, row.donor.name, row.donor.pk))
    return rows
