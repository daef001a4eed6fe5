import datetime

import pytest
from django.urls import reverse

from campaigns.models import Activity, Campaign, PlanBlock
from lddh.ward.models import AuditEvent
from tests.factories import (
    ActivityFactory,
    BoardMemberFactory,
    CampaignFactory,
    PlanBlockFactory,
    TargetFactory,
)

D = datetime.date


def url(name, campaign, **kwargs):
    return reverse(f"campaigns:{name}", kwargs={"pk": campaign.pk, **kwargs})


def test_staff_creates_a_campaign_typing_vietnamese_dates_and_money(world):
    response = world.client("staff").post(
        reverse("campaigns:create"),
        {
            "year": "2026",
            "name": "Tháng cao điểm “Vì người nghèo” năm 2026",
            "start_date": "17/10/2026",
            "end_date": "18/11/2026",
            "target": "600.000.000",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", campaign)
    assert (campaign.start_date, campaign.target) == (D(2026, 10, 17), 600_000_000)
    assert campaign.status == Campaign.Status.DRAFT


def test_form_keeps_the_input_and_explains_end_before_start(world):
    response = world.client("staff").post(
        reverse("campaigns:create"),
        {"year": "2026", "name": "Chiến dịch thử", "start_date": "18/11/2026",
         "end_date": "17/10/2026", "target": "1.000.000"},
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200
    assert "phải sau hoặc trùng ngày bắt đầu" in html
    assert 'value="Chiến dịch thử"' in html and 'value="18/11/2026"' in html
    assert not Campaign.objects.exists()


def test_negative_target_is_explained(world):
    response = world.client("staff").post(
        reverse("campaigns:create"),
        {"year": "2026", "name": "X", "start_date": "17/10/2026", "end_date": "18/11/2026",
         "target": "-5.000"},
    )  # fmt: skip
    assert "không được là số âm" in response.content.decode()
    assert not Campaign.objects.exists()


def test_overlap_is_explained_on_the_form(world, campaign):
    response = world.client("staff").post(
        reverse("campaigns:create"),
        {"year": "2024", "name": "Trùng", "start_date": "01/11/2024", "end_date": "30/11/2024"},
    )
    assert "trùng với chiến dịch" in response.content.decode()


def test_edit_form_shows_dates_as_dd_mm_yyyy(world, campaign):
    html = world.client("staff").get(url("edit", campaign)).content.decode()
    assert 'value="17/10/2024"' in html and 'placeholder="dd/mm/yyyy"' in html
    assert 'value="500.000.000"' in html


def test_closed_campaign_edit_page_sends_back_with_a_message(world, campaign):
    campaign.status = Campaign.Status.CLOSED
    campaign.save()
    client = world.client("staff")
    response = client.get(url("edit", campaign), follow=True)
    assert response.redirect_chain[-1][0] == url("detail", campaign)
    assert "đã kết thúc nên chỉ được xem" in response.content.decode()
    response = client.post(url("targets", campaign), {}, follow=True)
    assert "đã kết thúc nên chỉ được xem" in response.content.decode()


def test_committee_activates_from_the_page(world, draft_2025):
    response = world.client("committee").post(url("activate", draft_2025), follow=True)
    draft_2025.refresh_from_db()
    assert draft_2025.status == Campaign.Status.ACTIVE
    assert "Đã triển khai" in response.content.decode()


def test_second_activation_shows_the_reason(world, campaign, draft_2025):
    response = world.client("committee").post(url("activate", draft_2025), follow=True)
    assert "đang được triển khai" in response.content.decode()
    draft_2025.refresh_from_db()
    assert draft_2025.status == Campaign.Status.DRAFT


def test_reopen_needs_a_reason_on_the_page(world, campaign):
    campaign.status = Campaign.Status.CLOSED
    campaign.save()
    client = world.client("committee")
    response = client.post(url("reopen", campaign), {"reason": "ngắn"})
    assert response.status_code == 200 and "ít nhất 10 ký tự" in response.content.decode()
    response = client.post(url("reopen", campaign), {"reason": "Ghi nhận khoản nộp muộn tổ 3"})
    assert response.status_code == 302
    assert AuditEvent.objects.get(action="campaign.reopen").note == "Ghi nhận khoản nộp muộn tổ 3"


def test_copy_page_creates_the_year_it_offered(world, campaign):
    response = world.client("staff").post(url("copy", campaign), {"year": "2025"})
    copy = Campaign.objects.get(year=2025)
    assert response["Location"] == url("detail", copy)


def test_plan_page_numbers_contents_and_offers_editing(world, campaign):
    PlanBlockFactory(campaign=campaign, section="contents", order=1, text="Tuyên truyền")
    PlanBlockFactory(campaign=campaign, section="contents", order=2, text="Rà soát “hộ”")
    html = world.client("staff").get(url("plan", campaign)).content.decode()
    assert "1. Tuyên truyền" in html and "2. Rà soát “<em>hộ</em>”" in html
    assert "+ Thêm đoạn" in html


def test_leader_reads_the_plan_without_editing(world, campaign):
    PlanBlockFactory(campaign=campaign, text="Mục đích")
    html = world.client("leader1").get(url("plan", campaign)).content.decode()
    assert "Mục đích" in html and "+ Thêm đoạn" not in html and "Ban vận động</a>" not in html


def test_block_added_from_the_page_goes_to_the_end_of_its_section(world, campaign):
    PlanBlockFactory(campaign=campaign, section="purposes", order=1, text="A")
    response = world.client("staff").post(
        url("block_create", campaign), {"section": "purposes", "text": "B"}
    )
    block = PlanBlock.objects.get(text="B")
    assert response["Location"].endswith(f"#doan-{block.pk}") and block.order == 2


def test_block_move_down_from_the_page(world, campaign):
    a = PlanBlockFactory(campaign=campaign, section="purposes", order=1, text="A")
    PlanBlockFactory(campaign=campaign, section="purposes", order=2, text="B")
    world.client("staff").post(url("block_move", campaign, block_pk=a.pk), {"huong": "xuong"})
    a.refresh_from_db()
    assert a.order == 2


def test_a_block_of_another_campaign_is_404(world, campaign, draft_2025):
    block = PlanBlockFactory(campaign=draft_2025)
    response = world.client("staff").get(url("block_edit", campaign, block_pk=block.pk))
    assert response.status_code == 404


def test_board_member_added_with_groups(world, campaign):
    response = world.client("staff").post(
        url("board_create", campaign),
        {"full_name": "Lê Minh Quang", "position": "Chủ tịch Hội CCB",
         "groups": [world.groups[4].pk, world.groups[5].pk], "sub_target": "20.000.000"},
    )  # fmt: skip
    assert response.status_code == 302
    member = campaign.board.get()
    assert member.sub_target == 20_000_000 and member.groups.count() == 2


def test_board_member_edit_is_audited_with_before_and_after(world, campaign):
    member = BoardMemberFactory(campaign=campaign, full_name="A", phone="1")
    world.client("staff").post(
        url("board_edit", campaign, member_pk=member.pk), {"full_name": "A", "phone": "0904"}
    )
    event = AuditEvent.objects.get(action="board_member.update")
    assert event.before["phone"] == "1" and event.after["phone"] == "0904"


def test_targets_page_saves_amounts(world, campaign):
    group = world.groups[3]
    organisation = world.organisations[1]
    response = world.client("committee").post(
        url("targets", campaign),
        {f"group_{group.pk}": "35.000.000", f"organisation_{organisation.pk}": "20.000.000"},
    )
    assert response.status_code == 302
    assert {t.amount for t in campaign.targets.all()} == {35_000_000, 20_000_000}
    html = world.client("supervisor").get(url("targets", campaign)).content.decode()
    assert "35.000.000" in html and "Lưu chỉ tiêu" not in html


def test_targets_page_refuses_bad_money(world, campaign):
    group = world.groups[3]
    response = world.client("staff").post(url("targets", campaign), {f"group_{group.pk}": "1,5"})
    assert response.status_code == 200 and "phần thập phân" in response.content.decode()
    assert not campaign.targets.exists()


def test_overdue_activity_is_highlighted_and_filterable(world, campaign):
    ActivityFactory(campaign=campaign, title="Công khai kết quả", status=Activity.Status.PLANNED,
                    date=D(2024, 11, 25))  # fmt: skip
    ActivityFactory(campaign=campaign, title="Phát thanh trên loa", status=Activity.Status.DONE)
    client = world.client("leader2")
    html = client.get(url("activities", campaign)).content.decode()
    assert 'class="overdue"' in html and "Quá hạn" in html
    html = client.get(url("activities", campaign) + "?status=overdue").content.decode()
    assert "Công khai kết quả" in html and "Phát thanh trên loa" not in html


def test_activity_added_with_dd_mm_yyyy(world, campaign):
    response = world.client("staff").post(
        url("activity_create", campaign),
        {"kind": "launch", "title": "Lễ phát động", "date": "17/10/2024", "status": "planned"},
    )
    assert response.status_code == 302
    assert campaign.activities.get().date == D(2024, 10, 17)


def test_empty_states_say_what_to_do(world):
    html = world.client("staff").get(reverse("campaigns:list")).content.decode()
    assert "Chưa có chiến dịch nào" in html and "Tạo chiến dịch đầu tiên" in html
    campaign = CampaignFactory()
    client = world.client("staff")
    assert "Thêm thành viên đầu tiên" in client.get(url("board", campaign)).content.decode()
    assert "Thêm hoạt động đầu tiên" in client.get(url("activities", campaign)).content.decode()
    assert "Kế hoạch chưa có nội dung" in client.get(url("plan", campaign)).content.decode()


def test_navigation_shows_campaigns_to_leaders(world):
    html = world.client("leader1").get("/quan-ly/").content.decode()
    assert 'href="/quan-ly/chien-dich/"' in html


# ------------------------------------------------------------------ query counts


def _campaigns(n):
    for i in range(n):
        year = 2000 + i
        c = CampaignFactory(
            year=year,
            start_date=D(year, 10, 17),
            end_date=D(year, 11, 18),
            status=Campaign.Status.CLOSED,
        )
        PlanBlockFactory(campaign=c)
        ActivityFactory(campaign=c)


def _count_queries(client, path, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("page", "seed"),
    [
        ("list", lambda c, w, n: _campaigns(n)),
        ("board", lambda c, w, n: [
            BoardMemberFactory(campaign=c, groups=list(w.groups.values())[:3],
                               organisation=w.organisations[0]) for _ in range(n)]),
        ("activities", lambda c, w, n: [
            ActivityFactory(campaign=c, group=w.groups[1]) for _ in range(n)]),
        ("plan", lambda c, w, n: [
            PlanBlockFactory(campaign=c, section=s) for _ in range(n)
            for s in ("purposes", "contents", "board")]),
        ("targets", lambda c, w, n: [
            TargetFactory(campaign=c, group=w.groups[i])
            for i in (range(2, 10) if n > 1 else [1])]),
        ("detail", lambda c, w, n: [ActivityFactory(campaign=c) for _ in range(n)]),
    ],
)  # fmt: skip
def test_page_query_count_does_not_grow_with_rows(world, page, seed, django_assert_num_queries):
    client = world.client("staff")
    campaign = CampaignFactory(year=2030, start_date=D(2030, 10, 1), end_date=D(2030, 11, 1))
    path = reverse("campaigns:list") if page == "list" else url(page, campaign)
    seed(campaign, world, 1)
    few = _count_queries(client, path, django_assert_num_queries)
    seed(campaign, world, 20)
    many = _count_queries(client, path, django_assert_num_queries)
    assert few == many


def test_detail_shows_history_in_words_and_past_end(world, campaign):
    from campaigns import services

    services.campaign_close(actor=world.users["committee"], campaign=campaign)
    services.campaign_reopen(
        actor=world.users["committee"], campaign=campaign, reason="Bổ sung khoản nộp muộn"
    )
    html = world.client("supervisor").get(url("detail", campaign)).content.decode()
    assert "Mở lại chiến dịch" in html and "Bổ sung khoản nộp muộn" in html
    assert "đã qua ngày kết thúc" in html  # today is after 18/11/2024
