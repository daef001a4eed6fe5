"""Reads of the redacted scans (proof of spending), scoped like the supports they belong
to: a leader reaches the scans of their own group's supports only, the roles that read
all see all, the level above none."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from households.models import RedactedScan
from households.selectors.support import supports_for
from lddh.ward.access import Access
from lddh.ward.roles import Role

__all__ = [
    "scan_for",
    "scans_for",
    "scans_to_review",
]


def scans_for(access: Access) -> QuerySet[RedactedScan]:
    return RedactedScan.objects.filter(support__in=supports_for(access)).select_related(
        "support",
        "support__group",
        "uploaded_by",
        "review",
        "review__reviewed_by",
        "withdrawal",
        "withdrawal__withdrawn_by",
    )


def scan_for(access: Access, support_pk: int, pk: int) -> RedactedScan:
    return get_object_or_404(scans_for(access), support_id=support_pk, pk=pk)


def scans_to_review(access: Access) -> QuerySet[RedactedScan]:
    """Scans waiting for a second person that this person may review: the committee
    and the supervisors, never their own uploads."""
    if not access.has(Role.COMMITTEE, Role.SUPERVISOR):
        return RedactedScan.objects.none()
    return scans_for(access).waiting().exclude(uploaded_by_id=access.user_id)
