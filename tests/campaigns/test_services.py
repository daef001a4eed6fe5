import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from campaigns import services
from campaigns.models import Activity, BoardMember, Campaign, PlanBlock, Target
from lddh.ward.models import AuditEvent
from tests.factories import (
    ActivityFactory,
    BoardMemberFactory,
    CampaignFactory,
    PlanBlockFactory,
    TargetFactory,
)

D = datetime.date


def _data(**overrides):
    return {
        "year": 2026,
        "name": "Tháng cao điểm “Vì người nghèo” năm 2026",
        "start_date": D(2026, 10, 17),
        "end_date": D(2026, 11, 18),
        "target": 700_000_000,
        **overrides,
    }


def _events(action):
    return AuditEvent.objects.filter(action=action)


# ------------------------------------------------------------------ create and update


def test_staff_creates_a_draft_and_it_is_audited(staff):
    campaign = services.campaign_create(actor=staff, data=_data())
    assert campaign.status == Campaign.Status.DRAFT
    event = _events("campaign.create").get()
    assert event.actor == staff and event.after["target"] == 700_000_000


def test_end_before_start_is_refused_and_nothing_is_created(staff):
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(
            actor=staff, data=_data(start_date=D(2026, 11, 18), end_date=D(2026, 10, 17))
        )
    assert "Ngày kết thúc (17/10/2026) phải sau" in exc.value.message_dict["end_date"][0]
    assert not Campaign.objects.exists() and not AuditEvent.objects.exists()


def test_negative_target_is_refused(staff, campaign):
    with pytest.raises(ValidationError) as exc:
        services.campaign_update(actor=staff, campaign=campaign, data={"target": -1})
    assert "không âm" in exc.value.message_dict["target"][0]
    campaign.refresh_from_db()
    assert campaign.target == 500_000_000
    assert not _events("campaign.update").exists()


def test_overlapping_period_is_refused(staff, campaign):
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(
            actor=staff,
            data=_data(year=2024, start_date=D(2024, 11, 1), end_date=D(2024, 12, 31)),
        )
    message = exc.value.message_dict["__all__"][0]
    assert "trùng với chiến dịch" in message and "17/10/2024–18/11/2024" in message
    assert Campaign.objects.count() == 1


def test_touching_periods_are_refused_but_adjacent_ones_are_fine(staff, campaign):
    with pytest.raises(ValidationError):
        services.campaign_create(
            actor=staff, data=_data(start_date=D(2024, 11, 18), end_date=D(2024, 12, 1))
        )
    services.campaign_create(
        actor=staff, data=_data(start_date=D(2024, 11, 19), end_date=D(2024, 12, 1))
    )


def test_update_may_keep_its_own_period(staff, campaign):
    services.campaign_update(actor=staff, campaign=campaign, data={"end_date": D(2024, 11, 20)})
    campaign.refresh_from_db()
    assert campaign.end_date == D(2024, 11, 20)
    event = _events("campaign.update").get()
    assert event.before == {"end_date": "2024-11-18"}
    assert event.after == {"end_date": "2024-11-20"}


def test_update_without_a_change_writes_no_event(staff, campaign):
    services.campaign_update(actor=staff, campaign=campaign, data={"target": campaign.target})
    assert not _events("campaign.update").exists()


def test_treasurer_cannot_edit(world, campaign):
    with pytest.raises(PermissionDenied):
        services.campaign_update(actor=world.users["treasurer"], campaign=campaign, data={})


# ------------------------------------------------------------------ status workflow


def test_only_the_committee_activates(staff, draft_2025):
    with pytest.raises(PermissionDenied):
        services.campaign_activate(actor=staff, campaign=draft_2025)
    draft_2025.refresh_from_db()
    assert draft_2025.status == Campaign.Status.DRAFT


def test_second_active_campaign_is_refused(committee, campaign, draft_2025):
    with pytest.raises(ValidationError) as exc:
        services.campaign_activate(actor=committee, campaign=draft_2025)
    assert "đang được triển khai" in exc.value.messages[0]
    assert campaign.name in exc.value.messages[0]
    draft_2025.refresh_from_db()
    assert draft_2025.status == Campaign.Status.DRAFT
    assert not _events("campaign.activate").exists()


def test_committee_activates_when_no_other_is_active(committee, campaign, draft_2025):
    services.campaign_close(actor=committee, campaign=campaign)
    services.campaign_activate(actor=committee, campaign=draft_2025)
    draft_2025.refresh_from_db()
    assert draft_2025.status == Campaign.Status.ACTIVE
    event = _events("campaign.activate").get()
    assert (event.before, event.after) == ({"status": "draft"}, {"status": "active"})


def test_activating_twice_is_refused(committee, campaign):
    with pytest.raises(ValidationError, match="dự thảo"):
        services.campaign_activate(actor=committee, campaign=campaign)


