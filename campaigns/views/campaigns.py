"""Campaign pages: scoped getter → form → one service call → message + redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from campaigns import selectors, services
from campaigns.forms import (
    CampaignForm,
    CloseForm,
    ReasonForm,
)
from campaigns.models import Activity
from campaigns.views.common import (
    EDITORS,
    READERS,
    closed_redirect,
    error_text,
    page_of,
    posted,
    require_GET_POST,
    tab_context,
)
from lddh.ward.access import access_for, role_required
from lddh.ward.forms import add_service_error
from lddh.ward.models import WardProfile
from lddh.ward.roles import Role
from lddh.ward.sorting import SortSpec

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


@require_GET
@role_required(*READERS)
def campaign_list(request):
    sort = CAMPAIGN_SORTS.from_request(request)
    page = page_of(request, sort.apply(selectors.campaign_rows()), 20)
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
    form = CampaignForm(posted(request), initial=_initial_signer())
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
    campaign = selectors.campaign_for(access_for(request.user), pk)
    today = timezone.localdate()
    access = access_for(request.user)
    activities = list(selectors.activities_for(campaign))
    context = tab_context(
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
    campaign = selectors.campaign_for_update(access_for(request.user), pk)
    if refused := closed_redirect(request, campaign, "campaigns:detail"):
        return refused
    form = CampaignForm.for_campaign(campaign, posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(actor=request.user, campaign=campaign, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Đã lưu thông tin chiến dịch.")
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(
        request, "campaigns/form.html", tab_context(request, campaign, "detail", form=form)
    )


@require_POST
@role_required(Role.COMMITTEE)
def campaign_activate(request, pk: int):
    campaign = selectors.campaign_for_update(access_for(request.user), pk)
    try:
        services.campaign_activate(actor=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, f"Đã triển khai “{campaign.name}”: từ nay có thể ghi nhận ủng hộ."
        )
    return redirect("campaigns:detail", pk=campaign.pk)


@require_POST
@role_required(Role.COMMITTEE)
def campaign_close(request, pk: int):
    campaign = selectors.campaign_for_update(access_for(request.user), pk)
    form = CloseForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.campaign_close(actor=request.user, campaign=campaign, note=note)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
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
    campaign = selectors.campaign_for_update(access_for(request.user), pk)
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_reopen(
                actor=request.user, campaign=campaign, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                add_service_error(form, exc)
            else:
                messages.error(request, error_text(exc))
                return redirect("campaigns:detail", pk=campaign.pk)
        else:
            messages.success(request, f"Đã mở lại “{campaign.name}”.")
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(
        request, "campaigns/reopen.html", tab_context(request, campaign, "detail", form=form)
    )


@require_GET_POST
@role_required(*EDITORS)
def campaign_copy(request, pk: int):
    source = selectors.campaign_for_update(access_for(request.user), pk)
    year = selectors.next_campaign_year(timezone.localdate())
    if request.method == "POST":
        # The year the page offered: if someone copied meanwhile, the overlap is refused.
        posted = request.POST.get("year", "")
        year = int(posted) if posted.isdigit() else year
        try:
            campaign = services.campaign_copy(actor=request.user, source=source, year=year)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request,
                f"Đã tạo dự thảo “{campaign.name}” từ kế hoạch năm {source.year}. Hãy kiểm tra "
                "số, ngày ban hành, căn cứ, chỉ tiêu và nội dung trước khi triển khai.",
            )
            return redirect("campaigns:detail", pk=campaign.pk)
    years = year - source.year
    context = tab_context(
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
