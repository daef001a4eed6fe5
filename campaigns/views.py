"""Campaign pages: scoped getter → form → one service call → message + redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns import selectors, services
from campaigns.documents import plan_filename, render_plan_pdf
from campaigns.forms import (
    ActivityFilterForm,
    ActivityForm,
    BoardMemberForm,
    CampaignForm,
    CloseForm,
    PlanBlockForm,
    ReasonForm,
    TargetsForm,
)
from campaigns.models import Activity, Campaign, PlanBlock
from lddh.ward.access import access_for, role_required
from lddh.ward.forms import add_service_error
from lddh.ward.models import WardProfile
from lddh.ward.pdf import pdf_response
from lddh.ward.roles import Role
from lddh.ward.sorting import SortSpec

# Leaders must know the plan and its calendar; the board and the targets are office work.
READERS = (Role.STAFF, Role.COMMITTEE, Role.TREASURER, Role.HIGHER, Role.SUPERVISOR, Role.LEADER)
OFFICE_READERS = (Role.STAFF, Role.COMMITTEE, Role.TREASURER, Role.HIGHER, Role.SUPERVISOR)
EDITORS = (Role.STAFF, Role.COMMITTEE)
PAGE_SIZE = 25
CAMPAIGN_SORTS = SortSpec(
    {
        "nam": "year",
        "ten": "name",
        "thoi_gian": "start_date",
        "chi_tieu": "target",
        "trang_thai": ("status", "-start_date"),
    },
    default="-thoi_gian",
    descending_first={"nam", "thoi_gian", "chi_tieu"},
)
ACTIVITY_SORTS = SortSpec(
    {
        "ngay": "date",
        "hoat_dong": ("title", "date"),
        "phu_trach": ("responsible", "date"),
        "tinh_trang": ("status", "date"),
    },
    default="ngay",
)
require_GET_POST = require_http_methods(["GET", "POST"])


def _campaign(request, pk: int) -> Campaign:
    return selectors.campaign_for(access_for(request.user), pk)


def _posted(request):
    """The submitted data, or None on GET (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


def _page(request, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _closed_redirect(request, campaign: Campaign, to: str):
    """Edits of a closed campaign are refused up front, with the way forward."""
    if campaign.is_closed:
        messages.error(request, services.MSG_CLOSED.format(name=campaign.name))
        return redirect(to, pk=campaign.pk)
    return None


def _context(request, campaign: Campaign, tab: str, **extra) -> dict:
    access = access_for(request.user)
    return {
        "campaign": campaign,
        "tab": tab,
        "can_edit": access.is_office and not campaign.is_closed,
        "can_edit_role": access.is_office,
        "can_decide": access.has(Role.COMMITTEE),
        "sees_office": access.reads_figures,
        "copy_year": selectors.next_campaign_year(timezone.localdate()),
        **extra,
    }


# --------------------------------------------------------------------------- campaigns


@require_GET
@role_required(*READERS)
def campaign_list(request):
    sort = CAMPAIGN_SORTS.from_request(request)
    page = _page(request, sort.apply(selectors.campaign_rows()), 20)
    return render(
        request,
        "campaigns/list.html",
        {
            "page_obj": page,
            "sort": sort,
            "query_string": sort.query_string(),
            "active": selectors.active_campaign(),
            "can_edit_role": access_for(request.user).is_office,
            "copy_year": selectors.next_campaign_year(timezone.localdate()),
        },
    )


def _initial_signer() -> dict:
    ward = WardProfile.current()
    signatory = ward.signatory_on() if ward else None
    if signatory is None:
        return {}
    return {
        "signer_name": signatory.full_name,
        "signer_title": signatory.title,
        "signs_for": signatory.signs_for,
    }


@require_GET_POST
@role_required(*EDITORS)
def campaign_create(request):
    form = CampaignForm(_posted(request), initial=_initial_signer())
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                f"Đã tạo dự thảo “{campaign.name}”. Tiếp theo: soạn nội dung kế hoạch, "
                "Ban vận động, chỉ tiêu và lịch hoạt động.",
            )
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "campaign": None})


