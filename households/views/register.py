"""Pages of the register. Each view: scoped getter → form → one service call → message
and redirect. Someone outside a household's group gets 404; a
read-only role that tries to write gets 403."""

from __future__ import annotations

import base64
import hashlib
from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from campaigns.models import Campaign
from campaigns.selectors import active_campaign
from households import exports, forms, imports, selectors, services
from households.models import Category, Household, Member, Need, NeedType, PlanItem, Proposal
from households.views.personal_data import may_export_data
from lddh.ward.access import Access, access_for
from lddh.ward.audit import AuditAction, log_event
from lddh.ward.forms import add_service_error
from lddh.ward.review import Review, ReviewStep
from lddh.ward.sorting import SortSpec

SESSION_IMPORT = "households_import"
HOUSEHOLD_SORTS = SortSpec(
    {
        "chu_ho": "head_name",
        "to": ("group__number", "head_name"),
        "phan_loai": ("category", "head_name"),
        "nhan_khau": "member_count",
        "nhu_cau": "open_need_cost",
    },
    default="to",
    descending_first={"nhan_khau", "nhu_cau"},
)


# ---------------------------------------------------------------- helpers


def _writer(request) -> Access:
    access = access_for(request.user)
    if not (access.is_office or access.is_leader):
        raise PermissionDenied
    return access


def _office(request) -> Access:
    access = access_for(request.user)
    if not access.is_office:
        raise PermissionDenied
    return access


def _log_sensitive_view(request, household: Household, what: str) -> None:
    with transaction.atomic():
        log_event(
            actor=request.user,
            action=AuditAction.HOUSEHOLD_VIEW_SENSITIVE,
            obj=household,
            note=what,
        )


# ---------------------------------------------------------------- list and detail


@require_GET
def household_list(request):
    access = selectors.register_access(request.user)
    filters = selectors.ListFilters.from_query(request.GET)
    sort = HOUSEHOLD_SORTS.from_request(request)
    rows = sort.apply(selectors.household_list(access, filters))
    page = Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "households/list.html",
        {
            "page_obj": page,
            "sort": sort,
            "filters": filters,
            "counts": selectors.list_counts(access, filters),
            "groups": list(selectors.groups_for(access)),
            "categories": [*Category.choices, (selectors.DIFFICULT, "Hoàn cảnh đặc biệt khó khăn")],
            "need_types": NeedType.choices,
            "statuses": [*Household.Status.choices, ("all", "Tất cả")],
            "query_string": urlencode(params),
            "can_create": access.is_office or access.is_leader,
            "filtered": any(k in params for k in ("to", "phan_loai", "nhu_cau", "q")),
        },
    )


def _detail_context(request, access: Access, household: Household, *, reveal: bool) -> dict:
    can_edit = access.can_edit_group(household.group_id)
    return {
        "household": household,
        **selectors.household_detail(household),
        "timeline": selectors.household_timeline(household),
        "supports": selectors.household_supports(household),
        "can_edit": can_edit,
        "is_office": access.is_office,
        "reveal": reveal,
        "sees_personal": access.sees_personal_data,
        "can_export_data": may_export_data(access),
        "view_log": selectors.sensitive_view_log(household)
        if access.sees_personal_data or access.has("supervisor")
        else [],
    }


@require_GET
def household_detail(request, pk: int):
    access = access_for(request.user)
    household = selectors.household_for(access, pk)
    return render(
        request, "households/detail.html", _detail_context(request, access, household, reveal=False)
    )


@require_GET
def household_sensitive(request, pk: int):
    """The same page with CCCD, phone and health notes; every opening is logged."""
    access = access_for(request.user)
    household = selectors.household_for(access, pk)
    if not access.sees_personal_data:
        raise PermissionDenied
    _log_sensitive_view(request, household, "Xem CCCD, điện thoại, ghi chú sức khỏe")
    return render(
        request, "households/detail.html", _detail_context(request, access, household, reveal=True)
    )


# ---------------------------------------------------------------- create and change


