"""A leader's proposals and the office's decision on them."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaigns.models import Campaign
from households.models import (
    Household,
    Proposal,
)
from households.services.common import (
    CLASSIFICATION_FIELDS,
    MSG_NOT_PROPOSER,
    audit_values,
    require_edit,
    require_office,
    validate_classification,
    validate_identity,
)
from households.services.register import (
    apply_classification,
    apply_exit,
    clean_household_data,
    validate_exit,
    write_new_household,
)
from lddh.ward.audit import AuditAction, log_event
from lddh.ward.models import ResidentialGroup
from lddh.ward.text import normalise

# ---------------------------------------------------------------- proposals

NEW_HOUSEHOLD_KEYS = (
    "head_name",
    "head_birth_year",
    "address",
    *CLASSIFICATION_FIELDS,
    "circumstances",
    "income_per_person",
    "plan_goal",
)


def _new_household_data(payload: dict[str, Any]) -> dict[str, Any]:
    return clean_household_data(
        head_name=payload.get("head_name") or "",
        address=payload.get("address") or "",
        head_birth_year=payload.get("head_birth_year"),
        head_cccd="",
        phone="",
        classification={k: payload.get(k) for k in CLASSIFICATION_FIELDS},
        circumstances=payload.get("circumstances") or "",
        income_per_person=payload.get("income_per_person"),
        plan_goal=payload.get("plan_goal") or "",
    )


def _proposal_payload(
    kind: str, group: ResidentialGroup, household: Household | None, payload: dict
) -> dict[str, Any]:
    """Validate what is proposed now, so that the office decides on a sound proposal."""
    if kind == Proposal.Kind.CLASSIFY:
        return validate_classification(payload)
    if kind == Proposal.Kind.EXIT:
        exit_date = payload.get("exit_date")
        if isinstance(exit_date, str):
            exit_date = datetime.date.fromisoformat(exit_date)
        validate_exit(exit_date, payload.get("exit_reason") or "")
        return {"exit_date": exit_date.isoformat(), "exit_reason": payload["exit_reason"].strip()}
    data = _new_household_data(payload)
    validate_identity(
        group=group,
        head_name=data["head_name"],
        head_birth_year=data["head_birth_year"],
        head_cccd="",
    )
    waiting = Proposal.objects.filter(kind=Proposal.Kind.NEW, group=group, status="pending")
    key = (normalise(data["head_name"]), data["head_birth_year"])
    for other in waiting:
        if (normalise(other.payload.get("head_name")), other.payload.get("head_birth_year")) == key:
            raise ValidationError(
                {"head_name": [f"Hộ này đã được đề xuất (đề xuất số {other.pk}), đang chờ duyệt."]}
            )
    return {k: data[k] for k in NEW_HOUSEHOLD_KEYS}


@transaction.atomic
def proposal_submit(
    *,
    actor,
    kind: str,
    group: ResidentialGroup,
    payload: dict[str, Any],
    household: Household | None = None,
    note: str = "",
    campaign: Campaign | None = None,
) -> Proposal:
    if kind not in Proposal.Kind.values:
        raise ValueError(f"unknown proposal kind {kind!r}")
    if household is not None:
        household = Household.objects.select_for_update().get(pk=household.pk)
        group = household.group
    require_edit(actor, group.pk)
    if (kind == Proposal.Kind.NEW) != (household is None):
        raise ValueError("a new-household proposal has no household; the others need one")
    if household is not None:
        if kind == Proposal.Kind.EXIT and not household.is_active:
            raise ValidationError("Hộ này đã ra khỏi danh sách.")
        if household.proposals.filter(kind=kind, status=Proposal.Status.PENDING).exists():
            raise ValidationError(
                "Hộ này đã có một đề xuất cùng loại đang chờ duyệt; hãy chờ phường trả lời."
            )
    data = _proposal_payload(kind, group, household, payload)
    before = None
    if household is not None:
        before = audit_values(household, data.keys())
    proposal = Proposal.objects.create(
        kind=kind,
        group=group,
        household=household,
        campaign=campaign,
        payload=data,
        before=before,
        note=note.strip(),
        proposed_by=actor,
    )
    log_event(
        actor=actor,
        action=AuditAction.PROPOSAL_SUBMIT,
        obj=proposal,
        before=before,
        after=data,
        note=note.strip(),
    )
    return proposal


def _lock_pending(proposal: Proposal, actor) -> Proposal:
    require_office(actor)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not proposal.is_pending:
        raise ValidationError("Đề xuất này đã được xử lý.")
    return proposal


@transaction.atomic
def proposal_accept(*, actor, proposal: Proposal) -> Proposal:
    """Apply what was proposed (validated again: the register may have moved on)."""
    proposal = _lock_pending(proposal, actor)
    if proposal.proposed_by_id == actor.pk:
        raise ValidationError(MSG_NOT_PROPOSER)
    note = f"Theo đề xuất số {proposal.pk} của {proposal.proposed_by.get_username()}"
    data = dict(proposal.payload)
    if proposal.kind == Proposal.Kind.NEW:
        household_data = _new_household_data(data)
        validate_identity(
            group=proposal.group,
            head_name=household_data["head_name"],
            head_birth_year=household_data["head_birth_year"],
            head_cccd="",
        )
        household = write_new_household(
            actor=actor, group=proposal.group, data=household_data, note=note
        )
        proposal.household = household
    else:
        household = Household.objects.select_for_update().get(pk=proposal.household_id)
        if proposal.kind == Proposal.Kind.CLASSIFY:
            apply_classification(
                actor=actor, household=household, data=validate_classification(data), note=note
            )
        else:
            exit_date = datetime.date.fromisoformat(data["exit_date"])
            apply_exit(
                actor=actor,
                household=household,
                exit_date=exit_date,
                reason=data["exit_reason"],
                note=note,
            )
    proposal.status = Proposal.Status.ACCEPTED
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.save()
    log_event(
        actor=actor,
        action=AuditAction.PROPOSAL_ACCEPT,
        obj=proposal,
        before={"status": Proposal.Status.PENDING},
        after={"status": proposal.status, "household": proposal.household_id},
    )
    return proposal


@transaction.atomic
def proposal_return(*, actor, proposal: Proposal, reason: str) -> Proposal:
    proposal = _lock_pending(proposal, actor)
    if not reason.strip():
        raise ValidationError({"reason": ["Hãy ghi lý do trả lại để tổ biết cần bổ sung gì."]})
    proposal.status = Proposal.Status.RETURNED
    proposal.reason = reason.strip()
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.save()
    log_event(
        actor=actor,
        action=AuditAction.PROPOSAL_RETURN,
        obj=proposal,
        before={"status": Proposal.Status.PENDING},
        after={"status": proposal.status, "reason": proposal.reason},
        note=proposal.reason,
    )
    return proposal
