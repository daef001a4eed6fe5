"""Bank statements: upload, the queue of open credits with match suggestions, one-step
matching or recording, and the reconciliation of an account over a period.

Raw bank descriptions are private: these pages are for the office and the treasurer."""

from __future__ import annotations

from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.core.paginator import Paginator
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from donations import selectors, services
from donations.forms import add_service_error
from donations.forms_rounds import (
    IgnoreForm,
    ReconciliationForm,
    StatementRecordForm,
    StatementUploadForm,
)
from donations.models import (
    Account,
    BalanceGap,
    CollectionRound,
    Donation,
    StatementImport,
    StatementLine,
    StatementRow,
)
from donations.selectors import STATEMENT_ROLES
from donations.statements.files import MAX_STATEMENT_BYTES, too_large_message
from lddh.ward.access import OFFICE_ROLES, READ_ALL_ROLES, access_for, role_required
from lddh.ward.background import progress_response

PAGE_SIZE = 50
# Multipart overhead around the file (boundaries, the other fields).
UPLOAD_SLACK = 64 * 1024


class SizeLimitHandler(FileUploadHandler):
    """Stops reading an upload as soon as it passes the limit, whatever the client
    announced (a missing or false Content-Length)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > MAX_STATEMENT_BYTES:
            self.request.upload_too_large = self.received
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


def _announced_size(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@csrf_exempt
@role_required(*STATEMENT_ROLES)
def statement_upload(request):
    """A file above the limit is refused from its announced size, before a byte of it is
    read (the CSRF check, which reads the body, comes after this test)."""
    if request.method == "POST":
        size = _announced_size(request)
        if size > MAX_STATEMENT_BYTES + UPLOAD_SLACK:
            return _upload_page(
                request, StatementUploadForm(), error=too_large_message(size), status=413
            )
        request.upload_handlers.insert(0, SizeLimitHandler(request))
    return _statement_upload(request)


@csrf_protect
def _statement_upload(request):
    error = ""
    form = StatementUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        too_large = getattr(request, "upload_too_large", 0)
        if too_large:
            error = too_large_message(too_large)
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = services.statement_upload(
                    actor=request.user,
                    account=form.cleaned_data["account"],
                    layout=form.cleaned_data["layout"],
                    upload=upload,
                    filename=upload.name or "sao-ke",
                )
            except services.DonationError as refused:
                error = " ".join(refused.messages)
            else:
                return redirect("donations:statement_import", pk=batch.pk)
    return _upload_page(request, form, error=error, status=400 if error else 200)


def _upload_page(request, form, *, error: str = "", status: int = 200):
    access = access_for(request.user)
    imports = (
        selectors.imports_for(access)
        .select_related("account", "layout", "imported_by")
        .order_by("-imported_at", "-pk")[:20]
    )
    return render(
        request,
        "donations/statement_upload.html",
        {
            "form": form,
            "error": error,
            "imports": imports,
            "max_mb": MAX_STATEMENT_BYTES // 1024 // 1024,
        },
        status=status,
    )


def _import_for(request, pk: int) -> StatementImport:
    access = access_for(request.user)
    return get_object_or_404(
        selectors.imports_for(access).select_related(
            "account", "layout", "imported_by", "accepted_by"
        ),
        pk=pk,
    )


ROW_KINDS = {"da-co": StatementRow.Kind.KNOWN, "khong-phai-giao-dich": StatementRow.Kind.SKIPPED}


@role_required(*STATEMENT_ROLES)
@require_GET
def statement_import(request, pk: int):
    """One upload: its progress while it is read, then what became of every row."""
    batch = _import_for(request, pk)
    running = batch.status in (StatementImport.Status.QUEUED, StatementImport.Status.RUNNING)
    between = sum(item["kind"] == BalanceGap.Kind.BETWEEN_FILES for item in batch.breaks)
    context = {
        "batch": batch,
        "running": running,
        "progress": _progress(batch),
        "in_file": len(batch.breaks) - between,
        "between": between,
    }
    if batch.status == StatementImport.Status.DONE:
        kind = request.GET.get("xem", "")
        rows = StatementRow.objects.filter(statement_import=batch).order_by("row")
        if kind in ROW_KINDS:
            rows = rows.filter(kind=ROW_KINDS[kind])
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context |= {
            "page_obj": page,
            "rows": page.object_list,
            "row_kind": kind,
            "query_string": query.urlencode(),
            "gaps": list(batch.gaps.select_related("explained_by").order_by("date", "pk")),
        }
    return render(request, "donations/statement_import.html", context)


def _progress(batch: StatementImport) -> dict:
    status = StatementImport.Status
    done = batch.status not in (status.QUEUED, status.RUNNING)
    if batch.status == status.QUEUED:
        return {"percent": 0, "text": "Đang chờ đọc tệp…", "done": False}
    if done:
        return {"percent": 100, "text": batch.get_status_display(), "done": True}
    progress = services.read_progress(batch)
    total = progress.get("total") or batch.size or 1
    percent = min(99, int(100 * progress.get("done", 0) / total))
    rows = f"{progress.get('rows', 0):,}".replace(",", ".")
    return {"percent": percent, "text": f"Đã đọc {rows} dòng ({percent} %)…", "done": False}


@role_required(*STATEMENT_ROLES)
@require_GET
def statement_import_progress(request, pk: int):
    batch = _import_for(request, pk)
    progress = _progress(batch)
    return progress_response(
        **progress,
        redirect=reverse("donations:statement_import", args=[batch.pk])
        if progress["done"]
        else None,
    )


@role_required(*STATEMENT_ROLES)
@require_POST
def statement_import_decide(request, pk: int):
    """A held file: store it with its breaks kept open, or cancel it."""
    batch = _import_for(request, pk)
    try:
        if request.POST.get("action") == "accept":
            services.statement_import_accept(
                actor=request.user, statement_import=batch, reason=request.POST.get("reason", "")
            )
        else:
            services.statement_import_cancel(actor=request.user, statement_import=batch)
    except services.DonationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("donations:statement_import", pk=batch.pk)


@role_required(*STATEMENT_ROLES)
@require_POST
def balance_gap_explain(request, pk: int):
    gap = get_object_or_404(
        BalanceGap.objects.filter(
            statement_import__in=selectors.imports_for(access_for(request.user))
        ),
        pk=pk,
    )
    try:
        services.balance_gap_explain(
            actor=request.user, gap=gap, explanation=request.POST.get("explanation", "")
        )
    except services.DonationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Đã ghi giải trình.")
    back = request.POST.get("next", "")
    if back == "doi-chieu":
        return redirect(f"{reverse('donations:reconciliation')}?account={gap.account_id}")
    return redirect("donations:statement_import", pk=gap.statement_import_id)


@role_required(*STATEMENT_ROLES)
@require_GET
def statement_queue(request):
    access = access_for(request.user)
    lines = selectors.statement_lines_for(access).select_related(
        "account", "donation__receipt", "round"
    )
    status = request.GET.get("trang-thai", StatementLine.Status.UNMATCHED)
    if status in StatementLine.Status.values:
        lines = lines.filter(status=status)
    if status != StatementLine.Status.IGNORED:
        lines = lines.filter(credit__gt=0)
    account_id = request.GET.get("tai-khoan", "")
    if account_id.isdigit():
        lines = lines.filter(account_id=account_id)
    total = lines.aggregate(s=Coalesce(Sum("credit"), 0))["s"]
    page = Paginator(lines.order_by("-date", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = list(page.object_list)
    suggestions = selectors.suggestions_for(rows)
    for line in rows:
        line.suggestions = suggestions.get(line.pk, [])
    return render(
        request,
        "donations/statement_queue.html",
        {
            "page_obj": page,
            "rows": rows,
            "query_string": query.urlencode(),
            "status": status,
            "statuses": StatementLine.Status.choices,
            "accounts": Account.objects.filter(kind__in=["bank", "treasury"]),
            "account_id": account_id,
            "total": total,
            "can_record": access.is_office,
        },
    )


def _line_for(request, pk: int) -> StatementLine:
    access = access_for(request.user)
    return get_object_or_404(
        selectors.statement_lines_for(access).select_related(
            "account",
            "statement_import",
            "donation__receipt",
            "donation__donor",
            "round",
            "matched_by",
        ),
        pk=pk,
    )


@role_required(*STATEMENT_ROLES)
@require_GET
def statement_line(request, pk: int):
    line = _line_for(request, pk)
    access = access_for(request.user)
    suggestions = selectors.suggestions_for([line]).get(line.pk, [])
    return render(
        request,
        "donations/statement_line.html",
        {
            "line": line,
            "suggestions": suggestions,
            "record_form": StatementRecordForm(initial=_record_initial(line))
            if access.is_office
            else None,
            "ignore_form": IgnoreForm(),
        },
    )


def _record_initial(line: StatementLine) -> dict:
    from campaigns.models import Campaign
    from donations.models import Fund

    campaign = (
        Campaign.objects.exclude(status=Campaign.Status.CLOSED)
        .filter(start_date__lte=line.date, end_date__gte=line.date)
        .first()
    )
    return {"fund": Fund.objects.filter(active=True).first(), "campaign": campaign}


@role_required(*STATEMENT_ROLES)
@require_POST
def statement_match(request, pk: int):
    line = _line_for(request, pk)
    donation = round = None
    donation_id, round_id = request.POST.get("donation", ""), request.POST.get("round", "")
    if donation_id.isdigit():
        donation = get_object_or_404(Donation, pk=donation_id)
    elif round_id.isdigit():
        round = get_object_or_404(CollectionRound, pk=round_id)
    try:
        services.statement_line_match(actor=request.user, line=line, donation=donation, round=round)
    except services.DonationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("donations:statement_line", pk=line.pk)
    messages.success(request, "Đã khớp dòng sao kê.")
    return redirect("donations:statement_queue")


@role_required(*OFFICE_ROLES)
def statement_record(request, pk: int):
    """Create a donation from a bank credit and match it in one step."""
    line = _line_for(request, pk)
    form = StatementRecordForm(request.POST or None, initial=_record_initial(line))
    if request.method == "POST" and form.is_valid():
        try:
            services.statement_line_record(actor=request.user, line=line, **form.service_kwargs())
        except services.DuplicateDonorError as error:
            form.duplicates = error.matches
            form.add_error(None, error.messages)
        except services.DonationError as error:
            add_service_error(form, error)
        else:
            line.refresh_from_db()
            messages.success(
                request,
                f"Đã ghi khoản ủng hộ từ dòng sao kê, biên nhận số {line.donation.receipt.number}.",
            )
            return redirect("donations:statement_queue")
    return render(
        request,
        "donations/statement_line.html",
        {
            "line": line,
            "suggestions": selectors.suggestions_for([line]).get(line.pk, []),
            "record_form": form,
            "ignore_form": IgnoreForm(),
        },
    )


@role_required(*STATEMENT_ROLES)
@require_POST
def statement_ignore(request, pk: int):
    line = _line_for(request, pk)
    form = IgnoreForm(request.POST)
    form.is_valid()
    try:
        services.statement_line_ignore(
            actor=request.user, line=line, reason=form.cleaned_data.get("reason", "")
        )
    except services.DonationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("donations:statement_line", pk=line.pk)
    messages.success(request, "Đã đánh dấu dòng sao kê không phải khoản ủng hộ.")
    return redirect("donations:statement_queue")


@role_required(*READ_ALL_ROLES)
@require_GET
def reconciliation(request):
    """Per account and period: bank credits against donations recorded on the account."""
    access = access_for(request.user)
    form = ReconciliationForm(request.GET or None)
    accounts = list(Account.objects.filter(kind__in=["bank", "treasury"]).order_by("order", "pk"))
    account = start = end = None
    if form.is_bound and form.is_valid():
        account, start, end = (form.cleaned_data[k] for k in ("account", "start", "end"))
    account = account or (accounts[0] if accounts else None)
    today = timezone.localdate()
    end = end or today
    start = start or end.replace(day=1)
    context = {"form": form, "account": account, "start": start, "end": end, "result": None}
    if account is not None:
        context["result"] = selectors.reconciliation(account, start, end)
        context["open_donations"] = list(
            selectors.unmatched_donations(account, start, end)
            .select_related("donor", "receipt")
            .only("date", "amount", "donor__name", "receipt__number")
            .order_by("date", "pk")[:100]
        )
        context["show_lines"] = access.has(*STATEMENT_ROLES)
        if context["show_lines"]:
            context["open_gaps"] = list(
                BalanceGap.objects.filter(account=account, explained_at__isnull=True).order_by(
                    "date", "pk"
                )
            )
            context["open_lines"] = list(
                StatementLine.objects.filter(
                    account=account,
                    date__range=(start, end),
                    status=StatementLine.Status.UNMATCHED,
                    credit__gt=0,
                ).order_by("date", "pk")[:100]
            )
    return render(request, "donations/reconciliation.html", context)
