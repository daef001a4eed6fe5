"""Pages of support. Each view: scoped getter → form → one service call → message and
redirect. A leader outside the household's group gets 404; a role
that may read but not do the step gets 403; the services check the rights again."""

from __future__ import annotations

from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from campaigns.selectors import active_campaign
from households import documents, forms, selectors, services
from households.models import Support, SupportCategory, SupportForm, SupportSource
from households.services.support_rules import can_cancel
from lddh.ward.access import Access, access_for
from lddh.ward.dates import format_date
from lddh.ward.forms import add_service_error
from lddh.ward.review import Review, ReviewStep
from lddh.ward.roles import Role
from lddh.ward.sorting import SortSpec

SUPPORT_SORTS = SortSpec(
    {
        "de_xuat": "proposed_at",
        "so": "pk",
        "ho": ("household__head_name",),
        "loai": ("category", "-proposed_at"),
        "so_tien": "amount",
        "trang_thai": ("status", "-proposed_at"),
    },
    default="-de_xuat",
    descending_first={"de_xuat", "so", "so_tien"},
)

# ---------------------------------------------------------------- helpers


def _can_decide(access: Access, support: Support, user) -> bool:
    return (
        support.is_proposed
        and access.has(Role.COMMITTEE)
        and user.pk not in (support.proposed_by_id, support.edited_by_id)
    )


def _refused(request, form, exc: ValidationError) -> None:
    """Put a service's refusal next to its field; a refusal about the whole step (e.g.
    approving one's own proposal) also shows as a message, since its form may be hidden."""
    add_service_error(form, exc)
    for error in form.non_field_errors():
        messages.error(request, error)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _items(formset) -> list[services.ItemLine]:
    lines = []
    for row in formset.cleaned_data:
        if row and row.get("description"):
            lines.append(
                services.ItemLine(
                    row["description"],
                    row.get("quantity") or 1,
                    row.get("unit") or "",
                    row.get("valuation") or 0,
                )
            )
    return lines


def _item_initial(item) -> dict:
    return {
        "description": item.description,
        "quantity": item.quantity,
        "unit": item.unit,
        "valuation": item.valuation,
    }


# ---------------------------------------------------------------- lists


def _list(request, *, status: str = "", title: str):
    access = selectors.register_access(request.user)
    params = request.GET.copy()
    if status:
        params["trang_thai"] = status
    filters = selectors.SupportFilters.from_query(params)
    sort = SUPPORT_SORTS.from_request(request)
    rows = sort.apply(selectors.support_list(access, filters))
    page = Paginator(rows, selectors.SUPPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "households/support_list.html",
        {
            "title": title,
            "page_obj": page,
            "sort": sort,
            "filters": filters,
            "fixed_status": status,
            "totals": selectors.support_totals(access, filters),
            "groups": list(selectors.groups_for(access)),
            "campaigns": list(selectors.campaigns_for_support()),
            "statuses": Support.Status.choices,
            "categories": SupportCategory.choices,
            "sources": SupportSource.choices,
            "query_string": urlencode(query),
        },
    )


@require_GET
def support_list(request):
    return _list(request, title="Hỗ trợ hộ gia đình")


@require_GET
def support_to_approve(request):
    return _list(request, status=Support.Status.PROPOSED, title="Hỗ trợ chờ duyệt")


@require_GET
def support_to_pay(request):
    return _list(request, status=Support.Status.APPROVED, title="Hỗ trợ đã duyệt, chờ chi")


# ---------------------------------------------------------------- one support


