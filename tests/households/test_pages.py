"""The register's pages: scope, privacy, proposals through the browser's forms, lists."""

import pytest
from django.urls import reverse

from households.models import Category, Household, Proposal
from lddh.ward.models import AuditEvent
from tests.factories import (
    CampaignFactory,
    HouseholdFactory,
    MemberFactory,
    NeedFactory,
    PlanItemFactory,
    ProposalFactory,
)

LIST = reverse("households:list")


READ, WRITE, POST = "read", "write", "post"


def _object_urls(household, campaign):
    """(url, kind): READ pages answer GET only; WRITE pages GET and POST; POST only POST."""
    member = MemberFactory(household=household)
    need = NeedFactory(household=household)
    item = PlanItemFactory(household=household)
    proposal = ProposalFactory(household=household)
    pk, group = household.pk, household.group_id
    return [
        (reverse("households:detail", args=[pk]), READ),
        (reverse("households:sensitive", args=[pk]), READ),
        (reverse("households:edit", args=[pk]), WRITE),
        (reverse("households:classify", args=[pk]), WRITE),
        (reverse("households:exit", args=[pk]), WRITE),
        (reverse("households:reactivate", args=[pk]), WRITE),
        (reverse("households:member_add", args=[pk]), WRITE),
        (reverse("households:member_edit", args=[pk, member.pk]), WRITE),
        (reverse("households:member_delete", args=[pk, member.pk]), POST),
        (reverse("households:need_add", args=[pk]), WRITE),
        (reverse("households:need_edit", args=[pk, need.pk]), WRITE),
        (reverse("households:plan_add", args=[pk]), WRITE),
        (reverse("households:plan_edit", args=[pk, item.pk]), WRITE),
        (reverse("households:proposal_detail", args=[proposal.pk]), READ),
        (reverse("households:proposal_accept", args=[proposal.pk]), POST),
        (reverse("households:proposal_return", args=[proposal.pk]), POST),
        (reverse("households:review_group", args=[campaign.pk, group]), READ),
        (reverse("households:review_record", args=[campaign.pk, pk]), POST),
        (reverse("households:review_complete", args=[campaign.pk, group]), POST),
    ]


def test_leader_of_group_3_cannot_reach_a_group_4_household_by_any_url(
    world, leader3_client, campaign
):
    household = HouseholdFactory(group=world.groups[4], head_name="Hoàng Văn Tư")
    for url, kind in _object_urls(household, campaign):
        if kind != POST:
            assert leader3_client.get(url).status_code == 404, url
        # A page that only reads answers any POST with 405 before looking anything up.
        expected = 405 if kind == READ else 404
        assert leader3_client.post(url, {"outcome": "confirmed"}).status_code == expected, url
    for url in (LIST, reverse("households:export"), reverse("households:reviews")):
        response = leader3_client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200
        assert "Hoàng Văn Tư".encode() not in body
    household.refresh_from_db()
    changes = AuditEvent.objects.filter(actor_name="to3").exclude(action__startswith="auth.")
    assert household.is_active and not changes.exists()


def test_leader_never_sees_a_cccd_or_phone(world, household2, leader2_client):
    for url in (
        reverse("households:detail", args=[household2.pk]),
        reverse("households:edit", args=[household2.pk]),
        LIST,
    ):
        html = leader2_client.get(url).content.decode()
        assert "001150012345" not in html and "0912345678" not in html, url
    assert (
        leader2_client.get(reverse("households:sensitive", args=[household2.pk])).status_code == 403
    )
    response = leader2_client.get(reverse("households:export") + "?ca_nhan=1")
    body = b"".join(response.streaming_content)
    assert b"001150012345" not in body


def test_staff_see_personal_data_only_on_request_and_every_view_is_logged(world, household2):
    client = world.client("staff")
    detail = client.get(reverse("households:detail", args=[household2.pk])).content.decode()
    assert "001150012345" not in detail
    assert not AuditEvent.objects.filter(action="household.view_sensitive").exists()
    page = client.get(reverse("households:sensitive", args=[household2.pk])).content.decode()
    assert "001150012345" in page and "0912345678" in page
    client.get(reverse("households:edit", args=[household2.pk]))
    events = AuditEvent.objects.filter(
        action="household.view_sensitive", object_id=str(household2.pk)
    )
    assert events.count() == 2
    assert {e.actor_name for e in events} == {"canbo"}
    # The supervisor sees who looked, not what they saw.
    html = world.client("supervisor").get(reverse("households:detail", args=[household2.pk]))
    assert "Lượt xem thông tin cá nhân" in html.content.decode()
    assert "001150012345" not in html.content.decode()


