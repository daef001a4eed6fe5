"""The campaign board (Ban vận động) and its targets."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from campaigns import selectors, services
from campaigns.forms import (
    BoardMemberForm,
    TargetsForm,
)
from campaigns.views.common import (
    EDITORS,
    OFFICE_READERS,
    closed_redirect,
    error_text,
    page_of,
    posted,
    require_GET_POST,
    tab_context,
)
from lddh.ward.access import access_for, role_required
from lddh.ward.forms import add_service_error


@require_GET
@role_required(*OFFICE_READERS)
def board(request, pk: int):
    campaign = selectors.campaign_for(access_for(request.user), pk)
    page = page_of(request, selectors.board_with_targets(campaign), 50)
    return render(
        request, "campaigns/board.html", tab_context(request, campaign, "board", page_obj=page)
    )


def _board_data(form: BoardMemberForm) -> dict:
    data = {k: v for k, v in form.cleaned_data.items() if k != "groups"}
    data["donor_source"] = data.get("donor_source") or ""
    return data


@require_GET_POST
@role_required(*EDITORS)
def board_create(request, pk: int):
    campaign = selectors.campaign_for_update(access_for(request.user), pk)
    if refused := closed_redirect(request, campaign, "campaigns:board"):
        return refused
    form = BoardMemberForm(posted(request), campaign=campaign)
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
        request, "campaigns/board_form.html", tab_context(request, campaign, "board", form=form)
    )


@require_GET_POST
@role_required(*EDITORS)
def board_edit(request, pk: int, member_pk: int):
    campaign = selectors.campaign_for_update(access_for(request.user), pk)
    member = get_object_or_404(campaign.board, pk=member_pk)
    if refused := closed_redirect(request, campaign, "campaigns:board"):
        return refused
    # The form works on its own copy: the service compares before and after for the audit.
    form = BoardMemberForm(
        posted(request), instance=campaign.board.get(pk=member.pk), campaign=campaign
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
        tab_context(request, campaign, "board", form=form, member=member),
    )


@require_POST
@role_required(*EDITORS)
def board_delete(request, pk: int, member_pk: int):
    campaign = selectors.campaign_for_update(access_for(request.user), pk)
    member = get_object_or_404(campaign.board, pk=member_pk)
    try:
        services.board_member_delete(actor=request.user, member=member)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"Đã xóa {member.full_name} khỏi Ban vận động.")
    return redirect("campaigns:board", pk=campaign.pk)


@require_GET_POST
@role_required(*OFFICE_READERS)
def targets(request, pk: int):
    campaign = selectors.campaign_for(access_for(request.user), pk)
    access = access_for(request.user)
    if request.method == "POST":
        if not access.is_office:
            raise PermissionDenied
        if refused := closed_redirect(request, campaign, "campaigns:targets"):
            return refused
    form = TargetsForm(
        posted(request),
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
        tab_context(
            request, campaign, "targets", form=form, totals=selectors.target_totals(campaign)
        ),
    )
