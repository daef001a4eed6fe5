"""The campaign plan's pages: its blocks and the printed plan."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from campaigns import selectors, services
from campaigns.documents import plan_filename, render_plan_pdf
from campaigns.forms import (
    PlanBlockForm,
)
from campaigns.models import PlanBlock
from campaigns.views.common import (
    EDITORS,
    READERS,
    campaign_url,
    closed_redirect,
    error_text,
    posted,
    require_GET_POST,
    tab_context,
)
from lddh.ward.access import access_for, role_required
from lddh.ward.forms import add_service_error
from lddh.ward.pdf import pdf_response


@require_GET
@role_required(*READERS)
def plan(request, pk: int):
    campaign = selectors.campaign_for(access_for(request.user), pk)
    return render(
        request,
        "campaigns/plan.html",
        tab_context(request, campaign, "plan", plan=selectors.plan_for(campaign)),
    )


@require_GET
@role_required(*READERS)
def plan_pdf(request, pk: int):
    campaign = selectors.campaign_for(access_for(request.user), pk)
    return pdf_response(render_plan_pdf(campaign), plan_filename(campaign))


@require_GET_POST
@role_required(*EDITORS)
def block_create(request, pk: int):
    campaign = selectors.campaign_for_update(access_for(request.user), pk)
    if refused := closed_redirect(request, campaign, "campaigns:plan"):
        return refused
    section = request.GET.get("phan")
    initial = {"section": section} if section in PlanBlock.Section.values else {}
    form = PlanBlockForm(posted(request), initial=initial)
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
        request, "campaigns/block_form.html", tab_context(request, campaign, "plan", form=form)
    )


@require_GET_POST
@role_required(*EDITORS)
def block_edit(request, pk: int, block_pk: int):
    campaign = selectors.campaign_for_update(access_for(request.user), pk)
    block = get_object_or_404(campaign.blocks, pk=block_pk)
    if refused := closed_redirect(request, campaign, "campaigns:plan"):
        return refused
    form = PlanBlockForm(posted(request), initial={"section": block.section, "text": block.text})
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
        tab_context(request, campaign, "plan", form=form, block=block),
    )


@require_POST
@role_required(*EDITORS)
def block_move(request, pk: int, block_pk: int):
    campaign = selectors.campaign_for_update(access_for(request.user), pk)
    block = get_object_or_404(campaign.blocks, pk=block_pk)
    try:
        services.plan_block_move(
            actor=request.user, block=block, up=request.POST.get("huong") != "xuong"
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect(f"{campaign_url(campaign, 'plan')}#doan-{block.pk}")


@require_POST
@role_required(*EDITORS)
def block_delete(request, pk: int, block_pk: int):
    campaign = selectors.campaign_for_update(access_for(request.user), pk)
    block = get_object_or_404(campaign.blocks, pk=block_pk)
    try:
        services.plan_block_delete(actor=request.user, block=block)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, "Đã xóa đoạn khỏi kế hoạch.")
    return redirect("campaigns:plan", pk=campaign.pk)
