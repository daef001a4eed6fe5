"""The campaign calendar."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from campaigns.models import Activity, Campaign
from campaigns.services.common import (
    ACTIVITY_FIELDS,
    ensure_editable,
    require_office,
)
from lddh.ward.audit import AuditAction, changed, log_event, snapshot

# --------------------------------------------------------------------------- activities


def _validate_activity(values: Mapping[str, Any]) -> None:
    errors = {}
    if not (values.get("title") or "").strip():
        errors["title"] = "Chưa nhập nội dung hoạt động."
    if values.get("date") is None:
        errors["date"] = "Chưa nhập ngày."
    if values.get("kind") not in Activity.Kind.values:
        errors["kind"] = "Chọn loại hoạt động."
    if values.get("status", Activity.Status.PLANNED) not in Activity.Status.values:
        errors["status"] = "Tình trạng không hợp lệ."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_create(*, actor, campaign: Campaign, data: Mapping[str, Any]) -> Activity:
    require_office(actor)
    ensure_editable(campaign)
    values = {k: data[k] for k in ACTIVITY_FIELDS if k in data}
    _validate_activity(values)
    activity = Activity.objects.create(campaign=campaign, **values)
    log_event(
        actor=actor,
        action=AuditAction.ACTIVITY_CREATE,
        obj=activity,
        after={"campaign": campaign.pk, **snapshot(activity, ACTIVITY_FIELDS)},
    )
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, data: Mapping[str, Any]) -> Activity:
    require_office(actor)
    ensure_editable(activity.campaign)
    values = {k: data[k] for k in ACTIVITY_FIELDS if k in data}
    _validate_activity(
        {
            **snapshot(activity, ("kind", "title", "status")),
            **values,
            "date": values.get("date", activity.date),
        }
    )
    before = snapshot(activity, ACTIVITY_FIELDS)
    for name, value in values.items():
        setattr(activity, name, value)
    activity.save()
    before, after = changed(before, snapshot(activity, ACTIVITY_FIELDS))
    if after:
        log_event(
            actor=actor,
            action=AuditAction.ACTIVITY_UPDATE,
            obj=activity,
            before={"campaign": activity.campaign_id, **before},
            after=after,
        )
    return activity


@transaction.atomic
def activity_delete(*, actor, activity: Activity) -> None:
    require_office(actor)
    ensure_editable(activity.campaign)
    log_event(
        actor=actor,
        action=AuditAction.ACTIVITY_DELETE,
        obj=activity,
        before={"campaign": activity.campaign_id, **snapshot(activity, ACTIVITY_FIELDS)},
    )
    activity.delete()
