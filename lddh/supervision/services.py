"""Writes of the inspection team. The supervisor records inspections and samples and
edits their own; the standing committee may move an inspection's follow-up along (it is
the office that carries out the recommendations); everyone else only reads."""

from __future__ import annotations

import datetime
import random
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from donations.models import Fund, Receipt
from households.models import Household, Support, SupportCategory
from lddh.supervision.models import (
    Inspection,
    InspectionAttachment,
    InspectionRecord,
    Sample,
    SampleItem,
)
from lddh.ward.access import access_for
from lddh.ward.audit import AuditAction, changed, log_event, snapshot
from lddh.ward.roles import Role
from lddh.ward.uploads import check_upload

MAX_SAMPLE = 200
INSPECTION_FIELDS = (
    "date",
    "title",
    "team",
    "campaign",
    "scope",
    "fund",
    "group",
    "household",
    "support",
    "findings",
    "recommendations",
    "follow_up_by",
    "follow_up_due",
)
SCOPE_FIELD = {
    Inspection.Scope.FUND: "fund",
    Inspection.Scope.GROUP: "group",
    Inspection.Scope.HOUSEHOLD: "household",
    Inspection.Scope.CONSTRUCTION: "support",
}
CONSTRUCTION = (SupportCategory.NEW_HOUSE, SupportCategory.HOUSE_REPAIR)
MSG_SUPERVISOR = "Chỉ Ban Thanh tra nhân dân / thành viên đoàn giám sát được ghi việc này."
MSG_OWN = "Chỉ người lập biên bản kiểm tra được sửa biên bản này."


def can_record(access) -> bool:
    return access.has(Role.SUPERVISOR)


def can_edit(access, inspection: Inspection) -> bool:
    return access.has(Role.SUPERVISOR) and inspection.created_by_id == access.user_id


def can_follow_up(access, inspection: Inspection) -> bool:
    return can_edit(access, inspection) or access.has(Role.COMMITTEE)


def can_edit_sample(access, sample: Sample) -> bool:
    return access.has(Role.SUPERVISOR) and sample.created_by_id == access.user_id


def _require_supervisor(actor) -> None:
    if not can_record(access_for(actor)):
        raise PermissionDenied(MSG_SUPERVISOR)


# --------------------------------------------------------------------------- inspections


def _clean_inspection(data: Mapping[str, Any]) -> dict[str, Any]:
    values = {name: data.get(name) for name in INSPECTION_FIELDS}
    for name in ("title", "team", "findings", "recommendations", "follow_up_by"):
        values[name] = (values[name] or "").strip()
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if not isinstance(values["date"], datetime.date):
        errors["date"] = ["Ghi ngày kiểm tra (dd/mm/yyyy)."]
    elif values["date"] > today:
        errors["date"] = ["Ngày kiểm tra không được sau hôm nay."]
    for name, message in (
        ("title", "Ghi nội dung kiểm tra."),
        ("team", "Ghi thành phần đoàn kiểm tra."),
        ("findings", "Ghi kết quả kiểm tra."),
    ):
        if not values[name]:
            errors[name] = [message]
    scope = values["scope"]
    if scope not in Inspection.Scope.values:
        errors["scope"] = ["Chọn phạm vi kiểm tra."]
    else:
        target = SCOPE_FIELD[scope]
        if values[target] is None:
            label = Inspection._meta.get_field(target).verbose_name
            errors[target] = [f"Phạm vi “{Inspection.Scope(scope).label}”: chọn {label}."]
        for other in SCOPE_FIELD.values():
            if other != target:
                values[other] = None
        support = values["support"]
        if support is not None and support.category not in CONSTRUCTION:
            errors["support"] = ["Công trình là một hỗ trợ xây mới hoặc sửa chữa nhà."]
    due = values["follow_up_due"]
    if due is not None and isinstance(values["date"], datetime.date) and due < values["date"]:
        errors["follow_up_due"] = ["Hạn khắc phục không được trước ngày kiểm tra."]
    if due is not None and not values["follow_up_by"]:
        errors["follow_up_by"] = ["Có hạn khắc phục thì ghi ai chịu trách nhiệm khắc phục."]
    if errors:
        raise ValidationError(errors)
    return values


