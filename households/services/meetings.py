"""Review meetings (họp bình xét), their public posting (niêm yết) and the objections to
it. A group's leader prepares the meeting of their own group; ward staff record the
votes, open the posting and handle the objections. The approval of a support waits for
the posting of its household (``posting_blocking``)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from campaigns.models import Campaign
from households.models import (
    AgendaItem,
    Attendee,
    Household,
    MeetingScan,
    Objection,
    Posting,
    Proposal,
    ReviewMeeting,
    ReviewRound,
    Support,
)
from households.services.common import require_edit, require_office
from lddh.ward.access import access_for
from lddh.ward.audit import AuditAction, log_event, snapshot
from lddh.ward.dates import format_date
from lddh.ward.models import ResidentialGroup
from lddh.ward.uploads import check_upload

__all__ = [
    "MEETING_FIELDS",
    "agenda_from_proposals",
    "meeting_attach_scan",
    "meeting_attendee_add",
    "meeting_close",
    "meeting_item_add",
    "meeting_prepare",
    "meeting_record_votes",
    "objection_answer",
    "objection_record",
    "posting_blocking",
    "posting_open",
    "posting_refusal",
]

MEETING_FIELDS = ("date", "time", "place", "chair", "secretary", "invited_count", "content")
VOTE_FIELDS = ("agree", "disagree", "abstain", "conclusion")
MAX_PEOPLE = 10_000


def _text(value, field: str, label: str, errors: dict, *, required: bool = True) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        errors[field] = [f"Chưa nhập {label}."]
    return text


def _count(value, field: str, label: str, errors: dict, *, minimum: int = 0) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        errors[field] = [f"{label.capitalize()} phải là một số nguyên."]
        return None
    if value < minimum:
        errors[field] = [f"{label.capitalize()} không được nhỏ hơn {minimum}."]
        return None
    if value > MAX_PEOPLE:
        errors[field] = [f"{label.capitalize()} quá lớn."]
        return None
    return value


def _lock(meeting: ReviewMeeting) -> ReviewMeeting:
    return (
        ReviewMeeting.objects.select_for_update()
        .select_related("group", "round")
        .get(pk=meeting.pk)
    )


def agenda_from_proposals(group: ResidentialGroup, campaign: Campaign):
    """The group's pending proposals that a new meeting puts on its agenda."""
    return Proposal.objects.filter(
        Q(campaign=campaign) | Q(campaign__isnull=True),
        group=group,
        status=Proposal.Status.PENDING,
        agenda_items__isnull=True,
    ).order_by("proposed_at", "pk")


@transaction.atomic
def meeting_prepare(
    *,
    actor,
    campaign: Campaign,
    group: ResidentialGroup,
    date: datetime.date,
    place: str,
    chair: str,
    secretary: str,
    invited_count: int,
    time: datetime.time | None = None,
    content: str = "",
) -> ReviewMeeting:
    """A group's meeting of the campaign's review round, with the group's pending
    proposals on its agenda. One meeting per group and round."""
    require_edit(actor, group.pk)
    errors: dict[str, list[str]] = {}
    if not isinstance(date, datetime.date):
        errors["date"] = ["Chưa nhập ngày họp."]
    place = _text(place, "place", "địa điểm", errors)
    chair = _text(chair, "chair", "người chủ trì", errors)
    secretary = _text(secretary, "secretary", "thư ký", errors)
    invited_count = _count(invited_count, "invited_count", "số người được mời", errors, minimum=1)
    if errors:
        raise ValidationError(errors)
    review_round, _ = ReviewRound.objects.get_or_create(campaign=campaign, group=group)
    review_round = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
    if ReviewMeeting.objects.filter(round=review_round).exists():
        raise ValidationError(
            f"{group.name} đã có cuộc họp bình xét của đợt rà soát năm {campaign.year}."
        )
    meeting = ReviewMeeting.objects.create(
        round=review_round,
        group=group,
        date=date,
        time=time,
        place=place,
        chair=chair,
        secretary=secretary,
        invited_count=invited_count,
        content=(content or "").strip(),
        prepared_by=actor,
    )
    for proposal in agenda_from_proposals(group, campaign).select_related("household"):
        who = proposal.household.head_name if proposal.household_id else ""
        who = who or proposal.payload.get("head_name", "")
        AgendaItem.objects.create(
            meeting=meeting,
            household=proposal.household,
            proposal=proposal,
            kind=proposal.kind,
            subject=f"{proposal.get_kind_display()}: hộ {who}"[:300],
        )
    log_event(
        actor=actor,
        action=AuditAction.MEETING_PREPARE,
        obj=meeting,
        after={
            "campaign": campaign.pk,
            "group": group.pk,
            **snapshot(meeting, MEETING_FIELDS),
            "items": meeting.items.count(),
        },
    )
    return meeting


