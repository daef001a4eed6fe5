"""Bank statements: upload, the queue of open credits with match suggestions, one-step
matching or recording, and the reconciliation of an account over a period.

Raw bank descriptions are private: these pages are for the office and the treasurer."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from donations import selectors, services
from donations.filters import StatementLineFilter
from donations.forms import ERROR_FIELDS
from donations.forms.statements import (
    IgnoreForm,
    ReconciliationForm,
    StatementBulkForm,
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
from donations.services import statement_bulk as statement_bulk_service
from donations.services.statement_bulk import donor_source_for
from donations.services.statements import is_interrupted, read_progress
from donations.statements.files import MAX_STATEMENT_BYTES, too_large_message
from donations.statements.payer import suggest_payer
from lddh.ward.access import OFFICE_ROLES, READ_ALL_ROLES, access_for, role_required
from lddh.ward.background import progress_response
from lddh.ward.forms import add_service_error

PAGE_SIZE = 50
# The queue counts and sums at most this many lines (see _queue_page).
QUEUE_COUNT_CAP = 10_000
TEXT_COUNT_CAP = 200
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
            form = StatementUploadForm(initial=request.POST.dict())
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


ROW_KINDS = {"da-co": StatementRow.Kind.KNOWN, "khong-phai-giao-dich": StatementRow.Kind.SKIPPED}


@role_required(*STATEMENT_ROLES)
@require_GET
def statement_import(request, pk: int):
    """One upload: its progress while it is read, then what became of every row."""
    batch = selectors.statement_import_for(access_for(request.user), pk)
    running = batch.status in (StatementImport.Status.QUEUED, StatementImport.Status.RUNNING)
    between = sum(item["kind"] == BalanceGap.Kind.BETWEEN_FILES for item in batch.breaks)
    context = {
        "batch": batch,
        "running": running,
        "progress": _progress(batch),
        "in_file": len(batch.breaks) - between,
        "between": between,
        "interrupted": is_interrupted(batch),
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
    progress = read_progress(batch)
    total = progress.get("total") or batch.size or 1
    percent = min(99, int(100 * progress.get("done", 0) / total))
    rows = f"{progress.get('rows', 0):,}".replace(",", ".")
    return {"percent": percent, "text": f"Đã đọc {rows} dòng ({percent} %)…", "done": False}


@role_required(*STATEMENT_ROLES)
@require_GET
def statement_import_progress(request, pk: int):
    batch = selectors.statement_import_for(access_for(request.user), pk)
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
    """A held file: store it with its breaks kept open, or cancel it. An interrupted
    read: read it again."""
    batch = selectors.statement_import_for(access_for(request.user), pk)
    action = request.POST.get("action")
    try:
        if action == "accept":
            services.statement_import_accept(
                actor=request.user, statement_import=batch, reason=request.POST.get("reason", "")
            )
        elif action == "retry":
            services.statement_import_retry(actor=request.user, statement_import=batch)
        elif action == "cancel":
            services.statement_import_cancel(actor=request.user, statement_import=batch)
        else:
            messages.error(request, "Hãy bấm “Vẫn nhập” hoặc “Hủy lần nhập này”.")
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


class _CountedPaginator(Paginator):
    """A paginator told its count: the queue counts and sums its lines in one query."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


def queue_lines(access, params):
    """The queue's filter and the lines it selects (none when a filter value is wrong:
    the form then carries its Vietnamese errors). Credits only, except for lines set
    aside, which may be either way."""
    data = params.copy()
    data.setdefault("status", StatementLine.Status.UNMATCHED)
    filterset = StatementLineFilter(data, queryset=selectors.statement_lines_for(access))
    if not filterset.is_valid():
        return filterset, StatementLine.objects.none()
    lines = filterset.qs
    if data.get("status") != StatementLine.Status.IGNORED:
        lines = lines.filter(credit__gt=0)
    return filterset, lines


def _queue_page(lines, number, *, text: bool):
    """One page of the queue, the count and the credit total of the filtered lines.

    Counting reads at most a capped number of lines, so the page costs the same at
    1.000.000 stored lines as at 1.000: without a text filter the count and the sum come
    from the indexes alone (up to QUEUE_COUNT_CAP); a text filter must read each line's
    description, so it reads at most TEXT_COUNT_CAP lines, in one query that also gives
    the page. Past the cap the page shows no total and asks for a narrower filter."""
    ordered = lines.order_by("-date", "-pk")
    related = ("account", "donation__receipt", "round")
    number = number or "1"
    if text:
        cap = TEXT_COUNT_CAP
        head = list(ordered.values_list("pk", "credit")[: cap + 1])
        count, total = len(head), sum(credit for _, credit in head)
        paginator = _CountedPaginator(ordered, PAGE_SIZE, count=min(count, cap))
        page = paginator.get_page(number)
        ids = [pk for pk, _ in head[(page.number - 1) * PAGE_SIZE :][:PAGE_SIZE]]
        found = lines.select_related(*related).in_bulk(ids)
        return page, [found[pk] for pk in ids if pk in found], count, total, cap
    cap = QUEUE_COUNT_CAP
    ordered = ordered.select_related(*related)
    first = list(ordered[: PAGE_SIZE + 1]) if number == "1" else None
    if first is not None and len(first) <= PAGE_SIZE:
        # Everything fits on the first page: it is its own count and total.
        count, total = len(first), sum(line.credit for line in first)
    else:
        totals = (
            lines.order_by()
            .values("credit")[: cap + 1]
            .aggregate(count=Count("credit"), total=Coalesce(Sum("credit"), 0))
        )
        count, total = totals["count"], totals["total"]
    paginator = _CountedPaginator(ordered, PAGE_SIZE, count=min(count, cap))
    page = paginator.get_page(number)
    rows = first[:PAGE_SIZE] if first is not None and page.number == 1 else list(page.object_list)
    return page, rows, count, total, cap


