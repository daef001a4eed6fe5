"""What the campaign pages share: who may read and edit, paging, the tabs of a campaign."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from campaigns import selectors, services
from campaigns.models import Campaign
from lddh.ward.access import access_for
from lddh.ward.roles import Role

# Leaders must know the plan and its calendar; the board and the targets are office work.
READERS = (Role.STAFF, Role.COMMITTEE, Role.TREASURER, Role.HIGHER, Role.SUPERVISOR, Role.LEADER)
OFFICE_READERS = (Role.STAFF, Role.COMMITTEE, Role.TREASURER, Role.HIGHER, Role.SUPERVISOR)
EDITORS = (Role.STAFF, Role.COMMITTEE)
PAGE_SIZE = 25
require_GET_POST = require_http_methods(["GET", "POST"])


def posted(request):
    """The submitted data, or None on GET (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


def page_of(request, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def closed_redirect(request, campaign: Campaign, to: str):
    """Edits of a closed campaign are refused up front, with the way forward."""
    if campaign.is_closed:
        messages.error(request, services.MSG_CLOSED.format(name=campaign.name))
        return redirect(to, pk=campaign.pk)
    return None


def tab_context(request, campaign: Campaign, tab: str, **extra) -> dict:
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


def campaign_url(campaign: Campaign, name: str) -> str:
    return reverse(f"campaigns:{name}", kwargs={"pk": campaign.pk})
