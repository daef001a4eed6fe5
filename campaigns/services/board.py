"""The mobilisation board and the sub-targets of groups and organisations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from campaigns.models import BoardMember, Campaign, Target
from campaigns.services.common import (
    BOARD_FIELDS,
    ensure_editable,
    require_office,
)
from lddh.ward.audit import AuditAction, changed, log_event, snapshot

# --------------------------------------------------------------------------- board


def _validate_board_values(values: Mapping[str, Any]) -> None:
    errors = {}
    if not (values.get("full_name") or "").strip():
        errors["full_name"] = "Chưa nhập họ và tên."
    sub_target = values.get("sub_target")
    if sub_target is not None and sub_target < 0:
        errors["sub_target"] = "Chỉ tiêu không được âm."
    if errors:
        raise ValidationError(errors)


def _board_snapshot(member: BoardMember) -> dict[str, Any]:
    return {
        **snapshot(member, BOARD_FIELDS),
        "groups": sorted(member.groups.values_list("pk", flat=True)),
    }


@transaction.atomic
def board_member_create(
    *, actor, campaign: Campaign, data: Mapping[str, Any], groups=()
) -> BoardMember:
    require_office(actor)
    ensure_editable(campaign)
    values = {k: data[k] for k in BOARD_FIELDS if k in data}
    _validate_board_values(values)
    if not values.get("order"):
        values["order"] = campaign.board.count() + 1
    member = BoardMember.objects.create(campaign=campaign, **values)
    member.groups.set(groups)
    log_event(
        actor=actor,
        action=AuditAction.BOARD_MEMBER_CREATE,
        obj=member,
        after={"campaign": campaign.pk, **_board_snapshot(member)},
    )
    return member


@transaction.atomic
def board_member_update(
    *, actor, member: BoardMember, data: Mapping[str, Any], groups=()
) -> BoardMember:
    require_office(actor)
    ensure_editable(member.campaign)
    values = {k: data[k] for k in BOARD_FIELDS if k in data}
    if values.get("order") is None:
        values.pop("order", None)  # left empty: keep the member's place
    _validate_board_values({**snapshot(member, ("full_name",)), **values})
    before = _board_snapshot(member)
    for name, value in values.items():
        setattr(member, name, value)
    member.save()
    member.groups.set(groups)
    before, after = changed(before, _board_snapshot(member))
    if after:
        log_event(
            actor=actor,
            action=AuditAction.BOARD_MEMBER_UPDATE,
            obj=member,
            before={"campaign": member.campaign_id, **before},
            after=after,
        )
    return member


@transaction.atomic
def board_member_delete(*, actor, member: BoardMember) -> None:
    """Remove a member from the board. Refused once donations are credited to them
    (the donations app protects its foreign key), so the books never lose a name."""
    require_office(actor)
    ensure_editable(member.campaign)
    log_event(
        actor=actor,
        action=AuditAction.BOARD_MEMBER_DELETE,
        obj=member,
        before={"campaign": member.campaign_id, **_board_snapshot(member)},
    )
    try:
        with transaction.atomic():
            member.delete()
    except (ProtectedError, RestrictedError):
        raise ValidationError(
            f"Không xóa được {member.full_name}: đã có khoản ủng hộ ghi nhận qua thành viên này.",
            code="protected",
        ) from None


# --------------------------------------------------------------------------- targets


@transaction.atomic
def targets_set(
    *,
    actor,
    campaign: Campaign,
    group_amounts: Mapping[int, int | None],
    organisation_amounts: Mapping[int, int | None],
) -> Campaign:
    """Set the sub-targets of groups and organisations in one go; None removes one."""
    require_office(actor)
    ensure_editable(campaign)
    errors = [
        "Chỉ tiêu không được âm."
        for amount in (*group_amounts.values(), *organisation_amounts.values())
        if amount is not None and amount < 0
    ]
    if errors:
        raise ValidationError(errors[0], code="negative")
    existing = {(t.group_id, t.organisation_id): t for t in campaign.targets.all()}
    wanted = {(gid, None): a for gid, a in group_amounts.items()}
    wanted |= {(None, oid): a for oid, a in organisation_amounts.items()}
    to_create, to_update, to_delete = [], [], []
    for key, amount in wanted.items():
        target = existing.get(key)
        if amount is None:
            if target is not None:
                to_delete.append(target.pk)
        elif target is None:
            to_create.append(
                Target(campaign=campaign, group_id=key[0], organisation_id=key[1], amount=amount)
            )
        elif target.amount != amount:
            to_update.append(Target(pk=target.pk, amount=amount))
    Target.objects.filter(pk__in=to_delete).delete()
    Target.objects.bulk_create(to_create)
    Target.objects.bulk_update(to_update, ["amount"])
    before = {_target_key(k): t.amount for k, t in existing.items()}
    after = {_target_key((t.group_id, t.organisation_id)): t.amount for t in campaign.targets.all()}
    after |= {key: None for key in before if key not in after}
    before, after = changed(before, after)
    if after:
        log_event(
            actor=actor,
            action=AuditAction.CAMPAIGN_TARGETS,
            obj=campaign,
            before=before,
            after=after,
        )
    return campaign


def _target_key(key: tuple[int | None, int | None]) -> str:
    group_id, organisation_id = key
    return f"group:{group_id}" if group_id is not None else f"organisation:{organisation_id}"
