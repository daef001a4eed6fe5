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
    Member,
    NeedType,
    Proposal,
)
from households.services.common import (
    CLASSIFICATION_FIELDS,
    MSG_NOT_PROPOSER,
    audit_values,
    check_birth_year,
    require_edit,
    require_office,
    validate_classification,
    validate_identity,
)
from households.services.details import member_add, need_add
from households.services.register import (
    apply_classification,
    apply_exit,
    clean_household_data,
    validate_exit,
    write_new_household,
)
from lddh.ward.audit import AuditAction, log_event
from lddh.ward.models import ResidentialGroup
from lddh.ward.money import MAX_AMOUNT
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


MAX_MEMBERS = 15
MAX_NEEDS = 10
NAME_LENGTH = 100
DESCRIPTION_LENGTH = 500


def _proposed_members(rows: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The other people of a proposed household: a name, a birth year, a relation."""
    rows = list(rows or [])
    errors: list[str] = []
    if len(rows) > MAX_MEMBERS:
        errors.append(f"Một đề xuất ghi tối đa {MAX_MEMBERS} thành viên khác.")
    members = []
    for row in rows[:MAX_MEMBERS]:
        name = " ".join(str(row.get("full_name") or "").split())
        relation = row.get("relation") or Member.Relation.OTHER
        if not name:
            errors.append("Có thành viên chưa có họ tên.")
        elif len(name) > NAME_LENGTH:
            errors.append(f"Họ tên thành viên dài quá {NAME_LENGTH} ký tự: {name[:30]}…")
        if relation not in Member.Relation.values or relation == Member.Relation.HEAD:
            errors.append(f"Quan hệ với chủ hộ của {name or 'thành viên'} không hợp lệ.")
        try:
            check_birth_year(row.get("birth_year"))
        except ValidationError as exc:
            errors.extend(f"{name or 'Thành viên'}: {message}" for message in exc.messages)
        members.append(
            {"full_name": name, "birth_year": row.get("birth_year"), "relation": relation}
        )
    if errors:
        raise ValidationError({"members": errors})
    return members


def _proposed_needs(rows: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The needs of a proposed household: a type, an estimate in đồng, a description."""
    rows = list(rows or [])
    errors: list[str] = []
    if len(rows) > MAX_NEEDS:
        errors.append(f"Một đề xuất ghi tối đa {MAX_NEEDS} nhu cầu.")
    needs = []
    for row in rows[:MAX_NEEDS]:
        cost = row.get("estimated_cost") or 0
        description = str(row.get("description") or "").strip()
        if row.get("type") not in NeedType.values:
            errors.append("Có nhu cầu chưa chọn loại.")
        if not isinstance(cost, int) or not 0 <= cost <= MAX_AMOUNT:
            errors.append("Dự toán của nhu cầu phải là số đồng không âm.")
        if len(description) > DESCRIPTION_LENGTH:
            errors.append(f"Mô tả nhu cầu dài quá {DESCRIPTION_LENGTH} ký tự.")
        needs.append({"type": row.get("type"), "estimated_cost": cost, "description": description})
    if errors:
        raise ValidationError({"needs": errors})
    return needs


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
    return {
        **{k: data[k] for k in NEW_HOUSEHOLD_KEYS},
        "members": _proposed_members(payload.get("members")),
        "needs": _proposed_needs(payload.get("needs")),
    }


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
        for member in _proposed_members(data.get("members")):
            member_add(actor=actor, household=household, **member)
        for need in _proposed_needs(data.get("needs")):
            need_add(actor=actor, household=household, **need)
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
