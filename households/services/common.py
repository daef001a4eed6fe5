"""Validation, rights and audit values shared by the services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from households.models import (
    Category,
    DifficultyReason,
    Household,
    Standard,
)
from lddh.ward.access import access_for
from lddh.ward.audit import snapshot
from lddh.ward.models import ResidentialGroup
from lddh.ward.text import normalise

SENSITIVE_FIELDS = frozenset({"head_cccd", "phone", "health_note"})
"""Never copied into the audit log: it records that they changed, not their values."""

IDENTITY_FIELDS = ("group", "head_name", "head_birth_year", "address", "head_cccd", "phone")
CLASSIFICATION_FIELDS = (
    "category",
    "decision_number",
    "decision_year",
    "standard",
    "especially_difficult",
    "difficulty_reasons",
)
DESCRIPTION_FIELDS = ("circumstances", "income_per_person", "plan_goal")
STATUS_FIELDS = ("status", "exit_date", "exit_reason")
HOUSEHOLD_FIELDS = IDENTITY_FIELDS + CLASSIFICATION_FIELDS + DESCRIPTION_FIELDS + STATUS_FIELDS
MEMBER_FIELDS = (
    "full_name",
    "birth_year",
    "relation",
    "is_student",
    "school",
    "grade",
    "is_disabled",
    "is_seriously_ill",
    "health_note",
    "is_elderly",
    "is_working",
)
NEED_FIELDS = ("type", "description", "estimated_cost", "priority", "status")
PLAN_FIELDS = ("need", "action", "responsible", "due_date", "status")

MSG_CCCD = "Số CCCD phải gồm đúng 12 chữ số."
MSG_CCCD_TAKEN = "Số CCCD này đã có trong danh sách."
MSG_YEAR_FUTURE = "Năm sinh không được ở tương lai."
MSG_YEAR_OLD = "Năm sinh không hợp lệ: phải từ năm 1900."
MSG_NOT_CLASSIFIED = (
    "Hộ chưa có quyết định công nhận hộ nghèo, cận nghèo thì phải có hoàn cảnh đặc biệt khó "
    "khăn: hãy chọn ít nhất một lý do khó khăn, hoặc chọn phân loại chính thức nếu hộ đã "
    "được công nhận."
)
MSG_NOT_PROPOSER = "Người đề xuất không được tự duyệt đề xuất của mình."


# ---------------------------------------------------------------- validation


def clean_cccd(value: str | None) -> str:
    """'001 085 012 345' → '001085012345'; anything but 12 digits is refused."""
    digits = "".join((value or "").split()).replace(".", "")
    if digits and not (len(digits) == 12 and digits.isascii() and digits.isdigit()):
        raise ValidationError(MSG_CCCD, code="cccd")
    return digits


def check_birth_year(year: int | None) -> None:
    if year is None:
        return
    if year > timezone.localdate().year:
        raise ValidationError(MSG_YEAR_FUTURE, code="future")
    if year < 1900:
        raise ValidationError(MSG_YEAR_OLD, code="too_old")


def find_duplicate(
    *,
    group: ResidentialGroup,
    head_name: str,
    head_birth_year: int | None,
    head_cccd: str = "",
    exclude_pk: int | None = None,
) -> tuple[str, Household] | None:
    """The household this one would duplicate, and the field that shows it."""
    others = Household.objects.exclude(pk=exclude_pk) if exclude_pk else Household.objects
    if head_cccd:
        match = others.filter(head_cccd=head_cccd).select_related("group").first()
        if match:
            return "head_cccd", match
    key = normalise(head_name)
    candidates = others.filter(group=group, head_birth_year=head_birth_year).select_related("group")
    for candidate in candidates:
        if normalise(candidate.head_name) == key:
            return "head_name", candidate
    return None


def duplicate_message(household: Household) -> str:
    year = f", sinh năm {household.head_birth_year}" if household.head_birth_year else ""
    return (
        f"Hộ của ông/bà {household.head_name}{year} đã có trong danh sách "
        f"{household.group.name.lower()} (hồ sơ số {household.pk}). Hãy mở hồ sơ đó thay vì "
        "tạo hộ mới."
    )


def validate_identity(
    *,
    group: ResidentialGroup,
    head_name: str,
    head_birth_year: int | None,
    head_cccd: str,
    exclude_pk: int | None = None,
) -> None:
    errors: dict[str, list[str]] = {}
    if not head_name.strip():
        errors["head_name"] = ["Chưa nhập họ tên chủ hộ."]
    try:
        check_birth_year(head_birth_year)
    except ValidationError as exc:
        errors["head_birth_year"] = exc.messages
    if errors:
        raise ValidationError(errors)
    duplicate = find_duplicate(
        group=group,
        head_name=head_name,
        head_birth_year=head_birth_year,
        head_cccd=head_cccd,
        exclude_pk=exclude_pk,
    )
    if duplicate:
        field, household = duplicate
        if field == "head_cccd":
            raise ValidationError({"head_cccd": [MSG_CCCD_TAKEN]})
        raise ValidationError({"head_name": [duplicate_message(household)]})


def validate_classification(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if data.get("category") not in Category.values:
        errors["category"] = ["Phân loại không hợp lệ."]
    if data.get("standard") and data["standard"] not in Standard.values:
        errors["standard"] = ["Chuẩn áp dụng không hợp lệ."]
    reasons = list(dict.fromkeys(data.get("difficulty_reasons") or []))
    if any(code not in DifficultyReason.values for code in reasons):
        errors["difficulty_reasons"] = ["Lý do khó khăn không hợp lệ."]
    year = data.get("decision_year")
    if year is not None and not (2000 <= year <= timezone.localdate().year + 1):
        errors["decision_year"] = ["Năm quyết định không hợp lệ."]
    if data.get("especially_difficult") and not reasons:
        errors["difficulty_reasons"] = ["Chọn ít nhất một lý do hoàn cảnh đặc biệt khó khăn."]
    if data.get("category") == Category.NONE and not data.get("especially_difficult"):
        errors["difficulty_reasons"] = [MSG_NOT_CLASSIFIED]
    if errors:
        raise ValidationError(errors)
    return {
        "category": data["category"],
        "decision_number": (data.get("decision_number") or "").strip(),
        "decision_year": year,
        "standard": data.get("standard") or "",
        "especially_difficult": bool(data.get("especially_difficult")),
        "difficulty_reasons": reasons if data.get("especially_difficult") else [],
    }


# ---------------------------------------------------------------- rights


def require_office(actor) -> None:
    if not access_for(actor).is_office:
        raise PermissionDenied("Chỉ cán bộ Mặt trận phường và Ban Thường trực.")


def require_edit(actor, group_id: int) -> None:
    if not access_for(actor).can_edit_group(group_id):
        raise PermissionDenied("Không có quyền sửa hộ của tổ này.")


def audit_values(obj, fields: Iterable[str]) -> dict[str, Any]:
    """snapshot() with sensitive values replaced by whether they are filled in."""
    values = snapshot(obj, fields)
    for name in SENSITIVE_FIELDS & values.keys():
        values[name] = "(đã ghi)" if values[name] else "(trống)"
    return values


def changed_sensitive(obj, fields: Iterable[str], old: dict[str, Any]) -> list[str]:
    return [f for f in fields if f in SENSITIVE_FIELDS and getattr(obj, f) != old[f]]