@role_required(*STATEMENT_ROLES)
@require_GET
def statement_queue(request):
    access = access_for(request.user)
    filterset, lines = queue_lines(access, request.GET)
    searched = bool((filterset.form.cleaned_data or {}).get("q")) if filterset.is_bound else False
    page, rows, count, total, cap = _queue_page(lines, request.GET.get("page"), text=searched)
    over_cap = count > cap
    query = request.GET.copy()
    query.pop("page", None)
    suggestions = selectors.suggestions_for(rows)
    for line in rows:
        line.suggestions = suggestions.get(line.pk, [])
        line.payer = suggest_payer(line.description)
    return render(
        request,
        "donations/statement_queue.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "page_obj": page,
            "rows": rows,
            "query_string": query.urlencode(),
            "total": None if over_cap else total,
            "count": count,
            "over_cap": over_cap,
            "count_cap": cap,
            "searched": searched,
            "can_record": access.is_office,
        },
    )


def _bulk_lines(request, ids) -> list[StatementLine]:
    access = access_for(request.user)
    wanted = [int(i) for i in ids if str(i).isdigit()][: statement_bulk_service.MAX_BATCH + 1]
    return list(
        selectors.statement_lines_for(access)
        .filter(pk__in=wanted)
        .select_related("account")
        .order_by("date", "pk")
    )


@role_required(*OFFICE_ROLES)
def statement_bulk(request):
    """Record many open credits at once. GET (from the queue's ticked lines): the preview
    of the donations to be created, each with the payer's name to check or type; POST:
    record them all in one transaction, or none."""
    source = request.POST if request.method == "POST" else request.GET
    lines = _bulk_lines(request, source.getlist("dong"))
    if not lines:
        messages.error(request, "Chưa chọn dòng sao kê nào: hãy đánh dấu các dòng cần ghi.")
        return redirect("donations:statement_queue")
    if len(lines) > statement_bulk_service.MAX_BATCH:
        messages.error(
            request,
            f"Mỗi lần ghi tối đa {statement_bulk_service.MAX_BATCH} dòng; hãy lọc bớt.",
        )
        return redirect("donations:statement_queue")
    form = StatementBulkForm(
        request.POST if request.method == "POST" else None,
        initial=_record_initial(lines[0]),
    )
    error = ""
    names = {}
    for line in lines:
        typed = source.get(f"ten-{line.pk}")
        if typed is None:
            payer = suggest_payer(line.description)
            typed = payer.name if payer else statement_bulk_service.UNKNOWN_PAYER
        names[line.pk] = typed
        line.payer_name = typed
        line.is_open = line.is_credit and line.status == StatementLine.Status.UNMATCHED
    if request.method == "POST" and form.is_valid():
        entries = [services.BulkEntry(line=line, name=names[line.pk]) for line in lines]
        try:
            recorded = services.statement_lines_record(
                actor=request.user,
                entries=entries,
                fund=form.cleaned_data["fund"],
                campaign=form.cleaned_data["campaign"],
            )
        except services.DonationError as refused:
            error = " ".join(refused.messages)
        else:
            numbers = [line.donation.receipt.number for line in recorded]
            messages.success(
                request,
                f"Đã ghi {len(recorded)} khoản ủng hộ từ sao kê, biên nhận số "
                f"{numbers[0]}" + (f" đến {numbers[-1]}" if len(numbers) > 1 else "") + ".",
            )
            return redirect(
                reverse("donations:list")
                + "?"
                + urlencode({"date_from": f"{min(line.date for line in recorded):%d/%m/%Y}"})
            )
    return render(
        request,
        "donations/statement_bulk.html",
        {
            "form": form,
            "lines": lines,
            "total": sum(line.credit for line in lines),
            "error": error,
            "closed": [line for line in lines if not line.is_open],
        },
        status=400 if error else 200,
    )


@role_required(*STATEMENT_ROLES)
@require_GET
def statement_line(request, pk: int):
    line = selectors.statement_line_for(access_for(request.user), pk)
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
            "payer": suggest_payer(line.description),
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
    initial = {"fund": Fund.objects.filter(active=True).first(), "campaign": campaign}
    payer = suggest_payer(line.description)
    if payer is not None:
        initial.update(new_name=payer.name, new_source=donor_source_for(payer.name))
    pledge = selectors.pledge_in_note(line.description)
    if pledge is not None:
        # A pledge's code in the note: its donor, campaign and fund, chosen in advance.
        initial.update(
            pledge=pledge, donor=pledge.donor, campaign=pledge.campaign, fund=pledge.fund
        )
    return initial


@role_required(*STATEMENT_ROLES)
@require_POST
def statement_match(request, pk: int):
    line = selectors.statement_line_for(access_for(request.user), pk)
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
    line = selectors.statement_line_for(access_for(request.user), pk)
    form = StatementRecordForm(request.POST or None, initial=_record_initial(line))
    if request.method == "POST" and form.is_valid():
        try:
            services.statement_line_record(actor=request.user, line=line, **form.service_kwargs())
        except services.DuplicateDonorError as error:
            form.duplicates = error.matches
            add_service_error(form, error, fields=ERROR_FIELDS)
        except services.DonationError as error:
            add_service_error(form, error, fields=ERROR_FIELDS)
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
            "payer": suggest_payer(line.description),
        },
    )


@role_required(*STATEMENT_ROLES)
@require_POST
def statement_ignore(request, pk: int):
    line = selectors.statement_line_for(access_for(request.user), pk)
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
