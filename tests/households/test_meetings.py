"""Review meetings (họp bình xét) through their pages: a leader prepares the meeting of
their own group only; ward staff record the votes (hostile values refused, naming the
field); the minutes PDF reads as the official layout; a support of a household on an
open posting is approved only with the committee's written reason."""

from __future__ import annotations

import datetime
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from households import services
from households.models import AgendaItem, Objection, Proposal, ReviewMeeting, Support
from lddh.ward.audit import AuditAction
from lddh.ward.models import AuditEvent
from tests.factories import CampaignFactory, HouseholdFactory, ProposalFactory
from tests.households.meeting_helpers import MEETING_DAY, held, meeting, posted
from tests.households.support_helpers import Books, household, propose


def _page_form(**changes):
    data = {
        "date": "05/10/2024",
        "time": "19:30",
        "place": "Nhà văn hóa tổ 2",
        "chair": "Lê Văn Chủ",
        "secretary": "Trần Thị Thư",
        "invited_count": "15",
        "content": "Bình xét hộ cận nghèo năm 2024",
    }
    data.update(changes)
    return data


def test_a_leader_prepares_their_groups_meeting_with_its_pending_proposals(world):
    campaign = CampaignFactory()
    target = HouseholdFactory(group=world.groups[2], head_name="Phạm Thị Lan")
    proposal = ProposalFactory(
        household=target, group=world.groups[2], proposed_by=world.users["leader2"]
    )
    leader = world.client("leader2")
    page = leader.get(reverse("households:meeting_create"))
    assert page.status_code == 200
    response = leader.post(
        reverse("households:meeting_create"),
        _page_form(campaign=campaign.pk, group=world.groups[2].pk),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = ReviewMeeting.objects.get()
    assert created.group == world.groups[2] and created.round.campaign == campaign
    assert created.time == datetime.time(19, 30)
    item = created.items.get()
    assert item.proposal == proposal and item.household == target
    assert AuditEvent.objects.filter(action=AuditAction.MEETING_PREPARE).count() == 1
    # Another group's leader: 404 on the meeting, and cannot prepare for group 2.
    other = world.client("leader1")
    assert other.get(reverse("households:meeting_detail", args=[created.pk])).status_code == 404
    refused = other.post(
        reverse("households:meeting_create"),
        _page_form(campaign=campaign.pk, group=world.groups[2].pk),
    )
    assert refused.status_code == 200
    assert ReviewMeeting.objects.count() == 1
    # A second meeting of the same group and round is refused, in Vietnamese.
    again = leader.post(
        reverse("households:meeting_create"),
        _page_form(campaign=campaign.pk, group=world.groups[2].pk),
    )
    assert "đã có cuộc họp bình xét" in again.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("agree", "99", "lớn hơn số người có mặt"),
        ("agree", "-1", "Số đồng ý"),
        ("disagree", "ba", "Số không đồng ý"),
        ("present_count", "5", "chưa đủ 2/3"),
        ("present_count", "mười", "Số người có mặt"),
        ("present_count", "40", "nhiều hơn số người được mời"),
        ("abstain", "", "Số không biểu quyết"),
    ],
)
def test_staff_recording_hostile_votes_are_refused_naming_the_field(world, field, value, message):
    created = meeting(world)
    item = created.items.get()
    data = {
        "present_count": "12",
        f"agree_{item.pk}": "10",
        f"disagree_{item.pk}": "1",
        f"abstain_{item.pk}": "1",
        f"conclusion_{item.pk}": "agree",
    }
    data[field if field == "present_count" else f"{field}_{item.pk}"] = value
    response = world.client("staff").post(
        reverse("households:meeting_votes", args=[created.pk]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    created.refresh_from_db()
    assert created.status == ReviewMeeting.Status.PREPARING
    assert not AuditEvent.objects.filter(action=AuditAction.MEETING_VOTES).exists()


def test_staff_record_the_votes_and_an_agreed_proposal_carries_the_meeting(world):
    target = HouseholdFactory(group=world.groups[2])
    proposal = ProposalFactory(
        household=target, group=world.groups[2], proposed_by=world.users["leader2"]
    )
    created = meeting(world, household=target)
    rows = list(created.items.order_by("pk"))
    data = {"present_count": "12"}
    for item in rows:
        data.update(
            {
                f"agree_{item.pk}": "11",
                f"disagree_{item.pk}": "1",
                f"abstain_{item.pk}": "0",
                f"conclusion_{item.pk}": "agree",
            }
        )
    # A leader only reads the vote page's result: the votes are the staff's to record.
    assert (
        world.client("leader2").get(reverse("households:meeting_votes", args=[created.pk]))
    ).status_code == 403
    response = world.client("staff").post(
        reverse("households:meeting_votes", args=[created.pk]), data
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.status == ReviewMeeting.Status.HELD and created.present_count == 12
    assert Proposal.objects.get(pk=proposal.pk).meeting == created
    event = AuditEvent.objects.get(action=AuditAction.MEETING_VOTES)
    assert event.after["present_count"] == 12


def test_the_minutes_pdf_reads_as_the_official_record(world, tmp_path):
    created = held(world, meeting(world))
    services.meeting_attendee_add(
        actor=world.users["leader2"], meeting=created, name="Ngô Văn Bí", role="party"
    )
    response = world.client("leader2").get(reverse("households:meeting_minutes", args=[created.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "bien-ban.pdf"
    pdf.write_bytes(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    text = " ".join(text.split())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BAN CÔNG TÁC MẶT TRẬN TỔ DÂN PHỐ SỐ 2",
        "BIÊN BẢN HỌP BÌNH XÉT",
        "ngày 05 tháng 10 năm 2024",
        "Thời gian, địa điểm",
        "Nhà văn hóa tổ 2",
        "Thành phần tham dự",
        "Ngô Văn Bí – Bí thư chi bộ",
        "Số người được mời: 15; số người có mặt: 12",
        "Kết quả biểu quyết",
        "Đồng ý đề nghị",
        "Kết luận",
        "THƯ KÝ",
        "CHỦ TRÌ",
        "Trần Thị Thư",
        "Lê Văn Chủ",
    ):
        assert expected in text, expected
    other = world.client("leader1")
    assert other.get(reverse("households:meeting_minutes", args=[created.pk])).status_code == 404


def _approve(client, support, **extra):
    data = {
        "approve-decision_number": "15/QĐ-BVĐ",
        "approve-decision_date": timezone.localdate().strftime("%d/%m/%Y"),
        "approve-decision_signer": "Nguyễn Thị Thu Hà",
    }
    data.update(extra)
    return client.post(reverse("households:support_approve", args=[support.pk]), data)


def test_a_support_waits_for_the_posting_unless_the_committee_writes_its_reason(world):
    books = Books(world, amount=50_000_000)
    target = household(world)
    created = held(world, meeting(world, campaign=books.campaign, household=target))
    today = timezone.localdate()
    posting = posted(world, created, start=max(today - datetime.timedelta(days=2), MEETING_DAY))
    support = propose(world, books, target)
    committee = world.client("committee")

    refused = _approve(committee, support)
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "đang niêm yết đến hết ngày" in page
    assert posting.end_date.strftime("%d/%m/%Y") in page and "tổ" in page.lower()
    assert Support.objects.get(pk=support.pk).status == Support.Status.PROPOSED

    response = _approve(
        committee,
        support,
        **{"approve-posting_reason": "Hộ có người ốm nặng cần mổ gấp; Ban Thường trực đồng ý."},
    )
    assert response.status_code == 302
    support.refresh_from_db()
    assert support.status == Support.Status.APPROVED
    assert support.posting_reason.startswith("Hộ có người ốm nặng")
    event = AuditEvent.objects.filter(action=AuditAction.SUPPORT_APPROVE).latest("pk")
    assert event.after["posting_reason"].startswith("Hộ có người ốm nặng")
    assert event.after["posting"] == posting.pk


def test_an_open_objection_blocks_after_the_window_until_it_is_handled(world):
    books = Books(world, amount=50_000_000)
    target = household(world)
    created = held(world, meeting(world, campaign=books.campaign, household=target))
    posting = posted(world, created, start=datetime.date(2024, 10, 6))
    objection = services.objection_record(
        actor=world.users["leader2"],
        posting=posting,
        sender="Người dân tổ 2",
        content="Hộ này mới mua xe máy.",
        received_date=datetime.date(2024, 10, 8),
    )
    support = propose(world, books, target)
    committee = world.client("committee")
    refused = _approve(committee, support)
    assert "còn kiến nghị chưa xử lý xong" in refused.content.decode()
    assert "12/10/2024" in refused.content.decode()
    staff = world.client("staff")
    answer = staff.post(
        reverse("households:objection_answer", args=[created.pk, objection.pk]),
        {
            "handling": "Tổ đã kiểm tra: xe của con trai đi làm.",
            "answer": "Giữ nguyên đề nghị.",
            "close": "on",
        },
    )
    assert answer.status_code == 302
    assert Objection.objects.get(pk=objection.pk).status == Objection.Status.CLOSED
    assert _approve(committee, support).status_code == 302
    support.refresh_from_db()
    assert support.status == Support.Status.APPROVED and support.posting_reason == ""


def test_read_only_roles_get_403_on_meeting_writes(world):
    created = meeting(world)
    for persona in ("treasurer", "supervisor"):
        client = world.client(persona)
        assert (
            client.get(reverse("households:meeting_detail", args=[created.pk])).status_code == 200
        )
        assert (
            client.post(
                reverse("households:meeting_attendee_add", args=[created.pk]),
                {"attendee-name": "A", "attendee-role": "resident"},
            ).status_code
            == 403
        )
    assert AgendaItem.objects.filter(meeting=created).count() == 1


def test_the_inbox_asks_the_leader_to_prepare_and_the_office_to_answer(world):
    from lddh.ward.access import access_for
    from lddh.ward.inbox import inbox_for

    def counts(persona):
        return {i.key: i for i in inbox_for(access_for(world.users[persona]))}

    books = Books(world)
    assert books.campaign.status == books.campaign.Status.ACTIVE
    created = meeting(world, campaign=books.campaign)
    item = counts("leader2")["meetings_to_prepare"]
    assert item.count == 1
    listed = world.client("leader2").get(item.url)
    assert listed.context["page_obj"].paginator.count == 1
    assert "Tiếp tục chuẩn bị" in listed.content.decode()
    assert "meetings_to_prepare" not in counts("leader1")
    posting = posted(world, held(world, created), start=MEETING_DAY)
    services.objection_record(
        actor=world.users["leader2"],
        posting=posting,
        sender="Người dân",
        content="Xem lại.",
        received_date=MEETING_DAY,
    )
    assert counts("committee")["objections_open"].count == 1
    assert counts("staff")["objections_open"].count == 1
    assert "objections_open" not in counts("treasurer")


def test_a_support_agreed_at_a_meeting_waits_for_its_list_to_be_posted(world):
    """Between the votes and the posting the list has not been shown to anyone yet: the
    support is refused like during the posting, unless the committee writes its reason."""
    books = Books(world, amount=50_000_000)
    target = household(world)
    held(world, meeting(world, campaign=books.campaign, household=target))
    support = propose(world, books, target)
    committee = world.client("committee")
    refused = _approve(committee, support)
    assert refused.status_code == 200
    assert "chưa niêm yết" in refused.content.decode()
    assert Support.objects.get(pk=support.pk).status == Support.Status.PROPOSED
    response = _approve(
        committee,
        support,
        **{"approve-posting_reason": "Hộ có người ốm nặng cần mổ gấp; Ban Thường trực đồng ý."},
    )
    assert response.status_code == 302
    assert Support.objects.get(pk=support.pk).status == Support.Status.APPROVED
