"""Support for a household (docs/domain.md §5): proposed → approved or rejected → paid /
handed over → followed up; edited (an approved one goes back to proposed) or cancelled.

Who may do what is checked here, not only in the views:
- propose, edit: ward staff, the standing committee, or a leader for their own group;
- approve, reject: the standing committee only, never who proposed or last edited it;
- pay / hand over: the treasurer only, never who approved it;
- follow up: ward staff, the committee or the group's leader.

Money leaves the fund only in support_pay(), through donations.services.fund_pay_out()
in the same transaction: the fund's row lock makes two payments of the last đồng see
each other, and a refusal rolls back everything (no support marked paid, no number
taken, no ledger entry). Lock order, the same everywhere: support rows (by pk) → fund
(inside fund_pay_out) → handover counter.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from campaigns.models import Campaign
from donations.models import Account, Donation, Fund
from donations.services import GoodsOut, fund_pay_out, stock_take_out
from households.models import (
    FollowUp,
    HandoverCounter,
    Household,
    Need,
    Posting,
    Support,
    SupportAttachment,
    SupportForm,
    SupportItem,
    SupportSource,
)
from households.services.meetings import posting_blocking, posting_refusal
from households.services.support_rules import (
    CONTENT_FIELDS,
    DECISION_FIELDS,
    DOCUMENT_TYPE,
    MSG_NOT_APPROVED,
    MSG_NOT_APPROVER,
    MSG_NOT_PROPOSER,
    MSG_PROPOSE_RIGHTS,
    MSG_REPEAT,
    PAYMENT_FIELDS,
    SUPPORT_FIELDS,
    ItemLine,
    can_cancel,
    check_day,
    clean_content,
    clean_source,
    repeats,
    require_committee,
    require_propose,
    require_treasurer,
)
from lddh.ward.access import access_for
from lddh.ward.audit import AuditAction, changed, log_event, snapshot
from lddh.ward.roles import Role
from lddh.ward.uploads import check_upload


def _values(support: Support) -> dict[str, Any]:
    values = snapshot(support, SUPPORT_FIELDS)
    values["items"] = [
        [i.description, i.quantity, i.unit, i.valuation] for i in support.items.all()
    ]
    return values


def _lock(support: Support) -> Support:
    return Support.objects.select_for_update().get(pk=support.pk)


def _write_items(support: Support, items: Sequence[ItemLine]) -> None:
    support.items.all().delete()
    SupportItem.objects.bulk_create(
        SupportItem(
            support=support,
            description=i.description,
            quantity=i.quantity,
            unit=i.unit,
            valuation=i.valuation,
        )
        for i in items
    )


def create_support(*, actor, household: Household, data: dict[str, Any], round=None) -> Support:
    """Write one proposed support (the caller is atomic and has checked the rights)."""
    data, items = clean_content(household, data)
    support = Support.objects.create(
        household=household,
        group_id=household.group_id,
        round=round,
        status=Support.Status.PROPOSED,
        proposed_by=actor,
        proposed_at=timezone.now(),
        **data,
    )
    _write_items(support, items)
    log_event(actor=actor, action=AuditAction.SUPPORT_PROPOSE, obj=support, after=_values(support))
    return support


# ---------------------------------------------------------------- the workflow


@transaction.atomic
def support_propose(
    *,
    actor,
    household: Household,
    campaign: Campaign,
    category: str,
    form: str,
    amount: int | None,
    description: str,
    source: str,
    need: Need | None = None,
    partner: str = "",
    fund: Fund | None = None,
    account: Account | None = None,
    donation: Donation | None = None,
    programme_name: str = "",
    items: Sequence[ItemLine] = (),
    repeat_reason: str = "",
) -> Support:
    """A proposal of support for one household, waiting for the standing committee."""
    household = Household.objects.select_related("group").get(pk=household.pk)
    require_propose(actor, household)
    return create_support(
        actor=actor,
        household=household,
        data={
            "campaign": campaign,
            "category": category,
            "form": form,
            "amount": amount,
            "description": description,
            "source": source,
            "need": need,
            "partner": partner,
            "fund": fund,
            "account": account,
            "donation": donation,
            "programme_name": programme_name,
            "items": items,
            "repeat_reason": repeat_reason,
        },
    )


@transaction.atomic
def support_update(*, actor, support: Support, **data: Any) -> Support:
    """Change what a proposed or approved support says. An approved support goes back to
    proposed (its decision no longer covers what it says) and is decided again."""
    support = _lock(support)
    household = support.household
    require_propose(actor, household)
    if not support.is_editable:
        raise ValidationError(
            f"Hỗ trợ đang ở trạng thái “{support.get_status_display()}”: không sửa được."
        )
    content = {name: data.get(name, getattr(support, name)) for name in CONTENT_FIELDS}
    if "items" in data:
        content["items"] = data["items"]
    else:
        content["items"] = [
            ItemLine(i.description, i.quantity, i.unit, i.valuation) for i in support.items.all()
        ]
    cleaned, items = clean_content(household, content, exclude_pk=support.pk)
    before = {**_values(support), **snapshot(support, DECISION_FIELDS)}
    for name, value in cleaned.items():
        setattr(support, name, value)
    was_approved = support.is_approved
    if was_approved:
        support.status = Support.Status.PROPOSED
        support.decided_by = None
        support.decided_at = None
        support.decision_number = ""
        support.decision_date = None
        support.decision_signer = ""
    support.edited_by = actor
    support.save()
    _write_items(support, items)
    old, new = changed(before, {**_values(support), **snapshot(support, DECISION_FIELDS)})
    if new:
        log_event(
            actor=actor,
            action=AuditAction.SUPPORT_UPDATE,
            obj=support,
            before=old,
            after=new,
            note="Đã duyệt, sửa lại nên chờ duyệt lại" if was_approved else "",
        )
    return support


def _check_decision(actor, support: Support) -> None:
    if not support.is_proposed:
        raise ValidationError(
            f"Hỗ trợ này đang ở trạng thái “{support.get_status_display()}”, không chờ duyệt."
        )
    if actor.pk in (support.proposed_by_id, support.edited_by_id):
        raise ValidationError(MSG_NOT_PROPOSER)


def approve_one(
    *,
    actor,
    support: Support,
    decision_number: str,
    decision_date: datetime.date,
    decision_signer: str,
    repeat_reason: str = "",
    note: str = "",
    posting_reason: str = "",
) -> Support:
    """Approve a locked support (the caller is atomic and has checked the role). A
    household on a review posting whose window is not over, or that has an open
    objection, needs the committee's written reason (``posting_reason``)."""
    _check_decision(actor, support)
    errors: dict[str, list[str]] = {}
    decision_number = " ".join((decision_number or "").split())
    if not decision_number:
        errors["decision_number"] = ["Ghi số quyết định, ví dụ 15/QĐ-BVĐ."]
    elif "/QĐ" not in decision_number.upper():
        errors["decision_number"] = ["Số quyết định có dạng “số/QĐ-…”, ví dụ 15/QĐ-BVĐ."]
    decision_signer = " ".join((decision_signer or "").split())
    if not decision_signer:
        errors["decision_signer"] = ["Ghi họ tên người ký quyết định."]
    if errors:
        raise ValidationError(errors)
    decision_date = check_day(decision_date, "decision_date", "ngày quyết định")
    reason = (repeat_reason or "").strip() or support.repeat_reason
    others = repeats(
        support.household_id, support.campaign_id, support.category, exclude_pk=support.pk
    )
    if not reason and others.exists():
        raise ValidationError({"repeat_reason": [MSG_REPEAT]})
    posting_reason = (posting_reason or "").strip()
    blocking = posting_blocking(support)
    if blocking is not None and not posting_reason:
        raise ValidationError({"posting_reason": [posting_refusal(blocking)]})
    if support.source == SupportSource.DIRECT:
        # Another support may have used the donation since this one was proposed.
        current = {"source": support.source, "form": support.form, "amount": support.amount}
        clean_source({**current, "donation": support.donation}, support.pk)
    before = snapshot(support, (*DECISION_FIELDS, "repeat_reason", "posting_reason"))
    support.posting_reason = posting_reason if blocking is not None else ""
    support.status = Support.Status.APPROVED
    support.decided_by = actor
    support.decided_at = timezone.now()
    support.decision_number = decision_number
    support.decision_date = decision_date
    support.decision_signer = decision_signer
    support.repeat_reason = reason
    support.save()
    log_event(
        actor=actor,
        action=AuditAction.SUPPORT_APPROVE,
        obj=support,
        before=before,
        after={
            **snapshot(support, (*DECISION_FIELDS, "repeat_reason", "posting_reason")),
            **(
                {"posting": blocking.pk}
                if isinstance(blocking, Posting)
                else {"meeting": blocking.pk}
                if blocking is not None
                else {}
            ),
        },
        note=note.strip(),
    )
    return support


