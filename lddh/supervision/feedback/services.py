"""Writes of the feedback. A resident sends it without signing in; the inspection team
(Ban Thanh tra nhân dân) and the standing committee assign, answer and close it; only
the standing committee publishes an answer. Every change is audited; the audit keeps the
states, never the sender's words or contact (the audit log is read by more people than
the feedback itself)."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from lddh.supervision.models import Feedback, FeedbackAttachment
from lddh.ward.access import access_for
from lddh.ward.audit import AuditAction, log_event
from lddh.ward.models import Membership
from lddh.ward.roles import Role
from lddh.ward.uploads import check_upload

__all__ = [
    "CODE_ALPHABET",
    "HANDLER_ROLES",
    "MAX_ANSWER",
    "MAX_ATTACHMENTS",
    "MAX_ATTACHMENT_BYTES",
    "MAX_CONTENT",
    "MIN_CONTENT",
    "can_handle",
    "can_publish",
    "feedback_answer",
    "feedback_assign",
    "feedback_close",
    "feedback_publish",
    "feedback_submit",
    "feedback_unpublish",
    "handlers",
    "new_code",
]

# Crockford's base 32: no I, L, O, U, so a code read aloud or copied by hand survives.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
MIN_CONTENT = 10
MAX_CONTENT = 3000
MAX_ANSWER = 5000
MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
HANDLER_ROLES = (Role.SUPERVISOR, Role.COMMITTEE)

MSG_HANDLER = "Chỉ Ban Thanh tra nhân dân hoặc Ban Thường trực được xử lý phản ánh."
MSG_COMMITTEE = "Chỉ Ban Thường trực được quyết định công khai trả lời phản ánh."


def new_code() -> str:
    """PA-XXXX-XXXX: 8 random characters of Crockford's alphabet (40 bits)."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"PA-{chars[:4]}-{chars[4:]}"


def can_handle(access) -> bool:
    return access.has(*HANDLER_ROLES)


def can_publish(access) -> bool:
    return access.has(Role.COMMITTEE)


def handlers():
    """The people an item may be given to: active inspection team and committee members."""
    from django.contrib.auth import get_user_model

    ids = Membership.objects.filter(active=True, role__in=HANDLER_ROLES).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .order_by("last_name", "first_name", "username")
    )


def _require(actor, allowed) -> None:
    if not allowed(access_for(actor)):
        raise PermissionDenied(MSG_HANDLER if allowed is can_handle else MSG_COMMITTEE)


def _text(value: str, field: str, label: str, *, minimum: int, maximum: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: [f"{label}: chưa nhập."]})
    if len(text) < minimum:
        raise ValidationError({field: [f"{label}: quá ngắn, ít nhất {minimum} ký tự."]})
    if len(text) > maximum:
        raise ValidationError(
            {field: [f"{label}: quá dài ({len(text)} ký tự), tối đa {maximum} ký tự."]}
        )
    return text


def _state(feedback: Feedback) -> dict:
    return {
        "status": feedback.status,
        "assignee": feedback.assignee_id,
        "answered": bool(feedback.answer),
        "published": feedback.is_published,
    }


@transaction.atomic
def feedback_submit(
    *,
    actor=None,
    topic: str,
    content: str,
    group=None,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    uploads: Sequence = (),
    today: datetime.date | None = None,
) -> Feedback:
    """Record a resident's feedback with its due date and a fresh tracking code."""
    if topic not in Feedback.Topic.values:
        raise ValidationError({"topic": ["Chủ đề: hãy chọn một chủ đề trong danh sách."]})
    content = _text(content, "content", "Nội dung", minimum=MIN_CONTENT, maximum=MAX_CONTENT)
    uploads = list(uploads)
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError(
            {
                "attachments": [
                    f"Tệp đính kèm: tối đa {MAX_ATTACHMENTS} tệp, đã chọn {len(uploads)}."
                ]
            }
        )
    checked = []
    for upload in uploads:
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                {"attachments": [f"Tệp đính kèm “{upload.name}”: quá lớn, tối đa 5 MB một tệp."]}
            )
        try:
            checked.append((upload, check_upload(upload, field="attachments")))
        except ValidationError as error:
            raise ValidationError(
                {
                    "attachments": [
                        f"Tệp đính kèm “{upload.name}”: {message}" for message in error.messages
                    ]
                }
            ) from None
    today = today or timezone.localdate()
    feedback = Feedback(
        topic=topic,
        content=content,
        group=group,
        contact_name=(contact_name or "").strip()[:100],
        contact_phone=(contact_phone or "").strip()[:30],
        contact_email=(contact_email or "").strip()[:254],
        due_on=today + datetime.timedelta(days=settings.FEEDBACK_DUE_DAYS),
    )
    for _attempt in range(5):
        feedback.code = new_code()
        try:
            with transaction.atomic():
                feedback.save()
            break
        except IntegrityError:  # the same code drawn twice: 1 in 10^12, draw again
            feedback.pk = None
    else:  # pragma: no cover
        raise RuntimeError("no free tracking code")
    for upload, result in checked:
        FeedbackAttachment(feedback=feedback).store(result, name=upload.name, note="", actor=None)
    log_event(
        actor=actor,
        action=AuditAction.FEEDBACK_SUBMIT,
        obj=feedback,
        after={
            "topic": feedback.topic,
            "group": feedback.group_id,
            "attachments": len(checked),
            "due_on": feedback.due_on,
            "status": feedback.status,
        },
    )
    return feedback


