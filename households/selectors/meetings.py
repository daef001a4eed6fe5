"""Reads of the review meetings, their postings and objections, scoped to the viewer:
a leader sees their own groups' meetings (another group's answers 404), the roles that
read the whole register see all, the level above none."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from households.models import Objection, ReviewMeeting
from lddh.ward.access import Access

__all__ = [
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


def objection_for(access: Access, meeting: ReviewMeeting, pk: int) -> Objection:
    return get_object_or_404(Objection.objects.filter(posting__meeting=meeting), pk=pk)


def open_objections_for(access: Access) -> QuerySet[Objection]:
    return Objection.objects.filter(
        status=Objection.Status.OPEN, posting__meeting__in=meetings_for(access)
    )
