"""Pledges (cam kết ủng hộ): record, cancel, and count a donation against one.

A pledge moves no money. A payment is a donation recorded as usual (donation_record,
with its receipt and ledger entry) and linked to the pledge by an append-only
``PledgePayment``: when the donation is recorded (the entry form, a statement line, the
bank feed), or later by staff (a donation of a collection round, a line recorded before
anyone noticed the pledge)."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from campaigns.models import Campaign
from donations.models import (
    MAX_DONATION,
    Donation,
    Donor,
    Fund,
    Pledge,
    PledgeInstalment,
    PledgePayment,
)
from donations.services.common import DonationError
from donations.services.donors import donor_create
from lddh.ward.audit import AuditAction, log_event
from lddh.ward.money import format_dong
from lddh.ward.text import clean_input

MAX_INSTALMENTS = 12


class PledgeError(DonationError):
    """A pledge refused for a reason the person can act on (Vietnamese text)."""


def _check_amount(amount: object, label: str = "Số tiền cam kết") -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise PledgeError(f"{label} phải là số nguyên đồng.", code="amount")
    if amount <= 0:
        raise PledgeError(f"{label} phải lớn hơn 0 đồng.", code="amount")
    if amount > MAX_DONATION:
        raise PledgeError(f"{label} quá lớn: tối đa {format_dong(MAX_DONATION)}.", code="amount")
    return amount


def _is_day(value: object) -> bool:
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def pledge_check(
    *,
    campaign: Campaign | None,
    fund: Fund | None,
    pledged_on: datetime.date | None,
    kind: str,
    amount: object,
    goods: str,
    channel: str,
    due_date: datetime.date | None,
    instalments: Sequence[tuple[datetime.date, int]],
) -> list[tuple[datetime.date, int]]:
    """The rules a pledge meets before it is written; returns its instalments (a single
    due date is one instalment of the whole amount)."""
    if campaign is None:
        raise PledgeError("Hãy chọn chiến dịch của cam kết.", code="campaign")
    if campaign.is_closed:
        raise PledgeError(
            f"Chiến dịch “{campaign.name}” đã kết thúc: không nhận thêm cam kết.", code="campaign"
        )
    if fund is None or not fund.active:
        raise PledgeError("Hãy chọn quỹ đang nhận ủng hộ.", code="fund")
    if not _is_day(pledged_on):
        raise PledgeError("Ngày cam kết không hợp lệ.", code="pledged_on")
    if pledged_on > timezone.localdate():
        raise PledgeError("Ngày cam kết không được sau hôm nay.", code="pledged_on")
    if kind not in Pledge.Kind.values:
        raise PledgeError("Loại cam kết không hợp lệ.", code="kind")
    if channel not in Pledge.Channel.values:
        raise PledgeError("Hình thức nộp dự kiến không hợp lệ.", code="channel")
    label = "Trị giá hiện vật" if kind == Pledge.Kind.GOODS else "Số tiền cam kết"
    amount = _check_amount(amount, label)
    if kind == Pledge.Kind.GOODS and not goods:
        raise PledgeError("Cam kết hiện vật: hãy ghi hiện vật (tên, số lượng).", code="goods")
    if kind == Pledge.Kind.MONEY and goods:
        raise PledgeError("Chỉ ghi hiện vật khi loại cam kết là “Hiện vật”.", code="goods")
    if instalments:
        if due_date is not None:
            raise PledgeError(
                "Ghi hạn nộp chung hoặc chia đợt nộp, không ghi cả hai.", code="due_date"
            )
        if len(instalments) > MAX_INSTALMENTS:
            raise PledgeError(f"Tối đa {MAX_INSTALMENTS} đợt nộp.", code="instalments")
        lines = []
        for number, (day, part) in enumerate(instalments, start=1):
            if not _is_day(day):
                raise PledgeError(f"Đợt {number}: hạn nộp không hợp lệ.", code="instalments")
            if day < pledged_on:
                raise PledgeError(f"Đợt {number}: hạn nộp trước ngày cam kết.", code="instalments")
            lines.append((day, _check_amount(part, f"Đợt {number}: số tiền")))
        days = [day for day, _ in lines]
        if len(set(days)) != len(days):
            raise PledgeError("Hai đợt nộp trùng hạn nộp.", code="instalments")
        total = sum(part for _, part in lines)
        if total != amount:
            raise PledgeError(
                f"Tổng các đợt nộp ({format_dong(total)}) phải bằng số cam kết "
                f"({format_dong(amount)}).",
                code="instalments",
            )
        return sorted(lines)
    if not _is_day(due_date):
        raise PledgeError("Hãy ghi hạn nộp (ngày/tháng/năm) hoặc chia đợt nộp.", code="due_date")
    if due_date < pledged_on:
        raise PledgeError("Hạn nộp không được trước ngày cam kết.", code="due_date")
    return [(due_date, amount)]


@transaction.atomic
def pledge_create(
    *,
    actor,
    donor: Donor,
    campaign: Campaign | None,
    fund: Fund | None,
    pledged_on: datetime.date | None,
    amount: object,
    kind: str = Pledge.Kind.MONEY,
    goods: str = "",
    channel: str = Pledge.Channel.BANK,
    due_date: datetime.date | None = None,
    instalments: Sequence[tuple[datetime.date, int]] = (),
    note: str = "",
    form_token: uuid.UUID | None = None,
) -> Pledge:
    """Record a pledge with its instalments. With a ``form_token`` a form sent twice
    (a double tap, a page reloaded after a slow answer) returns the pledge it made."""
    if form_token is not None:
        done = Pledge.objects.filter(form_token=form_token).first()
        if done is not None:
            return done
    goods = " ".join(clean_input(goods or "").split())[:300]
    lines = pledge_check(
        campaign=campaign,
        fund=fund,
        pledged_on=pledged_on,
        kind=kind,
        amount=amount,
        goods=goods,
        channel=channel,
        due_date=due_date,
        instalments=instalments,
    )
    pledge = Pledge.objects.create(
        donor=donor,
        campaign=campaign,
        fund=fund,
        pledged_on=pledged_on,
        kind=kind,
        amount=amount,
        goods=goods,
        channel=channel,
        note=clean_input(note or "").strip(),
        created_by=actor,
        form_token=form_token,
    )
    PledgeInstalment.objects.bulk_create(
        [PledgeInstalment(pledge=pledge, due_date=day, amount=part) for day, part in lines]
    )
    log_event(
        actor=actor,
        action=AuditAction.PLEDGE_CREATE,
        obj=pledge,
        after={
            "code": pledge.code,
            "donor": donor.pk,
            "campaign": campaign.pk,
            "amount": amount,
            "kind": kind,
            "goods": goods,
            "channel": channel,
            "instalments": [[day, part] for day, part in lines],
        },
    )
    return pledge


@transaction.atomic
def pledge_enter(
    *,
    actor,
    donor: Donor | None = None,
    new_donor: dict | None = None,
    allow_duplicate: bool = False,
    **pledge,
) -> Pledge:
    """The quick-entry screen's one call per row: an existing donor, or a new one made
    in the same transaction (a refused pledge leaves no orphan donor)."""
    token = pledge.get("form_token")
    if token is not None:
        done = Pledge.objects.filter(form_token=token).first()
        if done is not None:
            return done
    if (donor is None) == (new_donor is None):
        raise PledgeError("Hãy chọn người cam kết đã có hoặc nhập người mới.", code="donor")
    if donor is None:
        donor = donor_create(actor=actor, allow_duplicate=allow_duplicate, **new_donor)
    return pledge_create(actor=actor, donor=donor, **pledge)


@transaction.atomic
def pledge_cancel(*, actor, pledge: Pledge, reason: str) -> Pledge:
    """Cancel a pledge (the donor withdrew, entered twice): kept, with the reason. What
    was already paid stays paid: the donations and their receipts are not touched."""
    reason = " ".join(clean_input(reason or "").split())
    if len(reason) < 5:
        raise PledgeError("Hãy ghi lý do hủy cam kết (ít nhất 5 ký tự).", code="reason")
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if pledge.is_cancelled:
        raise PledgeError("Cam kết này đã hủy.", code="status")
    pledge.status = Pledge.Status.CANCELLED
    pledge.cancel_reason = reason
    pledge.cancelled_by = actor
    pledge.cancelled_at = timezone.now()
    pledge.save(update_fields=["status", "cancel_reason", "cancelled_by", "cancelled_at"])
    log_event(
        actor=actor,
        action=AuditAction.PLEDGE_CANCEL,
        obj=pledge,
        before={"status": Pledge.Status.OPEN},
        after={"status": Pledge.Status.CANCELLED},
        note=reason,
    )
    return pledge


def pledge_payment_check(pledge: Pledge, donation: Donation) -> None:
    """A donation counts against a pledge when it is the pledge's donor's, in its
    campaign and its fund, valid, and not counted against another pledge already."""
    if pledge.is_cancelled:
        raise PledgeError(f"Cam kết {pledge.code} đã hủy: không ghi thêm khoản nộp.", code="pledge")
    if donation.donor_id != pledge.donor_id:
        raise PledgeError(
            f"Cam kết {pledge.code} là của “{pledge.donor.name}”: khoản nộp phải cùng người.",
            code="pledge",
        )
    if donation.campaign_id != pledge.campaign_id:
        raise PledgeError(
            f"Cam kết {pledge.code} thuộc chiến dịch “{pledge.campaign.name}”: khoản nộp "
            "phải ghi vào chiến dịch đó.",
            code="pledge",
        )
    if donation.is_voided:
        raise PledgeError("Khoản ủng hộ này đã bị hủy.", code="pledge")
    if donation.fund_id is None:
        raise PledgeError("Hỗ trợ trực tiếp không tính vào cam kết ủng hộ Quỹ.", code="pledge")
    if donation.fund_id != pledge.fund_id:
        raise PledgeError(
            f"Cam kết {pledge.code} ủng hộ “{pledge.fund}”: khoản nộp phải ghi vào quỹ đó.",
            code="pledge",
        )
    if PledgePayment.objects.filter(donation=donation).exists():
        raise PledgeError("Khoản ủng hộ này đã được tính cho một cam kết.", code="pledge")


@transaction.atomic
def pledge_payment_link(*, actor, pledge: Pledge, donation: Donation) -> PledgePayment:
    """Count a recorded donation against a pledge (append-only: never unlinked)."""
    pledge = (
        Pledge.objects.select_for_update().select_related("donor", "campaign").get(pk=pledge.pk)
    )
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
    pledge_payment_check(pledge, donation)
    payment = PledgePayment.objects.create(pledge=pledge, donation=donation, linked_by=actor)
    receipt = getattr(donation, "receipt", None)
    log_event(
        actor=actor,
        action=AuditAction.PLEDGE_PAYMENT,
        obj=pledge,
        after={
            "code": pledge.code,
            "donation": donation.pk,
            "receipt": receipt.number if receipt else None,
            "amount": donation.amount,
        },
    )
    return payment