def _require_preparing(meeting: ReviewMeeting) -> None:
    if meeting.status == ReviewMeeting.Status.CLOSED:
        raise ValidationError("Cuộc họp đã kết thúc; không sửa được nữa.")


@transaction.atomic
def meeting_attendee_add(*, actor, meeting: ReviewMeeting, name: str, role: str) -> Attendee:
    require_edit(actor, meeting.group_id)
    meeting = _lock(meeting)
    _require_preparing(meeting)
    errors: dict[str, list[str]] = {}
    name = _text(name, "name", "họ tên", errors)
    if role not in Attendee.Role.values:
        errors["role"] = ["Chọn thành phần dự họp."]
    if errors:
        raise ValidationError(errors)
    attendee = Attendee.objects.create(meeting=meeting, name=name, role=role)
    log_event(
        actor=actor,
        action=AuditAction.MEETING_ATTENDEE_ADD,
        obj=meeting,
        after={"attendee": name, "attendee_role": attendee.get_role_display()},
    )
    return attendee


@transaction.atomic
def meeting_item_add(
    *, actor, meeting: ReviewMeeting, household: Household, kind: str, subject: str = ""
) -> AgendaItem:
    """Put one household of the group on the agenda (before the votes)."""
    require_edit(actor, meeting.group_id)
    meeting = _lock(meeting)
    if not meeting.is_preparing:
        raise ValidationError("Chỉ thêm nội dung khi cuộc họp đang chuẩn bị.")
    errors: dict[str, list[str]] = {}
    if household is None or household.group_id != meeting.group_id:
        errors["household"] = ["Chọn một hộ của tổ này."]
    if kind not in AgendaItem.Kind.values:
        errors["kind"] = ["Chọn loại đề nghị."]
    if errors:
        raise ValidationError(errors)
    if meeting.items.filter(household=household, kind=kind).exists():
        raise ValidationError({"household": ["Hộ này đã có đề nghị cùng loại trong cuộc họp."]})
    label = dict(AgendaItem.Kind.choices)[kind]
    subject = " ".join((subject or "").split()) or f"{label}: hộ {household.head_name}"
    review = household.reviews.filter(round=meeting.round).first()
    item = AgendaItem.objects.create(
        meeting=meeting, household=household, kind=kind, subject=subject[:300], review=review
    )
    log_event(
        actor=actor,
        action=AuditAction.MEETING_ITEM_ADD,
        obj=meeting,
        after={
            "household": household.pk,
            "kind": item.get_kind_display(),
            "subject": item.subject,
        },
    )
    return item


