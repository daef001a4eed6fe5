"""Collection rounds: list, prepare a draft in the grid (or from Excel), check, post.

A leader works on their own group's rounds (another group's is 404) and never posts;
the office posts. A posted round is read-only."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from campaigns.selectors import active_campaign
from donations import selectors, services
from donations.forms import ERROR_FIELDS
from donations.forms.rounds import (
    LineFormSet,
    RoundForm,
    RoundPostForm,
    UploadForm,
    grid_for,
)
from donations.imports import lines_from_file, template_workbook
from donations.models import CollectionRound
from donations.services.rounds import ROUND_FIELDS
from donations.statements import MAX_FILE_BYTES, FileRefused
from lddh.ward.access import OFFICE_ROLES, READ_ALL_ROLES, access_for, role_required
from lddh.ward.exports import XLSX_TYPE
from lddh.ward.forms import add_service_error
from lddh.ward.money import format_dong
from lddh.ward.review import Review, ReviewStep
from lddh.ward.roles import Role
from lddh.ward.vietqr import VietQRError, build_payload, qr_svg

ROUND_ROLES = (*READ_ALL_ROLES, Role.LEADER)
PREPARE_ROLES = (*OFFICE_ROLES, Role.LEADER)
PAGE_SIZE = 50


def round_qr(round: CollectionRound) -> dict | None:
    """The VietQR of a round: the fund's official bank account, the expected total,
    and the round's code as transfer note (which the statement matching recognises)."""
    account = selectors.fund_bank_account(round.fund)
    if account is None:
        return None
    official = account.official_account
    try:
        payload = build_payload(
            bin=official.bank_bin,
            account=official.account_number,
            amount=round.expected_total or None,
            note=round.transfer_note,
        )
    except VietQRError:
        return None
    return {
        "svg": mark_safe(qr_svg(payload, scale=4, title=f"VietQR đợt thu {round.code}")),
        "official": official,
        "note": round.transfer_note,
        "amount": round.expected_total,
    }


@role_required(*ROUND_ROLES)
@require_GET
def round_list(request):
    access = access_for(request.user)
    rounds = (
        selectors.round_totals(selectors.rounds_for(access))
        .select_related("group", "organisation", "fund", "account")
        .order_by("-date", "-pk")
    )
    status = request.GET.get("trang-thai", "")
    if status in CollectionRound.Status.values:
        rounds = rounds.filter(status=status)
    page = Paginator(rounds, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "donations/round_list.html",
        {
            "page_obj": page,
            "query_string": query.urlencode(),
            "status": status,
            "statuses": CollectionRound.Status.choices,
            "can_create": access.is_office or (access.is_leader and access.group_ids),
        },
    )


@role_required(*PREPARE_ROLES)
def round_create(request):
    access = access_for(request.user)
    form = RoundForm(request.POST or None, access=access)
    if request.method == "GET":
        form.initial.setdefault("campaign", active_campaign())
        if not access.is_office and access.group_ids:
            form.initial.setdefault("group", min(access.group_ids))
    if request.method == "POST" and form.is_valid():
        try:
            round = services.round_create(actor=request.user, **form.service_kwargs())
        except services.DonationError as error:
            add_service_error(form, error, fields=ERROR_FIELDS)
        else:
            messages.success(request, f"Đã lập đợt thu {round.code}. Nhập danh sách bên dưới.")
            return redirect("donations:round_detail", pk=round.pk)
    return render(request, "donations/round_form.html", {"form": form})


@role_required(*ROUND_ROLES)
def round_detail(request, pk: int):
    """The round with its grid: editable while a draft (POST saves the lines)."""
    access = access_for(request.user)
    round = selectors.round_for(access, pk)
    editable = selectors.round_editable(access, round)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        grid = LineFormSet(request.POST, prefix="lines")
        if grid.is_valid():
            try:
                services.round_save_lines(actor=request.user, round=round, lines=grid.lines())
            except services.DonationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "Đã lưu danh sách (bản nháp).")
                if "check" in request.POST:
                    return redirect("donations:round_check", pk=round.pk)
                return redirect("donations:round_detail", pk=round.pk)
    else:
        grid = None
    lines = list(round.lines.select_related("donation__receipt").order_by("position"))
    if grid is None and editable:
        grid = grid_for(lines)
    entered_total = sum(line.amount or 0 for line in lines)
    return render(
        request,
        "donations/round_detail.html",
        {
            "round": round,
            "lines": lines,
            "grid": grid,
            "editable": editable,
            "entered_count": sum(1 for line in lines if line.amount),
            "entered_total": entered_total,
            "qr": round_qr(round),
            "upload_form": UploadForm(),
            "max_mb": MAX_FILE_BYTES // 1024 // 1024,
            "bank_line": getattr(round, "bank_line", None)
            if access.has(*selectors.STATEMENT_ROLES)
            else None,
        },
    )


@role_required(*PREPARE_ROLES)
def round_update(request, pk: int):
    access = access_for(request.user)
    round = selectors.round_for_update(access, pk)
    initial = {name: getattr(round, name) for name in ROUND_FIELDS}
    form = RoundForm(request.POST or None, initial=initial, access=access)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(actor=request.user, round=round, **form.service_kwargs())
        except services.DonationError as error:
            add_service_error(form, error, fields=ERROR_FIELDS)
        else:
            messages.success(request, "Đã lưu thông tin đợt thu.")
            return redirect("donations:round_detail", pk=round.pk)
    return render(request, "donations/round_form.html", {"form": form, "round": round})