def _locked(feedback: Feedback) -> Feedback:
    return Feedback.objects.select_for_update().get(pk=feedback.pk)


def _add_note(feedback: Feedback, actor, note: str) -> None:
    note = (note or "").strip()
    if note:
        stamp = timezone.localtime().strftime("%d/%m/%Y %H:%M")
        name = f"{actor.last_name} {actor.first_name}".strip() or actor.get_username()
        line = f"{stamp} – {name}: {note}"
        feedback.handling_note = f"{feedback.handling_note}\n{line}".strip()


def _save(feedback: Feedback, actor, action: AuditAction, before: dict) -> Feedback:
    """Save a change of state and its audit event (the states before and after)."""
    feedback.save()
    log_event(actor=actor, action=action, obj=feedback, before=before, after=_state(feedback))
    return feedback


@transaction.atomic
def feedback_assign(*, actor, feedback: Feedback, assignee, note: str = "") -> Feedback:
    """Give an open item to a member of the inspection team or the committee."""
    _require(actor, can_handle)
    feedback = _locked(feedback)
    if not feedback.is_open:
        raise ValidationError("Phản ánh đã được trả lời hoặc đã kết thúc, không giao lại được.")
    if assignee is None or not handlers().filter(pk=assignee.pk).exists():
        raise ValidationError(
            {
                "assignee": [
                    "Người xử lý: chọn một thành viên Ban Thanh tra nhân dân hoặc Ban Thường trực."
                ]
            }
        )
    if len((note or "").strip()) > 1000:
        raise ValidationError({"note": ["Ghi chú: tối đa 1000 ký tự."]})
    before = _state(feedback)
    feedback.assignee = assignee
    feedback.assigned_at = timezone.now()
    feedback.status = Feedback.Status.IN_PROGRESS
    _add_note(feedback, actor, note)
    return _save(feedback, actor, AuditAction.FEEDBACK_ASSIGN, before)


@transaction.atomic
def feedback_answer(*, actor, feedback: Feedback, answer: str) -> Feedback:
    """Write (or correct) the answer to the sender; the item becomes answered. A
    published answer is withdrawn first (the committee publishes the new one)."""
    _require(actor, can_handle)
    feedback = _locked(feedback)
    if feedback.status == Feedback.Status.CLOSED:
        raise ValidationError("Phản ánh đã kết thúc, không sửa trả lời được.")
    if feedback.is_published:
        raise ValidationError(
            "Trả lời đang được công khai: Ban Thường trực thôi công khai trước rồi mới sửa."
        )
    text = _text(answer, "answer", "Trả lời", minimum=MIN_CONTENT, maximum=MAX_ANSWER)
    before = _state(feedback)
    feedback.answer = text
    feedback.answered_by = actor
    feedback.answered_at = timezone.now()
    feedback.status = Feedback.Status.ANSWERED
    return _save(feedback, actor, AuditAction.FEEDBACK_ANSWER, before)


@transaction.atomic
def feedback_close(*, actor, feedback: Feedback, note: str = "") -> Feedback:
    """Close an answered item (the sender was answered and nothing is left to do)."""
    _require(actor, can_handle)
    feedback = _locked(feedback)
    if feedback.status != Feedback.Status.ANSWERED:
        raise ValidationError("Chỉ kết thúc được phản ánh đã có trả lời.")
    if len((note or "").strip()) > 1000:
        raise ValidationError({"note": ["Ghi chú: tối đa 1000 ký tự."]})
    before = _state(feedback)
    feedback.status = Feedback.Status.CLOSED
    feedback.closed_at = timezone.now()
    _add_note(feedback, actor, note)
    return _save(feedback, actor, AuditAction.FEEDBACK_CLOSE, before)


@transaction.atomic
def feedback_publish(*, actor, feedback: Feedback, public_question: str) -> Feedback:
    """The committee publishes the answer with the question as it chose to word it
    (names, addresses and numbers taken out); the contact is never published."""
    _require(actor, can_publish)
    feedback = _locked(feedback)
    if not feedback.answer:
        raise ValidationError("Phản ánh chưa có trả lời: chưa công khai được.")
    question = _text(
        public_question,
        "public_question",
        "Nội dung công khai",
        minimum=MIN_CONTENT,
        maximum=MAX_CONTENT,
    )
    before = _state(feedback)
    feedback.public_question = question
    feedback.published_by = actor
    feedback.published_at = timezone.now()
    return _save(feedback, actor, AuditAction.FEEDBACK_PUBLISH, before)


@transaction.atomic
def feedback_unpublish(*, actor, feedback: Feedback, reason: str = "") -> Feedback:
    """The committee takes a published answer off the public page."""
    _require(actor, can_publish)
    feedback = _locked(feedback)
    if not feedback.is_published:
        raise ValidationError("Trả lời này chưa được công khai.")
    before = _state(feedback)
    feedback.published_at = None
    feedback.published_by = None
    feedback.save()
    log_event(
        actor=actor,
        action=AuditAction.FEEDBACK_UNPUBLISH,
        obj=feedback,
        before=before,
        after=_state(feedback),
        note=(reason or "").strip()[:300],
    )
    return feedback
