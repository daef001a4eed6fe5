"""Demo review meetings (họp bình xét) of the 2024 review round, made through the real
services: one meeting per residential group. Groups 1–6 met in early November 2024 and
voted (groups 1–4 closed their meeting); their lists were posted for seven days, all
closed before the committee's decisions of 20/11/2024, so no support waits for them. The
posting of group 3 received one objection, answered and closed. Group 7 (review half way)
and groups 8–9 (review not started) are still preparing their meeting.

Moves no money. Idempotent: when any meeting exists, nothing is added."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from campaigns.models import Campaign
from households import services
from households.models import AgendaItem, Household, ReviewMeeting, Support
from lddh.ward.models import ResidentialGroup

D = datetime.date
PLACES = {
    1: "Nhà văn hóa tổ dân phố số 1, ngõ 12 phố Lê Đại Hành",
    2: "Nhà văn hóa tổ dân phố số 2",
    3: "Nhà văn hóa tổ dân phố số 3",
}
CHAIRS = [
    ("Nguyễn Văn Hải", "Phạm Thị Thu"),
    ("Trần Văn Bình", "Lê Thị Mai"),
    ("Đỗ Văn Khánh", "Vũ Thị Hạnh"),
    ("Hoàng Văn Nam", "Bùi Thị Lan"),
    ("Phan Văn Sơn", "Ngô Thị Hoa"),
    ("Lý Văn Tâm", "Đặng Thị Yến"),
    ("Vương Văn Đức", "Tạ Thị Nga"),
    ("Cao Văn Long", "Hồ Thị Vân"),
    ("Mạc Văn Toàn", "Kiều Thị Hằng"),
]
ATTENDEES = [
    ("Tổ trưởng", "group_head"),
    ("Bí thư chi bộ", "party"),
    ("Chi hội trưởng phụ nữ", "organisation"),
    ("Chi hội trưởng cựu chiến binh", "organisation"),
    ("Đại diện người dân", "resident"),
]
HELD = range(1, 7)
CLOSED = range(1, 5)
OBJECTION_GROUP = 3


def seed(*, stdout) -> None:
    if ReviewMeeting.objects.exists():
        stdout.write("Họp bình xét: đã có dữ liệu, không tạo thêm.")
        return
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["canbo", "thuongtruc", *[f"to{n}" for n in range(1, 10)]]
        )
    }
    campaign = Campaign.objects.filter(year=2024).order_by("start_date").first()
    groups = {g.number: g for g in ResidentialGroup.objects.filter(number__in=range(1, 10))}
    if campaign is None or "canbo" not in users or len(groups) < 9:
        stdout.write("Họp bình xét: thiếu chiến dịch 2024, tài khoản canbo hoặc tổ, bỏ qua.")
        return
    if not Household.objects.exists():
        stdout.write("Họp bình xét: chưa có hộ gia đình, bỏ qua.")
        return
    office = users["canbo"]
    for number, group in sorted(groups.items()):
        _meeting(number, group, campaign, users.get(f"to{number}") or office, office)
    stdout.write(
        "Họp bình xét: 9 cuộc họp năm 2024 (6 tổ đã họp và niêm yết, 1 kiến nghị đã xử lý)."
    )


def _meeting(number, group, campaign, leader, office) -> None:
    day = D(2024, 11, 1) + datetime.timedelta(days=number % 4)
    chair, secretary = CHAIRS[number - 1]
    meeting = services.meeting_prepare(
        actor=leader,
        campaign=campaign,
        group=group,
        date=day,
        time=datetime.time(19, 30),
        place=PLACES.get(number, f"Nhà văn hóa tổ dân phố số {number}"),
        chair=chair,
        secretary=secretary,
        invited_count=18,
        content=f"Bình xét hộ nghèo, cận nghèo, hộ có hoàn cảnh khó khăn của tổ {number} "
        "và các đề nghị hỗ trợ năm 2024.",
    )
    services.meeting_attendee_add(actor=leader, meeting=meeting, name=chair, role="front")
    for title, role in ATTENDEES:
        services.meeting_attendee_add(
            actor=leader, meeting=meeting, name=f"{title} tổ {number}", role=role
        )
    supported = set(
        Support.objects.filter(campaign=campaign, household__group=group).values_list(
            "household_id", flat=True
        )
    )
    households = list(
        Household.objects.active().filter(group=group, pk__in=supported).order_by("pk")[:3]
    ) or list(Household.objects.active().filter(group=group).order_by("pk")[:2])
    for household in households:
        kind = AgendaItem.Kind.SUPPORT if household.pk in supported else AgendaItem.Kind.KEEP
        if not meeting.items.filter(household=household, kind=kind).exists():
            services.meeting_item_add(actor=leader, meeting=meeting, household=household, kind=kind)
    if number not in HELD:
        return
    votes = {}
    for index, item in enumerate(meeting.items.order_by("pk")):
        if number == 2 and index == 1:
            votes[item.pk] = {"agree": 4, "disagree": 9, "abstain": 1, "conclusion": "disagree"}
        else:
            votes[item.pk] = {"agree": 12, "disagree": 1, "abstain": 1, "conclusion": "agree"}
    services.meeting_record_votes(
        actor=office,
        meeting=meeting,
        present_count=14,
        votes=votes,
        conclusion="Đề nghị Ủy ban MTTQ phường xem xét các hộ đã được đồng ý.",
    )
    posting = services.posting_open(
        actor=office,
        meeting=meeting,
        start_date=day + datetime.timedelta(days=1),
        place=f"Bảng tin nhà văn hóa tổ dân phố số {number}",
        days=7,
    )
    if number == OBJECTION_GROUP:
        objection = services.objection_record(
            actor=leader,
            posting=posting,
            sender="Người dân tổ 3 (không ghi tên)",
            content="Đề nghị xem lại một hộ trong danh sách vì thấy mới sửa nhà.",
            received_date=posting.start_date + datetime.timedelta(days=2),
        )
        services.objection_answer(
            actor=office,
            objection=objection,
            handling="Ban công tác Mặt trận tổ cùng cán bộ phường đến nhà kiểm tra: nhà được "
            "sửa bằng tiền vay của họ hàng, hộ vẫn khó khăn.",
            answer="Giữ nguyên đề nghị; đã trả lời người kiến nghị tại buổi sinh hoạt tổ.",
            close=True,
        )
    if number in CLOSED:
        services.meeting_close(actor=office, meeting=meeting)