@require_GET
@role_required(*READERS)
def campaign_detail(request, pk: int):
    campaign = _campaign(request, pk)
    today = timezone.localdate()
    access = access_for(request.user)
    activities = list(selectors.activities_for(campaign))
    context = _context(
        request,
        campaign,
        "detail",
        block_count=campaign.blocks.count(),
        activity_total=len(activities),
        activity_done=sum(a.status == Activity.Status.DONE for a in activities),
        overdue=[a for a in activities if a.overdue_on(today)],
        upcoming=[a for a in activities if a.status == Activity.Status.PLANNED and a.date >= today][
            :5
        ],
        days_left=campaign.days_left(today) if campaign.is_active else None,
        previous=selectors.previous_campaign(campaign),
    )
    if access.reads_figures:
        context |= {
            "board_count": campaign.board.count(),
            "totals": selectors.target_totals(campaign),
            "history": selectors.campaign_history(campaign),
        }
    return render(request, "campaigns/detail.html", context)


@require_GET_POST
@role_required(*EDITORS)
def campaign_edit(request, pk: int):
    campaign = _campaign(request, pk)
    if refused := _closed_redirect(request, campaign, "campaigns:detail"):
        return refused
    form = CampaignForm.for_campaign(campaign, _posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(actor=request.user, campaign=campaign, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Đã lưu thông tin chiến dịch.")
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/form.html", _context(request, campaign, "detail", form=form))


@require_POST
@role_required(Role.COMMITTEE)
def campaign_activate(request, pk: int):
    campaign = _campaign(request, pk)
    try:
        services.campaign_activate(actor=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request, f"Đã triển khai “{campaign.name}”: từ nay có thể ghi nhận ủng hộ."
        )
    return redirect("campaigns:detail", pk=campaign.pk)


@require_POST
@role_required(Role.COMMITTEE)
def campaign_close(request, pk: int):
    campaign = _campaign(request, pk)
    form = CloseForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.campaign_close(actor=request.user, campaign=campaign, note=note)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            f"Đã kết thúc “{campaign.name}”. Chiến dịch chỉ còn được xem; muốn sửa, "
            "Ban Thường trực mở lại kèm lý do.",
        )
    return redirect("campaigns:detail", pk=campaign.pk)


@require_GET_POST
@role_required(Role.COMMITTEE)
def campaign_reopen(request, pk: int):
    campaign = _campaign(request, pk)
    form = ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_reopen(
                actor=request.user, campaign=campaign, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                add_service_error(form, exc)
            else:
                messages.error(request, _error_text(exc))
                return redirect("campaigns:detail", pk=campaign.pk)
        else:
            messages.success(request, f"Đã mở lại “{campaign.name}”.")
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(
        request, "campaigns/reopen.html", _context(request, campaign, "detail", form=form)
    )


@require_GET_POST
@role_required(*EDITORS)
def campaign_copy(request, pk: int):
    source = _campaign(request, pk)
    year = selectors.next_campaign_year(timezone.localdate())
    if request.method == "POST":
        # The year the page offered: if someone copied meanwhile, the overlap is refused.
        posted = request.POST.get("year", "")
        year = int(posted) if posted.isdigit() else year
        try:
            campaign = services.campaign_copy(actor=request.user, source=source, year=year)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request,
                f"Đã tạo dự thảo “{campaign.name}” từ kế hoạch năm {source.year}. Hãy kiểm tra "
                "số, ngày ban hành, căn cứ, chỉ tiêu và nội dung trước khi triển khai.",
            )
            return redirect("campaigns:detail", pk=campaign.pk)
    years = year - source.year
    context = _context(
        request,
        source,
        "detail",
        new_year=year,
        new_start=services.shift_year(source.start_date, years),
        new_end=services.shift_year(source.end_date, years),
        counts={
            "blocks": source.blocks.count(),
            "board": source.board.count(),
            "targets": source.targets.count(),
            "activities": source.activities.exclude(status=Activity.Status.CANCELLED).count(),
        },
    )
    return render(request, "campaigns/copy.html", context)


# --------------------------------------------------------------------------- plan


@require_GET
@role_required(*READERS)
def plan(request, pk: int):
    campaign = _campaign(request, pk)
    return render(
        request,
        "campaigns/plan.html",
        _context(request, campaign, "plan", plan=selectors.plan_for(campaign)),
    )


@require_GET
@role_required(*READERS)
def plan_pdf(request, pk: int):
    campaign = _campaign(request, pk)
    return pdf_response(render_plan_pdf(campaign), plan_filename(campaign))


@require_GET_POST
@role_required(*EDITORS)
def block_create(request, pk: int):
    campaign = _campaign(request, pk)
    if refused := _closed_redirect(request, campaign, "campaigns:plan"):
        return refused
    section = request.GET.get("phan")
    initial = {"section": section} if section in PlanBlock.Section.values else {}
    form = PlanBlockForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            block = services.plan_block_create(
                actor=request.user,
                campaign=campaign,
                section=form.cleaned_data["section"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Đã thêm đoạn vào kế hoạch.")
            return redirect(f"{campaign_url(campaign, 'plan')}#doan-{block.pk}")
    return render(
        request, "campaigns/block_form.html", _context(request, campaign, "plan", form=form)
    )


def campaign_url(campaign: Campaign, name: str) -> str:
    return reverse(f"campaigns:{name}", kwargs={"pk": campaign.pk})


@require_GET_POST
@role_required(*EDITORS)
def block_edit(request, pk: int, block_pk: int):
    campaign = _campaign(request, pk)
    block = get_object_or_404(campaign.blocks, pk=block_pk)
    if refused := _closed_redirect(request, campaign, "campaigns:plan"):
        return refused
    form = PlanBlockForm(_posted(request), initial={"section": block.section, "text": block.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_block_update(
                actor=request.user,
                block=block,
                section=form.cleaned_data["section"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Đã lưu đoạn kế hoạch.")
            return redirect(f"{campaign_url(campaign, 'plan')}#doan-{block.pk}")
    return render(
        request,
        "campaigns/block_form.html",
        _context(request, campaign, "plan", form=form, block=block),
    )


@require_POST
@role_required(*EDITORS)
def block_move(request, pk: int, block_pk: int):
    campaign = _campaign(request, pk)
    block = get_object_or_404(campaign.blocks, pk=block_pk)
    try:
        services.plan_block_move(
            actor=request.user, block=block, up=request.POST.get("huong") != "xuong"
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect(f"{campaign_url(campaign, 'plan')}#doan-{block.pk}")


@require_POST
@role_required(*EDITORS)
def block_delete(request, pk: int, block_pk: int):
    campaign = _campaign(request, pk)
    block = get_object_or_404(campaign.blocks, pk=block_pk)
    try:
        services.plan_block_delete(actor=request.user, block=block)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, "Đã xóa đoạn khỏi kế hoạch.")
    return redirect("campaigns:plan", pk=campaign.pk)


# --------------------------------------------------------------------------- board


@require_GET
@role_required(*OFFICE_READERS)
def board(request, pk: int):
    campaign = _campaign(request, pk)
    page = _page(request, selectors.board_with_targets(campaign), 50)
    return render(
        request, "campaigns/board.html", _context(request, campaign, "board", page_obj=page)
    )


def _board_data(form: BoardMemberForm) -> dict:
    data = {k: v for k, v in form.cleaned_data.items() if k != "groups"}
    data["donor_source"] = data.get("donor_source") or ""
    return data


@require_GET_POST
@role_required(*EDITORS)
def board_create(request, pk: int):
    campaign = _campaign(request, pk)
    if refused := _closed_redirect(request, campaign, "campaigns:board"):
        return refused
    form = BoardMemberForm(_posted(request), campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.board_member_create(
                actor=request.user,
                campaign=campaign,
                data=_board_data(form),
                groups=form.cleaned_data["groups"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Đã thêm {member.full_name} vào Ban vận động.")
            return redirect("campaigns:board", pk=campaign.pk)
    return render(
        request, "campaigns/board_form.html", _context(request, campaign, "board", form=form)
    )


@require_GET_POST
@role_required(*EDITORS)
def board_edit(request, pk: int, member_pk: int):
    campaign = _campaign(request, pk)
    member = get_object_or_404(campaign.board, pk=member_pk)
    if refused := _closed_redirect(request, campaign, "campaigns:board"):
        return refused
    # The form works on its own copy: the service compares before and after for the audit.
    form = BoardMemberForm(
        _posted(request), instance=campaign.board.get(pk=member.pk), campaign=campaign
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.board_member_update(
                actor=request.user,
                member=member,
                data=_board_data(form),
                groups=form.cleaned_data["groups"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Đã lưu thông tin {member.full_name}.")
            return redirect("campaigns:board", pk=campaign.pk)
    return render(
        request,
        "campaigns/board_form.html",
        _context(request, campaign, "board", form=form, member=member),
    )


@require_POST
@role_required(*EDITORS)
def board_delete(request, pk: int, member_pk: int):
    campaign = _campaign(request, pk)
    member = get_object_or_404(campaign.board, pk=member_pk)
    try:
        services.board_member_delete(actor=request.user, member=member)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, f"Đã xóa {member.full_name} khỏi Ban vận động.")
    return redirect("campaigns:board", pk=campaign.pk)


# --------------------------------------------------------------------------- targets


@require_GET_POST
@role_required(*OFFICE_READERS)
def targets(request, pk: int):
    campaign = _campaign(request, pk)
    access = access_for(request.user)
    if request.method == "POST":
        if not access.is_office:
            raise PermissionDenied
        if refused := _closed_redirect(request, campaign, "campaigns:targets"):
            return refused
    form = TargetsForm(
        _posted(request),
        groups=selectors.target_groups(campaign),
        organisations=selectors.target_organisations(campaign),
        group_amounts=selectors.group_targets(campaign),
        organisation_amounts=selectors.organisation_targets(campaign),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.targets_set(
                actor=request.user,
                campaign=campaign,
                group_amounts=form.group_amounts(),
                organisation_amounts=form.organisation_amounts(),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Đã lưu chỉ tiêu.")
            return redirect("campaigns:targets", pk=campaign.pk)
    return render(
        request,
        "campaigns/targets.html",
        _context(request, campaign, "targets", form=form, totals=selectors.target_totals(campaign)),
    )


# --------------------------------------------------------------------------- activities


@require_GET
@role_required(*READERS)
def activities(request, pk: int):
    campaign = _campaign(request, pk)
    today = timezone.localdate()
    sort = ACTIVITY_SORTS.from_request(request)
    rows = sort.apply(selectors.activities_for(campaign))
    filters = ActivityFilterForm(request.GET or None)
    if filters.is_valid():
        status = filters.cleaned_data["status"]
        if status == "overdue":
            rows = rows.overdue(today)
        elif status:
            rows = rows.filter(status=status)
        if filters.cleaned_data["kind"]:
            rows = rows.filter(kind=filters.cleaned_data["kind"])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "campaigns/activities.html",
        _context(
            request,
            campaign,
            "activities",
            page_obj=_page(request, rows),
            sort=sort,
            filters=filters,
            query_string=query.urlencode(),
            today=today,
        ),
    )


@require_GET_POST
@role_required(*EDITORS)
def activity_create(request, pk: int):
    campaign = _campaign(request, pk)
    if refused := _closed_redirect(request, campaign, "campaigns:activities"):
        return refused
    form = ActivityForm(_posted(request), campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_create(actor=request.user, campaign=campaign, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Đã thêm hoạt động vào lịch.")
            return redirect("campaigns:activities", pk=campaign.pk)
    return render(
        request,
        "campaigns/activity_form.html",
        _context(request, campaign, "activities", form=form),
    )


@require_GET_POST
@role_required(*EDITORS)
def activity_edit(request, pk: int, activity_pk: int):
    campaign = _campaign(request, pk)
    activity = get_object_or_404(campaign.activities, pk=activity_pk)
    if refused := _closed_redirect(request, campaign, "campaigns:activities"):
        return refused
    form = ActivityForm(
        _posted(request), instance=campaign.activities.get(pk=activity.pk), campaign=campaign
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(actor=request.user, activity=activity, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Đã lưu hoạt động.")
            return redirect("campaigns:activities", pk=campaign.pk)
    return render(
        request,
        "campaigns/activity_form.html",
        _context(request, campaign, "activities", form=form, activity=activity),
    )


@require_POST
@role_required(*EDITORS)
def activity_delete(request, pk: int, activity_pk: int):
    campaign = _campaign(request, pk)
    activity = get_object_or_404(campaign.activities, pk=activity_pk)
    try:
        services.activity_delete(actor=request.user, activity=activity)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, "Đã xóa hoạt động khỏi lịch.")
    return redirect("campaigns:activities", pk=campaign.pk)
