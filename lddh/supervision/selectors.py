"""Reads of the supervision pages: the ledger's chain head (also printed on published
reports), the audit trail with its values in Vietnamese, inspections, samples and the
calendar of the campaign with its inspections."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from campaigns.models import Activity, Campaign
from campaigns.selectors import activities_for
from donations.models import Fund, LedgerEntry
from households.models import Household, Proposal
from lddh.supervision.models import Inspection, Sample, SampleItem
from lddh.ward.access import Access
from lddh.ward.audit import action_label
from lddh.ward.dates import format_date
from lddh.ward.fields import MoneyField
from lddh.ward.models import AuditEvent
from lddh.ward.money import format_dong
from lddh.ward.roles import Role

SENSITIVE_SUFFIX = "_sensitive"
"""Reads of sensitive personal data are logged as e.g. household.view_sensitive."""

# --------------------------------------------------------------------------- chain head


@dataclass(frozen=True)
class ChainHead:
    fund_code: str
    sequence: int
    hash: str
    date: datetime.date

    @property
    def short(self) -> str:
        """What a published report prints: enough to compare, short enough to read."""
        return self.hash[:16]

    def __str__(self) -> str:
        return f"{self.fund_code}-{self.sequence}: {self.short}"


def chain_head(fund: Fund, *, until: datetime.date | None = None) -> ChainHead | None:
    """The latest entry's hash of a fund's ledger (optionally the latest dated on or
    before ``until``). Anyone holding a printed head can later check that no entry up to
    it was changed: the supervision check recomputes the chain."""
    entries = LedgerEntry.objects.filter(fund=fund)
    if until is not None:
        entries = entries.filter(date__lte=until)
    row = entries.order_by("-sequence").values("sequence", "hash", "date").first()
    if row is None:
        return None
    return ChainHead(fund.code, row["sequence"], row["hash"], row["date"])


# --------------------------------------------------------------------------- audit trail

KEY_LABELS = {
    "receipt": "Số biên nhận",
    "amount": "Số tiền",
    "fund": "Quỹ",
    "account": "Tài khoản",
    "document": "Chứng từ",
    "reason": "Lý do",
    "void_request": "Đề nghị hủy số",
    "copy": "Bản sao",
    "from": "Từ tài khoản",
    "to": "Đến tài khoản",
    "transfer": "Mã lệnh chuyển",
    "items": "Danh sách",
    "attachment": "Tệp đính kèm số",
    "name": "Tên tệp",
    "sha256": "Mã băm tệp",
    "scan": "Bản chụp, bản quét số",
    "state": "Trạng thái công khai",
    "handover_number": "Số biên bản bàn giao",
    "item": "Mục số",
    "receipts": "Biên nhận liên quan",
    "sample": "Mẫu số",
    "replaces": "Thay thế khoản",
    "hash": "Mã kiểm tra",
    "sequence": "Đến bút toán số",
    "day": "Ngày",
    "chain_heads": "Mã kiểm tra sổ quỹ",
    "result": "Kết quả xác minh",
    "checked_on": "Ngày xác minh",
    "note": "Ghi chú",
    "report": "Báo cáo",
    "format": "Định dạng",
    "start": "Từ ngày",
    "end": "Đến ngày",
    "campaign": "Chiến dịch số",
    "rows": "Số dòng",
    "names": "Có tên người",
    "lines": "Số dòng",
    "total": "Tổng số tiền",
    # Residents' feedback (lddh/supervision/feedback)
    "answered": "Đã có trả lời",
    "published": "Đã công khai trả lời",
    "attachments": "Số tệp kèm theo",
    # Review meetings (households/services/meetings.py)
    "household": "Hộ số",
    "kind": "Loại đề nghị",
    "subject": "Nội dung đề nghị",
    "attendee": "Người dự họp",
    "attendee_role": "Thành phần",
    "agree": "Số đồng ý",
    "disagree": "Số không đồng ý",
    "abstain": "Số không biểu quyết",
    "conclusion": "Kết luận",
    "posting": "Niêm yết số",
    "code": "Mã",
    "donation": "Khoản ủng hộ số",
    "pledge": "Cam kết",
    "instalments": "Các đợt nộp (hạn, số tiền)",
    # The commendation list's download (lddh/reports/views.py)
    "year": "Năm",
    "individual_min": "Mức đề nghị cá nhân",
    "organisation_min": "Mức đề nghị cơ quan, tổ chức",
}
MONEY_KEYS = {
    "amount",
    "estimated_cost",
    "income_per_person",
    "target",
    "sub_target",
    "total",
    "individual_min",
    "organisation_min",
}


@dataclass
class AuditFilters:
    actor: int | None = None
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sensitive: bool = False


def audit_events(filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Every audit event matching the filters, newest first (for screen and export)."""
    events = AuditEvent.objects.all()
    if filters.sensitive:
        events = events.filter(action__endswith=SENSITIVE_SUFFIX)
    if filters.actor:
        events = events.filter(actor_id=filters.actor)
    if filters.action:
        events = events.filter(
            Q(action=filters.action) | Q(action__startswith=filters.action.rstrip(".") + ".")
        )
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    if filters.date_from:
        events = events.filter(at__date__gte=filters.date_from)
    if filters.date_to:
        events = events.filter(at__date__lte=filters.date_to)
    return events.order_by("-at", "-pk")


def audit_actors():
    """People who appear in the audit trail (for the filter)."""
    ids = AuditEvent.objects.exclude(actor=None).values("actor_id").distinct()
    return get_user_model().objects.filter(pk__in=ids).order_by("username")


def audit_actions() -> list[tuple[str, str]]:
    codes = AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()
    return [(code, action_label(code)) for code in codes]


