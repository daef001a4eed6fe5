"""Reads of donations, scoped to the viewer: the office and readers see all, a leader
their groups'."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from campaigns.models import Campaign
from donations.models import Donation, Donor
from lddh.ward.access import Access

__all__ = ["donation_for", "donations_for", "donor_contributions", "group_scope", "usual_gift"]


def group_scope(access: Access) -> Q | None:
    """None: everything; a Q: a leader's groups; Q(pk__in=[]) for nobody."""
    if access.reads_all:
        return None
    if access.is_leader and access.group_ids:
        ids = sorted(access.group_ids)
        return Q(credited_group__in=ids) | Q(donor__group__in=ids)
    return Q(pk__in=[])


def donations_for(access: Access) -> QuerySet[Donation]:
    """Donations a person may see: the office and readers all, a leader their groups'."""
    scope = group_scope(access)
    qs = Donation.objects.all()
    return qs if scope is None else qs.filter(scope)


def donation_for(access: Access, pk: int) -> Donation:
    """One donation in the viewer's scope, or 404 (never reveal it exists)."""
    try:
        return (
            donations_for(access)
            .select_related(
                "donor",
                "donor__group",
                "donor__organisation",
                "campaign",
                "fund",
                "account",
                "credited_group",
                "credited_organisation",
                "credited_board_member",
                "receipt",
                "entered_by",
                "replaces__receipt",
            )
            .get(pk=pk)
        )
    except Donation.DoesNotExist:
        raise Http404 from None


def donor_contributions(donor: Donor, campaign: Campaign | None) -> QuerySet[Donation]:
    """A donor's valid donations (to the fund and direct support), for the thank-you letter."""
    qs = donor.donations.filter(status=Donation.Status.VALID).select_related("receipt", "fund")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs.order_by("date", "pk")


def usual_gift(donor: Donor | None) -> int | None:
    """The median of a donor's recent valid gifts (the last 50), or None without any."""
    if donor is None or donor.pk is None:
        return None
    amounts = sorted(
        Donation.objects.filter(donor=donor, status=Donation.Status.VALID)
        .order_by("-date", "-pk")
        .values_list("amount", flat=True)[:50]
    )
    return amounts[len(amounts) // 2] if amounts else None
