"""The campaign itself: create, edit, the status workflow, copy from last year."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.models import Activity, BoardMember, Campaign, PlanBlock, Target
from campaigns.selectors import next_campaign_year
from campaigns.services.common import (
    BOARD_FIELDS,
    CAMPAIGN_FIELDS,
    ensure_editable,
    locked,
    period,
    require_committee,
    require_office,
)
from lddh.ward.audit import AuditAction, changed, log_event, snapshot
from lddh.ward.dates import format_date


def _validate_campaign(values: Mapping[str, Any], *, exclude_pk: int | None) -> None:
    errors: dict[str, list[str]] = {}
    start, end = values.get("start_date"), values.get("end_date")
    if not values.get("name", "").strip():
        errors.setdefault("name", []).append("Chưa nhập tên chiến dịch.")
    year = values.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors.setdefault("year", []).append("Năm phải từ 2000 đến 2100.")
    if start is None:
        errors.setdefault("start_date", []).append("Chưa nhập ngày bắt đầu.")
    if end is None:
        errors.setdefault("end_date", []).append("Chưa nhập ngày kết thúc.")
    if start and end and end < start:
        errors.setdefault("end_date", []).append(
            f"Ngày kết thúc ({format_date(end)}) phải sau hoặc trùng ngày bắt đầu "
            f"({format_date(start)})."
        )
    target = values.get("target")
    if not isinstance(target, int) or target < 0:
        errors.setdefault("target", []).append("Chỉ tiêu phải là số tiền không âm (đồng).")
    if start and end and start <= end:
        others = Campaign.objects.filter(start_date__lte=end, end_date__gte=start)
        if exclude_pk is not None:
            others = others.exclude(pk=exclude_pk)
        other = others.order_by("start_date").first()
        if other is not None:
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                f"Thời gian {period(start, end)} trùng với chiến dịch “{other.name}” "
                f"({period(other)}). Mỗi ngày chỉ thuộc một chiến dịch."
            )
    if errors:
        raise ValidationError(errors)


def _clean_campaign_values(data: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"unknown campaign fields: {sorted(unknown)}")
    values = dict(data)
    for name in CAMPAIGN_FIELDS:
        if name in values and isinstance(values[name], str):
            values[name] = values[name].strip()
    if "target" in values and values["target"] is None:
        values["target"] = 0
    return values


# --------------------------------------------------------------------------- campaign


@transaction.atomic
def campaign_create(*, actor, data: Mapping[str, Any]) -> Campaign:
    """A new campaign, always a draft: the committee activates it when it starts."""
    require_office(actor)
    values = {"target": 0, **_clean_campaign_values(data)}
    _validate_campaign(values, exclude_pk=None)
    campaign = Campaign.objects.create(status=Campaign.Status.DRAFT, **values)
    log_event(
        actor=actor,
        action=AuditAction.CAMPAIGN_CREATE,
        obj=campaign,
        after=snapshot(campaign, (*CAMPAIGN_FIELDS, "status")),
    )
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, data: Mapping[str, Any]) -> Campaign:
    require_office(actor)
    fresh = ensure_editable(campaign)
    values = _clean_campaign_values(data)
    merged = {**snapshot(fresh, CAMPAIGN_FIELDS), **values}
    # snapshot() gives ISO strings for dates: validate on the real values.
    for name in ("start_date", "end_date", "document_date"):
        merged[name] = values.get(name, getattr(fresh, name))
    _validate_campaign(merged, exclude_pk=fresh.pk)
    before = snapshot(fresh, CAMPAIGN_FIELDS)
    for name, value in values.items():
        setattr(campaign, name, value)
    campaign.save()
    before, after = changed(before, snapshot(campaign, CAMPAIGN_FIELDS))
    if after:
        log_event(
            actor=actor,
            action=AuditAction.CAMPAIGN_UPDATE,
            obj=campaign,
            before=before,
            after=after,
        )
    return campaign


def _set_status(
    *, actor, campaign: Campaign, status: str, action: AuditAction, note: str = ""
) -> None:
    before = {"status": campaign.status}
    campaign.status = status
    try:
        with transaction.atomic():
            campaign.save(update_fields=["status", "updated_at"])
    except IntegrityError:
        # Another campaign became active between our check and our write.
        raise ValidationError(
            "Đang có một chiến dịch khác được triển khai. Hãy kết thúc chiến dịch đó trước.",
            code="two_active",
        ) from None
    log_event(
        actor=actor, action=action, obj=campaign, before=before, after={"status": status}, note=note
    )


def _ensure_no_other_active(campaign: Campaign) -> None:
    other = (
        Campaign.objects.select_for_update()
        .filter(status=Campaign.Status.ACTIVE)
        .exclude(pk=campaign.pk)
        .first()
    )
    if other is not None:
        raise ValidationError(
            f"Chiến dịch “{other.name}” ({period(other)}) đang được triển khai. Mỗi lúc chỉ "
            "triển khai một chiến dịch: hãy kết thúc chiến dịch đó trước.",
            code="two_active",
        )


@transaction.atomic
def campaign_activate(*, actor, campaign: Campaign) -> Campaign:
    """Draft → active. Donations can then be recorded in the campaign."""
    require_committee(actor)
    fresh = locked(campaign)
    if not fresh.is_draft:
        raise ValidationError(
            f"Chỉ triển khai được chiến dịch đang ở trạng thái dự thảo (hiện tại: "
            f"{fresh.get_status_display().lower()}).",
            code="not_draft",
        )
    _ensure_no_other_active(fresh)
    _set_status(
        actor=actor,
        campaign=campaign,
        status=Campaign.Status.ACTIVE,
        action=AuditAction.CAMPAIGN_ACTIVATE,
    )
    return campaign


@transaction.atomic
def campaign_close(*, actor, campaign: Campaign, note: str = "") -> Campaign:
    """Active → closed: the campaign becomes read-only and takes no new donations."""
    require_committee(actor)
    fresh = locked(campaign)
    if not fresh.is_active:
        raise ValidationError("Chỉ kết thúc được chiến dịch đang triển khai.", code="not_active")
    _set_status(
        actor=actor,
        campaign=campaign,
        status=Campaign.Status.CLOSED,
        action=AuditAction.CAMPAIGN_CLOSE,
        note=note.strip(),
    )
    return campaign


@transaction.atomic
def campaign_reopen(*, actor, campaign: Campaign, reason: str) -> Campaign:
    """Closed → active again, for a correction; the reason is kept in the audit log."""
    require_committee(actor)
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError(
            {"reason": "Ghi rõ lý do mở lại chiến dịch (ít nhất 10 ký tự)."}, code="reason"
        )
    fresh = locked(campaign)
    if not fresh.is_closed:
        raise ValidationError("Chỉ mở lại được chiến dịch đã kết thúc.", code="not_closed")
    _ensure_no_other_active(fresh)
    _set_status(
        actor=actor,
        campaign=campaign,
        status=Campaign.Status.ACTIVE,
        action=AuditAction.CAMPAIGN_REOPEN,
        note=reason,
    )
    return campaign


def shift_year(day: datetime.date | None, years: int = 1) -> datetime.date | None:
    """The same day `years` later; 29/02 becomes 28/02 in a common year."""
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _shift_text(text: str, year: int, new: int | None = None) -> str:
    """'năm 2024' → 'năm 2025' and '17/10/2024' → '17/10/2025' inside the plan's text."""
    new = year + 1 if new is None else new
    text = re.sub(rf"\b(năm|Năm|NĂM)\s+{year}\b", rf"\g<1> {new}", text)
    return re.sub(rf"\b(\d{{1,2}}/\d{{1,2}})/{year}\b", rf"\g<1>/{new}", text)


