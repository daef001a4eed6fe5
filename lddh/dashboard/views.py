from django.shortcuts import render
from django.views.decorators.http import require_GET

from campaigns.inbox import share_campaigns
from lddh.dashboard.selectors import dashboard_campaign, dashboard_campaigns, dashboard_for
from lddh.ward.access import access_for
from lddh.ward.inbox import inbox_for_request
from lddh.ward.models import ResidentialGroup


@require_GET
def home(request):
    access = access_for(request.user)
    campaigns = dashboard_campaigns()
    campaign = dashboard_campaign(request.GET.get("chien-dich"), campaigns)
    share_campaigns(request, campaigns)  # the inbox's active campaign: no second read
    context = {
        # No query for a person who leads no group (most of the staff).
        "leader_groups": (
            ResidentialGroup.objects.filter(pk__in=access.group_ids) if access.group_ids else []
        ),
        "dashboard": dashboard_for(access, campaign),
        "campaigns": campaigns,
        "inbox": inbox_for_request(request),
    }
    return render(request, "dashboard/home.html", context)