def _receipts(numbers: Sequence[str]) -> list[Receipt]:
    wanted = [n.strip().upper() for n in numbers if n and n.strip()]
    found = {r.number: r for r in Receipt.objects.filter(number__in=wanted)}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise ValidationError({"receipt_numbers": [f"Không có biên nhận số {', '.join(missing)}."]})
    return [found[n] for n in dict.fromkeys(wanted)]


def _link_records(inspection: Inspection, records: Sequence[tuple[str, str, str]]) -> None:
    InspectionRecord.objects.bulk_create(
        [
            InspectionRecord(
                inspection=inspection, object_type=kind, object_id=str(pk), label=label[:200]
            )
            for kind, pk, label in records
        ],
        ignore_conflicts=True,
    )


def _scope_records(inspection: Inspection) -> list[tuple[str, str, str]]:
    if inspection.household_id:
        return [("households.household", inspection.household_id, str(inspection.household))]
    if inspection.support_id:
        return [("households.support", inspection.support_id, str(inspection.support))]
    return []


@transaction.atomic
def inspection_create(
    *, actor, data: Mapping[str, Any], receipt_numbers: Sequence[str] = ()
) -> Inspection:
    """Record an inspection (the fund, a group, a household or a construction) with its
    findings, recommendations and who follows them up by when."""
    _require_supervisor(actor)
    values = _clean_inspection(data)
    receipts = _receipts(receipt_numbers)
    inspection = Inspection.objects.create(created_by=actor, **values)
    _link_records(
        inspection,
        _scope_records(inspection)
        + [("donations.receipt", r.pk, f"Biên nhận {r.number}") for r in receipts],
    )
    log_event(
        actor=actor,
        action=AuditAction.INSPECTION_CREATE,
        obj=inspection,
        after={**snapshot(inspection, INSPECTION_FIELDS), "receipts": [r.number for r in receipts]},
    )
    return inspection


@transaction.atomic
def inspection_update(
    *, actor, inspection: Inspection, data: Mapping[str, Any], receipt_numbers: Sequence[str] = ()
) -> Inspection:
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if not can_edit(access_for(actor), inspection):
        raise PermissionDenied(MSG_OWN)
    values = _clean_inspection(data)
    receipts = _receipts(receipt_numbers)
    before = snapshot(inspection, INSPECTION_FIELDS)
    for name, value in values.items():
        setattr(inspection, name, value)
    inspection.save()
    _link_records(
        inspection,
        _scope_records(inspection)
        + [("donations.receipt", r.pk, f"Biên nhận {r.number}") for r in receipts],
    )
    old, new = changed(before, snapshot(inspection, INSPECTION_FIELDS))
    if new or receipts:
        log_event(
            actor=actor,
            action=AuditAction.INSPECTION_UPDATE,
            obj=inspection,
            before=old,
            after={**new, **({"receipts": [r.number for r in receipts]} if receipts else {})},
        )
    return inspection


@transaction.atomic
def inspection_set_status(*, actor, inspection: Inspection, status: str, note: str) -> Inspection:
    """Move the follow-up along: in progress, or closed when the recommendations are done."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if not can_follow_up(access_for(actor), inspection):
        raise PermissionDenied(
            "Chỉ người lập biên bản hoặc Ban Thường trực cập nhật việc khắc phục."
        )
    if status not in Inspection.Status.values:
        raise ValidationError({"status": ["Chọn tình trạng."]})
    note = (note or "").strip()
    if status == Inspection.Status.CLOSED and not note:
        raise ValidationError({"note": ["Kết thúc theo dõi: ghi kết quả khắc phục."]})
    if status == inspection.status and not note:
        raise ValidationError({"status": ["Tình trạng không thay đổi; ghi thêm ghi chú nếu cần."]})
    before = snapshot(inspection, ("status", "status_note"))
    inspection.status = status
    stamp = f"{timezone.localdate():%d/%m/%Y}"
    if note:
        line = f"{stamp} ({actor.get_username()}): {note}"
        inspection.status_note = "\n".join(filter(None, [inspection.status_note, line]))
    inspection.save(update_fields=["status", "status_note", "updated_at"])
    log_event(
        actor=actor,
        action=AuditAction.INSPECTION_STATUS,
        obj=inspection,
        before=before,
        after=snapshot(inspection, ("status", "status_note")),
        note=note,
    )
    return inspection


@transaction.atomic
def inspection_attach(
    *, actor, inspection: Inspection, upload, note: str = ""
) -> InspectionAttachment:
    """Attach a scan of the signed minutes or a photo (JPEG, PNG, PDF by content)."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if not can_edit(access_for(actor), inspection):
        raise PermissionDenied(MSG_OWN)
    attachment = InspectionAttachment(inspection=inspection).store(
        check_upload(upload), name=upload.name, note=note, actor=actor
    )
    log_event(
        actor=actor,
        action=AuditAction.INSPECTION_ATTACH,
        obj=inspection,
        after={"attachment": attachment.pk, "name": attachment.original_name},
        note=attachment.note,
    )
    return attachment