@transaction.atomic
def campaign_copy(*, actor, source: Campaign, year: int | None = None) -> Campaign:
    """A new draft from `source` for `year` (by default the year after the latest
    campaign whose peak month is still ahead, see ``next_campaign_year``): plan, board,
    targets and activities copied, dates shifted to that year; number and status start
    afresh."""
    require_office(actor)
    if year is None:
        year = next_campaign_year(timezone.localdate())
    if year <= source.year:
        raise ValidationError(f"Chỉ sao chép kế hoạch năm {source.year} sang một năm sau đó.")
    years = year - source.year
    values = {
        "year": year,
        "name": _shift_text(source.name, source.year, year).replace(str(source.year), str(year)),
        "subtitle": _shift_text(source.subtitle, source.year, year),
        "start_date": shift_year(source.start_date, years),
        "end_date": shift_year(source.end_date, years),
        "document_number": "",
        "document_date": shift_year(source.document_date, years),
        "legal_basis": source.legal_basis,
        "target": source.target,
        "signer_name": source.signer_name,
        "signer_title": source.signer_title,
        "signs_for": source.signs_for,
        "recipients": source.recipients,
    }
    _validate_campaign(values, exclude_pk=None)
    campaign = Campaign.objects.create(status=Campaign.Status.DRAFT, **values)
    PlanBlock.objects.bulk_create(
        PlanBlock(
            campaign=campaign,
            section=block.section,
            order=block.order,
            text=_shift_text(block.text, source.year, year),
        )
        for block in source.blocks.all()
    )
    for member in source.board.select_related("organisation").prefetch_related("groups"):
        copied = BoardMember.objects.create(
            campaign=campaign, **{name: getattr(member, name) for name in BOARD_FIELDS}
        )
        copied.groups.set(member.groups.all())
    Target.objects.bulk_create(
        Target(
            campaign=campaign,
            group_id=target.group_id,
            organisation_id=target.organisation_id,
            amount=target.amount,
        )
        for target in source.targets.all()
    )
    Activity.objects.bulk_create(
        Activity(
            campaign=campaign,
            kind=activity.kind,
            title=_shift_text(activity.title, source.year, year),
            date=shift_year(activity.date, years),
            place=activity.place,
            responsible=activity.responsible,
            group_id=activity.group_id,
            status=Activity.Status.PLANNED,
        )
        for activity in source.activities.exclude(status=Activity.Status.CANCELLED)
    )
    log_event(
        actor=actor,
        action=AuditAction.CAMPAIGN_COPY,
        obj=campaign,
        after={**snapshot(campaign, (*CAMPAIGN_FIELDS, "status")), "source": source.pk},
        note=f"Sao chép từ chiến dịch “{source.name}”.",
    )
    return campaign
