"""Redacted scans of signed handover records (proof of spending on the public pages):
the standing committee uploads one against a paid support; another committee member or
a supervisor approves (it becomes public) or rejects it with a reason. Each view: scoped
getter → form → one service call → message and redirect; the services check the rights
again (a second person, never the uploader)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from households import forms, selectors, services
from households.views.support import support_page
from lddh.ward.access import access_for
from lddh.ward.forms import add_service_error
from lddh.ward.roles import Role

PAGE_SIZE = 25


def _refused(request, form, exc: ValidationError) -> None:
    add_service_error(form, exc)
    for error in form.non_field_errors():
        messages.error(request, error)


@require_POST
def scan_upload(request, pk: int):
    access = access_for(request.user)
    support = selectors.support_for(access, pk)
    if not access.has(Role.COMMITTEE):
        raise PermissionDenied
    form = forms.RedactedScanForm(request.POST, request.FILES, prefix="scan")
    if form.is_valid():
        try:
            services.redacted_scan_upload(
                actor=request.user,
                support=support,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _refused(request, form, exc)
        else:
            messages.success(
                request,
                "Đã tải lên bản chụp đã che thông tin; bản chụp chỉ được công khai khi một "
                "người thứ hai (Ban Thường trực khác hoặc Ban Thanh tra) duyệt.",
            )
            return redirect("households:support_detail", pk=support.pk)
    return support_page(request, access, support, scan_form=form)


@require_GET
def scan_file(request, pk: int, scan_pk: int):
    """The redacted file for the people who review it (the public reaches approved ones
    through the public pages only)."""
    scan = selectors.scan_for(access_for(request.user), pk, scan_pk)
    response = FileResponse(
        scan.file.open("rb"),
        content_type=scan.content_type,
        filename=f"ban-che-{scan.support.handover_number}-{scan.pk}.{scan.extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def scan_approve(request, pk: int, scan_pk: int):
    access = access_for(request.user)
    scan = selectors.scan_for(access, pk, scan_pk)
    if not services.can_review_scans(access):
        raise PermissionDenied
    try:
        services.redacted_scan_approve(actor=request.user, scan=scan)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(
            request, "Đã duyệt: bản chụp đã che thông tin đang hiện trên trang công khai."
        )
    return redirect("households:support_detail", pk=scan.support_id)


@require_POST
def scan_reject(request, pk: int, scan_pk: int):
    access = access_for(request.user)
    scan = selectors.scan_for(access, pk, scan_pk)
    if not services.can_review_scans(access):
        raise PermissionDenied
    form = forms.ReasonForm(request.POST, prefix=f"scan-reject-{scan.pk}")
    if form.is_valid():
        try:
            services.redacted_scan_reject(
                actor=request.user, scan=scan, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _refused(request, form, exc)
        else:
            messages.success(request, "Đã ghi không duyệt bản chụp, kèm lý do.")
            return redirect("households:support_detail", pk=scan.support_id)
    support = selectors.support_for(access, pk)
    return support_page(request, access, support, scan_reject_form=form, scan_reject_pk=scan.pk)


@require_POST
def scan_withdraw(request, pk: int, scan_pk: int):
    """Take an approved scan off the public pages, with the reason."""
    access = access_for(request.user)
    scan = selectors.scan_for(access, pk, scan_pk)
    if not services.can_review_scans(access):
        raise PermissionDenied
    form = forms.ReasonForm(request.POST, prefix=f"scan-withdraw-{scan.pk}")
    if form.is_valid():
        try:
            services.redacted_scan_withdraw(
                actor=request.user, scan=scan, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _refused(request, form, exc)
        else:
            messages.success(
                request, "Đã thôi công khai bản chụp: trang công khai không còn hiện bản chụp này."
            )
            return redirect("households:support_detail", pk=scan.support_id)
    support = selectors.support_for(access, pk)
    return support_page(request, access, support, scan_withdraw_form=form, scan_withdraw_pk=scan.pk)


@require_GET
def scan_list(request):
    """Redacted scans: those waiting for this person's review (?cho_duyet=1, the inbox
    link), or all of them with their state."""
    access = access_for(request.user)
    if not access.reads_all and not access.is_leader:
        raise PermissionDenied
    waiting = request.GET.get("cho_duyet") == "1"
    rows = selectors.scans_to_review(access) if waiting else selectors.scans_for(access)
    page = Paginator(rows.order_by("-uploaded_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "households/scan_list.html",
        {"page_obj": page, "waiting": waiting, "can_review": services.can_review_scans(access)},
    )