@transaction.atomic
def meeting_record_votes(
    *,
    actor,
    meeting: ReviewMeeting,
    present_count: int,
    votes: Mapping[int, Mapping[str, object]],
    conclusion: str = "",
) -> ReviewMeeting:
    """Ward staff record the count present and each item's votes (agree, disagree,
    abstain: their sum at most the count present) and conclusion. An agreed item's
    proposal carries the meeting. Refused without the quorum (2/3 of those invited)."""
    require_office(actor)
    meeting = _lock(meeting)
    _require_preparing(meeting)
    if Posting.objects.filter(meeting=meeting).exists():
        raise ValidationError("Danh sách của cuộc họp đã niêm yết; không sửa biểu quyết được nữa.")
    items = list(meeting.items.select_related("proposal"))
    if not items:
        raise ValidationError("Cuộc họp chưa có nội dung bình xét nào.")
    errors: dict[str, list[str]] = {}
    present = _count(present_count, "present_count", "số người có mặt", errors, minimum=1)
    if present is not None and present > meeting.invited_count:
        errors["present_count"] = [
            f"Số người có mặt ({present}) nhiều hơn số người được mời "
            f"({meeting.invited_count}): hãy kiểm tra lại, hoặc sửa số người được mời."
        ]
        present = None
    elif present is not None and present < meeting.quorum:
        errors["present_count"] = [
            f"Số người có mặt ({present}) chưa đủ 2/3 số người được mời "
            f"({meeting.invited_count}): cần ít nhất {meeting.quorum} người thì cuộc họp "
            "mới hợp lệ."
        ]
    cleaned: dict[int, dict] = {}
    for item in items:
        values = votes.get(item.pk) or {}
        row: dict = {}
        for name, label in (
            ("agree", "số đồng ý"),
            ("disagree", "số không đồng ý"),
            ("abstain", "số không biểu quyết"),
        ):
            key = f"{name}_{item.pk}"
            row[name] = _count(values.get(name), key, f"{label} của “{item.subject}”", errors)
        conclusion_key = f"conclusion_{item.pk}"
        row["conclusion"] = values.get("conclusion")
        if row["conclusion"] not in (AgendaItem.Conclusion.AGREE, AgendaItem.Conclusion.DISAGREE):
            errors[conclusion_key] = [f"Chọn kết luận cho “{item.subject}”."]
        numbers = [row[k] for k in ("agree", "disagree", "abstain")]
        if present is not None and None not in numbers:
            if sum(numbers) > present:
                errors[f"agree_{item.pk}"] = [
                    f"“{item.subject}”: tổng số đồng ý, không đồng ý và không biểu quyết "
                    f"({sum(numbers)}) lớn hơn số người có mặt ({present})."
                ]
            elif row["conclusion"] == AgendaItem.Conclusion.AGREE and row["agree"] * 2 <= present:
                errors[conclusion_key] = [
                    f"“{item.subject}”: kết luận đồng ý cần quá nửa số người có mặt đồng ý "
                    f"(hơn {present // 2} người)."
                ]
        cleaned[item.pk] = row
    if errors:
        raise ValidationError(errors)
    before = {
        "present_count": meeting.present_count,
        "status": meeting.status,
        "items": {str(i.pk): _votes(i) for i in items},
    }
    for item in items:
        for name, value in cleaned[item.pk].items():
            setattr(item, name, value)
        item.save(update_fields=list(VOTE_FIELDS))
        if item.proposal_id:
            agreed = item.conclusion == AgendaItem.Conclusion.AGREE
            Proposal.objects.filter(pk=item.proposal_id).update(meeting=meeting if agreed else None)
    meeting.present_count = present
    meeting.conclusion = (conclusion or "").strip()
    meeting.status = ReviewMeeting.Status.HELD
    meeting.recorded_by = actor
    meeting.recorded_at = timezone.now()
    meeting.save()
    log_event(
        actor=actor,
        action=AuditAction.MEETING_VOTES,
        obj=meeting,
        before=before,
        after={
            "present_count": present,
            "status": meeting.status,
            "items": {str(i.pk): _votes(i) for i in items},
        },
    )
    return meeting


def _votes(item: AgendaItem) -> dict:
    """An item's votes as the audit log shows them (the conclusion by its label)."""
    values = snapshot(item, ("agree", "disagree", "abstain"))
    values["conclusion"] = item.get_conclusion_display() if item.conclusion else None
    return values


