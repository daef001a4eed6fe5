"""Every URL of the residents' feedback × every persona. The public form, thank-you page
and tracking look-up are for everyone, signed in or not. The handling pages are for the
inspection team and the standing committee only (a feedback may be about the ward's own
staff): staff, the treasurer, group leaders and the level above get 403. Publishing an
answer is the committee's."""

from django.core.files.uploadedfile import SimpleUploadedFile

from lddh.supervision.feedback import services
from lddh.supervision.models import Feedback
from tests.permissions import PERSONAS, Case, only

EVERYONE_200 = dict.fromkeys(PERSONAS, 200)
EVERYONE_405 = dict.fromkeys(PERSONAS, 405)
HANDLERS = ("supervisor", "committee")


def make_feedback(world, **kwargs) -> Feedback:
    return services.feedback_submit(
        topic=Feedback.Topic.NOT_RECEIVED,
        content="Nhà bà Tư tổ 2 chưa nhận được quà Tết.",
        group=world.groups[2],
        contact_name="Nguyễn Văn Phản",
        contact_phone="0912 345 678",
        **kwargs,
    )


def answered(world) -> Feedback:
    return services.feedback_answer(
        actor=world.users["supervisor"],
        feedback=make_feedback(world),
        answer="Ban Thanh tra đã xác minh: hộ đã nhận quà ngày 20/01.",
    )


def published(world) -> Feedback:
    return services.feedback_publish(
        actor=world.users["committee"],
        feedback=answered(world),
        public_question="Một hộ ở tổ 2 chưa nhận được quà Tết.",
    )


def _feedback_kwargs(world):
    return {"pk": make_feedback(world).pk}


def _answered_kwargs(world):
    return {"pk": answered(world).pk}


def _published_kwargs(world):
    return {"pk": published(world).pk}


def _attachment_kwargs(world):
    feedback = make_feedback(
        world, uploads=[SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 40)]
    )
    return {"pk": feedback.pk, "attachment_pk": feedback.attachments.get().pk}


CASES = [
    # An empty form or look-up shows its messages, to anyone.
    Case("public:feedback", get=EVERYONE_200, post=EVERYONE_200),
    Case("public:feedback_sent", get=EVERYONE_200, post=EVERYONE_405),
    Case("public:feedback_track", get=EVERYONE_200, post=EVERYONE_200),
    Case(
        "supervision:feedback_list",
        get=only(*HANDLERS),
        post=only(*HANDLERS, ok=405),
    ),
    Case(
        "supervision:feedback_detail",
        get=only(*HANDLERS),
        post=only(*HANDLERS, ok=405),
        kwargs=_feedback_kwargs,
    ),
    Case(
        "supervision:feedback_assign",
        get=only(*HANDLERS, ok=405),
        post=only(*HANDLERS),  # an empty form shows its messages on the detail page
        kwargs=_feedback_kwargs,
    ),
    Case(
        "supervision:feedback_answer",
        get=only(*HANDLERS),
        post=only(*HANDLERS),
        kwargs=_feedback_kwargs,
    ),
    Case(
        "supervision:feedback_close",
        get=only(*HANDLERS, ok=405),
        post=only(*HANDLERS, ok=302),
        kwargs=_answered_kwargs,
    ),
    Case(
        "supervision:feedback_publish",
        get=only("committee"),
        post=only("committee"),
        kwargs=_answered_kwargs,
    ),
    Case(
        "supervision:feedback_unpublish",
        get=only("committee", ok=405),
        post=only("committee", ok=302),
        kwargs=_published_kwargs,
    ),
    Case(
        "supervision:feedback_attachment",
        get=only(*HANDLERS),
        post=only(*HANDLERS, ok=405),
        kwargs=_attachment_kwargs,
    ),
]