def support_page(request, access: Access, support: Support, **forms_in_error):
    """The support's page, with a form that failed (``forms_in_error``) filled in again."""
    user = request.user
    is_treasurer = access.has(Role.TREASURER)
    context = {
        "support": support,
        "items": list(support.items.all()),
        "follow_ups": list(support.follow_ups.select_related("recorded_by")),
        "attachments": list(support.attachments.all()),
        "warnings": selectors.support_warnings(support) if support.is_editable else [],
        "can_edit": support.is_editable and access.can_edit_group(support.household.group_id),
        "can_decide": _can_decide(access, support, user),
        "own": support.is_proposed
        and access.has(Role.COMMITTEE)
        and not _can_decide(access, support, user),
        "can_pay": support.is_approved and is_treasurer and user.pk != support.decided_by_id,
        "can_cancel": support.is_editable and can_cancel(access, support),
        "can_follow_up": support.is_paid and access.can_edit_group(support.household.group_id),
        "can_attach": support.status in ("approved", "paid") and (is_treasurer or access.is_office),
        "approve_form": forms.ApproveForm(
            initial={"repeat_reason": support.repeat_reason}, prefix="approve"
        ),
        "reject_form": forms.ReasonForm(prefix="reject"),
        "cancel_form": forms.ReasonForm(prefix="cancel"),
        "follow_up_form": forms.FollowUpForm(prefix="follow"),
        "attach_form": forms.AttachmentForm(prefix="attach"),
        **_scans_context(access, support, user),
    }
    reject_pk = forms_in_error.pop("scan_reject_pk", None)
    reject_form = forms_in_error.pop("scan_reject_form", None)
    withdraw_pk = forms_in_error.pop("scan_withdraw_pk", None)
    withdraw_form = forms_in_error.pop("scan_withdraw_form", None)
    for scan in context["scans"]:
        if reject_form is not None and scan.pk == reject_pk:
            scan.reject_form = reject_form
        if withdraw_form is not None and scan.pk == withdraw_pk:
            scan.withdraw_form = withdraw_form
    context.update(forms_in_error)
    return render(request, "households/support_detail.html", context)


def _scans_context(access: Access, support: Support, user) -> dict:
    """The redacted scans of the support (proof of spending on the public pages)."""
    scans = list(
        selectors.scans_for(access).filter(support=support).order_by("pk")
        if support.is_paid
        else []
    )
    reviewer = services.can_review_scans(access)
    for scan in scans:
        scan.can_review = reviewer and scan.state == "waiting" and scan.uploaded_by_id != user.pk
        scan.own = scan.state == "waiting" and scan.uploaded_by_id == user.pk
        scan.reject_form = forms.ReasonForm(prefix=f"scan-reject-{scan.pk}")
        # An approved scan can be taken down by any reviewer, its uploader too.
        scan.can_withdraw = reviewer and scan.state == "approved"
        scan.withdraw_form = forms.ReasonForm(prefix=f"scan-withdraw-{scan.pk}")
    return {
        "scans": scans,
        "can_upload_scan": support.is_paid and access.has(Role.COMMITTEE),
        "scan_form": forms.RedactedScanForm(prefix="scan"),
    }


@require_GET
def support_detail(request, pk: int):
    access = access_for(request.user)
    return support_page(request, access, selectors.support_for(access, pk))


def support_create(request, pk: int):
    access = access_for(request.user)
    household = selectors.household_for_update(access, pk)
    campaign = active_campaign()
    form = forms.SupportEntryForm(
        request.POST or None,
        household=household,
        initial={"campaign": campaign, "source": SupportSource.FUND},
    )
    formset = forms.SupportItemFormSet(request.POST or None, prefix="items")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            support = services.support_propose(
                actor=request.user,
                household=household,
                items=_items(formset),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, f"Đã gửi đề xuất hỗ trợ số {support.pk}; chờ Ban Thường trực duyệt."
            )
            return redirect("households:support_detail", pk=support.pk)
    return render(
        request,
        "households/support_form.html",
        {"household": household, "form": form, "formset": formset, "title": "Đề xuất hỗ trợ"},
    )


