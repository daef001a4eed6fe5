"""A household's members, needs and support plan."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from households.models import (
    Household,
    Member,
    Need,
    PlanItem,
)
from households.services.common import (
    MEMBER_FIELDS,
    NEED_FIELDS,
    PLAN_FIELDS,
    audit_values,
    changed_sensitive,
    check_birth_year,
    require_edit,
)
from lddh.ward.access import access_for
from lddh.ward.audit import AuditAction, changed, log_event, snapshot

# ---------------------------------------------------------------- members, needs, plan


def _validate_member(data: dict[str, Any]) -> None:
    errors = {}
    if not (data.get("full_name") or "").strip():
        errors["full_name"] = ["Chưa nhập họ tên."]
    try:
        check_birth_year(data.get("birth_year"))
    except ValidationError as exc:
        errors["birth_year"] = exc.messages
    if errors:
        raise ValidationError(errors)


def _member_values(member: Member) -> dict[str, Any]:
    return {"member": member.pk, **audit_values(member, MEMBER_FIELDS)}


@transaction.atomic
def member_add(*, actor, household: Household, **data: Any) -> Member:
    """data: the fields of MEMBER_FIELDS (health_note only from office staff)."""
    require_edit(actor, household.group_id)
    _check_member_fields(actor, data)
    _validate_member(data)
    member = Member.objects.create(household=household, **data)
    household.save(update_fields=["search_key"])
    log_event(
        actor=actor,
        action=AuditAction.HOUSEHOLD_MEMBER_ADD,
        obj=household,
        after=_member_values(member),
    )
    return member


def _check_member_fields(actor, data: dict[str, Any]) -> None:
    unknown = set(data) - set(MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"unknown member fields: {sorted(unknown)}")
    if "health_note" in data and not access_for(actor).sees_personal_data:
        raise PermissionDenied("Chỉ cán bộ phường được ghi chú sức khỏe.")


@transaction.atomic
def member_update(*, actor, member: Member, **data: Any) -> Member:
    """The values before are read from the stored row (locked), never from ``member``,
    which a form may already have changed."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    household = member.household
    require_edit(actor, household.group_id)
    _check_member_fields(actor, data)
    merged = {**snapshot(member, MEMBER_FIELDS), **data}
    _validate_member(merged)
    before = _member_values(member)
    old_raw = {f: getattr(member, f) for f in MEMBER_FIELDS}
    for name, value in data.items():
        setattr(member, name, value)
    member.save()
    if member.relation == Member.Relation.HEAD and (
        member.full_name != household.head_name or member.birth_year != household.head_birth_year
    ):
        household.head_name = member.full_name
        household.head_birth_year = member.birth_year
    household.save()
    old, new = changed(before, _member_values(member))
    for name in changed_sensitive(member, MEMBER_FIELDS, old_raw):
        old[name], new[name] = "(giá trị cũ)", "(giá trị mới)"
    if new:
        new["member"] = old["member"] = member.pk
        log_event(
            actor=actor,
            action=AuditAction.HOUSEHOLD_MEMBER_UPDATE,
            obj=household,
            before=old,
            after=new,
        )
    return member


@transaction.atomic
def member_remove(*, actor, member: Member, reason: str = "") -> Household:
    household = member.household
    require_edit(actor, household.group_id)
    if member.relation == Member.Relation.HEAD:
        raise ValidationError("Không xóa chủ hộ; hãy sửa thông tin chủ hộ hoặc đổi chủ hộ.")
    before = _member_values(member)
    member.delete()
    household.save(update_fields=["search_key"])
    log_event(
        actor=actor,
        action=AuditAction.HOUSEHOLD_MEMBER_REMOVE,
        obj=household,
        before=before,
        note=reason,
    )
    return household


def _validate_need(data: dict[str, Any]) -> None:
    if (data.get("estimated_cost") or 0) < 0:
        raise ValidationError({"estimated_cost": ["Dự toán không được âm."]})