def test_close_and_reopen_with_reason_are_audited(committee, campaign):
    services.campaign_close(actor=committee, campaign=campaign, note="Hết tháng cao điểm")
    assert campaign.is_closed
    assert _events("campaign.close").get().note == "Hết tháng cao điểm"

    services.campaign_reopen(
        actor=committee, campaign=campaign, reason="Bổ sung khoản ủng hộ nộp muộn của tổ 3"
    )
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.ACTIVE
    event = _events("campaign.reopen").get()
    assert event.note == "Bổ sung khoản ủng hộ nộp muộn của tổ 3"
    assert (event.before, event.after) == ({"status": "closed"}, {"status": "active"})


@pytest.mark.parametrize("reason", ["", "   ", "sửa"])
def test_reopen_needs_a_reason(committee, campaign, reason):
    services.campaign_close(actor=committee, campaign=campaign)
    with pytest.raises(ValidationError) as exc:
        services.campaign_reopen(actor=committee, campaign=campaign, reason=reason)
    assert "lý do" in exc.value.message_dict["reason"][0]
    campaign.refresh_from_db()
    assert campaign.is_closed


def test_reopen_is_refused_while_another_campaign_is_active(committee, campaign, draft_2025):
    services.campaign_close(actor=committee, campaign=campaign)
    services.campaign_activate(actor=committee, campaign=draft_2025)
    with pytest.raises(ValidationError, match="đang được triển khai"):
        services.campaign_reopen(
            actor=committee, campaign=campaign, reason="Sửa sai sót số liệu tổ 5"
        )


def test_staff_cannot_close_or_reopen(staff, committee, campaign):
    with pytest.raises(PermissionDenied):
        services.campaign_close(actor=staff, campaign=campaign)
    services.campaign_close(actor=committee, campaign=campaign)
    with pytest.raises(PermissionDenied):
        services.campaign_reopen(actor=staff, campaign=campaign, reason="Một lý do đủ dài")


# ------------------------------------------------------------------ closed is read-only


@pytest.fixture
def closed(committee, campaign):
    PlanBlockFactory(campaign=campaign)
    BoardMemberFactory(campaign=campaign)
    ActivityFactory(campaign=campaign)
    services.campaign_close(actor=committee, campaign=campaign)
    return campaign


def _edits(staff, campaign, world):
    block = campaign.blocks.get()
    member = campaign.board.get()
    activity = campaign.activities.get()
    return [
        lambda: services.campaign_update(actor=staff, campaign=campaign, data={"target": 1}),
        lambda: services.plan_block_create(
            actor=staff, campaign=campaign, section="purposes", text="Thêm"
        ),
        lambda: services.plan_block_update(actor=staff, block=block, section="purposes", text="x"),
        lambda: services.plan_block_move(actor=staff, block=block, up=True),
        lambda: services.plan_block_delete(actor=staff, block=block),
        lambda: services.board_member_create(
            actor=staff, campaign=campaign, data={"full_name": "Mới"}
        ),
        lambda: services.board_member_update(actor=staff, member=member, data={"phone": "1"}),
        lambda: services.board_member_delete(actor=staff, member=member),
        lambda: services.targets_set(
            actor=staff,
            campaign=campaign,
            group_amounts={world.groups[1].pk: 1},
            organisation_amounts={},
        ),
        lambda: services.activity_create(
            actor=staff,
            campaign=campaign,
            data={"kind": "other", "title": "Mới", "date": D(2024, 11, 1)},
        ),
        lambda: services.activity_update(actor=staff, activity=activity, data={"result": "x"}),
        lambda: services.activity_delete(actor=staff, activity=activity),
    ]


def test_a_closed_campaign_refuses_every_edit(world, staff, closed):
    before = AuditEvent.objects.count()
    for edit in _edits(staff, closed, world):
        with pytest.raises(ValidationError) as exc:
            edit()
        assert "đã kết thúc nên chỉ được xem" in exc.value.messages[0]
    assert AuditEvent.objects.count() == before
    assert closed.blocks.count() == closed.board.count() == closed.activities.count() == 1
    assert not Target.objects.exists()


def test_a_reopened_campaign_can_be_edited_again(staff, committee, closed):
    services.campaign_reopen(actor=committee, campaign=closed, reason="Sửa lại chỉ tiêu chung")
    services.campaign_update(actor=staff, campaign=closed, data={"target": 650_000_000})
    closed.refresh_from_db()
    assert closed.target == 650_000_000


# ------------------------------------------------------------------ copy from last year


