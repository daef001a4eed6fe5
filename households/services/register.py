"""Households: create, update, classify, exit, reactivate, import."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from households.models import (
    Category,
    Household,
    Member,
)
from households.services.common import (
    CLASSIFICATION_FIELDS,
    DESCRIPTION_FIELDS,
    HOUSEHOLD_FIELDS,
    IDENTITY_FIELDS,
    STATUS_FIELDS,
    audit_values,
    changed_sensitive,
    clean_cccd,
    require_edit,
    require_office,
    validate_classification,
    validate_identity,
)
from lddh.ward.access import access_for
from lddh.ward.audit import AuditAction, changed, log_event
from lddh.ward.models import ResidentialGroup
from lddh.ward.text import check_phone

# ---------------------------------------------------------------- households
# write_new_household, clean_household_data, apply_classification, validate_exit and
# apply_exit are the steps a direct write and an accepted proposal share; they check no
# rights, their callers do.


def write_new_household(
    *, actor, group: ResidentialGroup, data: dict[str, Any], note: str
) -> Household:
    household = Household(group=group, **data)
    household.save()
    Member.objects.create(
        household=household,
        full_name=household.head_name,
        birth_year=household.head_birth_year,
        relation=Member.Relation.HEAD,
    )
    household.save(update_fields=["search_key"])
    log_event(
        actor=actor,
        action=AuditAction.HOUSEHOLD_CREATE,
        obj=household,
        after=audit_values(household, HOUSEHOLD_FIELDS),
        note=note,
    )
    return household


def clean_household_data(
    *,
    head_name: str,
    address: str,
    head_birth_year: int | None,
    head_cccd: str,
    phone: str,
    classification: dict[str, Any],
    circumstances: str,
    income_per_person: int | None,
    plan_goal: str,
) -> dict[str, Any]:
    if income_per_person is not None and income_per_person < 0:
        raise ValidationError({"income_per_person": ["Thu nhập không được âm."]})
    if not address.strip():
        raise ValidationError({"address": ["Chưa nhập địa chỉ."]})
    return {
        "head_name": " ".join(head_name.split()),
        "address": address.strip(),
        "head_birth_year": head_birth_year,
        "head_cccd": head_cccd,
        "phone": _clean_phone_field(phone),
        **validate_classification(classification),
        "circumstances": circumstances.strip(),
        "income_per_person": income_per_person,
        "plan_goal": plan_goal.strip(),
    }


@transaction.atomic
def household_create(
    *,
    actor,
    group: ResidentialGroup,
    head_name: str,
    address: str,
    head_birth_year: int | None = None,
    head_cccd: str = "",
    phone: str = "",
    category: str = Category.NONE,
    decision_number: str = "",
    decision_year: int | None = None,
    standard: str = "",
    especially_difficult: bool = False,
    difficulty_reasons: Iterable[str] = (),
    circumstances: str = "",
    income_per_person: int | None = None,
    plan_goal: str = "",
    note: str = "",
) -> Household:
    """Ward staff enter a household directly (a leader proposes one instead)."""
    require_office(actor)
    head_cccd = _clean_cccd_field(head_cccd)
    data = clean_household_data(
        head_name=head_name,
        address=address,
        head_birth_year=head_birth_year,
        head_cccd=head_cccd,
        phone=phone,
        classification={
            "category": category,
            "decision_number": decision_number,
            "decision_year": decision_year,
            "standard": standard,
            "especially_difficult": especially_difficult,
            "difficulty_reasons": list(difficulty_reasons),
        },
        circumstances=circumstances,
        income_per_person=income_per_person,
        plan_goal=plan_goal,
    )
    validate_identity(
        group=group,
        head_name=data["head_name"],
        head_birth_year=head_birth_year,
        head_cccd=head_cccd,
    )
    return write_new_household(actor=actor, group=group, data=data, note=note)


def _clean_phone_field(value: str) -> str:
    try:
        return check_phone(value)
    except ValueError as error:
        raise ValidationError({"phone": [str(error)]}) from None


def _clean_cccd_field(value: str) -> str:
    try:
        return clean_cccd(value)
    except ValidationError as exc:
        raise ValidationError({"head_cccd": exc.messages}) from None


@transaction.atomic
def household_update(
    *,
    actor,
    household: Household,
    head_name: str,
    address: str,
    head_birth_year: int | None,
    circumstances: str,
    income_per_person: int | None,
    plan_goal: str,
    group: ResidentialGroup | None = None,
    head_cccd: str | None = None,
    phone: str | None = None,
) -> Household:
    """Identity and description. None for group, CCCD or phone means 'unchanged': a
    leader's form has none of them (they are the office's to see and to move)."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    require_edit(actor, household.group_id)
    access = access_for(actor)
    if not access.is_office and (
        head_cccd is not None or phone is not None or (group and group.pk != household.group_id)
    ):
        raise PermissionDenied("Chỉ cán bộ phường được sửa CCCD, điện thoại hoặc chuyển tổ.")
    group = group or household.group
    head_cccd = household.head_cccd if head_cccd is None else _clean_cccd_field(head_cccd)
    if income_per_person is not None and income_per_person < 0:
        raise ValidationError({"income_per_person": ["Thu nhập không được âm."]})
    if not address.strip():
        raise ValidationError({"address": ["Chưa nhập địa chỉ."]})
    head_name = " ".join(head_name.split())
    validate_identity(
        group=group,
        head_name=head_name,
        head_birth_year=head_birth_year,
        head_cccd=head_cccd,
        exclude_pk=household.pk,
    )
    fields = IDENTITY_FIELDS + DESCRIPTION_FIELDS
    before = audit_values(household, fields)
    old_raw = {f: getattr(household, f) for f in fields}
    household.group = group
    household.head_name = head_name
    household.head_birth_year = head_birth_year
    household.address = address.strip()
    household.head_cccd = head_cccd
    if phone is not None:
        household.phone = _clean_phone_field(phone)
    household.circumstances = circumstances.strip()
    household.income_per_person = income_per_person
    household.plan_goal = plan_goal.strip()
    household.save()
    household.members.filter(relation=Member.Relation.HEAD).update(
        full_name=head_name, birth_year=head_birth_year
    )
    household.save(update_fields=["search_key"])
    old, new = changed(before, audit_values(household, fields))
    for name in changed_sensitive(household, fields, old_raw):
        old[name], new[name] = "(giá trị cũ)", "(giá trị mới)"
    if new:
        log_event(
            actor=actor, action=AuditAction.HOUSEHOLD_UPDATE, obj=household, before=old, after=new
        )
    return household


