"""A group leader's new-household proposal: in the order the leader knows things, the
official decision last and optional, other members and needs in the same form, and every
mistake answered by a Vietnamese message that names the field."""

import re

from django.urls import reverse

from households.models import Category, Household, Member, Need, Proposal

CREATE = reverse("households:create")


def _rows(prefix: str, rows: list[dict], extra: int) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(extra), f"{prefix}-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def _natural(world, **changes) -> dict:
    """Only what a leader knows (and the hidden group the page sends): no official field."""
    data = {
        "group": world.groups[2].pk,
        "head_name": "Đỗ Thị Hằng",
        "head_birth_year": "1944",
        "address": "Số 1 ngõ 3 phố Thể Giao",
        "circumstances": "Cụ sống một mình, đau khớp, không có lương hưu.",
        "difficulty_reasons": ["elderly_alone"],
        **_rows("tv", [{"full_name": "Đỗ Văn Nam", "birth_year": "1975", "relation": "child"}], 4),
        **_rows("nc", [{"type": "house_repair", "estimated_cost": "15.000.000"}], 2),
    }
    data.update(changes)
    return data


def test_the_leaders_form_starts_with_what_the_leader_knows(world):
    html = world.client("leader2").get(CREATE).content.decode()
    order = [html.index(f'name="{name}"') for name in ("head_name", "address", "tv-0-full_name")]
    order += [html.index(f'name="{name}"') for name in ("circumstances", "nc-0-type", "category")]
    assert order == sorted(order)
    # The one group of a leader is not a choice to make.
    assert 'type="hidden" name="group"' in html
    assert "là mục bắt buộc" in html
    assert "---------" not in html
    assert "Quyết định công nhận (nếu hộ đã có)" in html


def test_a_proposal_with_only_the_natural_fields_is_saved_with_members_and_needs(world):
    leader = world.client("leader2")
    response = leader.post(CREATE, _natural(world))
    assert response.status_code == 302, response.content.decode()
    proposal = Proposal.objects.get()
    assert proposal.group == world.groups[2]
    payload = proposal.payload
    assert payload["category"] == Category.NONE and payload["especially_difficult"]
    assert payload["standard"] == ""
    assert payload["members"] == [
        {"full_name": "Đỗ Văn Nam", "birth_year": 1975, "relation": "child"}
    ]
    assert payload["needs"] == [
        {"type": "house_repair", "estimated_cost": 15_000_000, "description": ""}
    ]
    detail = leader.get(reverse("households:proposal_detail", args=[proposal.pk])).content
    assert "Đỗ Văn Nam (sinh năm 1975, Con)" in detail.decode()
    assert "Sửa chữa nhà – 15.000.000\xa0đ" in detail.decode()

    response = world.client("staff").post(
        reverse("households:proposal_accept", args=[proposal.pk]), {"xac_nhan": "1"}
    )
    assert response.status_code == 302
    household = Household.objects.get()
    assert set(household.members.values_list("full_name", "relation")) == {
        ("Đỗ Thị Hằng", Member.Relation.HEAD),
        ("Đỗ Văn Nam", Member.Relation.CHILD),
    }
    need = Need.objects.get(household=household)
    assert (need.type, need.estimated_cost) == ("house_repair", 15_000_000)


def test_a_proposal_without_the_member_and_need_lists_is_still_read(world):
    data = {k: v for k, v in _natural(world).items() if not k.startswith(("tv-", "nc-"))}
    assert world.client("leader2").post(CREATE, data).status_code == 302
    assert Proposal.objects.get().payload["members"] == []


def test_the_default_classification_never_refuses_the_proposal(world):
    """The untouched official part (not recognised) with a reason of difficulty is fine;
    without any reason the message points at the reasons, never at leaving the list."""
    response = world.client("leader2").post(CREATE, _natural(world, difficulty_reasons=[]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "ra khỏi danh sách" not in html
    assert "hãy chọn ít nhất một lý do khó khăn" in html
    officially = _natural(world, difficulty_reasons=[], category=Category.NEAR_POOR)
    assert world.client("leader2").post(CREATE, officially).status_code == 302


def _errors(html: str) -> str:
    return " ".join(re.findall(r'id="error_\d+_id_[^"]+"[^>]*>\s*<strong>(.*?)</strong>', html))


def test_hostile_values_get_specific_messages_naming_the_field(world):
    hostile = _natural(
        world,
        head_name="A" * 101,
        head_birth_year="19a4",
        address="",
        circumstances="",
        decision_year="năm ngoái",
        **_rows(
            "tv",
            [
                {"full_name": "Đỗ Văn Nam", "birth_year": "2999"},
                {"birth_year": "1990"},
            ],
            4,
        ),
        **_rows("nc", [{"type": "house_repair", "estimated_cost": "mười triệu"}], 2),
    )
    response = world.client("leader2").post(CREATE, hostile)
    html = response.content.decode()
    errors = _errors(html)
    assert response.status_code == 200
    assert "Họ tên chủ hộ dài quá: tối đa 100 ký tự (đang có 101)." in errors
    assert "Năm sinh chủ hộ phải là số nguyên" in errors
    assert "Hãy nhập địa chỉ." in errors
    assert "Hãy nhập hoàn cảnh của hộ." in errors
    assert "Năm quyết định phải là số nguyên" in errors
    assert "Năm sinh không được ở tương lai." in errors
    assert "Hãy nhập họ tên thành viên" in errors
    assert "Dự toán (đồng) không hợp lệ: chỉ nhập chữ số, ví dụ 1.500.000" in errors
    assert "Phần thành viên có ô chưa đúng" in html
    assert "Trường này là bắt buộc" not in html
    assert not Proposal.objects.exists()
