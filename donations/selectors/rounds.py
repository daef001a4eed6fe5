"""Reads of collection rounds, scoped to the viewer."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from donations.models import Account, CollectionRound, Fund
from lddh.ward.access import Access

__all__ = [
    "fund_bank_account",
    "round_editable",
    "round_for",
    "round_for_update",
    "round_totals",
    "rounds_for",
]


def rounds_for(access: Access) -> QuerySet[CollectionRound]:
    """Rounds a person may see: every round for the readers, a leader their groups'."""
    qs = CollectionRound.objects.all()
    if access.reads_all:
        return qs
    if access.is_leader and access.group_ids:
        return qs.filter(group__in=sorted(access.group_ids))
    return qs.none()


def round_for(access: Access, pk: int) -> CollectionRound:
    try:
        return (
            rounds_for(access)
            .select_related(
                "group",
                "organisation",
                "campaign",
                "fund",
                "account",
                "account__official_account",
                "created_by",
                "posted_by",
                "collective_donation__receipt",
            )
            .get(pk=pk)
        )
    except CollectionRound.DoesNotExist:
        raise Http404 from None


def round_editable(access: Access, round: CollectionRound) -> bool:
    """A draft round may be changed by whoever may edit its group; a member
    organisation's round only by ward staff or the committee."""
    return (
        round.is_draft
        and access.can_edit_group(round.group_id)
        and (access.is_office or round.organisation_id is None)
    )


def round_for_update(access: Access, pk: int) -> CollectionRound:
    """The round to change: 404 outside scope, 403 unless round_editable."""
    round = round_for(access, pk)
    if not round_editable(access, round):
        raise PermissionDenied
    return round


def round_totals(rounds: QuerySet[CollectionRound]) -> QuerySet[CollectionRound]:
    """Annotate entered line count and total (two subquery-free aggregates)."""
    return rounds.annotate(
        line_count=Count("lines"),
        line_total=Coalesce(Sum("lines__amount"), 0),
    )


def fund_bank_account(fund: Fund | None = None) -> Account | None:
    """The account residents transfer to: the first active bank account backed by an
    official account with a VietQR bank BIN."""
    return (
        Account.objects.filter(kind=Account.Kind.BANK, active=True, official_account__isnull=False)
        .exclude(official_account__bank_bin="")
        .select_related("official_account")
        .order_by("order", "pk")
        .first()
    )