def support_edit(request, pk: int):
    access = access_for(request.user)
    support = selectors.support_for_update(access, pk)
    household = support.household
    if not support.is_editable:
        messages.error(request, "Hỗ trợ này không còn sửa được.")
        return redirect("households:support_detail", pk=support.pk)
    initial = {
        name: getattr(support, name)
        for name in forms.SupportEntryForm.base_fields
        if hasattr(support, name)
    }
    form = forms.SupportEntryForm(request.POST or None, household=household, initial=initial)
    formset = forms.SupportItemFormSet(
        request.POST or None,
        prefix="items",
        initial=[_item_initial(i) for i in support.items.all()],
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        was_approved = support.is_approved
        try:
            services.support_update(
                actor=request.user, support=support, items=_items(formset), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                "Đã sửa hỗ trợ; vì đã sửa sau khi duyệt nên hỗ trợ chờ Ban Thường trực duyệt lại."
                if was_approved
                else "Đã sửa hỗ trợ.",
            )
            return redirect("households:support_detail", pk=support.pk)
    return render(
        request,
        "households/support_form.html",
        {
            "household": household,
            "support": support,
            "form": form,
            "formset": formset,
            "title": f"Sửa hỗ trợ số {support.pk}",
        },
    )


@require_POST
def support_approve(request, pk: int):
    access = access_for(request.user)
    support = selectors.support_for(access, pk)
    _require(access.has(Role.COMMITTEE))
    form = forms.ApproveForm(request.POST, prefix="approve")
    if form.is_valid():
        try:
            services.support_approve(actor=request.user, support=support, **form.cleaned_data)
        except ValidationError as exc:
            _refused(request, form, exc)
        else:
            messages.success(request, f"Đã duyệt hỗ trợ số {support.pk}; chờ kế toán chi.")
            return redirect("households:support_detail", pk=support.pk)
    return support_page(request, access, support, approve_form=form)


@require_POST
def support_reject(request, pk: int):
    access = access_for(request.user)
    support = selectors.support_for(access, pk)
    _require(access.has(Role.COMMITTEE))
    form = forms.ReasonForm(request.POST, prefix="reject")
    if form.is_valid():
        try:
            services.support_reject(
                actor=request.user, support=support, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _refused(request, form, exc)
        else:
            messages.success(request, f"Đã ghi không duyệt hỗ trợ số {support.pk}.")
            return redirect("households:support_detail", pk=support.pk)
    return support_page(request, access, support, reject_form=form)


def support_pay(request, pk: int):
    access = access_for(request.user)
    support = selectors.support_for(access, pk)
    _require(access.has(Role.TREASURER))
    step = ReviewStep(request)
    form = forms.PayForm(
        step.data, step.files, initial={"receiver_name": support.household.head_name}
    )
    if step.accepts(form):
        pay = partial(
            services.support_pay, actor=request.user, support=support, **form.cleaned_data
        )
        try:
            if not step.confirmed:  # the file is stored only when the payment is
                return step.review(
                    partial(pay, attachment=None), _pay_review(support, form.cleaned_data)
                )
            support = pay()
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                f"Đã chi / bàn giao hỗ trợ số {support.pk}, biên bản số {support.handover_number}. "
                "Hãy in biên bản để các bên ký.",
            )
            return redirect("households:support_detail", pk=support.pk)
    return render(
        request,
        "households/support_pay.html",
        {
            "support": support,
            "form": form,
            "warnings": selectors.support_warnings(support) if support.is_approved else [],
        },
    )


def _pay_review(support: Support, data: dict) -> Review:
    """What the treasurer confirms before the money goes out."""
    household = support.household
    cash = support.form == SupportForm.CASH
    ledger = (
        f"; khoản chi được ghi vào sổ quỹ ({support.source_label()}) cùng lúc"
        if support.moves_fund
        else ""
    )
    attachment = data.get("attachment")
    return Review(
        title=f"Xác nhận chi / bàn giao hỗ trợ số {support.pk}",
        confirm_label="Xác nhận đã chi / bàn giao",
        happens=(
            "Hỗ trợ chuyển sang “Đã chi / bàn giao” và được cấp số biên bản bàn giao"
            f"{ledger}. Sau khi xác nhận, khoản chi không sửa, không xóa được."
        ),
        amounts=[("Số tiền chi" if cash else "Trị giá bàn giao", support.amount)]
        if support.amount
        else [],
        rows=[
            ("Hộ nhận", f"{household.head_name} · {household.group.name}"),
            ("Hỗ trợ", f"{support.get_category_display()}: {support.description}"),
            ("Nguồn", support.source_label()),
            ("Ngày chi / bàn giao", format_date(data["handover_date"])),
            ("Người nhận", data["receiver_name"]),
            ("Người chứng kiến", data["witness_name"]),
            ("Ghi chú", data.get("note")),
            ("Biên bản đã ký đính kèm", attachment.name if attachment else ""),
        ],
        breadcrumb=[
            ("Hỗ trợ", reverse("households:support_list")),
            (f"Số {support.pk}", reverse("households:support_detail", args=[support.pk])),
        ],
    )


def _cancel_review(support: Support, reason: str) -> Review:
    """What is confirmed before a support is cancelled."""
    return Review(
        title=f"Xác nhận hủy hỗ trợ số {support.pk}",
        confirm_label="Xác nhận hủy hỗ trợ",
        danger=True,
        happens=(
            "Hỗ trợ chuyển sang “Đã hủy” và không chi được nữa; hồ sơ vẫn được lưu cùng lý do "
            "và người hủy. Chưa có tiền nào được chi nên sổ quỹ không thay đổi."
        ),
        amounts=[("Số tiền / trị giá của hỗ trợ", support.amount)] if support.amount else [],
        rows=[
            ("Hộ", f"{support.household.head_name} · {support.household.group.name}"),
            ("Hỗ trợ", f"{support.get_category_display()}: {support.description}"),
            ("Trạng thái hiện nay", support.get_status_display()),
            ("Lý do hủy", reason),
        ],
        breadcrumb=[
            ("Hỗ trợ", reverse("households:support_list")),
            (f"Số {support.pk}", reverse("households:support_detail", args=[support.pk])),
        ],
    )


@require_POST
def support_cancel(request, pk: int):
    access = access_for(request.user)
    support = selectors.support_for_update(access, pk)
    step = ReviewStep(request)
    form = forms.ReasonForm(step.data, prefix="cancel")
    if step.accepts(form):
        reason = form.cleaned_data["reason"]
        cancel = partial(
            services.support_cancel, actor=request.user, support=support, reason=reason
        )
        try:
            if not step.confirmed:
                return step.review(cancel, _cancel_review(support, reason))
            cancel()
        except ValidationError as exc:
            _refused(request, form, exc)
        else:
            messages.success(request, f"Đã hủy hỗ trợ số {support.pk}; hồ sơ vẫn được lưu.")
            return redirect("households:support_detail", pk=support.pk)
    return support_page(request, access, support, cancel_form=form)


@require_POST
def support_follow_up(request, pk: int):
    access = access_for(request.user)
    support = selectors.support_for_update(access, pk)
    form = forms.FollowUpForm(request.POST, prefix="follow")
    if form.is_valid():
        try:
            services.support_follow_up(actor=request.user, support=support, **form.cleaned_data)
        except ValidationError as exc:
            _refused(request, form, exc)
        else:
            messages.success(request, "Đã ghi kết quả theo dõi.")
            return redirect("households:support_detail", pk=support.pk)
    return support_page(request, access, support, follow_up_form=form)


@require_POST
def support_attach(request, pk: int):
    access = access_for(request.user)
    support = selectors.support_for(access, pk)
    _require(access.has(Role.TREASURER) or access.is_office)
    form = forms.AttachmentForm(request.POST, request.FILES, prefix="attach")
    if form.is_valid():
        try:
            services.support_attach(
                actor=request.user,
                support=support,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            messages.success(request, "Đã đính kèm tệp.")
            return redirect("households:support_detail", pk=support.pk)
    return support_page(request, access, support, attach_form=form)


@require_GET
def support_attachment(request, pk: int, attachment_pk: int):
    """A scan or photo, through the same scope as the support (never a public URL)."""
    access = access_for(request.user)
    support = selectors.support_for(access, pk)
    attachment = get_object_or_404(support.attachments, pk=attachment_pk)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        filename=f"ho-tro-{support.pk}-{attachment.pk}.{attachment.extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def support_voucher(request, pk: int):
    """The payment voucher / handover record of a paid support (official layout)."""
    access = access_for(request.user)
    support = selectors.support_for(access, pk)
    if not support.is_paid:
        raise Http404("Hỗ trợ chưa chi: chưa có biên bản.")
    return documents.pdf_response(
        documents.voucher_pdf(support), f"bien-ban-{support.handover_number}.pdf"
    )


# ---------------------------------------------------------------- consent


def household_consent(request, pk: int):
    access = access_for(request.user)
    household = selectors.household_for_update(access, pk)
    form = forms.ConsentForm(
        request.POST or None,
        initial={"public_consent": household.public_consent, "head_title": household.head_title},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.household_set_public_consent(
                actor=request.user,
                household=household,
                consent=form.cleaned_data["public_consent"],
                head_title=form.cleaned_data["head_title"] or "",
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Đã ghi ý kiến của hộ về việc công khai.")
            return redirect("households:detail", pk=household.pk)
    return render(
        request,
        "households/simple_form.html",
        {
            "form": form,
            "household": household,
            "title": "Đồng ý công khai",
            "submit": "Lưu",
            "note": "Khi hộ đồng ý, trang công khai ghi hộ dưới dạng tên viết tắt và số tổ, "
            f"ví dụ “Hộ bà N.T.H., tổ {household.group.number}”; không bao giờ ghi họ tên "
            "đầy đủ, địa chỉ hay thông tin sức khỏe. Khi hộ không đồng ý, hộ chỉ được tính "
            "vào số lượng.",
        },
    )
