"""Reads of the feedback. The staff pages read every item (only the inspection team and
the standing committee reach them); the public reads are the status by tracking code,
the monthly counts and the published answers, never a sender's words or contact."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lddh.supervision.feedback.services import CODE_ALPHABET
from lddh.supervision.models import Feedback
from lddh.ward.access import Access
from lddh.ward.models import AuditEvent

__all__ = [
    "MonthCount",
    "PublicStatus",
    "feedback_by_code",
    "feedback_for",
    "feedback_get",
    "feedback_history",
    "feedback_in_month",
    "feedback_months",
    "feedback_new",
    "feedback_overdue",
    "normalise_code",
    "public_answers",
    "public_months",
]

OPEN = (Feedback.Status.RECEIVED, Feedback.Status.IN_PROGRESS)
# Letters people type for the digits they look like (Crockford's reading).
_LOOKALIKE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def feedback_for(access: Access) -> QuerySet[Feedback]:
    """Every item: the views let only the inspection team and the committee in."""
    return Feedback.objects.select_related("group", "assignee", "answered_by", "published_by")


def feedback_get(access: Access, pk: int) -> Feedback:
    return get_object_or_404(feedback_for(access), pk=pk)


def feedback_history(feedback: Feedback) -> QuerySet[AuditEvent]:
    """The item's audit trail, oldest first: who received, assigned, answered, closed,
    published it, and when."""
    return AuditEvent.objects.filter(
        object_type=feedback._meta.label_lower,
        object_id=str(feedback.pk),
        action__startswith="feedback.",
    ).order_by("at", "pk")


def feedback_new(rows: QuerySet[Feedback]) -> QuerySet[Feedback]:
    """Received and not yet given to anybody."""
    return rows.filter(status=Feedback.Status.RECEIVED)


def feedback_overdue(rows: QuerySet[Feedback], today: datetime.date) -> QuerySet[Feedback]:
    """Not answered and past the due date."""
    return rows.filter(status__in=OPEN, due_on__lt=today)


def feedback_in_month(rows: QuerySet[Feedback], month: datetime.date) -> QuerySet[Feedback]:
    start = timezone.make_aware(datetime.datetime(month.year, month.month, 1))
    following = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    end = timezone.make_aware(datetime.datetime(following.year, following.month, 1))
    return rows.filter(received_at__gte=start, received_at__lt=end)


def feedback_months() -> list[datetime.date]:
    """The first day of every month with feedback, newest first (the list's filter)."""
    months = (
        Feedback.objects.annotate(month=TruncMonth("received_at"))
        .values_list("month", flat=True)
        .distinct()
        .order_by("-month")
    )
    return [_as_date(m) for m in months]


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def normalise_code(text: str) -> str | None:
    """'pa 7k3m-q9x2', 'PA-7K3M-Q9X2', '7k3mq9x2' → 'PA-7K3M-Q9X2'; None when it cannot be
    a tracking code."""
    raw = "".join(ch for ch in (text or "").upper() if ch not in " -_.")
    if len(raw) == 10:  # typed with its prefix; the 8 characters may begin with PA too
        raw = raw.removeprefix("PA")
    raw = raw.translate(_LOOKALIKE)
    if len(raw) != 8 or any(ch not in CODE_ALPHABET for ch in raw):
        return None
    return f"PA-{raw[:4]}-{raw[4:]}"


@dataclass(frozen=True)
class PublicStatus:
    """What a tracking code shows: the state and dates, and the answer once the committee
    published it. Never the content, the contact or the attachments."""

    code: str
    topic: str
    status: str
    status_label: str
    received_on: datetime.date
    due_on: datetime.date
    answered_on: datetime.date | None
    closed_on: datetime.date | None
    answer: str
    overdue: bool


def feedback_by_code(text: str, today: datetime.date | None = None) -> PublicStatus | None:
    code = normalise_code(text)
    if code is None:
        return None
    feedback = Feedback.objects.filter(code=code).first()
    if feedback is None:
        return None
    today = today or timezone.localdate()

    def day(value):
        return timezone.localtime(value).date() if value else None

    return PublicStatus(
        code=feedback.code,
        topic=feedback.get_topic_display(),
        status=feedback.status,
        status_label=feedback.get_status_display(),
        received_on=day(feedback.received_at),
        due_on=feedback.due_on,
        answered_on=day(feedback.answered_at),
        closed_on=day(feedback.closed_at),
        answer=feedback.answer if feedback.is_published else "",
        overdue=feedback.is_open and feedback.due_on < today,
    )


@dataclass(frozen=True)
class MonthCount:
    month: datetime.date
    received: int
    answered: int
    open: int


def public_months(limit: int = 12) -> list[MonthCount]:
    """Per month of receipt, newest first: how many came in, how many of them have been
    answered (or closed), how many are still open. Counts only."""
    rows = (
        Feedback.objects.annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=~Q(status__in=OPEN)),
            still_open=Count("pk", filter=Q(status__in=OPEN)),
        )
        .order_by("-month")[:limit]
    )
    return [
        MonthCount(_as_date(r["month"]), r["received"], r["answered"], r["still_open"])
        for r in rows
    ]


def public_answers() -> QuerySet[Feedback]:
    """The answers the committee published, newest first; read through `only()` so the
    content and the contact never leave the database for a public page."""
    return (
        Feedback.objects.filter(published_at__isnull=False)
        .only("code", "topic", "public_question", "answer", "published_at", "received_at")
        .order_by("-published_at", "-pk")
    )