# --------------------------------------------------------------------------- samples


def sample_population(*, kind: str, campaign=None, group=None) -> list[int]:
    """The candidate ids in a fixed order (by id), so the draw can be reproduced."""
    if kind == Sample.Kind.SUPPORTS:
        rows = Support.objects.filter(status=Support.Status.PAID)
        if campaign is not None:
            rows = rows.filter(campaign=campaign)
    elif kind == Sample.Kind.HOUSEHOLDS:
        rows = Household.objects.active()
    else:
        raise ValidationError({"kind": ["Chọn mẫu từ hỗ trợ đã chi hoặc hộ gia đình."]})
    if group is not None:
        rows = rows.filter(group=group)
    return list(rows.order_by("pk").values_list("pk", flat=True))


def draw(population: Sequence[int], size: int, seed: int) -> list[int]:
    """The sample: the same population, size and seed always give the same items."""
    # Reproducible on purpose (the seed is published); not used for secrets.
    return random.Random(seed).sample(list(population), min(size, len(population)))  # noqa: S311


@transaction.atomic
def sample_draw(
    *,
    actor,
    kind: str,
    size: int,
    seed: int | None = None,
    campaign=None,
    group=None,
    note: str = "",
) -> Sample:
    """Draw a random sample of paid supports or households for visits. The seed (given,
    or chosen at random) and the population are recorded so anyone can redraw it."""
    _require_supervisor(actor)
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_SAMPLE:
        raise ValidationError({"size": [f"Cỡ mẫu từ 1 đến {MAX_SAMPLE}."]})
    if seed is None:
        seed = secrets.randbelow(10**9)
    elif isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 10**15:
        raise ValidationError({"seed": ["Hạt giống là số nguyên không âm (tối đa 15 chữ số)."]})
    population = sample_population(kind=kind, campaign=campaign, group=group)
    if not population:
        raise ValidationError("Không có hỗ trợ đã chi / hộ nào theo điều kiện đã chọn để chọn mẫu.")
    chosen = draw(population, size, seed)
    sample = Sample.objects.create(
        kind=kind,
        campaign=campaign,
        group=group,
        size=len(chosen),
        seed=seed,
        population_size=len(population),
        population=population,
        note=(note or "").strip()[:300],
        created_by=actor,
    )
    if kind == Sample.Kind.SUPPORTS:
        households = dict(Support.objects.filter(pk__in=chosen).values_list("pk", "household_id"))
        items = [
            SampleItem(sample=sample, position=i, support_id=pk, household_id=households[pk])
            for i, pk in enumerate(chosen, start=1)
        ]
    else:
        items = [
            SampleItem(sample=sample, position=i, household_id=pk)
            for i, pk in enumerate(chosen, start=1)
        ]
    SampleItem.objects.bulk_create(items)
    log_event(
        actor=actor,
        action=AuditAction.SAMPLE_DRAW,
        obj=sample,
        after={
            "kind": kind,
            "size": len(chosen),
            "seed": seed,
            "population_size": len(population),
            "campaign": campaign,
            "group": group,
            "items": chosen,
        },
    )
    return sample


