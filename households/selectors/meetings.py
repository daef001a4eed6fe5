"""Reads of the review meetings, their postings and objections, scoped to the viewer:
a leader sees their own groups' meetings (another group's answers 404), the roles that
read the whole register see all, the level above none."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from campaigns.models import Campaign
from households.models import Objection, ReviewMeeting, ReviewRound
from lddh.ward.access import Access
from lddh.ward.models import ResidentialGroup

__all__ = [
    "TO_PREPARE",
    "groups_to_prepare",
    "meeting_for",
    "meeting_for_update",
    "meetings_for",
    "objection_for",
    "open_objections_for",
]


def meetings_for(access: Access) -> QuerySet[ReviewMeeting]:
    if access.reads_all:
        return ReviewMeeting.objects.all()
    if access.is_leader:
        return ReviewMeeting.objects.filter(group_id__in=access.group_ids)
    return ReviewMeeting.objects.none()


def meeting_for(access: Access, pk: int) -> ReviewMeeting:
    """The meeting to read: 404 outside the viewer's scope."""
    return get_object_or_404(
        meetings_for(access).select_related("group", "round__campaign", "prepared_by"), pk=pk
    )


def meeting_for_update(access: Access, pk: int) -> ReviewMeeting:
    """The meeting to prepare: 404 outside scope, 403 unless the person edits the group."""
    meeting = meeting_for(access, pk)
    if not access.can_edit_group(meeting.group_id):
        raise PermissionDenied
    return meeting


TO_PREPARE = "can_chuan_bi"
"""The meeting list's query key for the leader's groups whose meeting waits to be prepared."""


def groups_to_prepare(access: Access, campaign: Campaign | None) -> QuerySet[ResidentialGroup]:
    """The leader's groups whose review meeting of the campaign waits: one is being
    prepared, or the group's review is confirmed complete and no meeting is held yet
    (the meeting follows the review of every household)."""
    if campaign is None or not access.is_leader:
        return ResidentialGroup.objects.none()
    meetings = ReviewMeeting.objects.filter(group=OuterRef("pk"), round__campaign=campaign)
    reviewed = ReviewRound.objects.filter(
        group=OuterRef("pk"), campaign=campaign, completed_at__isnull=False
    )
    preparing = meetings.filter(status=ReviewMeeting.Status.PREPARING)
    return (
        ResidentialGroup.objects.filter(pk__in=access.group_ids)
        .filter(Q(Exists(preparing)) | (Q(Exists(reviewed)) & ~Q(Exists(meetings))))
        .annotate(
            meeting_pk=Subquery(
                ReviewMeeting.objects.filter(group=OuterRef("pk"), round__campaign=campaign).values(
                    "pk"
                )[:1]
            )
        )
        .order_by("number", "pk")
    )


def objection_for(access: Access, meeting: ReviewMeeting, pk: int) -> Objection:
    return get_object_or_404(Objection.objects.filter(posting__meeting=meeting), pk=pk)


def open_objections_for(access: Access) -> QuerySet[Objection]:
    return Objection.objects.filter(
        status=Objection.Status.OPEN, posting__meeting__in=meetings_for(access)
    )
