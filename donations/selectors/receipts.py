"""Reads of receipts: the register (scoped like donations) and the QR check."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from donations.models import Receipt
from donations.selectors.donations import group_scope
from lddh.ward.access import Access

__all__ = ["public_receipts", "receipt_by_token", "receipt_for", "receipts_for"]


def receipts_for(access: Access) -> QuerySet[Receipt]:
    scope = group_scope(access)
    qs = Receipt.objects.all()
    if scope is None:
        return qs
    ids = sorted(access.group_ids)
    if not (access.is_leader and ids):
        return qs.none()
    return qs.filter(Q(donation__credited_group__in=ids) | Q(donation__donor__group__in=ids))


def receipt_for(access: Access, pk: int) -> Receipt:
    """One receipt in the viewer's scope, or 404."""
    return get_object_or_404(receipts_for(access), pk=pk)


def public_receipts() -> QuerySet[Receipt]:
    """Receipts with only the columns a resident may see when checking one."""
    return Receipt.objects.select_related("donation__donor").only(
        "number",
        "date",
        "amount",
        "fund_name",
        "donor_display_name",
        "status",
        "donation__id",
        "donation__donor__id",
        "donation__donor__anonymous",
    )


def receipt_by_token(token: str) -> Receipt | None:
    """The receipt behind a QR code; None for an unknown or malformed token."""
    if not token or len(token) > 40:
        return None
    return public_receipts().filter(token=token).first()
