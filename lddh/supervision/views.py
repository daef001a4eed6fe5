"""Supervision pages. Readers: staff, committee, treasurer, supervisor; leaders and the
level above get 403 (the audit log and the samples name people). Writers: the supervisor
for their own records; the committee may move an inspection's follow-up along."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns.selectors import active_campaign
from donations.models import Fund
from donations.selectors.reports import latest_signed_heads
from lddh.supervision import selectors, services
from lddh.supervision.anchors import compare_printed_head
from lddh.supervision.exports import AuditExport
from lddh.supervision.feedback.services import can_handle as can_handle_feedback
from lddh.supervision.forms import (
    AttachmentForm,
    AuditFilterForm,
    InspectionForm,
    PrintedHeadForm,
    SampleForm,
    SampleInspectionForm,
    SampleResultForm,
    StatusForm,
)
from lddh.supervision.integrity import handover_days, run_check
from lddh.supervision.models import Inspection, SampleItem
from lddh.supervision.selectors import SUPERVISION_READERS, AuditFilters
from lddh.ward.access import access_for, role_required
from lddh.ward.dates import format_date
from lddh.ward.exports import csv_response, xlsx_response
from lddh.ward.forms import add_service_error
from lddh.ward.money import amount_in_words
from lddh.ward.pdf import document_context, pdf_response, render_pdf
from lddh.ward.roles import Role
from lddh.ward.sorting import SortSpec

PAGE_SIZE = 50
readers = role_required(*SUPERVISION_READERS)
# The audit trail grows without end: only the time column (indexed) is sortable.
AUDIT_SORTS = SortSpec({"thoi_diem": "at"}, default="-thoi_diem", descending_first={"thoi_diem"})
INSPECTION_SORTS = SortSpec(
    {"ngay": "date", "noi_dung": "title", "tinh_trang": ("status", "-date")},
    default="-ngay",
    descending_first={"ngay"},
)
SAMPLE_SORTS = SortSpec(
    {"mau": "created_at", "loai": ("kind", "-created_at"), "co_mau": "size"},
    default="-mau",
    descending_first={"mau", "co_mau"},
)
supervisor_only = role_required(Role.SUPERVISOR)


def _page(request, queryset, size=PAGE_SIZE):
    page = Paginator(queryset, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


# --------------------------------------------------------------------------- home, check


@readers
@require_GET
def home(request):
    access = access_for(request.user)
    heads = [(fund, selectors.chain_head(fund)) for fund in Fund.objects.all()]
    return render(
        request,
        "supervision/home.html",
        {
            "heads": heads,
            "signed_heads": latest_signed_heads(),
            "open_inspections": selectors.open_inspections().count(),
            "recent": selectors.inspections_for(access)[:5],
            "samples": selectors.samples_for(access)[:5],
            "can_record": services.can_record(access),
        },
    )


@readers
@require_GET
def check(request):
    report = run_check()
    heads = [(fund, selectors.chain_head(fund)) for fund in Fund.objects.all()]
    return render(
        request,
        "supervision/check.html",
        {
            "report": report,
            "heads": heads,
            "signed_heads": latest_signed_heads(),
            "handover_days": handover_days(),
        },
    )


@readers
@require_GET
def compare_head(request):
    """A head printed on paper against the ledger (and every signed head)."""
    form = PrintedHeadForm(request.GET or None)
    findings = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        findings = compare_printed_head(data["fund"], data["sequence"], data["hash"])
    return render(
        request,
        "supervision/compare_head.html",
        {"form": form, "findings": findings},
    )


# --------------------------------------------------------------------------- audit trail


def _audit_filters(request, *, sensitive: bool):
    form = AuditFilterForm(
        request.GET or None,
        actors=selectors.audit_actors(),
        actions=selectors.audit_actions(),
        object_types=selectors.audit_object_types(),
    )
    filters = AuditFilters(sensitive=sensitive)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = AuditFilters(
            actor=data["actor"].pk if data["actor"] else None,
            action=data["action"],
            object_type=data["object_type"],
            object_id=data["object_id"].strip(),
            date_from=data["date_from"],
            date_to=data["date_to"],
            sensitive=sensitive,
        )
    return form, filters


def _subtitle(filters: AuditFilters) -> list[str]:
    parts = []
    if filters.date_from or filters.date_to:
        parts.append(
            f"Từ {format_date(filters.date_from) or '…'} đến {format_date(filters.date_to) or '…'}"
        )
    if filters.action:
        parts.append(f"Hành động: {selectors.action_label(filters.action)}")
    if filters.object_type:
        parts.append(f"Đối tượng: {selectors.object_type_label(filters.object_type)}")
    if filters.object_id:
        parts.append(f"Mã: {filters.object_id}")
    return ["; ".join(parts)] if parts else []


def _audit(request, *, sensitive: bool):
    form, filters = _audit_filters(request, sensitive=sensitive)
    events = selectors.audit_events(filters).only(
        "at",
        "actor_name",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "before",
        "after",
        "note",
    )
    if not can_handle_feedback(access_for(request.user)):
        # The feedback may be about the ward's staff: who cannot read it does not learn
        # from the log that one came in, its topic, group or tracking code.
        events = events.exclude(action__startswith="feedback.")
    export = request.GET.get("xuat")
    if export in ("xlsx", "csv"):
        table = AuditExport(events, sensitive=sensitive, subtitle=_subtitle(filters))
        return xlsx_response(table) if export == "xlsx" else csv_response(table)
    sort = AUDIT_SORTS.from_request(request)
    page, query_string = _page(request, sort.apply(events))
    rows = [
        (
            event,
            selectors.action_label(event.action),
            selectors.object_type_label(event.object_type) if event.object_type else "",
            selectors.describe_event(event),
        )
        for event in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("xuat", None)
    return render(
        request,
        "supervision/audit.html",
        {
            "form": form,
            "rows": rows,
            "page_obj": page,
            "sort": sort,
            "query_string": query_string,
            "export_query": query.urlencode(),
            "sensitive": sensitive,
        },
    )


@readers
@require_GET
def audit(request):
    return _audit(request, sensitive=False)


@readers
@require_GET
def audit_sensitive(request):
    return _audit(request, sensitive=True)


# --------------------------------------------------------------------------- inspections


@readers
@require_GET
def inspection_list(request):
    access = access_for(request.user)
    rows = selectors.inspections_for(access)
    status = request.GET.get("trang_thai", "")
    if status in Inspection.Status.values:
        rows = rows.filter(status=status)
    overdue = request.GET.get("qua_han") == "1"
    if overdue:
        rows = selectors.follow_up_overdue(rows, timezone.localdate())
    sort = INSPECTION_SORTS.from_request(request)
    page, query_string = _page(request, sort.apply(rows))
    return render(
        request,
        "supervision/inspection_list.html",
        {
            "page_obj": page,
            "sort": sort,
            "query_string": query_string,
            "statuses": Inspection.Status.choices,
            "status": status,
            "overdue": overdue,
            "can_record": services.can_record(access),
        },
    )


def _inspection_initial(inspection: Inspection) -> dict:
    initial = {name: getattr(inspection, name) for name in services.INSPECTION_FIELDS}
    numbers = inspection.records.filter(object_type="donations.receipt").values_list(
        "label", flat=True
    )
    initial["receipt_numbers"] = ", ".join(label.removeprefix("Biên nhận ") for label in numbers)
    return initial


@supervisor_only
@require_http_methods(["GET", "POST"])
def inspection_create(request):
    form = InspectionForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        numbers = data.pop("receipt_numbers")
        try:
            inspection = services.inspection_create(
                actor=request.user, data=data, receipt_numbers=numbers
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Đã lưu biên bản kiểm tra.")
            return redirect("supervision:inspection_detail", pk=inspection.pk)
    return render(
        request,
        "supervision/inspection_form.html",
        {"form": form, "title": "Lập biên bản kiểm tra"},
    )


@supervisor_only
@require_http_methods(["GET", "POST"])
def inspection_edit(request, pk: int):
    access = access_for(request.user)
    inspection = selectors.inspection_for(access, pk)
    if not services.can_edit(access, inspection):
        raise PermissionDenied(services.MSG_OWN)
    form = InspectionForm(request.POST or None, initial=_inspection_initial(inspection))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        numbers = data.pop("receipt_numbers")
        try:
            services.inspection_update(
                actor=request.user, inspection=inspection, data=data, receipt_numbers=numbers
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Đã lưu thay đổi.")
            return redirect("supervision:inspection_detail", pk=inspection.pk)
    return render(
        request,
        "supervision/inspection_form.html",
        {"form": form, "title": "Sửa biên bản kiểm tra", "inspection": inspection},
    )


@readers
@require_GET
def inspection_detail(request, pk: int):
    access = access_for(request.user)
    inspection = selectors.inspection_for(access, pk)
    return render(
        request,
        "supervision/inspection_detail.html",
        {
            "inspection": inspection,
            "records": inspection.records.all(),
            "attachments": inspection.attachments.select_related("uploaded_by"),
            "sample": getattr(inspection, "sample", None),
            "can_edit": services.can_edit(access, inspection),
            "can_follow_up": services.can_follow_up(access, inspection),
            "status_form": StatusForm(initial={"status": inspection.status}),
            "attachment_form": AttachmentForm(),
        },
    )


@role_required(Role.SUPERVISOR, Role.COMMITTEE)
@require_POST
def inspection_status(request, pk: int):
    access = access_for(request.user)
    inspection = selectors.inspection_for(access, pk)
    if not services.can_follow_up(access, inspection):
        raise PermissionDenied
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.inspection_set_status(
                actor=request.user,
                inspection=inspection,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Đã cập nhật tình trạng khắc phục.")
    else:
        messages.error(request, "Chọn tình trạng khắc phục.")
    return redirect("supervision:inspection_detail", pk=inspection.pk)


@supervisor_only
@require_POST
def inspection_attach(request, pk: int):
    access = access_for(request.user)
    inspection = selectors.inspection_for(access, pk)
    if not services.can_edit(access, inspection):
        raise PermissionDenied(services.MSG_OWN)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.inspection_attach(
                actor=request.user,
                inspection=inspection,
                upload=form.cleaned_data["attachment"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Đã đính kèm tệp.")
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("supervision:inspection_detail", pk=inspection.pk)


@readers
@require_GET
def inspection_attachment(request, pk: int, attachment_pk: int):
    inspection = selectors.inspection_for(access_for(request.user), pk)
    attachment = get_object_or_404(inspection.attachments, pk=attachment_pk)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        filename=f"kiem-tra-{inspection.pk}-{attachment.pk}.{attachment.extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@readers
@require_GET
def calendar(request):
    campaigns = list(selectors.campaigns())
    chosen = request.GET.get("chien_dich", "")
    campaign = next((c for c in campaigns if str(c.pk) == chosen), None)
    campaign = campaign or active_campaign() or (campaigns[0] if campaigns else None)
    return render(
        request,
        "supervision/calendar.html",
        {
            "campaigns": campaigns,
            "campaign": campaign,
            "rows": selectors.calendar(campaign) if campaign else [],
        },
    )


# --------------------------------------------------------------------------- samples


@readers
@require_GET
def sample_list(request):
    access = access_for(request.user)
    sort = SAMPLE_SORTS.from_request(request)
    page, query_string = _page(request, sort.apply(selectors.samples_for(access)))
    return render(
        request,
        "supervision/sample_list.html",
        {
            "page_obj": page,
            "sort": sort,
            "query_string": query_string,
            "can_record": services.can_record(access),
        },
    )


@supervisor_only
@require_http_methods(["GET", "POST"])
def sample_create(request):
    form = SampleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sample = services.sample_draw(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, f"Đã chọn {sample.size} mục; hạt giống {sample.seed} đã được ghi lại."
            )
            return redirect("supervision:sample_detail", pk=sample.pk)
    return render(request, "supervision/sample_form.html", {"form": form})


@readers
@require_GET
def sample_detail(request, pk: int):
    access = access_for(request.user)
    sample = selectors.sample_for(access, pk)
    items = list(selectors.sample_items(sample))
    redrawn = services.draw(sample.population, sample.size, sample.seed)
    expected = [item.support_id or item.household_id for item in items]
    can_edit = services.can_edit_sample(access, sample) and sample.inspection_id is None
    return render(
        request,
        "supervision/sample_detail.html",
        {
            "sample": sample,
            "items": items,
            "reproducible": redrawn == expected,
            "can_edit": can_edit,
            "result_form": SampleResultForm(initial={"checked_on": timezone.localdate()}),
            "inspection_form": SampleInspectionForm(
                initial={"date": timezone.localdate(), "team": request.user.get_full_name()}
            ),
            "all_checked": all(i.result != SampleItem.Result.PENDING for i in items),
        },
    )


@supervisor_only
@require_POST
def sample_record(request, pk: int, item_pk: int):
    access = access_for(request.user)
    sample = selectors.sample_for(access, pk)
    item = get_object_or_404(sample.items, pk=item_pk)
    if not services.can_edit_sample(access, sample):
        raise PermissionDenied
    form = SampleResultForm(request.POST)
    if form.is_valid():
        try:
            services.sample_record(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, f"Mục {item.position}: {message}")
        else:
            messages.success(request, f"Đã ghi kết quả mục {item.position}.")
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, f"Mục {item.position}: {message}")
    return redirect("supervision:sample_detail", pk=sample.pk)


@supervisor_only
@require_POST
def sample_inspection(request, pk: int):
    access = access_for(request.user)
    sample = selectors.sample_for(access, pk)
    if not services.can_edit_sample(access, sample):
        raise PermissionDenied
    form = SampleInspectionForm(request.POST)
    if form.is_valid():
        try:
            inspection = services.sample_to_inspection(
                actor=request.user, sample=sample, **form.cleaned_data
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Đã lập biên bản kiểm tra từ kết quả xác minh.")
            return redirect("supervision:inspection_detail", pk=inspection.pk)
    else:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for message in errors:
                messages.error(request, f"{label}: {message}" if label else message)
    return redirect("supervision:sample_detail", pk=sample.pk)


@readers
@require_GET
def sample_pdf(request, pk: int):
    """The visit checklist: one row per sampled item, boxes to tick on the spot."""
    sample = selectors.sample_for(access_for(request.user), pk)
    today = timezone.localdate()
    items = list(selectors.sample_items(sample))
    total = sum(item.support.amount for item in items if item.support_id)
    pdf = render_pdf(
        "documents/supervision_checklist.html",
        {
            **document_context(today),
            "sample": sample,
            "items": items,
            "total": total,
            "total_words": amount_in_words(total) if total else "",
        },
    )
    return pdf_response(pdf, f"phieu-xac-minh-mau-{sample.pk}.pdf")