def audit_object_types() -> list[tuple[str, str]]:
    codes = (
        AuditEvent.objects.exclude(object_type="")
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )
    return [(code, object_type_label(code)) for code in codes]


@cache
def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    model = _model(object_type)
    return str(model._meta.verbose_name).capitalize() if model else object_type


def _field(model, name: str):
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except Exception:
        # A sample's events record its items' fields (result, checked_on); a proposal's,
        # the household's fields it proposes.
        secondary = {Sample: SampleItem, Proposal: Household}.get(model)
        return _field(secondary, name) if secondary else None
    # A reverse relation (e.g. a donation's "receipt") is not what the key records.
    return found if getattr(found, "concrete", False) else None


def _date(value: str) -> str | None:
    try:
        if len(value) == 10:
            return format_date(datetime.date.fromisoformat(value))
        moment = datetime.datetime.fromisoformat(value)
        return moment.strftime("%d/%m/%Y %H:%M")
    except (TypeError, ValueError):
        return None


def display_value(model, name: str, value: Any) -> str:
    """A stored before/after value as a person reads it: choices by their label, money
    in đồng, dates dd/mm/yyyy, yes/no."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    model_field = _field(model, name)
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    is_money = name in MONEY_KEYS or isinstance(model_field, MoneyField)
    if (
        model_field is not None
        and isinstance(model_field, models.IntegerField)
        and "đồng" in str(model_field.verbose_name)
    ):
        is_money = True
    if is_money and isinstance(value, int):
        return format_dong(value)
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        shown = _date(value)
        if shown:
            return shown
    if name == "instalments" and isinstance(value, list):
        # A pledge's instalments: [[due date, amount in đồng], ...].
        return "; ".join(
            f"{display_value(model, 'due_date', day)}: {display_value(model, 'amount', part)}"
            for day, part in value
        )
    if isinstance(value, list):
        return ", ".join(display_value(model, name, v) for v in value)
    if isinstance(value, dict):
        return "; ".join(
            f"{KEY_LABELS.get(k, k)}: {display_value(model, k, v)}" for k, v in value.items()
        )
    return str(value)


def field_label(model, name: str) -> str:
    model_field = _field(model, name)
    if model_field is not None and hasattr(model_field, "verbose_name"):
        return str(model_field.verbose_name).capitalize()
    return KEY_LABELS.get(name, name)


def describe_event(event: AuditEvent) -> list[tuple[str, str, str]]:
    """(label, before, after) rows of an event, in Vietnamese."""
    model = _model(event.object_type) if event.object_type else None
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    rows = []
    for name in dict.fromkeys([*before, *after]):
        rows.append(
            (
                field_label(model, name),
                display_value(model, name, before[name]) if name in before else "",
                display_value(model, name, after[name]) if name in after else "",
            )
        )
    return rows


# --------------------------------------------------------------------------- inspections


def inspections_for(access: Access) -> QuerySet[Inspection]:
    """Everyone allowed on these pages reads every inspection (leaders never get here)."""
    return Inspection.objects.select_related(
        "fund", "group", "household__group", "support", "campaign", "created_by"
    )


def inspection_for(access: Access, pk: int) -> Inspection:
    return get_object_or_404(inspections_for(access), pk=pk)


def samples_for(access: Access) -> QuerySet[Sample]:
    return (
        Sample.objects.select_related("campaign", "group", "inspection", "created_by")
        .annotate(
            checked=Count("items", filter=~Q(items__result="pending")),
            discrepancies=Count("items", filter=Q(items__result="discrepancy")),
        )
        .order_by("-created_at", "-pk")
    )


def sample_for(access: Access, pk: int) -> Sample:
    return get_object_or_404(samples_for(access), pk=pk)


def sample_items(sample: Sample):
    return sample.items.select_related("household__group", "support", "checked_by").order_by(
        "position"
    )


def open_inspections() -> QuerySet[Inspection]:
    return Inspection.objects.exclude(status=Inspection.Status.CLOSED)


def follow_up_overdue(rows: QuerySet[Inspection], today: datetime.date) -> QuerySet[Inspection]:
    """Inspections not closed whose remedy date (hạn khắc phục) has passed."""
    return rows.exclude(status=Inspection.Status.CLOSED).filter(follow_up_due__lt=today)


# --------------------------------------------------------------------------- calendar


@dataclass
class CalendarRow:
    date: datetime.date
    kind: str
    title: str
    status: str
    url: str = ""
    is_inspection: bool = False
    extra: list[str] = field(default_factory=list)


def calendar(campaign: Campaign) -> list[CalendarRow]:
    """The campaign's activity calendar with its inspections (those of the campaign or
    dated within it) in date order."""
    from django.urls import reverse

    rows = [
        CalendarRow(
            a.date,
            a.get_kind_display(),
            a.title,
            a.get_status_display(),
            extra=[x for x in (a.place, a.responsible) if x],
        )
        for a in activities_for(campaign)
    ]
    inspections = Inspection.objects.filter(
        Q(campaign=campaign) | Q(date__range=(campaign.start_date, campaign.end_date))
    ).select_related("fund", "group", "household__group", "support")
    rows += [
        CalendarRow(
            i.date,
            Activity.Kind.INSPECTION.label,
            i.title,
            i.get_status_display(),
            url=reverse("supervision:inspection_detail", args=[i.pk]),
            is_inspection=True,
            extra=[i.scope_label(), i.team],
        )
        for i in inspections
    ]
    rows.sort(key=lambda r: (r.date, not r.is_inspection, r.title))
    return rows


def campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.order_by("-year", "-start_date")


# The audit log, the checks, inspections and samples name people: the ward's roles only,
# never the level above (docs/vai-tro.md).
SUPERVISION_READERS = (Role.STAFF, Role.COMMITTEE, Role.TREASURER, Role.SUPERVISOR)