@transaction.atomic
def support_approve(
    *,
    actor,
    support: Support,
    decision_number: str,
    decision_date: datetime.date,
    decision_signer: str,
    repeat_reason: str = "",
    note: str = "",
    posting_reason: str = "",
) -> Support:
    require_committee(actor)
    return approve_one(
        actor=actor,
        support=_lock(support),
        decision_number=decision_number,
        decision_date=decision_date,
        decision_signer=decision_signer,
        repeat_reason=repeat_reason,
        note=note,
        posting_reason=posting_reason,
    )


@transaction.atomic
def support_reject(*, actor, support: Support, reason: str) -> Support:
    require_committee(actor)
    support = _lock(support)
    _check_decision(actor, support)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Ghi lý do không duyệt để người đề xuất biết."]})
    before = snapshot(support, DECISION_FIELDS)
    support.status = Support.Status.REJECTED
    support.decided_by = actor
    support.decided_at = timezone.now()
    support.reject_reason = reason
    support.save()
    log_event(
        actor=actor,
        action=AuditAction.SUPPORT_REJECT,
        obj=support,
        before=before,
        after=snapshot(support, DECISION_FIELDS),
        note=reason,
    )
    return support


def _take_handover_number(year: int) -> str:
    """The next handover record number of a year: locked counter row, so numbers have
    no gap and no duplicate; a rolled-back payment gives its number back."""
    return handover_numbers_reserve(year=year, count=1)[0]