@transaction.atomic
def meeting_close(*, actor, meeting: ReviewMeeting) -> ReviewMeeting:
    require_office(actor)
    meeting = _lock(meeting)
    if meeting.status != ReviewMeeting.Status.HELD:
        raise ValidationError("Chỉ kết thúc cuộc họp đã ghi biểu quyết.")
    meeting.status = ReviewMeeting.Status.CLOSED
    meeting.closed_by = actor
    meeting.closed_at = timezone.now()
    meeting.save()
    log_event(
        actor=actor,
        action=AuditAction.MEETING_CLOSE,
        obj=meeting,
        before={"status": ReviewMeeting.Status.HELD},
        after={"status": meeting.status},
    )
    return meeting


@transaction.atomic
def meeting_attach_scan(*, actor, meeting: ReviewMeeting, upload, note: str = "") -> MeetingScan:
    """The signed minutes, scanned: checked by content, never replaced."""
    require_edit(actor, meeting.group_id)
    meeting = _lock(meeting)
    if meeting.is_preparing:
        raise ValidationError("Chỉ đính kèm biên bản của cuộc họp đã ghi biểu quyết.")
    checked = check_upload(upload)
    scan = MeetingScan(meeting=meeting).store(checked, name=upload.name, note=note, actor=actor)
    log_event(
        actor=actor,
        action=AuditAction.MEETING_SCAN,
        obj=meeting,
        after={"scan": scan.pk, "name": scan.original_name, "sha256": scan.sha256},
        note=scan.note,
    )
    return scan


@transaction.atomic
def posting_open(
    *,
    actor,
    meeting: ReviewMeeting,
    start_date: datetime.date,
    place: str,
    days: int | None = None,
) -> Posting:
    """Post the list the meeting agreed, from start_date for ``days`` days (the first
    day counted; POSTING_DAYS unless given)."""
    require_office(actor)
    meeting = _lock(meeting)
    if meeting.is_preparing:
        raise ValidationError("Chỉ niêm yết danh sách của cuộc họp đã ghi biểu quyết.")
    if Posting.objects.filter(meeting=meeting).exists():
        raise ValidationError("Danh sách của cuộc họp này đã được niêm yết.")
    errors: dict[str, list[str]] = {}
    if not isinstance(start_date, datetime.date):
        errors["start_date"] = ["Chưa nhập ngày bắt đầu niêm yết."]
    elif start_date < meeting.date:
        errors["start_date"] = ["Ngày bắt đầu niêm yết không được trước ngày họp."]
    days = settings.POSTING_DAYS if days is None else days
    days = _count(days, "days", "số ngày niêm yết", errors, minimum=1)
    place = _text(place, "place", "nơi niêm yết", errors)
    if errors:
        raise ValidationError(errors)
    posting = Posting.objects.create(
        meeting=meeting,
        place=place,
        start_date=start_date,
        end_date=start_date + datetime.timedelta(days=days - 1),
        posted_by=actor,
    )
    log_event(
        actor=actor,
        action=AuditAction.POSTING_OPEN,
        obj=posting,
        after=snapshot(posting, ("meeting", "place", "start_date", "end_date")),
    )
    return posting


def _require_objection_writer(actor, posting: Posting) -> None:
    access = access_for(actor)
    if not access.can_edit_group(posting.meeting.group_id):
        raise PermissionDenied("Không có quyền ghi kiến nghị của tổ này.")


@transaction.atomic
def objection_record(
    *, actor, posting: Posting, sender: str, content: str, received_date: datetime.date
) -> Objection:
    """An objection received about a posted list (by the group's leader or the office)."""
    _require_objection_writer(actor, posting)
    errors: dict[str, list[str]] = {}
    sender = _text(sender, "sender", "người kiến nghị", errors)
    content = (content or "").strip()
    if not content:
        errors["content"] = ["Chưa nhập nội dung kiến nghị."]
    if not isinstance(received_date, datetime.date):
        errors["received_date"] = ["Chưa nhập ngày nhận."]
    elif received_date > timezone.localdate():
        errors["received_date"] = ["Ngày nhận không được sau hôm nay."]
    elif received_date < posting.start_date:
        errors["received_date"] = [
            f"Ngày nhận không được trước ngày bắt đầu niêm yết ({format_date(posting.start_date)})."
        ]
    if errors:
        raise ValidationError(errors)
    objection = Objection.objects.create(
        posting=posting,
        sender=sender,
        content=content,
        received_date=received_date,
        recorded_by=actor,
    )
    log_event(
        actor=actor,
        action=AuditAction.OBJECTION_RECORD,
        obj=objection,
        after=snapshot(objection, ("posting", "sender", "content", "received_date", "status")),
    )
    return objection


