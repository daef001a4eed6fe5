"""Review rounds (rà soát) of a campaign, group by group."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaigns.models import Campaign
from households.models import (
    Household,
    Proposal,
    Review,
    ReviewRound,
)
from households.services.common import (
    require_edit,
)
from households.services.proposals import (
    proposal_submit,
)
from lddh.ward.audit import AuditAction, log_event, snapshot
from lddh.ward.models import ResidentialGroup

# ---------------------------------------------------------------- review rounds


def _open_round(campaign: Campaign, group: ResidentialGroup) -> ReviewRound:
    review_round, _ = ReviewRound.objects.get_or_create(campaign=campaign, group=group)
    return ReviewRound.objects.select_for_update().get(pk=review_round.pk)


@transaction.atomic
def review_record(
    *,
    actor,
    campaign: Campaign,
    household: Household,
    outcome: str,
    note: str = "",
    exit_date: datetime.date | None = None,
) -> Review:
    """Record a household's review; 'exit' also files an exit proposal."""
    require_edit(actor, household.group_id)
    if campaign.is_closed:
        raise ValidationError("Chiến dịch đã kết thúc; không ghi thêm kết quả rà soát.")
    if not household.is_active:
        raise ValidationError("Hộ này đã ra khỏi danh sách.")
    if outcome not in Review.Outcome.values:
        raise ValidationError({"outcome": ["Chọn kết quả rà soát."]})
    if outcome in (Review.Outcome.CHANGED, Review.Outcome.EXIT) and not note.strip():
        raise ValidationError({"note": ["Hãy ghi rõ thay đổi hoặc lý do đề xuất."]})
    review_round = _open_round(campaign, household.group)
    if review_round.completed_at:
        raise ValidationError("Tổ đã xác nhận hoàn thành rà soát cho chiến dịch này.")
    existing = Review.objects.filter(round=review_round, household=household).first()
    before = snapshot(existing, ("outcome", "note")) if existing else None
    if outcome == Review.Outcome.EXIT and not (
        existing and existing.outcome == Review.Outcome.EXIT
    ):
        proposal_submit(
            actor=actor,
            kind=Proposal.Kind.EXIT,
            group=household.group,
            household=household,
            payload={"exit_date": exit_date or timezone.localdate(), "exit_reason": note},
            note=f"Rà soát {campaign.year}: {note.strip()}",
            campaign=campaign,
        )
    review, _ = Review.objects.update_or_create(
        round=review_round,
        household=household,
        defaults={
            "outcome": outcome,
            "note": note.strip(),
            "reviewed_by": actor,
            "reviewed_at": timezone.now(),
        },
    )
    log_event(
        actor=actor,
        action=AuditAction.HOUSEHOLD_REVIEW,
        obj=household,
        before=before,
        after={"campaign": campaign.pk, **snapshot(review, ("outcome", "note"))},
    )
    return review


@transaction.atomic
def review_round_complete(*, actor, campaign: Campaign, group: ResidentialGroup) -> ReviewRound:
    require_edit(actor, group.pk)
    review_round = _open_round(campaign, group)
    if review_round.completed_at:
        raise ValidationError("Tổ đã xác nhận hoàn thành rà soát rồi.")
    missing = (
        Household.objects.active().filter(group=group).exclude(reviews__round=review_round).count()
    )
    if missing:
        raise ValidationError(f"Còn {missing} hộ chưa được rà soát.")
    review_round.completed_at = timezone.now()
    review_round.completed_by = actor
    review_round.save()
    log_event(
        actor=actor,
        action=AuditAction.REVIEW_ROUND_COMPLETE,
        obj=review_round,
        after={"campaign": campaign.pk, "group": group.pk},
    )
    return review_round
