"""The rules of a support, shared by one support (support.py) and rounds (rounds.py):
who may do what, what a support may say (amount, items, source), which attachments are
accepted, and which earlier supports make this one a repeat."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from campaigns.models import Campaign
from donations.models import Account, Donation, Fund
from households.models import (
    MAX_SUPPORT,
    Household,
    Need,
    Support,
    SupportCategory,
    SupportForm,
    SupportSource,
)
from lddh.ward.access import access_for
from lddh.ward.money import format_dong
from lddh.ward.roles import Role

DOCUMENT_TYPE = "households.support"
"""The ledger's document_type of a support payment (document_id is the support's pk)."""


MSG_NOT_PROPOSER = "Người đề xuất (hoặc người sửa gần nhất) không được tự duyệt hỗ trợ này."
MSG_NOT_APPROVER = "Người đã duyệt hỗ trợ không được tự chi; hãy để kế toán / thủ quỹ khác chi."
MSG_PROPOSE_RIGHTS = "Không có quyền đề xuất hỗ trợ cho hộ của tổ này."
MSG_COMMITTEE = "Chỉ Ban Thường trực được duyệt hoặc không duyệt hỗ trợ."
MSG_TREASURER = "Chỉ kế toán / thủ quỹ được chi và bàn giao hỗ trợ."
MSG_REPEAT = "Hộ đã được hỗ trợ cùng loại trong chiến dịch này: hãy ghi lý do hỗ trợ thêm lần nữa."
MSG_NOT_APPROVED = "Chỉ chi hỗ trợ đã được Ban Thường trực duyệt."

SUPPORT_FIELDS = (
    "household",
    "need",
    "campaign",
    "round",
    "category",
    "form",
    "amount",
    "description",
    "partner",
    "source",
    "fund",
    "account",
    "donation",
    "programme_name",
    "repeat_reason",
    "status",
)
CONTENT_FIELDS = (
    "need",
    "campaign",
    "category",
    "form",
    "amount",
    "description",
    "partner",
    "source",
    "fund",
    "account",
    "donation",
    "programme_name",
    "repeat_reason",
)
DECISION_FIELDS = (
    "status",
    "decided_by",
    "decision_number",
    "decision_date",
    "decision_signer",
    "reject_reason",
)
PAYMENT_FIELDS = (
    "status",
    "handover_date",
    "handover_number",
    "receiver_name",
    "witness_name",
    "handover_note",
    "ledger_entry",
)


@dataclass(frozen=True)
class ItemLine:
    """One line of a support in kind."""

    description: str
    quantity: int
    unit: str
    valuation: int


# ---------------------------------------------------------------- rights


def require_propose(actor, household: Household) -> None:
    access = access_for(actor)
    if not access.can_edit_group(household.group_id):
        raise PermissionDenied(MSG_PROPOSE_RIGHTS)


def require_committee(actor) -> None:
    if not access_for(actor).has(Role.COMMITTEE):
        raise PermissionDenied(MSG_COMMITTEE)


def require_treasurer(actor) -> None:
    if not access_for(actor).has(Role.TREASURER):
        raise PermissionDenied(MSG_TREASURER)


def can_propose(access, household: Household) -> bool:
    return access.can_edit_group(household.group_id)


def can_cancel(access, support: Support) -> bool:
    if support.is_proposed:
        return access.can_edit_group(support.household.group_id)
    return support.is_approved and access.has(Role.COMMITTEE)


# ---------------------------------------------------------------- validation


def check_money(amount: object, *, field: str = "amount") -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationError({field: ["Số tiền phải là số nguyên đồng."]})
    if amount < 0:
        raise ValidationError({field: ["Số tiền không được âm."]})
    if amount > MAX_SUPPORT:
        raise ValidationError(
            {field: [f"Số tiền quá lớn: mỗi khoản hỗ trợ tối đa {format_dong(MAX_SUPPORT)}."]}
        )
    return amount


def check_day(day: object, field: str, label: str) -> datetime.date:
    if not isinstance(day, datetime.date):
        raise ValidationError({field: [f"Chưa nhập {label}."]})
    if day > timezone.localdate():
        raise ValidationError({field: [f"{label.capitalize()} không được sau hôm nay."]})
    return day


def _clean_items(items: Sequence[ItemLine]) -> list[ItemLine]:
    lines = []
    for line in items:
        description = " ".join((line.description or "").split())
        if not description:
            raise ValidationError({"items": ["Mỗi dòng hiện vật phải có tên hiện vật."]})
        if isinstance(line.quantity, bool) or not isinstance(line.quantity, int):
            raise ValidationError({"items": [f"“{description}”: số lượng không hợp lệ."]})
        if line.quantity <= 0:
            raise ValidationError({"items": [f"“{description}”: số lượng phải lớn hơn 0."]})
        valuation = check_money(line.valuation, field="items")
        if valuation <= 0:
            raise ValidationError({"items": [f"“{description}”: trị giá phải lớn hơn 0 đồng."]})
        lines.append(ItemLine(description, line.quantity, (line.unit or "").strip(), valuation))
    return lines


def donation_used(donation: Donation, *, exclude_pk: int | None = None) -> int:
    """How much of a direct-support donation standing supports already account for."""
    qs = Support.objects.counted().filter(donation=donation)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.aggregate(s=Coalesce(Sum("amount"), 0))["s"]


def clean_source(data: dict[str, Any], exclude_pk: int | None) -> None:
    """Fund: a fund and an account to pay from; direct: a valid direct-support donation
    with enough left; another programme: its name. Fills data in place."""
    source = data["source"]
    if source not in SupportSource.values:
        raise ValidationError({"source": ["Nguồn hỗ trợ không hợp lệ."]})
    fund, account, donation = data.get("fund"), data.get("account"), data.get("donation")
    if source == SupportSource.FUND:
        if data["form"] == SupportForm.REFERRAL:
            raise ValidationError(
                {"source": ["Giới thiệu vay vốn, việc làm không chi tiền từ Quỹ: chọn nguồn khác."]}
            )
        if not isinstance(fund, Fund):
            raise ValidationError({"fund": ["Chọn quỹ chi hỗ trợ."]})
        if not isinstance(account, Account):
            raise ValidationError({"account": ["Chọn tài khoản / két chi hỗ trợ."]})
        if not account.active:
            raise ValidationError({"account": [f"“{account.name}” không còn sử dụng."]})
        if data["form"] == SupportForm.CASH and account.kind == Account.Kind.GOODS:
            raise ValidationError({"account": ["Hỗ trợ tiền mặt không chi từ tài khoản hiện vật."]})
        data.update(donation=None, programme_name="")
    elif source == SupportSource.DIRECT:
        if not isinstance(donation, Donation):
            raise ValidationError({"donation": ["Chọn khoản hỗ trợ trực tiếp của nhà hảo tâm."]})
        if not donation.is_direct:
            raise ValidationError(
                {"donation": ["Khoản ủng hộ này vào Quỹ, không phải hỗ trợ trực tiếp."]}
            )
        if donation.is_voided:
            raise ValidationError({"donation": ["Khoản hỗ trợ trực tiếp này đã bị hủy."]})
        left = donation.amount - donation_used(donation, exclude_pk=exclude_pk)
        if data["amount"] > left:
            raise ValidationError(
                {
                    "amount": [
                        f"Khoản hỗ trợ trực tiếp của {donation.donor} chỉ còn {format_dong(left)}, "
                        f"không ghi được {format_dong(data['amount'])}."
                    ]
                }
            )
        data.update(fund=None, account=None, programme_name="")
    else:
        name = " ".join((data.get("programme_name") or data.get("partner") or "").split())
        if not name:
            raise ValidationError({"programme_name": ["Ghi tên chương trình hoặc nguồn hỗ trợ."]})
        data.update(fund=None, account=None, donation=None, programme_name=name)


def clean_content(
    household: Household, data: dict[str, Any], *, exclude_pk: int | None = None
) -> tuple[dict[str, Any], list[ItemLine]]:
    """Validate what a support says; returns the cleaned fields and item lines."""
    data = dict(data)
    items = list(data.pop("items", None) or ())
    errors: dict[str, list[str]] = {}
    if data.get("category") not in SupportCategory.values:
        errors["category"] = ["Chọn loại hỗ trợ."]
    if data.get("form") not in SupportForm.values:
        errors["form"] = ["Chọn hình thức hỗ trợ."]
    if not isinstance(data.get("campaign"), Campaign):
        errors["campaign"] = ["Chọn chiến dịch."]
    data["description"] = " ".join((data.get("description") or "").split())
    if not data["description"]:
        errors["description"] = ["Ghi nội dung hỗ trợ, ví dụ “Hỗ trợ sửa mái nhà”."]
    need = data.get("need")
    if need is not None and (not isinstance(need, Need) or need.household_id != household.pk):
        errors["need"] = ["Nhu cầu này không thuộc hộ được hỗ trợ."]
    if errors:
        raise ValidationError(errors)
    form = data["form"]
    amount = data.get("amount")
    if form == SupportForm.IN_KIND:
        items = _clean_items(items)
        if not items:
            raise ValidationError({"items": ["Hỗ trợ hiện vật phải ghi ít nhất một hiện vật."]})
        total = sum(line.valuation for line in items)
        if amount in (None, 0):
            amount = total
        elif check_money(amount) != total:
            raise ValidationError(
                {
                    "amount": [
                        f"Tổng trị giá hiện vật ({format_dong(total)}) phải bằng số tiền hỗ trợ "
                        f"({format_dong(amount)})."
                    ]
                }
            )
    elif items:
        raise ValidationError({"items": ["Chỉ hỗ trợ hiện vật mới ghi danh sách hiện vật."]})
    amount = check_money(0 if amount is None and form == SupportForm.REFERRAL else amount)
    if form != SupportForm.REFERRAL and amount <= 0:
        raise ValidationError({"amount": ["Số tiền hỗ trợ phải lớn hơn 0 đồng."]})
    data["amount"] = amount
    data["partner"] = " ".join((data.get("partner") or "").split())
    if form == SupportForm.REFERRAL and not data["partner"]:
        raise ValidationError(
            {"partner": ["Ghi tên đơn vị nhận giới thiệu (ngân hàng, doanh nghiệp)."]}
        )
    if form != SupportForm.REFERRAL:
        data["partner"] = ""
    data["repeat_reason"] = (data.get("repeat_reason") or "").strip()
    clean_source(data, exclude_pk)
    return data, items


# ---------------------------------------------------------------- helpers


def repeats(support_or_household, campaign, category, *, exclude_pk=None, statuses=None):
    """Other supports of the same household, campaign and category that stand."""
    household_id = getattr(support_or_household, "pk", support_or_household)
    qs = Support.objects.filter(household_id=household_id, campaign=campaign, category=category)
    qs = qs.filter(status__in=statuses or (Support.Status.APPROVED, Support.Status.PAID))
    return qs.exclude(pk=exclude_pk) if exclude_pk else qs