@transaction.atomic
def objection_answer(
    *, actor, objection: Objection, handling: str, answer: str, close: bool
) -> Objection:
    """How the committee handled an objection and its answer; closing needs both."""
    require_office(actor)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if not objection.is_open:
        raise ValidationError("Kiến nghị này đã xử lý xong.")
    handling = (handling or "").strip()
    answer = (answer or "").strip()
    errors: dict[str, list[str]] = {}
    if not handling:
        errors["handling"] = ["Ghi cách xử lý kiến nghị."]
    if close and not answer:
        errors["answer"] = ["Ghi câu trả lời cho người kiến nghị trước khi kết thúc."]
    if errors:
        raise ValidationError(errors)
    fields = ("handling", "answer", "status")
    before = snapshot(objection, fields)
    objection.handling = handling
    objection.answer = answer
    if close:
        objection.status = Objection.Status.CLOSED
        objection.closed_by = actor
        objection.closed_at = timezone.now()
    objection.save()
    log_event(
        actor=actor,
        action=AuditAction.OBJECTION_ANSWER,
        obj=objection,
        before=before,
        after=snapshot(objection, fields),
    )
    return objection


# ---------------------------------------------------------------- the approval gate


def posting_blocking(
    support: Support, *, today: datetime.date | None = None
) -> Posting | ReviewMeeting | None:
    """What the support waits for: the posting of its household (same campaign) whose
    window is not over yet or that still has an open objection, or the household's
    meeting that has voted but whose list is not posted yet; None when the support may
    be approved."""
    today = today or timezone.localdate()
    postings = Posting.objects.filter(
        meeting__round__campaign_id=support.campaign_id,
        meeting__items__household_id=support.household_id,
    ).select_related("meeting__group")
    for posting in postings.distinct().order_by("-end_date", "pk"):
        if (
            posting.end_date >= today
            or posting.objections.filter(status=Objection.Status.OPEN).exists()
        ):
            return posting
    return (
        ReviewMeeting.objects.filter(
            round__campaign_id=support.campaign_id,
            items__household_id=support.household_id,
            posting__isnull=True,
        )
        .exclude(status=ReviewMeeting.Status.PREPARING)
        .select_related("group")
        .distinct()
        .order_by("pk")
        .first()
    )


def posting_refusal(
    blocking: Posting | ReviewMeeting, *, today: datetime.date | None = None
) -> str:
    today = today or timezone.localdate()
    if isinstance(blocking, ReviewMeeting):
        why = (
            f"danh sách bình xét {blocking.group.name} (họp ngày {format_date(blocking.date)}) "
            "chưa niêm yết"
        )
        return (
            f"Chưa duyệt được: {why}. Hãy niêm yết danh sách, chờ hết thời gian niêm yết và "
            "xử lý xong các kiến nghị, hoặc ghi ý kiến bằng văn bản của Ban Thường trực vào ô "
            "“Lý do duyệt khi niêm yết chưa xong”."
        )
    posting = blocking
    group = posting.meeting.group.name
    end = format_date(posting.end_date)
    if posting.end_date >= today:
        why = f"danh sách bình xét {group} đang niêm yết đến hết ngày {end}"
    else:
        why = (
            f"danh sách bình xét {group} (niêm yết đến hết ngày {end}) còn kiến nghị chưa "
            "xử lý xong"
        )
    return (
        f"Chưa duyệt được: {why}. Hãy chờ hết thời gian niêm yết và xử lý xong các kiến "
        "nghị, hoặc ghi ý kiến bằng văn bản của Ban Thường trực vào ô “Lý do duyệt khi "
        "niêm yết chưa xong”."
    )
