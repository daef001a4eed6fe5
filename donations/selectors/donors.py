"""Reads of donors: the list is for the office and the readers who see every group."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet, Sum
from django.shortcuts import get_object_or_404

from donations.models import Donation, Donor
from lddh.ward.access import Access

__all__ = ["donor_for", "donor_for_update", "donor_totals", "donors_for"]


def donors_for(access: Access) -> QuerySet[Donor]:
    """The donor list is for the office and the readers who see every group."""
    return Donor.objects.all() if access.reads_all else Donor.objects.none()


def donor_for(access: Access, pk: int) -> Donor:
    """One donor in the viewer's scope, or 404."""
    return get_object_or_404(donors_for(access).select_related("group", "organisation"), pk=pk)


def donor_for_update(access: Access, pk: int) -> Donor:
    """The donor to change: 404 outside scope, 403 unless ward staff or the committee."""
    donor = donor_for(access, pk)
    if not access.is_office:
        raise PermissionDenied
    return donor


def donor_totals(donor_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Valid total and count of donations per donor, for one page of the donor list."""
    if not donor_ids:
        return {}
    rows = (
        Donation.objects.filter(donor__in=donor_ids, status=Donation.Status.VALID)
        .values("donor")
        .annotate(s=Sum("amount"), n=Count("pk"))
        .order_by()
    )
    return {row["donor"]: (row["s"], row["n"]) for row in rows}