def test_copy_makes_next_years_draft_with_everything_shifted(world, staff, campaign):
    campaign.document_date = D(2024, 9, 16)
    campaign.subtitle = "Thực hiện tháng cao điểm năm 2024 trên địa bàn phường"
    campaign.recipients = "Lưu MT."
    campaign.save()
    PlanBlockFactory(
        campaign=campaign,
        section="timing",
        text="Từ ngày 17/10/2024 đến ngày 18/11/2024, an sinh xã hội năm 2024.",
    )
    PlanBlockFactory(campaign=campaign, section="contents", order=1, text="Tuyên truyền")
    PlanBlockFactory(campaign=campaign, section="contents", order=2, text="Rà soát")
    BoardMemberFactory(
        campaign=campaign, full_name="Trần Thanh Tuấn", groups=[world.groups[1], world.groups[2]]
    )
    TargetFactory(campaign=campaign, group=world.groups[1], amount=30_000_000)
    TargetFactory(campaign=campaign, organisation=world.organisations[0], amount=20_000_000)
    ActivityFactory(
        campaign=campaign, date=D(2024, 10, 17), status=Activity.Status.DONE, result="Tốt"
    )
    ActivityFactory(campaign=campaign, status=Activity.Status.CANCELLED)

    # In March 2025 the year after the latest campaign (2024) is still ahead.
    with mock.patch("django.utils.timezone.localdate", return_value=D(2025, 3, 1)):
        copy = services.campaign_copy(actor=staff, source=campaign)

    assert (copy.year, copy.status) == (2025, Campaign.Status.DRAFT)
    assert copy.name == "Tháng cao điểm “Vì người nghèo” và an sinh xã hội năm 2025"
    assert copy.subtitle == "Thực hiện tháng cao điểm năm 2025 trên địa bàn phường"
    assert (copy.start_date, copy.end_date) == (D(2025, 10, 17), D(2025, 11, 18))
    assert copy.document_date == D(2025, 9, 16) and copy.document_number == ""
    assert (copy.target, copy.recipients) == (campaign.target, "Lưu MT.")
    assert copy.blocks.get(section="timing").text == (
        "Từ ngày 17/10/2025 đến ngày 18/11/2025, an sinh xã hội năm 2025."
    )
    assert list(copy.blocks.filter(section="contents").values_list("order", "text")) == [
        (1, "Tuyên truyền"),
        (2, "Rà soát"),
    ]
    member = copy.board.get()
    assert member.full_name == "Trần Thanh Tuấn"
    assert set(member.groups.all()) == {world.groups[1], world.groups[2]}
    assert campaign.board.get().pk != member.pk
    assert copy.targets.count() == 2
    activity = copy.activities.get()  # the cancelled one is not carried over
    assert (activity.date, activity.status, activity.result) == (
        D(2025, 10, 17),
        Activity.Status.PLANNED,
        "",
    )
    # The source is untouched.
    assert campaign.blocks.count() == 3 and campaign.activities.count() == 2
    event = AuditEvent.objects.get(action="campaign.copy")
    assert event.object_id == str(copy.pk) and event.after["source"] == campaign.pk


def test_copying_twice_is_refused_as_an_overlap(staff, campaign):
    services.campaign_copy(actor=staff, source=campaign, year=2025)
    with pytest.raises(ValidationError, match="trùng với chiến dịch"):
        services.campaign_copy(actor=staff, source=campaign, year=2025)
    assert Campaign.objects.count() == 2


def test_shift_year_handles_29_february():
    assert services.shift_year(D(2024, 2, 29)) == D(2025, 2, 28)
    assert services.shift_year(None) is None


# ------------------------------------------------------------------ plan blocks


def _texts(campaign, section="purposes"):
    return list(
        campaign.blocks.filter(section=section).order_by("order").values_list("order", "text")
    )


def test_blocks_are_appended_inserted_moved_and_renumbered(staff, campaign):
    for text in ["A", "B", "C"]:
        services.plan_block_create(actor=staff, campaign=campaign, section="purposes", text=text)
    assert _texts(campaign) == [(1, "A"), (2, "B"), (3, "C")]

    services.plan_block_create(
        actor=staff, campaign=campaign, section="purposes", text="Đầu", position=1
    )
    assert _texts(campaign) == [(1, "Đầu"), (2, "A"), (3, "B"), (4, "C")]

    c = campaign.blocks.get(text="C")
    services.plan_block_move(actor=staff, block=c, up=True)
    assert _texts(campaign) == [(1, "Đầu"), (2, "A"), (3, "C"), (4, "B")]

    first = campaign.blocks.get(text="Đầu")
    services.plan_block_move(actor=staff, block=first, up=True)  # already first: no-op
    assert _texts(campaign)[0] == (1, "Đầu")

    services.plan_block_delete(actor=staff, block=campaign.blocks.get(text="A"))
    assert _texts(campaign) == [(1, "Đầu"), (2, "C"), (3, "B")]

    services.plan_block_update(
        actor=staff, block=campaign.blocks.get(text="C"), section="timing", text="C2"
    )
    assert _texts(campaign) == [(1, "Đầu"), (2, "B")]
    assert _texts(campaign, "timing") == [(1, "C2")]
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions.count("plan_block.create") == 4
    assert {"plan_block.move", "plan_block.delete", "plan_block.update"} <= set(actions)


