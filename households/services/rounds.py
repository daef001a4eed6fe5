"""Distribution rounds (e.g. Tết gifts): many supports proposed, approved and paid in one
step each, with the same rules as one support (support.py). Each step is all or nothing:
if one household cannot be approved or paid, nothing of the step is written and the
message names the household."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from campaigns.models import Campaign
from donations.models import Account, Fund
from donations.services import GoodsOut, lock_funds, stock_check_out
from households.models import (
    DistributionRound,
    Household,
    Support,
    SupportCategory,
    SupportForm,
    SupportSource,
)
from households.services.support import approve_one, create_support, pay_one
from households.services.support_rules import (
    ItemLine,
    check_money,
    repeats,
    require_committee,
    require_treasurer,
)
from lddh.ward.access import access_for
from lddh.ward.audit import AuditAction, log_event, snapshot

ROUND_FIELDS = (
    "name",
    "campaign",
    "category",
    "form",
    "amount",
    "item",
    "source",
    "fund",
    "account",
    "programme_name",
    "filters",
)


DECISION_INPUTS = frozenset({"decision_number", "decision_date", "decision_signer"})
PAYMENT_INPUTS = frozenset({"handover_date", "witness_name"})


def _about_the_step(exc: ValidationError, fields: frozenset[str]) -> bool:
    """An error about what the person typed for the whole step, not about one household."""
    return hasattr(exc, "error_dict") and bool(fields & exc.error_dict.keys())


def _named(support: Support, exc: ValidationError) -> ValidationError:
    return ValidationError(
        f"Hộ {support.household.head_name} ({support.group.name}): " + " ".join(exc.messages)
    )


@transaction.atomic
def round_create(
    *,
    actor,
    name: str,
    campaign: Campaign,
    category: str,
    form: str,
    amount: int,
    source: str,
    households: Sequence[Household],
    item: str = "",
    item_quantity: int | None = 1,
    item_unit: str = "suất",
    fund: Fund | None = None,
    account: Account | None = None,
    programme_name: str = "",
    repeat_reason: str = "",
    filters: dict[str, Any] | None = None,
) -> DistributionRound:
    """A round and one proposed support per chosen household. A leader chooses among
    their own group's households only. In kind, each household gets ``item_quantity``
    ``item_unit`` of ``item`` (one “suất” unless said); goods named like a stock item
    leave the store when the round is handed over."""
    access = access_for(actor)
    if not (access.is_office or access.is_leader):
        raise PermissionDenied("Không có quyền lập đợt trao hỗ trợ.")
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": ["Ghi tên đợt, ví dụ “Trao quà Tết Ất Tỵ 2025”."]})
    if form not in (SupportForm.CASH, SupportForm.IN_KIND):
        raise ValidationError({"form": ["Đợt trao chỉ trao tiền mặt hoặc hiện vật."]})
    if source == SupportSource.DIRECT:
        raise ValidationError(
            {"source": ["Hỗ trợ trực tiếp của nhà hảo tâm ghi riêng cho từng hộ."]}
        )
    amount = check_money(amount)
    if amount <= 0:
        raise ValidationError({"amount": ["Mức mỗi hộ phải lớn hơn 0 đồng."]})
    item = " ".join((item or "").split())
    if form == SupportForm.IN_KIND and not item:
        raise ValidationError({"item": ["Ghi hiện vật trao, ví dụ “Suất quà Tết”."]})
    item_quantity = 1 if item_quantity is None else item_quantity
    if form == SupportForm.IN_KIND and (not isinstance(item_quantity, int) or item_quantity < 1):
        raise ValidationError({"item_quantity": ["Số lượng mỗi hộ phải từ 1 trở lên."]})
    item_unit = " ".join((item_unit or "").split()) or "suất"
    chosen = list(
        Household.objects.filter(pk__in={h.pk for h in households})
        .select_related("group")
        .order_by("group__number", "head_name", "pk")
    )
    if not chosen:
        raise ValidationError({"households": ["Chọn ít nhất một hộ."]})
    for household in chosen:
        if not access.can_edit_group(household.group_id):
            raise PermissionDenied("Chỉ chọn được hộ của tổ mình.")
        if not household.is_active:
            raise ValidationError(
                {"households": [f"Hộ {household.head_name} đã ra khỏi danh sách."]}
            )
    repeat_reason = (repeat_reason or "").strip()
    if not repeat_reason:
        already = [
            h.head_name
            for h in chosen
            if repeats(h, campaign, category, statuses=Support.STANDING).exists()
        ]
        if already:
            raise ValidationError(
                {
                    "repeat_reason": [
                        "Các hộ sau đã có hỗ trợ cùng loại trong chiến dịch này: "
                        + ", ".join(already)
                        + ". Hãy ghi lý do hỗ trợ thêm lần nữa, hoặc bỏ chọn các hộ đó."
                    ]
                }
            )
    round = DistributionRound.objects.create(
        name=name,
        campaign=campaign,
        category=category if category in SupportCategory.values else SupportCategory.GIFT,
        form=form,
        amount=amount,
        item=item if form == SupportForm.IN_KIND else "",
        source=source,
        fund=fund if source == SupportSource.FUND else None,
        account=account if source == SupportSource.FUND else None,
        programme_name=programme_name.strip() if source == SupportSource.PROGRAMME else "",
        filters=filters or {},
        created_by=actor,
    )
    description = f"{item or 'Tiền mặt'} – {name}"
    for household in chosen:
        has_repeat = repeats(household, campaign, category, statuses=Support.STANDING).exists()
        create_support(
            actor=actor,
            household=household,
            round=round,
            data={
                "campaign": campaign,
                "category": category,
                "form": form,
                "amount": amount,
                "description": description[:300],
                "source": source,
                "fund": fund,
                "account": account,
                "programme_name": programme_name,
                "items": [ItemLine(item, item_quantity, item_unit, amount)]
                if form == SupportForm.IN_KIND
                else [],
                "repeat_reason": repeat_reason if has_repeat else "",
            },
        )
    log_event(
        actor=actor,
        action=AuditAction.ROUND_CREATE,
        obj=round,
        after={**snapshot(round, ROUND_FIELDS), "households": [h.pk for h in chosen]},
    )
    return round


REVIEWED_SET_CHANGED = (
    "Danh sách hộ được trao đã thay đổi từ lúc xem lại: hãy xem lại trước khi ghi."
)


def supports_fingerprint(supports) -> str:
    """A short fingerprint of a set of supports (their ids and amounts, in any order):
    what a review of a whole round showed, so the confirmation pays that set or nothing."""
    lines = sorted(f"{support.pk}:{support.amount}" for support in supports)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def _locked_supports(round: DistributionRound, status: str) -> list[Support]:
    return list(
        Support.objects.select_for_update()
        .filter(round=round, status=status)
        .select_related("household", "group")
        .order_by("pk")
    )


@transaction.atomic
def round_approve(
    *,
    actor,
    round: DistributionRound,
    decision_number: str,
    decision_date: datetime.date,
    decision_signer: str,
) -> list[Support]:
    """Approve every proposed support of the round under one decision."""
    require_committee(actor)
    supports = _locked_supports(round, Support.Status.PROPOSED)
    if not supports:
        raise ValidationError("Đợt này không có hỗ trợ nào chờ duyệt.")
    for support in supports:
        try:
            approve_one(
                actor=actor,
                support=support,
                decision_number=decision_number,
                decision_date=decision_date,
                decision_signer=decision_signer,
                note=f"Duyệt theo đợt “{round.name}”",
            )
        except ValidationError as exc:
            if _about_the_step(exc, DECISION_INPUTS):
                raise
            raise _named(support, exc) from None
    log_event(
        actor=actor,
        action=AuditAction.ROUND_APPROVE,
        obj=round,
        after={"supports": [s.pk for s in supports], "decision_number": decision_number},
    )
    return supports


@transaction.atomic
def round_pay(
    *,
    actor,
    round: DistributionRound,
    handover_date: datetime.date,
    witness_name: str,
    reviewed: str | None = None,
) -> list[Support]:
    """Pay / hand over every approved support of the round: one ledger entry and one
    handover number per support; the head of each household is the receiver. With
    ``reviewed`` (the ``supports_fingerprint`` of the set the person reviewed), a round
    whose approved set has changed since is refused (``code="reviewed_set"``)."""
    require_treasurer(actor)
    supports = _locked_supports(round, Support.Status.APPROVED)
    if reviewed is not None and reviewed != supports_fingerprint(supports):
        raise ValidationError(REVIEWED_SET_CHANGED, code="reviewed_set")
    if not supports:
        raise ValidationError("Đợt này không có hỗ trợ nào đã duyệt chờ chi.")
    # Lock order, the same as every ledger writer: the round's fund(s) in pk order, then
    # the stock items (stock_check_out), so that a donation recorded or voided meanwhile
    # (fund, then stock items) and this round never wait on each other in a circle.
    lock_funds(s.fund_id for s in supports if s.source == SupportSource.FUND)
    # Goods from the store: the whole round or nothing, said once for the round.
    stock_check_out(
        date=handover_date,
        lines=[
            GoodsOut(i.description, i.quantity, i.unit, "households.supportitem", str(i.pk))
            for support in supports
            if support.form == SupportForm.IN_KIND and support.source == SupportSource.FUND
            for i in support.items.all()
        ],
    )
    for support in supports:
        try:
            pay_one(
                actor=actor,
                support=support,
                handover_date=handover_date,
                receiver_name=support.household.head_name,
                witness_name=witness_name,
                note=f"Trao theo đợt “{round.name}”, ký nhận trong danh sách",
            )
        except ValidationError as exc:
            if _about_the_step(exc, PAYMENT_INPUTS):
                raise
            raise _named(support, exc) from None
    log_event(
        actor=actor,
        action=AuditAction.ROUND_PAY,
        obj=round,
        after={"supports": [s.pk for s in supports], "handover_date": handover_date},
    )
    return supports
