"""Redacted scans of signed handover records, through the pages: the standing committee
uploads one (checked by content), a second person approves or rejects it, never the
uploader; every state change leaves its audit event; the inbox of the committee and the
supervisors counts the scans waiting for them."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from households.models import RedactedScan, RedactedScanReview
from households.services import MSG_NOT_UPLOADER
from lddh.ward.access import access_for
from lddh.ward.audit import AuditAction
from lddh.ward.inbox import inbox_for
from lddh.ward.models import AuditEvent
from tests.factories import MembershipFactory, UserFactory
from tests.households.support_helpers import PDF, PNG, Books, approve, pay, propose, upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def paid(world):
    books = Books(world, amount=50_000_000)
    return pay(world, approve(world, propose(world, books)))


def _upload(client, support, content=PNG, name="che.png", note=""):
    return client.post(
        reverse("households:scan_upload", args=[support.pk]),
        {"scan-file": upload(content, name), "scan-note": note},
    )


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _actions(since: int) -> list[str]:
    events = AuditEvent.objects.filter(pk__gt=since).exclude(action__startswith="auth.")
    return list(events.values_list("action", flat=True))


def _last_event() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_the_committee_uploads_a_scan_that_waits_for_a_second_person(world, paid):
    client = world.client("committee")
    since = _last_event()
    response = _upload(client, paid, PDF, "bien-ban-che.pdf", note="Đã che tên và chữ ký")
    assert response.status_code == 302
    scan = RedactedScan.objects.get()
    assert (scan.state, scan.content_type, scan.uploaded_by) == (
        "waiting",
        "application/pdf",
        world.users["committee"],
    )
    assert _actions(since) == [AuditAction.REDACTED_SCAN_UPLOAD]
    page = client.get(reverse("households:support_detail", args=[paid.pk])).content.decode()
    assert "Chờ người thứ hai duyệt" in page
    assert "Bạn đã tải lên bản chụp này: một người thứ hai sẽ duyệt." in page
    assert reverse("households:scan_approve", args=[paid.pk, scan.pk]) not in page


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "che.png"),  # a page named .png
        (b"MZ\x90\x00" + b"\x00" * 60, "che.pdf"),  # a program named .pdf
        (b"", "rong.png"),
    ],
)
def test_a_file_that_is_no_image_or_pdf_is_refused_in_vietnamese(world, paid, content, name):
    since = _last_event()
    response = _upload(world.client("committee"), paid, content, name)
    assert response.status_code == 200
    errors = response.context["scan_form"].errors["file"]
    assert any("tệp" in e.lower() for e in errors), errors
    assert not RedactedScan.objects.exists() and _actions(since) == []


def test_only_a_paid_support_gets_a_redacted_scan(world):
    books = Books(world, amount=50_000_000)
    approved = approve(world, propose(world, books))
    response = _upload(world.client("committee"), approved)
    assert response.status_code == 200
    assert "đã chi / bàn giao" in " ".join(response.context["scan_form"].errors["file"])
    assert not RedactedScan.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("staff", 403), ("treasurer", 403), ("supervisor", 403), ("leader2", 403), ("leader1", 404)],
)
def test_only_the_committee_uploads(world, paid, persona, status):
    assert _upload(world.client(persona), paid).status_code == status
    assert not RedactedScan.objects.exists()


def test_the_uploader_cannot_approve_a_second_person_does(world, paid, anon_client):
    committee = world.client("committee")
    _upload(committee, paid)
    scan = RedactedScan.objects.get()
    approve_url = reverse("households:scan_approve", args=[paid.pk, scan.pk])
    since = _last_event()
    refused = committee.post(approve_url)
    assert refused.status_code == 302
    assert MSG_NOT_UPLOADER in _messages(refused)
    assert not RedactedScanReview.objects.exists() and _actions(since) == []
    public = reverse("public:spending_scan", args=["2024", scan.token, scan.extension])
    assert anon_client.get(public).status_code == 404

    approved = world.client("supervisor").post(approve_url)
    assert approved.status_code == 302
    scan = RedactedScan.objects.get()
    assert scan.state == "approved" and scan.review.reviewed_by == world.users["supervisor"]
    assert _actions(since) == [AuditAction.REDACTED_SCAN_APPROVE]
    assert anon_client.get(public).status_code == 200
    # Reviewed once: a second decision is refused, nothing more is written.
    again = world.client("supervisor").post(approve_url)
    assert any("đã được xét" in m for m in _messages(again))
    assert _actions(since) == [AuditAction.REDACTED_SCAN_APPROVE]


def test_another_committee_member_may_approve(world, paid):
    other = UserFactory(username="thuongtruc2")
    MembershipFactory(user=other, role="committee")
    _upload(world.client("committee"), paid)
    scan = RedactedScan.objects.get()
    client = world.client("anon")
    client.force_login(other)
    client.post(reverse("households:scan_approve", args=[paid.pk, scan.pk]))
    assert RedactedScan.objects.get().state == "approved"


def test_a_rejection_needs_its_reason_and_keeps_the_scan_private(world, paid, anon_client):
    _upload(world.client("committee"), paid)
    scan = RedactedScan.objects.get()
    url = reverse("households:scan_reject", args=[paid.pk, scan.pk])
    supervisor = world.client("supervisor")
    since = _last_event()
    empty = supervisor.post(url, {f"scan-reject-{scan.pk}-reason": "   "})
    assert empty.status_code == 200 and _actions(since) == []
    assert "Lý do" in empty.content.decode()
    done = supervisor.post(url, {f"scan-reject-{scan.pk}-reason": "Còn thấy chữ ký ở dòng 3"})
    assert done.status_code == 302
    scan = RedactedScan.objects.get()
    assert scan.state == "rejected" and scan.review.reason == "Còn thấy chữ ký ở dòng 3"
    assert _actions(since) == [AuditAction.REDACTED_SCAN_REJECT]
    public = reverse("public:spending_scan", args=["2024", scan.token, scan.extension])
    assert anon_client.get(public).status_code == 404
    page = supervisor.get(reverse("households:support_detail", args=[paid.pk])).content.decode()
    assert "Không duyệt" in page and "Còn thấy chữ ký ở dòng 3" in page


def test_the_treasurer_and_the_staff_cannot_review(world, paid):
    _upload(world.client("committee"), paid)
    scan = RedactedScan.objects.get()
    for persona in ("treasurer", "staff", "leader2"):
        url = reverse("households:scan_approve", args=[paid.pk, scan.pk])
        assert world.client(persona).post(url).status_code == 403
    assert RedactedScan.objects.get().state == "waiting"


def test_the_inbox_counts_scans_waiting_for_the_person(world, paid):
    _upload(world.client("committee"), paid)

    def count(persona):
        items = {i.key: i for i in inbox_for(access_for(world.users[persona]))}
        return items.get("scans_to_review")

    assert count("committee") is None  # its own upload: not for it to review
    item = count("supervisor")
    assert item.count == 1
    listed = world.client("supervisor").get(item.url)
    assert listed.context["page_obj"].paginator.count == 1
    for persona in ("staff", "treasurer", "leader2", "higher"):
        assert count(persona) is None
    world.client("supervisor").post(
        reverse("households:scan_approve", args=[paid.pk, RedactedScan.objects.get().pk])
    )
    assert count("supervisor") is None