@role_required(*PREPARE_ROLES)
@require_POST
def round_import(request, pk: int):
    """Append the lines of a filled Excel template to the draft."""
    access = access_for(request.user)
    round = selectors.round_for_update(access, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Hãy chọn tệp Excel danh sách để tải lên.")
        return redirect("donations:round_detail", pk=round.pk)
    upload = form.cleaned_data["file"]
    try:
        if upload.size > MAX_FILE_BYTES:
            raise FileRefused(f"Tệp quá lớn: chỉ nhận tệp đến {MAX_FILE_BYTES // 1024 // 1024} MB.")
        lines = lines_from_file(upload.read())
        services.round_save_lines(actor=request.user, round=round, lines=lines, append=True)
    except FileRefused as refused:
        messages.error(request, f"Không nhập được tệp: {refused.message}")
    except services.DonationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Đã thêm {len(lines)} dòng từ tệp Excel. Hãy kiểm tra trước khi ghi sổ."
        )
    return redirect("donations:round_detail", pk=round.pk)


@role_required(*PREPARE_ROLES)
@require_GET
def round_check(request, pk: int):
    """The dry run: every problem per row, the difference from the paper list, and (for
    the office) the posting form carrying the revision that was checked."""
    access = access_for(request.user)
    round = selectors.round_for(access, pk)
    if not round.is_draft:
        return redirect("donations:round_detail", pk=round.pk)
    check = services.round_check(round, show_matches=access.is_office)
    form = RoundPostForm(initial={"revision": round.revision})
    return render(
        request,
        "donations/round_check.html",
        {
            "round": round,
            "check": check,
            "form": form,
            "can_post": access.is_office,
            "late_entry": round.campaign is not None
            and not round.campaign.is_closed
            and round.campaign.entry_is_late(timezone.localdate()),
        },
    )


def _post_review(round: CollectionRound) -> Review:
    """What is confirmed before a collection round becomes donations with receipts."""
    check = services.round_check(round, show_matches=False)
    single = round.receipt_mode == CollectionRound.ReceiptMode.SINGLE
    receipts = f"một biên nhận cho {check.count} người" if single else f"{check.count} biên nhận"
    checked = reverse("donations:round_check", args=[round.pk])
    rows = [
        ("Đợt thu", f"{round.code} – {round.owner_name}"),
        ("Chiến dịch", round.campaign or ""),
        ("Số người ủng hộ", check.count),
        ("Biên nhận sẽ lập", receipts),
        (
            "Danh sách giấy",
            f"{round.expected_count or 0} người, {format_dong(round.expected_total or 0)}",
        ),
    ]
    if check.has_difference:
        rows.append(("Chênh lệch với danh sách giấy", format_dong(check.total_difference)))
    return Review(
        title=f"Xác nhận ghi sổ đợt thu {round.code}",
        confirm_label="Xác nhận ghi sổ",
        happens=(
            f"Mỗi dòng thành một khoản ủng hộ ghi vào sổ ({receipts}, cấp số liên tục). "
            "Sau khi ghi sổ, đợt thu không sửa được nữa; sai sót chỉ sửa bằng đề nghị hủy "
            "từng biên nhận."
        ),
        amounts=[("Tổng tiền ghi sổ", check.total)],
        rows=rows,
        back_url=checked,
        breadcrumb=[
            ("Đợt thu", reverse("donations:round_list")),
            (round.code, reverse("donations:round_detail", args=[round.pk])),
            ("Kiểm tra", checked),
        ],
    )


@role_required(*OFFICE_ROLES)
@require_POST
def round_post(request, pk: int):
    access = access_for(request.user)
    round = selectors.round_for(access, pk)
    form = RoundPostForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Hãy mở trang kiểm tra rồi bấm “Ghi sổ”.")
        return redirect("donations:round_check", pk=round.pk)
    was_posted = round.is_posted
    step = ReviewStep(request)
    post = partial(
        services.round_post,
        actor=request.user,
        round=round,
        revision=form.cleaned_data["revision"],
        accept_difference=form.cleaned_data["accept_difference"],
        confirm_unusual=form.cleaned_data["confirm_unusual"],
        choices=form.donor_choices(request.POST),
        late_reason=form.cleaned_data["late_reason"],
    )
    try:
        if not step.confirmed and not was_posted:
            return step.review(post, _post_review(round))
        round = post()
    except services.DonationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("donations:round_check", pk=round.pk)
    if was_posted:
        messages.info(request, "Đợt thu này đã được ghi sổ trước đó; không ghi lần hai.")
    else:
        count = round.lines.count()
        if round.collective_donation_id:
            messages.success(
                request, f"Đã ghi sổ đợt thu {round.code}: một biên nhận cho {count} người."
            )
        else:
            messages.success(
                request, f"Đã ghi sổ đợt thu {round.code}: {count} khoản với biên nhận."
            )
    return redirect("donations:round_detail", pk=round.pk)


@role_required(*PREPARE_ROLES)
@require_POST
def round_delete(request, pk: int):
    access = access_for(request.user)
    round = selectors.round_for_update(access, pk)
    try:
        services.round_delete(actor=request.user, round=round)
    except services.DonationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("donations:round_detail", pk=round.pk)
    messages.success(request, f"Đã xóa đợt thu nháp {round.code}.")
    return redirect("donations:round_list")


@role_required(*PREPARE_ROLES)
@require_GET
def round_template(request):
    response = HttpResponse(template_workbook(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-dot-thu.xlsx"'
    return response


def official_qr_for_entry() -> dict | None:
    """The fund's official account QR (no amount, no note) for the donation entry page."""
    account = selectors.fund_bank_account()
    if account is None:
        return None
    official = account.official_account
    try:
        payload = build_payload(bin=official.bank_bin, account=official.account_number)
    except VietQRError:
        return None
    return {
        "svg": mark_safe(qr_svg(payload, scale=3, title=f"VietQR {official.account_number}")),
        "official": official,
    }