def household_create(request):
    access = _writer(request)
    groups = selectors.groups_for(access)
    propose = not access.is_office
    form_class = forms.HouseholdProposeForm if propose else forms.HouseholdCreateForm
    form = form_class(request.POST or None, groups=groups, personal=not propose)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        group = data.pop("group")
        try:
            if propose:
                note = data.pop("note")
                proposal = services.proposal_submit(
                    actor=request.user,
                    kind=Proposal.Kind.NEW,
                    group=group,
                    payload=data,
                    note=note,
                    campaign=active_campaign(),
                )
                messages.success(
                    request,
                    f"Đã gửi đề xuất đưa hộ {proposal.payload['head_name']} vào danh sách. "
                    "Cán bộ phường sẽ xem và trả lời.",
                )
                return redirect("households:proposal_detail", pk=proposal.pk)
            household = services.household_create(actor=request.user, group=group, **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Đã thêm hộ {household.head_name} vào danh sách.")
            return redirect("households:detail", pk=household.pk)
    return render(request, "households/household_form.html", {"form": form, "propose": propose})


def household_edit(request, pk: int):
    access = access_for(request.user)
    household = selectors.household_for_update(access, pk)
    personal = access.sees_personal_data
    initial = {
        name: getattr(household, name)
        for name in (
            "head_name",
            "head_birth_year",
            "address",
            "head_cccd",
            "phone",
            "circumstances",
            "income_per_person",
            "plan_goal",
        )
    }
    initial["group"] = household.group
    form = forms.HouseholdForm(
        request.POST or None,
        initial=initial,
        groups=selectors.groups_for(access),
        personal=personal,
    )
    if not access.is_office:
        form.fields["group"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        group = data.pop("group")
        try:
            services.household_update(
                actor=request.user,
                household=household,
                group=group if access.is_office else None,
                **data,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Đã lưu thông tin hộ.")
            return redirect("households:detail", pk=household.pk)
    elif request.method == "GET" and personal and (household.head_cccd or household.phone):
        _log_sensitive_view(request, household, "Mở biểu mẫu sửa thông tin hộ")
    return render(request, "households/household_form.html", {"form": form, "household": household})


def household_classify(request, pk: int):
    access = access_for(request.user)
    household = selectors.household_for_update(access, pk)
    propose = not access.is_office
    form_class = forms.ClassificationProposeForm if propose else forms.ClassificationForm
    initial = {name: getattr(household, name) for name in forms.ClassificationForm.base_fields}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if propose:
                services.proposal_submit(
                    actor=request.user,
                    kind=Proposal.Kind.CLASSIFY,
                    group=household.group,
                    household=household,
                    payload=form.classification(),
                    note=form.cleaned_data["note"],
                    campaign=active_campaign(),
                )
                messages.success(
                    request,
                    "Đã gửi đề xuất thay đổi phân loại. Phân loại chỉ thay đổi khi phường "
                    "chấp nhận.",
                )
            else:
                services.household_classify(
                    actor=request.user, household=household, **form.classification()
                )
                messages.success(request, "Đã cập nhật phân loại.")
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return redirect("households:detail", pk=household.pk)
    return render(
        request,
        "households/classify_form.html",
        {"form": form, "household": household, "propose": propose},
    )


def household_exit(request, pk: int):
    access = access_for(request.user)
    household = selectors.household_for_update(access, pk)
    propose = not access.is_office
    form = forms.ExitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if propose:
                services.proposal_submit(
                    actor=request.user,
                    kind=Proposal.Kind.EXIT,
                    group=household.group,
                    household=household,
                    payload=data,
                    note=data["exit_reason"],
                    campaign=active_campaign(),
                )
                messages.success(request, "Đã gửi đề xuất đưa hộ ra khỏi danh sách.")
            else:
                services.household_exit(
                    actor=request.user,
                    household=household,
                    exit_date=data["exit_date"],
                    reason=data["exit_reason"],
                )
                messages.success(request, "Hộ đã ra khỏi danh sách.")
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return redirect("households:detail", pk=household.pk)
    return render(
        request,
        "households/exit_form.html",
        {"form": form, "household": household, "propose": propose},
    )


def household_reactivate(request, pk: int):
    access = access_for(request.user)
    household = selectors.household_for_update(access, pk)
    if not access.is_office:
        raise PermissionDenied
    form = forms.ReactivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_reactivate(
                actor=request.user, household=household, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Hộ đã trở lại danh sách.")
            return redirect("households:detail", pk=household.pk)
    return render(
        request, "households/simple_form.html", _simple(form, household, "Đưa hộ trở lại danh sách")
    )


def _simple(form, household, title: str, *, submit: str = "Lưu", note: str = "") -> dict:
    return {"form": form, "household": household, "title": title, "submit": submit, "note": note}


# ---------------------------------------------------------------- members, needs, plan


def member_add(request, pk: int):
    access = access_for(request.user)
    household = selectors.household_for_update(access, pk)
    form = forms.MemberForm(request.POST or None, personal=access.sees_personal_data)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_add(actor=request.user, household=household, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Đã thêm thành viên.")
            return redirect(reverse("households:detail", args=[household.pk]) + "#thanh-vien")
    return render(
        request, "households/simple_form.html", _simple(form, household, "Thêm thành viên")
    )


def member_edit(request, pk: int, member_pk: int):
    access = access_for(request.user)
    household = selectors.household_for_update(access, pk)
    member = get_object_or_404(household.members, pk=member_pk)
    personal = access.sees_personal_data
    # A fresh copy: is_valid() writes into the form's instance, and the service must
    # see the member as stored to record what changed (a ModelForm writes into its instance).
    form = forms.MemberForm(
        request.POST or None, instance=Member.objects.get(pk=member.pk), personal=personal
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Đã lưu thông tin thành viên.")
            return redirect(reverse("households:detail", args=[household.pk]) + "#thanh-vien")
    elif request.method == "GET" and personal and member.health_note:
        _log_sensitive_view(request, household, f"Mở biểu mẫu sửa thành viên {member.full_name}")
    return render(
        request,
        "households/simple_form.html",
        _simple(form, household, f"Sửa thông tin thành viên: {member.full_name}"),
    )


@require_POST
def member_delete(request, pk: int, member_pk: int):
    access = access_for(request.user)
    household = selectors.household_for_update(access, pk)
    member = get_object_or_404(household.members, pk=member_pk)
    try:
        services.member_remove(actor=request.user, member=member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã bớt thành viên {member.full_name}.")
    return redirect(reverse("households:detail", args=[household.pk]) + "#thanh-vien")


def need_add(request, pk: int):
    access = access_for(request.user)
    household = selectors.household_for_update(access, pk)
    form = forms.NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.need_add(actor=request.user, household=household, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Đã ghi nhận nhu cầu.")
            return redirect(reverse("households:detail", args=[household.pk]) + "#nhu-cau")
    return render(request, "households/simple_form.html", _simple(form, household, "Thêm nhu cầu"))


def need_edit(request, pk: int, need_pk: int):
    access = access_for(request.user)
    household = selectors.household_for_update(access, pk)
    need = get_object_or_404(household.needs, pk=need_pk)
    form = forms.NeedForm(request.POST or None, instance=Need.objects.get(pk=need.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.need_update(actor=request.user, need=need, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Đã cập nhật nhu cầu.")
            return redirect(reverse("households:detail", args=[household.pk]) + "#nhu-cau")
    return render(
        request,
        "households/simple_form.html",
        _simple(form, household, f"Cập nhật nhu cầu: {need.get_type_display()}"),
    )


def plan_add(request, pk: int):
    access = access_for(request.user)
    household = selectors.household_for_update(access, pk)
    form = forms.PlanItemForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_item_add(actor=request.user, household=household, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Đã thêm bước vào kế hoạch hỗ trợ.")
            return redirect(reverse("households:detail", args=[household.pk]) + "#ke-hoach")
    return render(
        request,
        "households/simple_form.html",
        _simple(form, household, "Thêm bước trong kế hoạch hỗ trợ"),
    )


def plan_edit(request, pk: int, item_pk: int):
    access = access_for(request.user)
    household = selectors.household_for_update(access, pk)
    item = get_object_or_404(household.plan_items, pk=item_pk)
    form = forms.PlanItemForm(
        request.POST or None, instance=PlanItem.objects.get(pk=item.pk), household=household
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_item_update(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Đã cập nhật kế hoạch hỗ trợ.")
            return redirect(reverse("households:detail", args=[household.pk]) + "#ke-hoach")
    return render(
        request,
        "households/simple_form.html",
        _simple(form, household, "Sửa bước trong kế hoạch hỗ trợ"),
    )


# ---------------------------------------------------------------- proposals


@require_GET
def proposal_list(request):
    access = selectors.register_access(request.user)
    filters = selectors.ProposalFilters.from_query(request.GET)
    proposals = selectors.proposal_rows(access, filters).select_related(
        "group", "household", "proposed_by", "decided_by"
    )
    page = Paginator(proposals, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "households/proposal_list.html",
        {
            "page_obj": page,
            "status": filters.status,
            "filters": filters,
            "statuses": [*Proposal.Status.choices, ("all", "Tất cả")],
            "query_string": urlencode(filters.query()),
        },
    )


def _proposal_page(request, access: Access, proposal: Proposal, return_form=None):
    changes = selectors.describe_changes(proposal.before, proposal.payload)
    if proposal.kind == Proposal.Kind.NEW:
        changes = [(label, "", after) for label, _before, after in changes]
    return render(
        request,
        "households/proposal_detail.html",
        {
            "proposal": proposal,
            "changes": changes,
            "can_decide": access.is_office and proposal.is_pending,
            "own": proposal.proposed_by_id == request.user.pk,
            "return_form": return_form or forms.ReturnForm(),
        },
    )


@require_GET
def proposal_detail(request, pk: int):
    access = access_for(request.user)
    proposal = selectors.proposal_for(access, pk)
    return _proposal_page(request, access, proposal)


def _proposal_review(proposal: Proposal) -> Review:
    """What the office confirms before a group's proposal changes the register."""
    changes = selectors.describe_changes(proposal.before, proposal.payload)
    if proposal.kind == Proposal.Kind.NEW:
        rows = [(label, after) for label, _before, after in changes]
        name = proposal.payload.get("head_name", "")
        happens = (
            f"Hộ {name} được thêm vào danh sách của {proposal.group.name} với các thông tin trên."
        )
    else:
        rows = [
            (label, after if before == after else f"{before or '—'} → {after or '—'}")
            for label, before, after in changes
        ]
        name = proposal.household.head_name
        happens = (
            f"Hồ sơ hộ {name} được ghi các thay đổi trên"
            + (" và hộ ra khỏi danh sách" if proposal.kind == Proposal.Kind.EXIT else "")
            + "; lịch sử của hộ ghi lại theo đề xuất này."
        )
    detail = reverse("households:proposal_detail", args=[proposal.pk])
    return Review(
        title=f"Xác nhận chấp nhận {proposal.get_kind_display().lower()} số {proposal.pk}",
        confirm_label="Xác nhận chấp nhận và áp dụng",
        happens=happens,
        rows=[("Tổ dân phố", proposal.group.name), ("Hộ", name), *rows],
        back_url=detail,
        breadcrumb=[
            ("Đề xuất", reverse("households:proposals")),
            (f"Số {proposal.pk}", detail),
        ],
    )


@require_POST
def proposal_accept(request, pk: int):
    access = access_for(request.user)
    proposal = selectors.proposal_for_update(access, pk)
    step = ReviewStep(request)
    accept = partial(services.proposal_accept, actor=request.user, proposal=proposal)
    try:
        if not step.confirmed:
            return step.review(accept, _proposal_review(proposal))
        proposal = accept()
    except ValidationError as exc:
        messages.error(request, "Không chấp nhận được: " + " ".join(exc.messages))
        return redirect("households:proposal_detail", pk=proposal.pk)
    messages.success(request, f"Đã chấp nhận đề xuất số {proposal.pk}; thay đổi đã được ghi.")
    return redirect("households:detail", pk=proposal.household_id)


@require_POST
def proposal_return(request, pk: int):
    access = access_for(request.user)
    proposal = selectors.proposal_for_update(access, pk)
    form = forms.ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_return(
                actor=request.user, proposal=proposal, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Đã trả lại đề xuất số {proposal.pk} cho tổ.")
            return redirect("households:proposals")
    return _proposal_page(request, access, proposal, return_form=form)


# ---------------------------------------------------------------- review rounds


@require_GET
def review_overview(request):
    access = selectors.register_access(request.user)
    campaigns = list(selectors.campaigns_for_review())
    campaign = None
    chosen = request.GET.get("chien_dich")
    if chosen and chosen.isdigit():
        campaign = next((c for c in campaigns if c.pk == int(chosen)), None)
    campaign = campaign or active_campaign() or (campaigns[0] if campaigns else None)
    progress = selectors.review_progress(access, campaign) if campaign else []
    return render(
        request,
        "households/review_overview.html",
        {
            "campaigns": campaigns,
            "campaign": campaign,
            "progress": progress,
            "totals": {
                "households": sum(p.households for p in progress),
                "reviewed": sum(p.reviewed for p in progress),
                "pending": sum(p.pending_proposals for p in progress),
            },
        },
    )


@require_GET
def review_group(request, campaign_pk: int, group_pk: int):
    access = access_for(request.user)
    campaign = get_object_or_404(Campaign, pk=campaign_pk)
    group = selectors.group_for(access, group_pk)
    progress = selectors.review_progress(access, campaign, groups=[group])[0]
    rows = selectors.group_review_rows(group, campaign)
    # "?chua_ra_soat=1": only the households the review has not reached yet.
    left_only = request.GET.get("chua_ra_soat") == "1"
    if left_only:
        rows = [row for row in rows if row["review"] is None]
    return render(
        request,
        "households/review_group.html",
        {
            "campaign": campaign,
            "group": group,
            "rows": rows,
            "left_only": left_only,
            "progress": progress,
            "can_edit": access.can_edit_group(group.pk) and not campaign.is_closed,
            "outcomes": forms.ReviewForm.base_fields["outcome"].choices,
        },
    )


@require_POST
def review_record(request, campaign_pk: int, household_pk: int):
    access = access_for(request.user)
    household = selectors.household_for(access, household_pk)
    campaign = get_object_or_404(Campaign, pk=campaign_pk)
    if not access.can_edit_group(household.group_id):
        raise PermissionDenied
    form = forms.ReviewForm(request.POST)
    target = reverse("households:review_group", args=[campaign.pk, household.group_id])
    if not form.is_valid():
        messages.error(request, f"Hộ {household.head_name}: hãy chọn kết quả rà soát.")
        return redirect(f"{target}#ho-{household.pk}")
    try:
        services.review_record(
            actor=request.user, campaign=campaign, household=household, **form.cleaned_data
        )
    except ValidationError as exc:
        messages.error(request, f"Hộ {household.head_name}: " + " ".join(exc.messages))
    else:
        messages.success(request, f"Đã ghi kết quả rà soát hộ {household.head_name}.")
    return redirect(f"{target}#ho-{household.pk}")


@require_POST
def review_complete(request, campaign_pk: int, group_pk: int):
    access = access_for(request.user)
    group = selectors.group_for(access, group_pk)
    campaign = get_object_or_404(Campaign, pk=campaign_pk)
    if not access.can_edit_group(group.pk):
        raise PermissionDenied
    try:
        services.review_round_complete(actor=request.user, campaign=campaign, group=group)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{group.name} đã hoàn thành rà soát.")
    return redirect("households:review_group", campaign_pk=campaign.pk, group_pk=group.pk)


# ---------------------------------------------------------------- Excel


@require_GET
def export_register(request):
    access = selectors.register_access(request.user)
    filters = selectors.ListFilters.from_query(request.GET)
    personal = request.GET.get("ca_nhan") == "1" and access.sees_personal_data
    if personal:
        ids = exports.export_household_ids(access, filters)
        with transaction.atomic():
            for household in Household.objects.filter(pk__in=ids).select_related("group"):
                log_event(
                    actor=request.user,
                    action=AuditAction.HOUSEHOLD_EXPORT_SENSITIVE,
                    obj=household,
                    note="Xuất Excel kèm CCCD và điện thoại",
                )
    return exports.register_export(access, filters, personal=personal)


@require_GET
def import_template(request):
    _office(request)
    response = HttpResponse(
        imports.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-ho-gia-dinh.xlsx"'
    return response


def import_upload(request):
    _office(request)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        preview = imports.read_file(content)
        digest = hashlib.sha256(content).hexdigest()
        request.session[SESSION_IMPORT] = {
            "name": upload.name,
            "digest": digest,
            "data": base64.b64encode(content).decode("ascii"),
        }
        return render(
            request,
            "households/import.html",
            {"form": forms.ImportForm(), "preview": preview, "digest": digest, "name": upload.name},
        )
    return render(request, "households/import.html", {"form": form, "preview": None})


@require_POST
def import_apply(request):
    _office(request)
    stored = request.session.get(SESSION_IMPORT)
    if not stored or stored.get("digest") != request.POST.get("digest"):
        messages.error(request, "Không tìm thấy tệp đã xem trước; hãy tải tệp lên lại.")
        return redirect("households:import")
    content = base64.b64decode(stored["data"])
    preview = imports.read_file(content)
    if not preview.ok:
        messages.error(request, "Tệp có dòng lỗi: chưa ghi gì. Hãy sửa tệp và tải lên lại.")
        return render(
            request,
            "households/import.html",
            {
                "form": forms.ImportForm(),
                "preview": preview,
                "digest": stored["digest"],
                "name": stored["name"],
            },
        )
    rows = [{"line": r.line, **r.data} for r in preview.new_rows]
    try:
        created = services.household_import(actor=request.user, rows=rows, filename=stored["name"])
    except ValidationError as exc:
        messages.error(request, "Chưa ghi gì: " + " ".join(exc.messages))
        return redirect("households:import")
    del request.session[SESSION_IMPORT]
    skipped = preview.count("existing")
    if created:
        messages.success(
            request,
            f"Đã thêm {len(created)} hộ từ tệp {stored['name']}"
            + (f"; {skipped} hộ đã có trong danh sách được giữ nguyên." if skipped else "."),
        )
    else:
        messages.info(request, "Mọi hộ trong tệp đã có trong danh sách: không có gì thay đổi.")
    return redirect("households:list")
