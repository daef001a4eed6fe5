"""The register's services, called directly: rules, rights, audit, and unhappy paths."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from households import services
from households.models import Category, Household, Member, Need, Proposal, Review
from households.selectors import household_timeline
from lddh.ward.models import AuditEvent
from tests.factories import CampaignFactory, HouseholdFactory, NeedFactory


def _create(world, **overrides):
    data = {
        "actor": world.users["staff"],
        "group": world.groups[2],
        "head_name": "Trần Văn Bình",
        "head_birth_year": 1960,
        "address": "Số 5 ngõ 12 phố Tuệ Tĩnh",
        "category": Category.NEAR_POOR,
    }
    return services.household_create(**{**data, **overrides})


def _events(obj, action=None):
    qs = AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return qs.filter(action=action) if action else qs


def test_staff_creates_a_household_with_its_head_as_member_and_an_audit_event(world):
    household = _create(world, head_cccd="001 060 012 345", phone="0912 000 111")
    assert household.head_cccd == "001060012345"
    head = household.members.get()
    assert (head.relation, head.full_name, head.birth_year) == ("head", "Trần Văn Bình", 1960)
    event = _events(household, "household.create").get()
    assert event.actor_name == "canbo"
    assert event.after["category"] == "near_poor"


def test_the_audit_log_never_holds_a_cccd_or_phone(world):
    household = _create(world, head_cccd="001060012345", phone="0912000111")
    services.household_update(
        actor=world.users["staff"],
        household=household,
        head_name=household.head_name,
        address=household.address,
        head_birth_year=1960,
        circumstances="",
        income_per_person=None,
        plan_goal="",
        head_cccd="001060099999",
        phone="0988000111",
    )
    dumped = json.dumps([[e.before, e.after] for e in AuditEvent.objects.all()])
    for secret in ("001060012345", "001060099999", "0912000111", "0988000111"):
        assert secret not in dumped
    update = _events(household, "household.update").get()
    assert update.after["head_cccd"] == "(giá trị mới)"


@pytest.mark.parametrize("cccd", ["12345", "00106001234a", "0010600123456"])
def test_a_cccd_that_is_not_12_digits_is_refused_and_nothing_is_written(world, cccd):
    with pytest.raises(ValidationError) as exc:
        _create(world, head_cccd=cccd)
    assert exc.value.message_dict["head_cccd"] == ["Số CCCD phải gồm đúng 12 chữ số."]
    assert not Household.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_birth_year_in_the_future_is_refused(world):
    next_year = datetime.date.today().year + 1
    with pytest.raises(ValidationError) as exc:
        _create(world, head_birth_year=next_year)
    assert exc.value.message_dict["head_birth_year"] == ["Năm sinh không được ở tương lai."]


def test_a_duplicate_household_is_found_without_diacritics_or_case(world):
    _create(world, head_name="Trần Văn Bình")
    with pytest.raises(ValidationError) as exc:
        _create(world, head_name="  tran van  BINH ", address="Địa chỉ khác")
    assert "đã có trong danh sách" in exc.value.message_dict["head_name"][0]
    assert Household.objects.count() == 1
    # Same name and year in another group is another person.
    _create(world, group=world.groups[5])


def test_a_cccd_is_unique_across_the_ward(world):
    _create(world, head_cccd="001060012345")
    with pytest.raises(ValidationError) as exc:
        _create(world, head_name="Lê Thị Hoa", group=world.groups[7], head_cccd="001060012345")
    assert exc.value.message_dict["head_cccd"] == ["Số CCCD này đã có trong danh sách."]


def test_a_leader_cannot_create_or_classify_directly(world):
    with pytest.raises(PermissionDenied):
        _create(world, actor=world.users["leader2"])
    household = HouseholdFactory(group=world.groups[2])
    with pytest.raises(PermissionDenied):
        services.household_classify(
            actor=world.users["leader2"], household=household, category=Category.POOR
        )
    with pytest.raises(PermissionDenied):
        services.household_exit(
            actor=world.users["leader2"],
            household=household,
            exit_date=datetime.date(2024, 11, 1),
            reason="x",
        )


def test_a_leader_edits_own_group_but_not_another_nor_the_cccd(world):
    household = HouseholdFactory(group=world.groups[2])
    common = {
        "household": household,
        "head_name": household.head_name,
        "address": "Số mới",
        "head_birth_year": 1955,
        "circumstances": "",
        "income_per_person": 1_200_000,
        "plan_goal": "",
    }
    services.household_update(actor=world.users["leader2"], **common)
    household.refresh_from_db()
    assert household.address == "Số mới"
    with pytest.raises(PermissionDenied):
        services.household_update(actor=world.users["leader1"], **common)
    with pytest.raises(PermissionDenied):
        services.household_update(actor=world.users["leader2"], head_cccd="001060012345", **common)
    with pytest.raises(PermissionDenied):
        services.household_update(actor=world.users["treasurer"], **common)


def test_a_leaders_category_change_waits_for_staff_and_both_steps_are_in_history(world):
    household = HouseholdFactory(group=world.groups[2], category=Category.NEAR_POOR)
    proposal = services.proposal_submit(
        actor=world.users["leader2"],
        kind=Proposal.Kind.CLASSIFY,
        group=world.groups[2],
        household=household,
        payload={"category": Category.NONE, "especially_difficult": True,
                 "difficulty_reasons": ["serious_illness"]},
        note="Chồng bị ung thư",
    )  # fmt: skip
    household.refresh_from_db()
    assert household.category == Category.NEAR_POOR  # not applied yet
    assert proposal.before["category"] == "near_poor"
    services.proposal_accept(actor=world.users["staff"], proposal=proposal)
    household.refresh_from_db()
    assert household.category == Category.NONE and household.especially_difficult
    applied = _events(household, "household.classify").get()
    assert applied.before["category"] == "near_poor" and applied.after["category"] == "none"
    assert f"đề xuất số {proposal.pk}" in applied.note
    titles = [entry.title for entry in household_timeline(household)]
    assert "Thay đổi phân loại" in titles
    assert f"Gửi đề xuất số {proposal.pk}" in titles
    assert f"Phường chấp nhận đề xuất số {proposal.pk}" in titles


def test_a_proposer_never_accepts_their_own_proposal(world, campaign):
    household = HouseholdFactory(group=world.groups[2])
    services.review_record(
        actor=world.users["staff"],
        campaign=campaign,
        household=household,
        outcome=Review.Outcome.EXIT,
        note="Đã chuyển đi",
    )
    proposal = Proposal.objects.get(kind=Proposal.Kind.EXIT)
    with pytest.raises(ValidationError, match="không được tự duyệt"):
        services.proposal_accept(actor=world.users["staff"], proposal=proposal)
    services.proposal_accept(actor=world.users["committee"], proposal=proposal)
    household.refresh_from_db()
    assert household.status == Household.Status.EXITED and household.exit_date


def test_a_returned_proposal_changes_nothing_and_cannot_be_accepted_later(world):
    household = HouseholdFactory(group=world.groups[2])
    proposal = services.proposal_submit(
        actor=world.users["leader2"],
        kind=Proposal.Kind.EXIT,
        group=world.groups[2],
        household=household,
        payload={"exit_date": datetime.date(2024, 11, 1), "exit_reason": "Chuyển đi"},
    )
    with pytest.raises(ValidationError):
        services.proposal_return(actor=world.users["staff"], proposal=proposal, reason=" ")
    services.proposal_return(actor=world.users["staff"], proposal=proposal, reason="Chưa đúng")
    with pytest.raises(ValidationError, match="đã được xử lý"):
        services.proposal_accept(actor=world.users["committee"], proposal=proposal)
    household.refresh_from_db()
    assert household.is_active
    with pytest.raises(PermissionDenied):
        services.proposal_return(actor=world.users["leader2"], proposal=proposal, reason="x")


def test_a_new_household_proposal_creates_it_on_acceptance_and_refuses_a_duplicate(world):
    payload = {
        "head_name": "Phạm Thị Sen",
        "head_birth_year": 1941,
        "address": "Số 3 ngõ 7 phố Thể Giao",
        "category": Category.NONE,
        "especially_difficult": True,
        "difficulty_reasons": ["elderly_alone"],
    }
    proposal = services.proposal_submit(
        actor=world.users["leader2"],
        kind=Proposal.Kind.NEW,
        group=world.groups[2],
        payload=payload,
    )
    assert not Household.objects.exists()
    with pytest.raises(ValidationError, match="đang chờ duyệt"):
        services.proposal_submit(
            actor=world.users["leader2"],
            kind=Proposal.Kind.NEW,
            group=world.groups[2],
            payload={**payload, "head_name": "pham thi sen"},
        )
    with pytest.raises(PermissionDenied):
        services.proposal_submit(
            actor=world.users["leader1"],
            kind=Proposal.Kind.NEW,
            group=world.groups[2],
            payload=payload,
        )
    proposal = services.proposal_accept(actor=world.users["committee"], proposal=proposal)
    household = proposal.household
    assert household.head_name == "Phạm Thị Sen" and household.group == world.groups[2]
    assert household.difficulty_reasons == ["elderly_alone"]


def test_a_proposal_with_invalid_content_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.proposal_submit(
            actor=world.users["leader2"],
            kind=Proposal.Kind.NEW,
            group=world.groups[2],
            payload={"head_name": "A", "head_birth_year": 2999, "address": "x",
                     "category": "near_poor"},
        )  # fmt: skip
    assert "head_birth_year" in exc.value.message_dict
    assert not Proposal.objects.exists()


def test_review_rounds_record_outcomes_and_complete_only_when_all_are_reviewed(world, campaign):
    first, second = HouseholdFactory.create_batch(2, group=world.groups[2])
    leader = world.users["leader2"]
    services.review_record(
        actor=leader, campaign=campaign, household=first, outcome=Review.Outcome.CONFIRMED
    )
    with pytest.raises(ValidationError) as exc:
        services.review_record(
            actor=leader, campaign=campaign, household=second, outcome=Review.Outcome.CHANGED
        )
    assert "note" in exc.value.message_dict
    with pytest.raises(ValidationError, match="Còn 1 hộ"):
        services.review_round_complete(actor=leader, campaign=campaign, group=world.groups[2])
    services.review_record(
        actor=leader,
        campaign=campaign,
        household=second,
        outcome=Review.Outcome.CHANGED,
        note="Thêm nhu cầu sửa nhà",
    )
    # Recording again replaces the outcome (one review per household and round).
    services.review_record(
        actor=leader, campaign=campaign, household=first, outcome=Review.Outcome.CONFIRMED
    )
    assert Review.objects.count() == 2
    review_round = services.review_round_complete(
        actor=leader, campaign=campaign, group=world.groups[2]
    )
    assert review_round.completed_by == leader
    with pytest.raises(ValidationError, match="hoàn thành"):
        services.review_record(
            actor=leader, campaign=campaign, household=first, outcome=Review.Outcome.CONFIRMED
        )
    with pytest.raises(PermissionDenied):
        services.review_record(
            actor=world.users["leader1"],
            campaign=campaign,
            household=first,
            outcome=Review.Outcome.CONFIRMED,
        )


def test_a_closed_campaign_takes_no_more_reviews(world):
    campaign = CampaignFactory(status="closed")
    household = HouseholdFactory(group=world.groups[2])
    with pytest.raises(ValidationError, match="kết thúc"):
        services.review_record(
            actor=world.users["staff"],
            campaign=campaign,
            household=household,
            outcome=Review.Outcome.CONFIRMED,
        )


def test_an_exit_review_files_one_exit_proposal(world, campaign):
    household = HouseholdFactory(group=world.groups[2])
    for _ in range(2):
        services.review_record(
            actor=world.users["leader2"],
            campaign=campaign,
            household=household,
            outcome=Review.Outcome.EXIT,
            note="Đã thoát cận nghèo",
        )
    proposal = Proposal.objects.get()
    assert proposal.kind == Proposal.Kind.EXIT and proposal.campaign == campaign
    assert proposal.payload["exit_reason"] == "Đã thoát cận nghèo"


def test_members_health_notes_are_for_office_staff_only(world):
    household = HouseholdFactory(group=world.groups[2])
    with pytest.raises(PermissionDenied):
        services.member_add(
            actor=world.users["leader2"], household=household, full_name="A", health_note="x"
        )
    member = services.member_add(
        actor=world.users["leader2"],
        household=household,
        full_name="Trần Thị Hoa",
        birth_year=2012,
        relation=Member.Relation.CHILD,
        is_student=True,
        school="THCS Ngô Gia Tự",
    )
    with pytest.raises(ValidationError):
        services.member_update(actor=world.users["leader2"], member=member, birth_year=2999)
    services.member_update(actor=world.users["staff"], member=member, health_note="Hen suyễn")
    event = _events(household, "household.member_update").get()
    assert "Hen suyễn" not in json.dumps(event.after)
    household.refresh_from_db()
    assert "tran thi hoa" in household.search_key


def test_the_head_member_cannot_be_removed(world):
    household = _create(world)
    with pytest.raises(ValidationError):
        services.member_remove(actor=world.users["staff"], member=household.members.get())


def test_needs_and_plan_items_are_audited_on_the_household(world):
    household = HouseholdFactory(group=world.groups[2])
    need = services.need_add(
        actor=world.users["leader2"],
        household=household,
        type="house_repair",
        description="Mái dột",
        estimated_cost=60_000_000,
    )
    with pytest.raises(ValidationError):
        services.need_update(actor=world.users["leader2"], need=need, estimated_cost=-1)
    services.plan_item_add(
        actor=world.users["leader2"],
        household=household,
        action="Khảo sát",
        responsible="Ban công tác Mặt trận tổ 2",
        need=need,
    )
    need.refresh_from_db()
    assert need.status == Need.Status.PLANNED
    other = NeedFactory(household=HouseholdFactory(group=world.groups[2]))
    with pytest.raises(ValidationError):
        services.plan_item_add(
            actor=world.users["leader2"],
            household=household,
            action="x",
            responsible="y",
            need=other,
        )
    actions = set(_events(household).values_list("action", flat=True))
    assert {"household.need_add", "household.plan_add", "household.need_update"} <= actions


def test_exit_needs_a_reason_and_a_date_not_in_the_future(world):
    household = HouseholdFactory(group=world.groups[2])
    with pytest.raises(ValidationError) as exc:
        services.household_exit(
            actor=world.users["staff"],
            household=household,
            exit_date=datetime.date.today() + datetime.timedelta(days=3),
            reason="",
        )
    assert set(exc.value.message_dict) == {"exit_date", "exit_reason"}
    services.household_exit(
        actor=world.users["staff"],
        household=household,
        exit_date=datetime.date(2024, 12, 1),
        reason="Thoát cận nghèo",
    )
    with pytest.raises(ValidationError):
        services.household_exit(
            actor=world.users["staff"],
            household=household,
            exit_date=datetime.date(2024, 12, 1),
            reason="again",
        )
    services.household_reactivate(actor=world.users["staff"], household=household, note="Ốm lại")
    household.refresh_from_db()
    assert household.is_active and household.exit_date is None


def test_classification_rules(world):
    household = HouseholdFactory(group=world.groups[2])
    with pytest.raises(ValidationError) as exc:
        services.household_classify(
            actor=world.users["staff"],
            household=household,
            category=Category.NONE,
            especially_difficult=False,
        )
    assert "difficulty_reasons" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.household_classify(
            actor=world.users["staff"],
            household=household,
            category=Category.NEAR_POOR,
            especially_difficult=True,
        )
    assert "difficulty_reasons" in exc.value.message_dict
