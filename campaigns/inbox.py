"""The campaign's work waiting in the inbox (lddh/ward/inbox.py): a campaign whose
period is over and that the standing committee has not closed, and the calendar's
activities still planned after their date (the office's, and a leader's own group's)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from campaigns.models import Campaign
from campaigns.selectors import active_campaign, active_in, activities_for, filter_activities
from lddh.ward.access import Access
from lddh.ward.inbox import InboxContext, InboxItem, share_with_inbox
from lddh.ward.models import ResidentialGroup
from lddh.ward.roles import Role

ACTIVE_CAMPAIGN = "active_campaign"


def current_campaign(context: InboxContext) -> Campaign | None:
    """The active campaign, read once for every app's items."""
    return context.memo(ACTIVE_CAMPAIGN, active_campaign)


def share_campaigns(request, campaigns) -> None:
    """Every campaign, read by the page in the model's order (its choice list): the
    inbox takes the active one from them instead of reading it again."""
    share_with_inbox(request, ACTIVE_CAMPAIGN, active_in(campaigns))


def overdue_url(campaign: Campaign, **params) -> str:
    query = urlencode({"status": "overdue", **params})
    return f"{reverse('campaigns:activities', args=[campaign.pk])}?{query}"


def inbox_items(access: Access, context: InboxContext) -> list[InboxItem]:
    campaign = current_campaign(context)
    if campaign is None:
        return []
    items: list[InboxItem] = []
    if access.has(Role.COMMITTEE):
        items.append(
            InboxItem(
                key="campaign_to_close",
                label=f"Chiến dịch {campaign.year} đã hết thời gian, chờ kết thúc",
                hint="Khi đã tổng hợp xong, Ban Thường trực kết thúc chiến dịch.",
                url=reverse("campaigns:detail", args=[campaign.pk]) + "#close-request",
                rows=Campaign.objects.filter(
                    pk=campaign.pk, status=Campaign.Status.ACTIVE, end_date__lt=context.today
                ),
                nav="campaigns:list",
                order=5,
            )
        )
    if access.is_office:
        items.append(
            InboxItem(
                key="activities_overdue",
                label="Hoạt động quá hạn",
                hint="Đã qua ngày dự kiến mà chưa ghi kết quả trên lịch hoạt động.",
                url=overdue_url(campaign),
                rows=lambda: filter_activities(
                    activities_for(campaign), context.today, status="overdue"
                ),
                rows_key=(campaign.pk, context.today),
                nav="campaigns:list",
                order=80,
            )
        )
    elif access.is_leader:
        groups = ResidentialGroup.objects.filter(pk__in=access.group_ids).order_by("number")
        for group in context.memo("leader_groups", lambda: list(groups)):
            items.append(
                InboxItem(
                    key=f"activities_overdue_{group.pk}",
                    label=f"Hoạt động quá hạn của {group.name}",
                    hint="Đã qua ngày dự kiến mà chưa thực hiện; báo phường kết quả hoặc lịch mới.",
                    url=overdue_url(campaign, to=group.pk),
                    rows=filter_activities(
                        activities_for(campaign),
                        context.today,
                        status="overdue",
                        group_id=group.pk,
                    ),
                    nav="campaigns:list",
                    order=80,
                )
            )
    return items