def handover_numbers_reserve(*, year: int, count: int) -> list[str]:
    """Reserve ``count`` consecutive handover record numbers of a year (``BB-2024-0001``)
    under the year's locked counter row, held until the caller's transaction commits:
    the one number of a payment, or a block for a bulk writer of paid supports."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("handover_numbers_reserve needs the caller's transaction")
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError("count must be a positive integer")
    HandoverCounter.objects.bulk_create([HandoverCounter(year=year, last=0)], ignore_conflicts=True)
    counter = HandoverCounter.objects.select_for_update().get(year=year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return [f"BB-{year}-{n:04d}" for n in range(first, first + count)]


def _recipient(household: Household) -> dict[str, Any]:
    return {
        "head_name": household.head_name,
        "address": household.address,
        "group": household.group.name,
        "group_number": household.group.number,
    }


def pay_one(
    *,
    actor,
    support: Support,
    handover_date: datetime.date,
    receiver_name: str,
    witness_name: str,
    note: str = "",
) -> Support:
    """Pay or hand over a locked support (the caller is atomic and checked the role)."""
    if support.is_paid:
        raise ValidationError(
            f"Hỗ trợ này đã được chi (biên bản số {support.handover_number}); không chi lần nữa."
        )
    if not support.is_approved:
        raise ValidationError(MSG_NOT_APPROVED)
    if actor.pk == support.decided_by_id:
        raise ValidationError(MSG_NOT_APPROVER)
    handover_date = check_day(handover_date, "handover_date", "ngày chi / bàn giao")
    if support.decision_date and handover_date < support.decision_date:
        raise ValidationError(
            {"handover_date": ["Ngày chi / bàn giao không được trước ngày quyết định."]}
        )
    errors: dict[str, list[str]] = {}
    receiver_name = " ".join((receiver_name or "").split())
    witness_name = " ".join((witness_name or "").split())
    if not receiver_name:
        errors["receiver_name"] = ["Ghi họ tên người nhận."]
    if not witness_name:
        errors["witness_name"] = ["Ghi họ tên người chứng kiến (đại diện tổ dân phố)."]
    if errors:
        raise ValidationError(errors)
    household = Household.objects.select_related("group").get(pk=support.household_id)
    before = snapshot(support, PAYMENT_FIELDS)
    if support.moves_fund:
        support.ledger_entry = fund_pay_out(
            actor=actor,
            fund=support.fund,
            account=support.account,
            amount=support.amount,
            date=handover_date,
            document_type=DOCUMENT_TYPE,
            document_id=str(support.pk),
            description=(
                f"Chi hỗ trợ {support.get_category_display().lower()} hộ {household.head_name} "
                f"({household.group.name}), QĐ số {support.decision_number}"
            ),
        )
    if support.form == SupportForm.IN_KIND and support.source == SupportSource.FUND:
        # Goods from the fund's store leave it now, after the fund (the lock order).
        stock_take_out(
            actor=actor,
            lines=[
                GoodsOut(i.description, i.quantity, i.unit, "households.supportitem", str(i.pk))
                for i in support.items.all()
            ],
            date=handover_date,
            description=f"Trao hỗ trợ hộ {household.head_name} ({household.group.name})",
        )
    support.handover_number = _take_handover_number(handover_date.year)
    support.status = Support.Status.PAID
    support.paid_by = actor
    support.paid_at = timezone.now()
    support.handover_date = handover_date
    support.receiver_name = receiver_name
    support.witness_name = witness_name
    support.handover_note = (note or "").strip()
    support.recipient = _recipient(household)
    support.save()
    log_event(
        actor=actor,
        action=AuditAction.SUPPORT_PAY,
        obj=support,
        before=before,
        after=snapshot(support, PAYMENT_FIELDS),
        note=support.handover_note,
    )
    return support


def _store_attachment(*, actor, support: Support, checked, name: str, note: str = ""):
    attachment = SupportAttachment(support=support).store(
        checked, name=name, note=note, actor=actor
    )
    log_event(
        actor=actor,
        action=AuditAction.SUPPORT_ATTACH,
        obj=support,
        after={
            "attachment": attachment.pk,
            "name": attachment.original_name,
            "sha256": attachment.sha256,
        },
        note=attachment.note,
    )
    return attachment


@transaction.atomic
def support_pay(
    *,
    actor,
    support: Support,
    handover_date: datetime.date,
    receiver_name: str,
    witness_name: str,
    note: str = "",
    attachment=None,
) -> Support:
    """Pay (cash) or hand over (goods, referral) an approved support, with the next
    handover record number. From the fund, the ledger entry is written in the same
    transaction and refused when the fund or the account would go negative."""
    require_treasurer(actor)
    checked = check_upload(attachment) if attachment is not None else None
    support = pay_one(
        actor=actor,
        support=_lock(support),
        handover_date=handover_date,
        receiver_name=receiver_name,
        witness_name=witness_name,
        note=note,
    )
    if checked is not None:
        _store_attachment(
            actor=actor,
            support=support,
            checked=checked,
            name=attachment.name,
            note="Biên bản bàn giao đã ký",
        )
    return support


@transaction.atomic
def support_attach(*, actor, support: Support, upload, note: str = "") -> SupportAttachment:
    """Add a scan of the signed record or a photo (append-only: never replaced)."""
    access = access_for(actor)
    if not (access.has(Role.TREASURER) or access.is_office):
        raise PermissionDenied("Chỉ kế toán, cán bộ phường hoặc Ban Thường trực đính kèm tệp.")
    support = _lock(support)
    if support.status not in (Support.Status.APPROVED, Support.Status.PAID):
        raise ValidationError("Chỉ đính kèm tệp cho hỗ trợ đã duyệt hoặc đã chi.")
    checked = check_upload(upload)
    return _store_attachment(
        actor=actor, support=support, checked=checked, name=upload.name, note=note
    )


@transaction.atomic
def support_follow_up(
    *, actor, support: Support, date: datetime.date, status: str, note: str = ""
) -> FollowUp:
    """A visit after the handover (house completed, item still in use); many allowed."""
    support = _lock(support)
    if not access_for(actor).can_edit_group(support.household.group_id):
        raise PermissionDenied("Không có quyền ghi theo dõi hỗ trợ của tổ này.")
    if not support.is_paid:
        raise ValidationError("Chỉ theo dõi hỗ trợ đã chi / bàn giao.")
    if status not in FollowUp.Status.values:
        raise ValidationError({"status": ["Chọn tình trạng."]})
    date = check_day(date, "date", "ngày theo dõi")
    if date < support.handover_date:
        raise ValidationError({"date": ["Ngày theo dõi không được trước ngày bàn giao."]})
    follow_up = FollowUp.objects.create(
        support=support, date=date, status=status, note=(note or "").strip(), recorded_by=actor
    )
    log_event(
        actor=actor,
        action=AuditAction.SUPPORT_FOLLOW_UP,
        obj=support,
        after={"date": date, "status": status, "note": follow_up.note},
        note=follow_up.note,
    )
    return follow_up


@transaction.atomic
def support_cancel(*, actor, support: Support, reason: str) -> Support:
    """Cancel a support not yet paid; the record stays, with who and why. A proposed one:
    office or the group's leader; an approved one: the standing committee."""
    support = _lock(support)
    if support.is_paid:
        raise ValidationError(
            "Hỗ trợ đã chi không hủy được; sai sót phải điều chỉnh bằng bút toán đảo."
        )
    if not support.is_editable:
        raise ValidationError(
            f"Hỗ trợ đang ở trạng thái “{support.get_status_display()}”: không cần hủy."
        )
    if not can_cancel(access_for(actor), support):
        raise PermissionDenied(
            "Hỗ trợ đã duyệt chỉ Ban Thường trực được hủy."
            if support.is_approved
            else MSG_PROPOSE_RIGHTS
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Ghi lý do hủy."]})
    before = snapshot(support, ("status",))
    support.status = Support.Status.CANCELLED
    support.cancelled_by = actor
    support.cancelled_at = timezone.now()
    support.cancel_reason = reason
    support.save()
    log_event(
        actor=actor,
        action=AuditAction.SUPPORT_CANCEL,
        obj=support,
        before=before,
        after={"status": support.status, "cancel_reason": reason},
        note=reason,
    )
    return support


@transaction.atomic
def household_set_public_consent(
    *, actor, household: Household, consent: bool, head_title: str
) -> Household:
    """Record whether the household agrees to appear on the public pages as initials
    ("Hộ bà N.T.H., tổ 5"); without consent it is only counted."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    if not access_for(actor).can_edit_group(household.group_id):
        raise PermissionDenied("Không có quyền sửa hộ của tổ này.")
    if head_title not in Household.Title.values:
        raise ValidationError({"head_title": ["Cách gọi không hợp lệ."]})
    fields = ("public_consent", "head_title")
    before = snapshot(household, fields)
    household.public_consent = bool(consent)
    household.head_title = head_title
    household.save(update_fields=list(fields))
    old, new = changed(before, snapshot(household, fields))
    if new:
        log_event(
            actor=actor, action=AuditAction.HOUSEHOLD_CONSENT, obj=household, before=old, after=new
        )
    return household
