"""Statement layouts for the treasurer: the list, a layout made from a file (the app
proposes, the person confirms or corrects by picking the file's real header cells), and
the editing of the office's own layouts. Presets are read-only (copy to edit).

The uploaded file is only read: it is not stored, and no line of it is imported."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from donations.forms import ERROR_FIELDS
from donations.forms.layouts import (
    SAMPLE_ROWS,
    LayoutForm,
    SampleForm,
    header_cells,
    load_sample,
    sign_sample,
)
from donations.models import BankLayout
from donations.selectors import STATEMENT_ROLES
from donations.services.common import DonationError
from donations.services.layouts import bank_layout_save
from donations.statements.detect import (
    check_layout,
    layout_settings,
    matching_presets,
    propose_layout,
)
from donations.statements.files import (
    MAX_STATEMENT_BYTES,
    FileRefused,
    StatementFile,
    is_filled,
    too_large_message,
)
from donations.views.statements import UPLOAD_SLACK, SizeLimitHandler
from lddh.ward.access import role_required
from lddh.ward.forms import add_service_error

PREVIEW_ROWS = 15


@role_required(*STATEMENT_ROLES)
@require_GET
def layout_list(request):
    layouts = BankLayout.objects.prefetch_related("accounts").select_related("created_by")
    return render(request, "donations/layout_list.html", {"layouts": layouts})


def _size_guard(view):
    """A file above the limit is refused from its announced size before it is read;
    the CSRF check (which reads the body) runs after the size handler is in place."""

    @csrf_exempt
    def wrapped(request, *args, **kwargs):
        if request.method == "POST":
            try:
                size = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                size = 0
            if size > MAX_STATEMENT_BYTES + UPLOAD_SLACK:
                request.upload_refused = too_large_message(size)
            else:
                request.upload_handlers.insert(0, SizeLimitHandler(request))
        return csrf_protect(view)(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _initial_from_layout(layout: BankLayout, *, copy: bool) -> dict:
    settings = layout_settings(layout)
    initial = {
        "name": f"{layout.name} (bản sao)"[:100] if copy else layout.name,
        "header_row": layout.header_row,
        "date_format": settings["date_format"],
        "thousands_separator": settings["thousands"],
        "decimal_separator": settings["decimal"],
    }
    for name, value in settings["columns"].items():
        initial[f"{name}_column"] = value
    if not copy:
        account = layout.accounts.first()
        initial["account"] = account.pk if account else None
    return initial


def _layout_headers(layout: BankLayout | None) -> list[str]:
    if layout is None:
        return []
    return [v for v in layout_settings(layout)["columns"].values() if v]


def _read_upload(request, sample_form) -> tuple[list | None, str]:
    refused = getattr(request, "upload_refused", "") or (
        too_large_message(request.upload_too_large)
        if getattr(request, "upload_too_large", 0)
        else ""
    )
    if refused:
        return None, refused
    if not sample_form.is_valid():
        return None, ""
    try:
        return _first_rows(sample_form.cleaned_data["file"]), ""
    except FileRefused as error:
        return None, error.message


def _first_rows(upload) -> list[list]:
    """The first rows of a statement of any size the import takes: a layout needs no
    more than SAMPLE_ROWS of them."""
    with StatementFile(upload) as opened:
        rows = []
        for row in opened.rows():
            rows.append(row.cells)
            if len(rows) >= SAMPLE_ROWS:
                break
    if not any(is_filled(row) for row in rows):
        raise FileRefused("Tệp không có dòng dữ liệu nào.")
    return rows


def _layout_page(request, *, layout: BankLayout | None, copy_of: BankLayout | None):
    """One page for both steps: a sample file gives the proposal; the layout form is
    checked against the sample (kept signed in the form) each time it is sent."""
    sample_form = SampleForm()
    rows: list | None = None
    check = None
    proposal = None
    presets = []
    error = ""
    status = 200
    base = layout or copy_of
    initial = _initial_from_layout(base, copy=layout is None) if base else {}
    uploading = request.method == "POST" and (
        "file" in request.FILES
        or getattr(request, "upload_refused", "")
        or getattr(request, "upload_too_large", 0)
        or "name" not in request.POST
    )
    if uploading:
        sample_form = SampleForm(request.POST, request.FILES)
        rows, error = _read_upload(request, sample_form)
        if rows is not None:
            proposal = propose_layout(rows)
            presets = matching_presets(rows)
            if base is None:
                initial = {
                    "name": "",
                    "header_row": proposal.header_row or 1,
                    "date_format": proposal.date_format,
                    "thousands_separator": proposal.thousands,
                    "decimal_separator": proposal.decimal,
                    **{f"{k}_column": v for k, v in proposal.columns.items()},
                }
            elif proposal.header_row and not header_cells(rows, initial.get("header_row")):
                # The layout's header row is not a header in this file: the file's own.
                initial["header_row"] = proposal.header_row
            initial["sample"] = sign_sample(rows)
        elif error:
            status = 400
        form = (
            LayoutForm(initial=initial, headers=header_cells(rows, initial.get("header_row")))
            if rows is not None
            else None
        )
        if rows is not None:
            check = check_layout(rows, **_settings_from_initial(initial))
    elif request.method == "POST":
        rows = load_sample(request.POST.get("sample", ""))
        try:
            header_row = int(request.POST.get("header_row") or 0)
        except ValueError:
            header_row = 0
        headers = header_cells(rows, header_row) if rows else _layout_headers(base)
        form = LayoutForm(request.POST, headers=headers)
        if form.is_valid():
            if rows is not None:
                check = check_layout(rows, **form.check_settings())
            confirmed = form.cleaned_data["confirm"]
            if (check is not None and check.ok) or confirmed:
                try:
                    saved = bank_layout_save(
                        actor=request.user,
                        values=form.values(),
                        account=form.cleaned_data["account"],
                        layout=layout,
                    )
                except DonationError as refused:
                    add_service_error(form, refused, fields=ERROR_FIELDS)
                else:
                    account = form.cleaned_data["account"]
                    messages.success(
                        request,
                        f"Đã lưu mẫu “{saved.name}”"
                        + (
                            f"; tài khoản {account.name} nhập sao kê theo mẫu này."
                            if account
                            else "."
                        ),
                    )
                    return redirect("donations:layout_list")
            else:
                form.add_error(
                    "confirm",
                    "Kết quả kiểm tra chưa ổn (xem ở trên). Hãy sửa lựa chọn, hoặc đánh dấu ô "
                    "này nếu chắc chắn mẫu đúng.",
                )
        status = 400
    else:
        form = LayoutForm(initial=initial, headers=_layout_headers(base)) if base else None
    context = {
        "layout": layout,
        "copy_of": copy_of,
        "sample_form": sample_form,
        "form": form,
        "error": error,
        "check": check,
        "proposal": proposal,
        "presets": presets,
        "preview": (rows or [])[:PREVIEW_ROWS],
        "preview_width": max((len(r) for r in (rows or [])[:PREVIEW_ROWS]), default=0),
        "header_row": _posted_header_row(form),
    }
    return render(request, "donations/layout_form.html", context, status=status)


def _settings_from_initial(initial: dict) -> dict:
    return {
        "header_row": initial.get("header_row") or 1,
        "columns": {
            k.removesuffix("_column"): v or "" for k, v in initial.items() if k.endswith("_column")
        },
        "date_format": initial.get("date_format") or "%d/%m/%Y",
        "thousands": initial.get("thousands_separator", "."),
        "decimal": initial.get("decimal_separator", ","),
    }


def _posted_header_row(form) -> int | None:
    if form is None:
        return None
    value = form["header_row"].value()
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@_size_guard
@role_required(*STATEMENT_ROLES)
def layout_create(request):
    copy_of = None
    if request.GET.get("tu"):
        try:
            copy_of = get_object_or_404(BankLayout, pk=int(request.GET["tu"]))
        except ValueError:
            copy_of = None
    return _layout_page(request, layout=None, copy_of=copy_of)


@_size_guard
@role_required(*STATEMENT_ROLES)
def layout_edit(request, pk: int):
    layout = get_object_or_404(BankLayout, pk=pk)
    if layout.preset:
        raise PermissionDenied
    return _layout_page(request, layout=layout, copy_of=None)