@transaction.atomic
def sample_record(
    *, actor, item: SampleItem, result: str, note: str, checked_on: datetime.date
) -> SampleItem:
    """Record what the visit found for one item: confirmed, or a discrepancy (with a note)."""
    item = SampleItem.objects.select_for_update().select_related("sample").get(pk=item.pk)
    if not can_edit_sample(access_for(actor), item.sample):
        raise PermissionDenied("Chỉ người chọn mẫu được ghi kết quả xác minh.")
    if item.sample.inspection_id is not None:
        raise ValidationError("Mẫu đã lập biên bản kiểm tra: không sửa kết quả nữa.")
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if result not in (SampleItem.Result.CONFIRMED, SampleItem.Result.DISCREPANCY):
        errors["result"] = ["Chọn “Đúng thực tế” hoặc “Có sai lệch”."]
    elif result == SampleItem.Result.DISCREPANCY and not note:
        errors["note"] = ["Có sai lệch: ghi rõ sai lệch gì."]
    if not isinstance(checked_on, datetime.date) or checked_on > timezone.localdate():
        errors["checked_on"] = ["Ngày xác minh không hợp lệ hoặc sau hôm nay."]
    if errors:
        raise ValidationError(errors)
    before = snapshot(item, ("result", "note", "checked_on"))
    item.result = result
    item.note = note
    item.checked_on = checked_on
    item.checked_by = actor
    item.save()
    log_event(
        actor=actor,
        action=AuditAction.SAMPLE_RECORD,
        obj=item.sample,
        before={"item": item.position, **before},
        after={"item": item.position, **snapshot(item, ("result", "note", "checked_on"))},
        note=note,
    )
    return item


def _sample_findings(items: Sequence[SampleItem]) -> str:
    confirmed = [i for i in items if i.result == SampleItem.Result.CONFIRMED]
    wrong = [i for i in items if i.result == SampleItem.Result.DISCREPANCY]
    lines = [
        f"Xác minh ngẫu nhiên {len(items)} mục: {len(confirmed)} đúng thực tế, "
        f"{len(wrong)} có sai lệch."
    ]
    for item in wrong:
        what = f"hỗ trợ số {item.support_id}, " if item.support_id else ""
        lines.append(
            f"- Mục {item.position} ({what}hộ {item.household.head_name}, "
            f"{item.household.group.name}): {item.note}"
        )
    return "\n".join(lines)


@transaction.atomic
def sample_to_inspection(
    *,
    actor,
    sample: Sample,
    date: datetime.date,
    team: str,
    recommendations: str = "",
    follow_up_by: str = "",
    follow_up_due: datetime.date | None = None,
) -> Inspection:
    """Close the verification: its results become the findings of an inspection record
    (scope: the fund), linked to every sampled support or household."""
    sample = Sample.objects.select_for_update().get(pk=sample.pk)
    if not can_edit_sample(access_for(actor), sample):
        raise PermissionDenied("Chỉ người chọn mẫu được lập biên bản từ mẫu này.")
    if sample.inspection_id is not None:
        raise ValidationError("Mẫu này đã có biên bản kiểm tra.")
    items = list(sample.items.select_related("household__group"))
    pending = [i.position for i in items if i.result == SampleItem.Result.PENDING]
    if pending:
        raise ValidationError("Còn mục chưa xác minh: " + ", ".join(str(p) for p in pending) + ".")

    fund = Fund.objects.order_by("order", "pk").first()
    group = sample.group
    # The sampled population: a group's, else the fund's (a ward without a fund yet:
    # the first sampled household stands for the scope).
    if group is not None:
        scope = Inspection.Scope.GROUP
    elif fund is not None:
        scope = Inspection.Scope.FUND
    else:
        scope = Inspection.Scope.HOUSEHOLD
    data = {
        "date": date,
        "title": f"Xác minh ngẫu nhiên {sample.size} {sample.get_kind_display().lower()} "
        f"(mẫu số {sample.pk}, hạt giống {sample.seed})",
        "team": team,
        "campaign": sample.campaign,
        "scope": scope,
        "fund": fund,
        "group": group,
        "household": items[0].household if items else None,
        "findings": _sample_findings(items),
        "recommendations": recommendations,
        "follow_up_by": follow_up_by,
        "follow_up_due": follow_up_due,
    }
    values = _clean_inspection(data)
    has_wrong = any(i.result == SampleItem.Result.DISCREPANCY for i in items)
    inspection = Inspection.objects.create(
        created_by=actor,
        status=Inspection.Status.OPEN if has_wrong else Inspection.Status.CLOSED,
        **values,
    )
    records = []
    for item in items:
        if item.support_id:
            records.append(("households.support", item.support_id, f"Hỗ trợ số {item.support_id}"))
        records.append(("households.household", item.household_id, str(item.household)))
    _link_records(inspection, records)
    sample.inspection = inspection
    sample.save(update_fields=["inspection"])
    log_event(
        actor=actor,
        action=AuditAction.INSPECTION_CREATE,
        obj=inspection,
        after={**snapshot(inspection, INSPECTION_FIELDS), "sample": sample.pk},
    )
    return inspection
