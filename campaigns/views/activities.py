"""The campaign's calendar of activities."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from campaigns import selectors, services
from campaigns.forms import (
    ActivityFilterForm,
    ActivityForm,
)
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
from lddh.ward.sorting import SortSpec

ACTIVITY_SORTS = SortSpec(
    {
        "ngay": "date",
        "hoat_dong": ("title", "date"),
        "phu_trach": ("responsible", "date"),
        "tinh_trang": ("status", "date"),
    },
    default="ngay",
)


@require_GET
@role_required(*READERS)
def activities(request, pk: int):
    campaign = selectors.campaign_for(access_for(request.user), pk)
    today = timezone.localdate()
    sort = ACTIVITY_SORTS.from_request(request)
    rows = sort.apply(selectors.activities_for(campaign))
    filters = ActivityFilterForm(request.GET or None)
    if filters.is_valid():
        group = filters.cleaned_data["to"]
        rows = selectors.filter_activities(
            rows,
            today,
            status=filters.cleaned_data["status"],
            kind=filters.cleaned_data["kind"],
            group_id=group.pk if group else None,
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "campaigns/activities.html",
        tab_context(
            request,
            campaign,
            "activities",
            page_obj=page_of(request, rows),
            sort=sort,
            filters=filters,
            query_string=query.urlencode(),
            today=today,
        ),
    )


@require_GET_POST
@role_required(*EDITORS)
def activity_create(request, pk: int):
    campaign = selectors.campaign_for_update(access_for(request.user), pk)
    if refused := closed_redirect(request, campaign, "campaigns:activities"):
        return refused
    form = ActivityForm(posted(request), campaign=campaign)
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
        tab_context(request, campaign, "activities", form=form),
    )


@require_GET_POST
@role_required(*EDITORS)
def activity_edit(request, pk: int, activity_pk: int):
    campaign = selectors.campaign_for_update(access_for(request.user), pk)
    activity = get_object_or_404(campaign.activities, pk=activity_pk)
    if refused := closed_redirect(request, campaign, "campaigns:activities"):
        return refused
    form = ActivityForm(
        posted(request), instance=campaign.activities.get(pk=activity.pk), campaign=campaign
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
        tab_context(request, campaign, "activities", form=form, activity=activity),
    )


@require_POST
@role_required(*EDITORS)
def activity_delete(request, pk: int, activity_pk: int):
    campaign = selectors.campaign_for_update(access_for(request.user), pk)
    activity = get_object_or_404(campaign.activities, pk=activity_pk)
    try:
        services.activity_delete(actor=request.user, activity=activity)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, "Đã xóa hoạt động khỏi lịch.")
    return redirect("campaigns:activities", pk=campaign.pk)
