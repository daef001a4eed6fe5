"""Shared set-up of the review meeting tests: a meeting of group 2 with one household on
its agenda, its votes and its posting."""

from __future__ import annotations

import datetime

from households import services
from households.models import AgendaItem, ReviewMeeting
from tests.factories import CampaignFactory, HouseholdFactory

MEETING_DAY = datetime.date(2024, 10, 5)


def meeting(world, *, campaign=None, household=None, group: int = 2) -> ReviewMeeting:
    campaign = campaign or CampaignFactory()
    household = household or HouseholdFactory(group=world.groups[group])
    created = services.meeting_prepare(
        actor=world.users["leader2" if group == 2 else "staff"],
        campaign=campaign,
        group=world.groups[group],
        date=MEETING_DAY,
        place="Nhà văn hóa tổ 2",
        chair="Lê Văn Chủ",
        secretary="Trần Thị Thư",
        invited_count=15,
    )
    services.meeting_item_add(
        actor=world.users["staff"],
        meeting=created,
        household=household,
        kind=AgendaItem.Kind.SUPPORT,
    )
    return created


def held(world, created: ReviewMeeting, *, present: int = 12, agree: int = 10) -> ReviewMeeting:
    votes = {
        item.pk: {"agree": agree, "disagree": 1, "abstain": 1, "conclusion": "agree"}
        for item in created.items.all()
    }
    return services.meeting_record_votes(
        actor=world.users["staff"], meeting=created, present_count=present, votes=votes
    )


def posted(world, created: ReviewMeeting, *, start: datetime.date, days: int = 7):
    return services.posting_open(
        actor=world.users["staff"],
        meeting=created,
        start_date=start,
        place="Bảng tin tổ 2",
        days=days,
    )