def test_sections_are_independent(staff, campaign):
    services.plan_block_create(actor=staff, campaign=campaign, section="purposes", text="A")
    services.plan_block_create(actor=staff, campaign=campaign, section="contents", text="B")
    assert _texts(campaign, "contents") == [(1, "B")]


def test_empty_block_text_is_refused(staff, campaign):
    with pytest.raises(ValidationError) as exc:
        services.plan_block_create(actor=staff, campaign=campaign, section="purposes", text="  ")
    assert "text" in exc.value.message_dict
    assert not PlanBlock.objects.exists()


def test_unknown_section_is_refused(staff, campaign):
    with pytest.raises(ValidationError):
        services.plan_block_create(actor=staff, campaign=campaign, section="x", text="A")


# ------------------------------------------------------------------ board, targets, activities


def test_board_member_with_groups_is_created_updated_and_audited(world, staff, campaign):
    member = services.board_member_create(
        actor=staff,
        campaign=campaign,
        data={"full_name": "Lê Minh Quang", "sub_target": 20_000_000},
        groups=[world.groups[4]],
    )
    assert member.order == 1 and list(member.groups.all()) == [world.groups[4]]
    services.board_member_update(
        actor=staff, member=member, data={"sub_target": 25_000_000}, groups=[world.groups[5]]
    )
    event = AuditEvent.objects.get(action="board_member.update")
    assert event.before == {
        "campaign": campaign.pk,
        "sub_target": 20_000_000,
        "groups": [world.groups[4].pk],
    }
    assert event.after == {"sub_target": 25_000_000, "groups": [world.groups[5].pk]}


def test_board_member_negative_sub_target_is_refused(staff, campaign):
    with pytest.raises(ValidationError):
        services.board_member_create(
            actor=staff, campaign=campaign, data={"full_name": "A", "sub_target": -5}
        )
    assert not BoardMember.objects.exists()


def test_targets_are_set_changed_and_removed_in_one_audited_step(world, staff, campaign):
    g1, g2 = world.groups[1].pk, world.groups[2].pk
    org = world.organisations[0].pk
    services.targets_set(
        actor=staff,
        campaign=campaign,
        group_amounts={g1: 30_000_000, g2: 20_000_000},
        organisation_amounts={org: 10_000_000},
    )
    services.targets_set(
        actor=staff,
        campaign=campaign,
        group_amounts={g1: 35_000_000, g2: None},
        organisation_amounts={org: 10_000_000},
    )
    assert dict(campaign.targets.values_list("group_id", "amount").exclude(group=None)) == {
        g1: 35_000_000
    }
    last = AuditEvent.objects.filter(action="campaign.targets").order_by("-pk").first()
    assert last.before == {f"group:{g1}": 30_000_000, f"group:{g2}": 20_000_000}
    assert last.after == {f"group:{g1}": 35_000_000, f"group:{g2}": None}


def test_negative_target_for_a_group_changes_nothing(world, staff, campaign):
    with pytest.raises(ValidationError, match="không được âm"):
        services.targets_set(
            actor=staff,
            campaign=campaign,
            group_amounts={world.groups[1].pk: 5, world.groups[2].pk: -5},
            organisation_amounts={},
        )
    assert not Target.objects.exists()


def test_activity_is_created_and_completed(staff, campaign):
    activity = services.activity_create(
        actor=staff,
        campaign=campaign,
        data={"kind": "launch", "title": "Lễ phát động", "date": D(2024, 10, 17)},
    )
    assert activity.status == Activity.Status.PLANNED
    services.activity_update(
        actor=staff, activity=activity, data={"status": "done", "result": "150 đại biểu"}
    )
    event = AuditEvent.objects.get(action="activity.update")
    assert event.after == {"status": "done", "result": "150 đại biểu"}


def test_activity_without_title_or_date_is_refused(staff, campaign):
    with pytest.raises(ValidationError) as exc:
        services.activity_create(actor=staff, campaign=campaign, data={"kind": "launch"})
    assert {"title", "date"} <= set(exc.value.message_dict)


def test_campaign_is_closed_property_and_contains():
    campaign = CampaignFactory.build(status=Campaign.Status.CLOSED)
    assert campaign.is_closed
    assert campaign.contains(D(2024, 10, 17)) and campaign.contains(D(2024, 11, 18))
    assert not campaign.contains(D(2024, 11, 19))
    assert campaign.days_left(D(2024, 11, 18)) == 1
    assert campaign.days_left(D(2024, 10, 1)) == 33
    assert campaign.days_left(D(2024, 12, 1)) == 0