@transaction.atomic
def need_add(
    *,
    actor,
    household: Household,
    type: str,
    description: str = "",
    estimated_cost: int = 0,
    priority: int = Need.Priority.MEDIUM,
    status: str = Need.Status.OPEN,
) -> Need:
    require_edit(actor, household.group_id)
    data = {
        "type": type,
        "description": description.strip(),
        "estimated_cost": estimated_cost or 0,
        "priority": priority,
        "status": status,
    }
    _validate_need(data)
    need = Need.objects.create(household=household, **data)
    log_event(
        actor=actor,
        action=AuditAction.HOUSEHOLD_NEED_ADD,
        obj=household,
        after={"need": need.pk, **snapshot(need, NEED_FIELDS)},
    )
    return need


@transaction.atomic
def need_update(*, actor, need: Need, **data: Any) -> Need:
    """The values before are read from the stored row (locked), as for members."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    household = need.household
    require_edit(actor, household.group_id)
    if set(data) - set(NEED_FIELDS):
        raise TypeError(f"unknown need fields: {sorted(set(data) - set(NEED_FIELDS))}")
    if "estimated_cost" in data:
        data["estimated_cost"] = data["estimated_cost"] or 0
    _validate_need(data)
    before = snapshot(need, NEED_FIELDS)
    for name, value in data.items():
        setattr(need, name, value)
    need.save()
    old, new = changed(before, snapshot(need, NEED_FIELDS))
    if new:
        log_event(
            actor=actor,
            action=AuditAction.HOUSEHOLD_NEED_UPDATE,
            obj=household,
            before={"need": need.pk, **old},
            after={"need": need.pk, **new},
        )
    return need


def _validate_plan(household: Household, data: dict[str, Any]) -> None:
    errors = {}
    if not (data.get("action") or "").strip():
        errors["action"] = ["Chưa ghi việc cần làm."]
    if not (data.get("responsible") or "").strip():
        errors["responsible"] = ["Chưa ghi ai thực hiện."]
    need = data.get("need")
    if need is not None and need.household_id != household.pk:
        errors["need"] = ["Nhu cầu này không thuộc hộ."]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_item_add(
    *,
    actor,
    household: Household,
    action: str,
    responsible: str,
    due_date: datetime.date | None = None,
    need: Need | None = None,
    status: str = PlanItem.Status.PLANNED,
) -> PlanItem:
    require_edit(actor, household.group_id)
    data = {
        "action": action.strip(),
        "responsible": responsible.strip(),
        "due_date": due_date,
        "need": need,
        "status": status,
    }
    _validate_plan(household, data)
    item = PlanItem.objects.create(household=household, **data)
    if need is not None and need.status == Need.Status.OPEN:
        need_update(actor=actor, need=need, status=Need.Status.PLANNED)
    log_event(
        actor=actor,
        action=AuditAction.HOUSEHOLD_PLAN_ADD,
        obj=household,
        after={"plan_item": item.pk, **snapshot(item, PLAN_FIELDS)},
    )
    return item


@transaction.atomic
def plan_item_update(*, actor, item: PlanItem, **data: Any) -> PlanItem:
    """The values before are read from the stored row (locked), as for members."""
    item = PlanItem.objects.select_for_update().get(pk=item.pk)
    household = item.household
    require_edit(actor, household.group_id)
    if set(data) - set(PLAN_FIELDS):
        raise TypeError(f"unknown plan fields: {sorted(set(data) - set(PLAN_FIELDS))}")
    merged = {**{f: getattr(item, f) for f in PLAN_FIELDS}, **data}
    _validate_plan(household, merged)
    before = snapshot(item, PLAN_FIELDS)
    for name, value in data.items():
        setattr(item, name, value)
    item.save()
    old, new = changed(before, snapshot(item, PLAN_FIELDS))
    if new:
        log_event(
            actor=actor,
            action=AuditAction.HOUSEHOLD_PLAN_UPDATE,
            obj=household,
            before={"plan_item": item.pk, **old},
            after={"plan_item": item.pk, **new},
        )
    return item