def test_bad_input_gets_vietnamese_messages_next_to_the_field_and_keeps_the_input(world):
    client = world.client("staff")
    response = client.post(
        reverse("households:create"),
        {
            "group": world.groups[2].pk,
            "head_name": "Trần Thị Mơ",
            "head_birth_year": "2999",
            "address": "Số 9 phố Mai Hắc Đế",
            "head_cccd": "12345",
            "category": Category.NEAR_POOR,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Số CCCD phải gồm đúng 12 chữ số." in html
    assert "Năm sinh không được ở tương lai." in html
    assert 'value="Trần Thị Mơ"' in html and 'value="Số 9 phố Mai Hắc Đế"' in html
    assert not Household.objects.exists()


def test_a_duplicate_household_is_refused_with_a_message(world):
    HouseholdFactory(group=world.groups[2], head_name="Lê Văn Tám", head_birth_year=1950)
    response = world.client("staff").post(
        reverse("households:create"),
        {
            "group": world.groups[2].pk,
            "head_name": "le van tam",
            "head_birth_year": "1950",
            "address": "x",
            "category": Category.NEAR_POOR,
        },
    )
    assert "đã có trong danh sách" in response.content.decode()
    assert Household.objects.count() == 1


def test_leader_category_change_is_a_proposal_until_staff_accept(world, household2):
    leader = world.client("leader2")
    url = reverse("households:classify", args=[household2.pk])
    response = leader.post(
        url,
        {
            "category": Category.NONE,
            "especially_difficult": "on",
            "difficulty_reasons": ["serious_illness"],
            "note": "Chồng bị ung thư, họp tổ thống nhất",
        },
    )
    assert response.status_code == 302
    household2.refresh_from_db()
    assert household2.category == Category.NEAR_POOR
    proposal = Proposal.objects.get()
    detail = leader.get(reverse("households:detail", args=[household2.pk])).content.decode()
    assert "đang chờ phường duyệt" in detail
    accept = reverse("households:proposal_accept", args=[proposal.pk])
    review = world.client("staff").post(accept)
    assert review.status_code == 200 and "Xác nhận chấp nhận và áp dụng" in review.content.decode()
    household2.refresh_from_db()
    assert household2.category == Category.NEAR_POOR  # the review step writes nothing
    response = world.client("staff").post(accept, {"xac_nhan": "1"})
    assert response.status_code == 302
    household2.refresh_from_db()
    assert household2.category == Category.NONE
    history = leader.get(reverse("households:detail", args=[household2.pk])).content.decode()
    assert "Gửi đề xuất số" in history and "Thay đổi phân loại" in history
    assert "<del>Hộ cận nghèo</del> → Chưa được công nhận" in history


def test_leader_proposes_a_new_household_from_the_phone_form(world):
    leader = world.client("leader2")
    form = leader.get(reverse("households:create")).content.decode()
    assert 'name="head_cccd"' not in form and 'name="phone"' not in form
    response = leader.post(
        reverse("households:create"),
        {
            "group": world.groups[2].pk,
            "head_name": "Đỗ Thị Hằng",
            "head_birth_year": "1944",
            "address": "Số 1 ngõ 3 phố Thể Giao",
            "circumstances": "Cụ sống một mình, không có lương hưu.",
            "category": Category.NONE,
            "especially_difficult": "on",
            "difficulty_reasons": ["elderly_alone"],
            "note": "Cụ sống một mình",
        },
    )
    assert response.status_code == 302
    assert not Household.objects.exists()
    assert Proposal.objects.get().payload["head_name"] == "Đỗ Thị Hằng"


def test_leader_updates_a_need_of_their_group(world, household2):
    need = NeedFactory(household=household2)
    response = world.client("leader2").post(
        reverse("households:need_edit", args=[household2.pk, need.pk]),
        {
            "type": "house_repair",
            "description": "Mái tôn thủng",
            "estimated_cost": "65.000.000",
            "priority": 1,
            "status": "open",
        },
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.estimated_cost == 65_000_000 and need.priority == 1


def test_read_only_roles_cannot_write(world, household2):
    for persona in ("treasurer", "supervisor"):
        client = world.client(persona)
        assert client.get(reverse("households:detail", args=[household2.pk])).status_code == 200
        url = reverse("households:need_add", args=[household2.pk])
        assert client.post(url, {"type": "loan"}).status_code == 403


def test_the_level_above_does_not_find_a_household(world, household2):
    client = world.client("higher")
    assert client.get(reverse("households:detail", args=[household2.pk])).status_code == 404
    url = reverse("households:need_add", args=[household2.pk])
    assert client.post(url, {"type": "loan"}).status_code == 404
    assert household2.head_name not in client.get(reverse("households:list")).content.decode()


def test_search_ignores_diacritics_and_case(world):
    HouseholdFactory(group=world.groups[2], head_name="Nguyễn Thị Đào")
    HouseholdFactory(group=world.groups[2], head_name="Trần Văn Hùng")
    client = world.client("staff")
    for query in ("nguyen thi dao", "ĐÀO", "dao", "Nguyễn"):
        html = client.get(LIST, {"q": query}).content.decode()
        assert "Nguyễn Thị Đào" in html and "Trần Văn Hùng" not in html, query


def test_list_filters_and_counts(world):
    sick = HouseholdFactory(
        group=world.groups[2],
        head_name="Vũ Thị Ốm",
        especially_difficult=True,
        difficulty_reasons=["serious_illness"],
        category=Category.NONE,
    )
    NeedFactory(household=sick, type="serious_illness")
    HouseholdFactory(group=world.groups[3], head_name="Lý Văn Khỏe")
    client = world.client("staff")
    by_need = client.get(LIST, {"nhu_cau": "serious_illness"})
    assert by_need.context["counts"]["total"] == 1
    assert "Vũ Thị Ốm" in by_need.content.decode()
    by_group = client.get(LIST, {"to": world.groups[3].pk}).content.decode()
    assert "Lý Văn Khỏe" in by_group and "Vũ Thị Ốm" not in by_group
    difficult = client.get(LIST, {"phan_loai": "difficult"})
    assert difficult.context["counts"] == {"total": 1, "poor": 0, "near_poor": 0, "difficult": 1}
    leader = world.client("leader2").get(LIST).content.decode()
    assert "Vũ Thị Ốm" in leader and "Lý Văn Khỏe" not in leader


def test_empty_list_says_what_to_do(world):
    assert "nhập danh sách từ Excel" in world.client("staff").get(LIST).content.decode()
    assert "đề xuất hộ mới" in world.client("leader1").get(LIST).content.decode()


@pytest.mark.parametrize("persona", ["staff", "leader2"])
def test_list_query_count_does_not_grow_with_households(world, django_assert_num_queries, persona):
    client = world.client(persona)

    def make(n):
        for household in HouseholdFactory.create_batch(n, group=world.groups[2]):
            MemberFactory(household=household)
            NeedFactory(household=household)

    make(3)
    client.get(LIST)  # warm the session and the caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    make(27)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["page_obj"].object_list) == 25


def test_review_pages_show_progress_and_record_outcomes(world, household2):
    campaign = CampaignFactory()
    leader = world.client("leader2")
    url = reverse("households:review_record", args=[campaign.pk, household2.pk])
    assert leader.post(url, {"outcome": "confirmed"}).status_code == 302
    page = leader.get(reverse("households:review_group", args=[campaign.pk, world.groups[2].pk]))
    assert page.context["progress"].reviewed == 1
    overview = world.client("staff").get(reverse("households:reviews"))
    rows = {p.group.number: p for p in overview.context["progress"]}
    assert (rows[2].reviewed, rows[2].households) == (1, 1)
    assert len(world.client("leader2").get(reverse("households:reviews")).context["progress"]) == 1


def test_reviews_without_any_campaign_explain_what_to_do(world):
    html = world.client("staff").get(reverse("households:reviews")).content.decode()
    assert "Chưa có chiến dịch nào" in html


def test_a_proposal_filter_the_list_cannot_use_is_named_not_ignored(world):
    staff = world.client("staff")
    url = reverse("households:proposals") + "?trang_thai=bogus&ngay=31/02&cua_toi=yes"
    page = staff.get(url).content.decode()
    assert "Chưa lọc được danh sách" in page
    assert "Trạng thái “bogus” không có" in page
    assert "Số ngày “31/02” phải là số nguyên từ 1 đến 3660." in page
    assert "“Đề xuất của tôi” chỉ nhận giá trị 1, không nhận “yes”." in page
    clean = staff.get(reverse("households:proposals") + "?trang_thai=all&ngay=30&cua_toi=1")
    assert "Chưa lọc được danh sách" not in clean.content.decode()
