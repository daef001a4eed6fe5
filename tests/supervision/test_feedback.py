"""Residents' feedback: sent through the public page without signing in (hostile values
refused naming the field), followed with the tracking code (status and a published
answer only), handled by the inspection team, published by the committee; counts only
on the public page; the inbox and the list's filters."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lddh.supervision.feedback import selectors, services
from lddh.supervision.models import Feedback
from lddh.ward.access import access_for
from lddh.ward.audit import AuditAction
from lddh.ward.feedback_link import FEEDBACK_PATH, feedback_url
from lddh.ward.inbox import inbox_for
from lddh.ward.models import AuditEvent

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 64
CONTENT = "Hộ ông Kiện ở tổ 3 có nhà to vẫn được nhận quà Tết."


def form(**changes) -> dict:
    data = {
        "topic": "wrong_household",
        "content": CONTENT,
        "group": "",
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
        "website": "",
    }
    data.update(changes)
    return data


def submit(world, **kwargs) -> Feedback:
    values = {"topic": Feedback.Topic.NOT_RECEIVED, "content": CONTENT}
    values.update(kwargs)
    return services.feedback_submit(**values)


def test_the_printed_address_is_the_form(settings):
    assert reverse("public:feedback") == FEEDBACK_PATH
    assert feedback_url() == settings.SITE_URL + "/phan-anh/"


def test_a_resident_sends_feedback_without_signing_in(world, anon_client, settings):
    settings.FEEDBACK_DUE_DAYS = 15
    response = anon_client.post(
        "/phan-anh/",
        form(
            group=str(world.groups[3].pk),
            contact_name="Lê Thị Gửi",
            contact_phone="0912 345 678",
            contact_email="gui@example.vn",
            attachments=[SimpleUploadedFile("anh.jpg", b"\xff\xd8\xff" + b"1" * 50)],
        ),
    )
    assert response.status_code == 302 and response["Location"] == "/phan-anh/da-gui/"
    item = Feedback.objects.get()
    assert (item.content, item.group, item.contact_phone) == (
        CONTENT,
        world.groups[3],
        "0912 345 678",
    )
    assert item.status == Feedback.Status.RECEIVED
    assert item.due_on == timezone.localdate() + datetime.timedelta(days=15)
    assert item.attachments.get().content_type == "image/jpeg"
    assert item.attachments.get().uploaded_by is None
    event = AuditEvent.objects.get(action=AuditAction.FEEDBACK_SUBMIT.value)
    assert event.actor is None and event.object_id == str(item.pk)
    # The audit keeps states, never the sender's words or contact.
    assert "Kiện" not in str(event.after) and "0912" not in str(event.after)
    sent = anon_client.get("/phan-anh/da-gui/").content.decode()
    assert item.code in sent
    assert anon_client.get("/phan-anh/da-gui/").content.decode().count(item.code) == 1
    assert item.code not in world.client("anon").get("/phan-anh/da-gui/").content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"content": ""}, "content", "nội dung phản ánh"),
        ({"content": "   "}, "content", "nội dung phản ánh"),
        ({"content": "ngắn"}, "content", "ít nhất 10"),
        ({"content": "x" * 3001}, "content", "3000"),
        ({"topic": "hack"}, "topic", "chủ đề"),
        ({"contact_phone": "12345"}, "contact_phone", "không phải số điện thoại"),
        ({"contact_phone": "0912abc678"}, "contact_phone", "không phải số điện thoại"),
        ({"contact_email": "abc@"}, "contact_email", "Thư điện tử"),
        ({"group": "999999"}, "group", "tổ dân phố"),
        ({"website": "http://spam"}, "website", "Không gửi được"),
    ],
)
def test_hostile_values_are_refused_naming_the_field(world, anon_client, changes, field, message):
    response = anon_client.post("/phan-anh/", form(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message.lower() in " ".join(errors[field]).lower()
    assert not Feedback.objects.exists()


def test_an_exe_renamed_jpg_is_refused_by_its_content(world, anon_client):
    response = anon_client.post(
        "/phan-anh/", form(attachments=[SimpleUploadedFile("anh.jpg", EXE)])
    )
    assert response.status_code == 200
    text = " ".join(response.context["form"].errors["attachments"])
    assert "anh.jpg" in text and "không phải ảnh JPEG, PNG hoặc tệp PDF" in text
    assert "Tệp đính kèm" in response.content.decode()
    assert not Feedback.objects.exists()


def test_too_many_or_too_big_attachments_are_refused(world, anon_client):
    files = [SimpleUploadedFile(f"a{i}.png", PNG) for i in range(4)]
    response = anon_client.post("/phan-anh/", form(attachments=files))
    assert "tối đa 3 tệp" in " ".join(response.context["form"].errors["attachments"])
    big = SimpleUploadedFile("to.png", PNG + b"0" * services.MAX_ATTACHMENT_BYTES)
    response = anon_client.post("/phan-anh/", form(attachments=[big]))
    assert "quá lớn" in " ".join(response.context["form"].errors["attachments"])
    assert not Feedback.objects.exists()


def test_sending_is_throttled(world, anon_client):
    # Five feedbacks an hour from one client, as the guide says: a resident whose
    # first tries were refused (a box left empty, a phone mistyped) still sends hers.
    for _ in range(6):
        assert anon_client.post("/phan-anh/", form(content="")).status_code == 200
    for _ in range(5):
        assert anon_client.post("/phan-anh/", form()).status_code == 302
    assert anon_client.post("/phan-anh/", form()).status_code == 429
    assert Feedback.objects.count() == 5


def test_the_code_is_short_unguessable_and_typed_any_way(world):
    codes = {services.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 12 and c.startswith("PA-") for c in codes)
    assert not any(set(c[3:]) & set("ILOU") for c in codes)
    assert selectors.normalise_code(" pa 7k3m-q9x2 ") == "PA-7K3M-Q9X2"
    assert selectors.normalise_code("7k3mq9x2") == "PA-7K3M-Q9X2"
    assert selectors.normalise_code("PA-oIl0-0000") == "PA-0110-0000"
    assert selectors.normalise_code("PA-7K3M") is None
    assert selectors.normalise_code("PA-7K3M-Q9X!") is None


def test_the_code_shows_the_status_and_only_a_published_answer(world, anon_client):
    item = submit(world, contact_phone="0912 345 678")
    response = anon_client.post("/phan-anh/tra-cuu/", {"ma": item.code.lower().replace("-", " ")})
    page = response.content.decode()
    assert "Mới tiếp nhận" in page and item.code in page
    assert CONTENT not in page and "0912" not in page
    services.feedback_answer(
        actor=world.users["supervisor"], feedback=item, answer="Trả lời chưa công khai nhé."
    )
    page = anon_client.post("/phan-anh/tra-cuu/", {"ma": item.code}).content.decode()
    assert "Đã trả lời" in page and "Trả lời chưa công khai" not in page
    services.feedback_publish(
        actor=world.users["committee"], feedback=item, public_question="Một hộ chưa nhận quà."
    )
    page = anon_client.post("/phan-anh/tra-cuu/", {"ma": item.code}).content.decode()
    assert "Trả lời chưa công khai nhé." in page and CONTENT not in page
    missing = anon_client.post("/phan-anh/tra-cuu/", {"ma": "PA-0000-0000"}).content.decode()
    assert "Không tìm thấy" in missing
    bad = anon_client.post("/phan-anh/tra-cuu/", {"ma": "xyz"})
    assert "Mã theo dõi có dạng" in " ".join(bad.context["form"].errors["ma"])


def test_lookups_are_throttled(world, anon_client):
    for _ in range(20):
        anon_client.post("/phan-anh/tra-cuu/", {"ma": "PA-0000-0000"})
    assert anon_client.post("/phan-anh/tra-cuu/", {"ma": "PA-0000-0000"}).status_code == 429


def test_handling_through_the_pages(world):
    item = submit(world, contact_name="Lê Thị Gửi")
    supervisor = world.client("supervisor")
    detail = reverse("supervision:feedback_detail", args=[item.pk])
    page = supervisor.get(detail).content.decode()
    assert CONTENT in page and "Lê Thị Gửi" in page
    # The assignee must be of the inspection team or the committee.
    response = supervisor.post(
        reverse("supervision:feedback_assign", args=[item.pk]),
        {"assignee": world.users["staff"].pk},
    )
    assert response.status_code == 200 and "assignee" in response.context["assign_form"].errors
    supervisor.post(
        reverse("supervision:feedback_assign", args=[item.pk]),
        {"assignee": world.users["supervisor"].pk, "note": "Đi xác minh"},
    )
    item.refresh_from_db()
    assert item.status == Feedback.Status.IN_PROGRESS and "Đi xác minh" in item.handling_note
    # Closing before answering is refused.
    supervisor.post(reverse("supervision:feedback_close", args=[item.pk]), {})
    item.refresh_from_db()
    assert item.status == Feedback.Status.IN_PROGRESS
    too_short = supervisor.post(
        reverse("supervision:feedback_answer", args=[item.pk]), {"answer": "ok"}
    )
    assert "answer" in too_short.context["form"].errors
    supervisor.post(
        reverse("supervision:feedback_answer", args=[item.pk]),
        {"answer": "Đã xác minh, hộ đủ điều kiện theo tiêu chí của phường."},
    )
    # The supervisor may not publish: that is the committee's.
    publish = reverse("supervision:feedback_publish", args=[item.pk])
    assert supervisor.post(publish, {"public_question": "Hỏi về một hộ."}).status_code == 403
    committee = world.client("committee")
    # The form starts empty: the sender's words (names, addresses) are shown beside it,
    # never offered as the text to publish.
    page = committee.get(publish)
    assert page.context["form"]["public_question"].value() in (None, "")
    assert item.content in page.content.decode()
    assert committee.post(publish, {"public_question": "Hỏi về một hộ ở tổ 3."}).status_code == 302
    item.refresh_from_db()
    assert item.is_published
    # A published answer cannot be rewritten before it is withdrawn.
    response = supervisor.post(
        reverse("supervision:feedback_answer", args=[item.pk]), {"answer": "Trả lời khác hẳn."}
    )
    assert response.status_code == 200
    committee.post(reverse("supervision:feedback_unpublish", args=[item.pk]), {"reason": "Sửa"})
    committee.post(reverse("supervision:feedback_close", args=[item.pk]), {"note": "Xong"})
    item.refresh_from_db()
    assert item.status == Feedback.Status.CLOSED and not item.is_published
    actions = list(selectors.feedback_history(item).values_list("action", flat=True))
    assert actions == [
        "feedback.submit",
        "feedback.assign",
        "feedback.answer",
        "feedback.publish",
        "feedback.unpublish",
        "feedback.close",
    ]
    history = supervisor.get(detail).content.decode()
    assert "Công khai trả lời phản ánh" in history and "người dân (không đăng nhập)" in history


def test_only_the_team_and_the_committee_handle(world):
    item = submit(world)
    for persona in ("staff", "treasurer", "leader2", "higher"):
        with pytest.raises(PermissionDenied):
            services.feedback_answer(actor=world.users[persona], feedback=item, answer="x" * 20)
    services.feedback_answer(actor=world.users["supervisor"], feedback=item, answer="x" * 20)
    with pytest.raises(PermissionDenied):
        services.feedback_publish(
            actor=world.users["supervisor"], feedback=item, public_question="y" * 20
        )
    with pytest.raises(ValidationError):
        services.feedback_publish(actor=world.users["committee"], feedback=item, public_question="")


def test_public_page_counts_per_month_and_shows_only_published_answers(world, anon_client):
    open_item = submit(world, content="Nội dung riêng chưa trả lời của người dân.")
    answered = submit(world)
    services.feedback_answer(
        actor=world.users["supervisor"],
        feedback=answered,
        answer="Trả lời riêng tư chưa công khai.",
    )
    published = submit(world, contact_name="Người Gửi Kín")
    services.feedback_answer(
        actor=world.users["supervisor"], feedback=published, answer="Đã chi bổ sung cho hộ."
    )
    services.feedback_publish(
        actor=world.users["committee"], feedback=published, public_question="Hộ chưa nhận tiền."
    )
    months = selectors.public_months()
    assert [(m.received, m.answered, m.open) for m in months] == [(3, 2, 1)]
    page = anon_client.get("/phan-anh/").content.decode()
    assert "Hộ chưa nhận tiền." in page and "Đã chi bổ sung cho hộ." in page
    for private in (
        open_item.content,
        CONTENT,
        "Trả lời riêng tư chưa công khai.",
        "Người Gửi Kín",
        open_item.code,
        published.code,
    ):
        assert private not in page


def test_list_filters_and_inbox(world):
    today = timezone.localdate()
    late = submit(world)
    Feedback.objects.filter(pk=late.pk).update(due_on=today - datetime.timedelta(days=1))
    old = submit(world)
    Feedback.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=70)
    )
    services.feedback_assign(
        actor=world.users["committee"], feedback=old, assignee=world.users["supervisor"]
    )
    client = world.client("supervisor")
    url = reverse("supervision:feedback_list")
    codes = lambda r: [f.code for f in r.context["page_obj"]]  # noqa: E731
    assert codes(client.get(url, {"qua_han": "1"})) == [late.code]
    assert codes(client.get(url, {"trang_thai": "in_progress"})) == [old.code]
    month = timezone.localtime(Feedback.objects.get(pk=old.pk).received_at)
    assert codes(client.get(url, {"thang": month.strftime("%Y-%m")})) == [old.code]
    assert client.get(url, {"thang": "khong-phai-thang"}).status_code == 200
    items = {i.key: i for i in inbox_for(access_for(world.users["supervisor"]))}
    assert items["feedback_new"].count == 1 and items["feedback_overdue"].count == 1
    staff_items = {i.key for i in inbox_for(access_for(world.users["staff"]))}
    assert "feedback_new" not in staff_items


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "10000-01", "2024-13", "2024-0"])
def test_a_month_at_the_calendar_s_edge_is_ignored_not_an_error(world, month):
    submit(world)
    client = world.client("supervisor")
    response = client.get(reverse("supervision:feedback_list"), {"thang": month})
    assert response.status_code == 200
    assert response.context["month"] is None
    assert len(response.context["page_obj"]) == 1


def test_a_code_whose_characters_begin_with_pa_is_found_typed_without_the_prefix(
    world, anon_client
):
    # One code in 1024 draws "PA" as its first two characters: typed without the
    # "PA-" prefix (as the help allows), its own "PA" must not be taken for the prefix.
    assert selectors.normalise_code("pa3k-q9x2") == "PA-PA3K-Q9X2"
    assert selectors.normalise_code("PA-PA3K-Q9X2") == "PA-PA3K-Q9X2"
    assert selectors.normalise_code("PAPA3KQ9X2") == "PA-PA3K-Q9X2"
    item = submit(world)
    Feedback.objects.filter(pk=item.pk).update(code="PA-PA3K-Q9X2")
    response = anon_client.post(reverse("public:feedback_track"), {"ma": "pa3k q9x2"})
    assert response.context["found"].code == "PA-PA3K-Q9X2"


def test_a_too_long_withdrawal_reason_is_refused_not_dropped(world):
    item = submit(world)
    services.feedback_answer(
        actor=world.users["supervisor"], feedback=item, answer="Đã xác minh, hộ đủ điều kiện."
    )
    services.feedback_publish(
        actor=world.users["committee"], feedback=item, public_question="Hỏi về một hộ ở tổ 3."
    )
    committee = world.client("committee")
    url = reverse("supervision:feedback_unpublish", args=[item.pk])
    response = committee.post(url, {"reason": "x" * 301}, follow=True)
    item.refresh_from_db()
    assert item.is_published
    assert "Lý do thôi công khai" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.FEEDBACK_UNPUBLISH).exists()
    committee.post(url, {"reason": "Trả lời còn tên người gửi"})
    item.refresh_from_db()
    assert not item.is_published
    event = AuditEvent.objects.get(action=AuditAction.FEEDBACK_UNPUBLISH)
    assert event.note == "Trả lời còn tên người gửi"


@pytest.mark.parametrize("persona", ["staff", "treasurer"])
def test_the_audit_log_keeps_the_feedback_from_those_who_may_not_read_it(world, persona):
    # Ward staff and the treasurer read the audit log but not the feedback (it may be
    # about them): the log must not tell them that a complaint about the staff came in
    # from group 3 today, nor hand them its tracking code.
    item = submit(world, topic=Feedback.Topic.STAFF_CONDUCT, group=world.groups[3])
    url = reverse("supervision:audit")
    page = world.client(persona).get(url).content.decode()
    assert item.code not in page and "Thái độ, tác phong cán bộ" not in page
    export = world.client(persona).get(url, {"xuat": "csv"})
    assert item.code not in b"".join(export.streaming_content).decode("utf-8-sig")
    for reader in ("supervisor", "committee"):
        assert item.code in world.client(reader).get(url).content.decode()
