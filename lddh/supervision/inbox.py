"""Supervision's work waiting in the inbox (lddh/ward/inbox.py): the inspections of the
campaign calendar whose day has come (the inspectors'), the inspections whose remedy
date has passed without being closed (the inspectors' and the standing committee's,
which follows up), and the residents' feedback not yet assigned or past its due date."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from campaigns.inbox import current_campaign
from campaigns.models import Activity
from campaigns.selectors import activities_for, filter_activities
from lddh.supervision.feedback.selectors import feedback_for, feedback_new, feedback_overdue
from lddh.supervision.selectors import follow_up_overdue, inspections_for
from lddh.ward.access import Access
from lddh.ward.inbox import InboxContext, InboxItem
from lddh.ward.roles import Role


def inbox_items(access: Access, context: InboxContext) -> list[InboxItem]:
    items: list[InboxItem] = []
    campaign = current_campaign(context) if access.has(Role.SUPERVISOR) else None
    if campaign is not None:
        query = urlencode({"status": "due", "kind": Activity.Kind.INSPECTION})
        items.append(
            InboxItem(
                key="inspections_due",
                label="Đợt kiểm tra đến hạn",
                hint="Lịch chiến dịch có đợt kiểm tra đã đến ngày: kiểm tra và lập biên bản.",
                url=f"{reverse('campaigns:activities', args=[campaign.pk])}?{query}",
                rows=filter_activities(
                    activities_for(campaign),
                    context.today,
                    status="due",
                    kind=Activity.Kind.INSPECTION,
                ),
                nav="supervision:calendar",
                order=70,
            )
        )
    if access.has(Role.SUPERVISOR, Role.COMMITTEE):
        items.append(
            InboxItem(
                key="inspections_follow_up",
                label="Kiến nghị quá hạn khắc phục",
                hint="Biên bản kiểm tra chưa kết thúc mà đã qua hạn khắc phục.",
                url=f"{reverse('supervision:inspection_list')}?qua_han=1",
                rows=follow_up_overdue(inspections_for(access), context.today),
                nav="supervision:inspection_list",
                order=75,
            )
        )
    if access.has(Role.SUPERVISOR, Role.COMMITTEE):
        feedback = feedback_for(access)
        items.append(
            InboxItem(
                key="feedback_new",
                label="Phản ánh mới chưa giao xử lý",
                hint="Người dân gửi phản ánh, kiến nghị: giao người xử lý.",
                url=f"{reverse('supervision:feedback_list')}?trang_thai=received",
                rows=feedback_new(feedback),
                nav="supervision:feedback_list",
                order=76,
            )
        )
        items.append(
            InboxItem(
                key="feedback_overdue",
                label="Phản ánh quá hạn trả lời",
                hint="Phản ánh chưa được trả lời mà đã qua hạn trả lời.",
                url=f"{reverse('supervision:feedback_list')}?qua_han=1",
                rows=feedback_overdue(feedback, context.today),
                nav="supervision:feedback_list",
                order=77,
            )
        )
    return items