def apply_classification(
    *, actor, household: Household, data: dict[str, Any], note: str
) -> Household:
    before = audit_values(household, CLASSIFICATION_FIELDS)
    for name, value in data.items():
        setattr(household, name, value)
    household.save()
    old, new = changed(before, audit_values(household, CLASSIFICATION_FIELDS))
    log_event(
        actor=actor,
        action=AuditAction.HOUSEHOLD_CLASSIFY,
        obj=household,
        before=old,
        after=new,
        note=note,
    )
    return household


@transaction.atomic
def household_classify(
    *,
    actor,
    household: Household,
    category: str,
    decision_number: str = "",
    decision_year: int | None = None,
    standard: str = "",
    especially_difficult: bool = False,
    difficulty_reasons: Iterable[str] = (),
    note: str = "",
) -> Household:
    require_office(actor)
    household = Household.objects.select_for_update().get(pk=household.pk)
    data = validate_classification(
        {
            "category": category,
            "decision_number": decision_number,
            "decision_year": decision_year,
            "standard": standard,
            "especially_difficult": especially_difficult,
            "difficulty_reasons": list(difficulty_reasons),
        }
    )
    return apply_classification(actor=actor, household=household, data=data, note=note)


def validate_exit(exit_date: datetime.date | None, reason: str) -> None:
    errors = {}
    if exit_date is None:
        errors["exit_date"] = ["Chưa nhập ngày ra khỏi danh sách."]
    elif exit_date > timezone.localdate():
        errors["exit_date"] = ["Ngày ra khỏi danh sách không được ở tương lai."]
    if not reason.strip():
        errors["exit_reason"] = ["Hãy ghi lý do, ví dụ: đã thoát nghèo, chuyển đi nơi khác."]
    if errors:
        raise ValidationError(errors)


def apply_exit(
    *, actor, household: Household, exit_date: datetime.date, reason: str, note: str
) -> Household:
    if not household.is_active:
        raise ValidationError("Hộ này đã ra khỏi danh sách.")
    before = audit_values(household, STATUS_FIELDS)
    household.status = Household.Status.EXITED
    household.exit_date = exit_date
    household.exit_reason = reason.strip()
    household.save()
    log_event(
        actor=actor,
        action=AuditAction.HOUSEHOLD_EXIT,
        obj=household,
        before=before,
        after=audit_values(household, STATUS_FIELDS),
        note=note,
    )
    return household


@transaction.atomic
def household_exit(
    *, actor, household: Household, exit_date: datetime.date | None, reason: str
) -> Household:
    require_office(actor)
    household = Household.objects.select_for_update().get(pk=household.pk)
    validate_exit(exit_date, reason)
    return apply_exit(actor=actor, household=household, exit_date=exit_date, reason=reason, note="")


@transaction.atomic
def household_reactivate(*, actor, household: Household, note: str) -> Household:
    """Back on the list (an exit made by mistake, or hardship again)."""
    require_office(actor)
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.is_active:
        raise ValidationError("Hộ này đang trong danh sách.")
    if not note.strip():
        raise ValidationError({"note": ["Hãy ghi lý do đưa hộ trở lại danh sách."]})
    before = audit_values(household, STATUS_FIELDS)
    household.status = Household.Status.ACTIVE
    household.exit_date = None
    household.exit_reason = ""
    household.save()
    log_event(
        actor=actor,
        action=AuditAction.HOUSEHOLD_REACTIVATE,
        obj=household,
        before=before,
        after=audit_values(household, STATUS_FIELDS),
        note=note.strip(),
    )
    return household


@transaction.atomic
def household_import(*, actor, rows: Iterable[dict[str, Any]], filename: str) -> list[Household]:
    """Create the new households of a checked import, all or none. Each row is checked
    again here: the register may have changed since the preview."""
    require_office(actor)
    created = []
    for row in rows:
        data = dict(row)
        line = data.pop("line")
        group = data.pop("group")
        data["head_cccd"] = _clean_cccd_field(data.get("head_cccd") or "")
        try:
            validate_identity(
                group=group,
                head_name=data["head_name"],
                head_birth_year=data["head_birth_year"],
                head_cccd=data["head_cccd"],
            )
            household_data = clean_household_data(
                head_name=data["head_name"],
                address=data["address"],
                head_birth_year=data["head_birth_year"],
                head_cccd=data["head_cccd"],
                phone=data.get("phone") or "",
                classification={k: data.get(k) for k in CLASSIFICATION_FIELDS},
                circumstances=data.get("circumstances") or "",
                income_per_person=data.get("income_per_person"),
                plan_goal="",
            )
        except ValidationError as exc:
            raise ValidationError(f"Dòng {line}: {'; '.join(exc.messages)}") from None
        created.append(
            write_new_household(
                actor=actor,
                group=group,
                data=household_data,
                note=f"Nhập từ tệp {filename}, dòng {line}",
            )
        )
    return created
