import datetime

from campaigns import selectors
from campaigns.models import Activity
from tests.factories import ActivityFactory, BoardMemberFactory, CampaignFactory, TargetFactory

D = datetime.date


def test_targets_by_group_and_organisation(world, campaign, draft_2025):
    g1, g2 = world.groups[1], world.groups[2]
    org = world.organisations[0]
    TargetFactory(campaign=campaign, group=g1, amount=30_000_000)
    TargetFactory(campaign=campaign, group=g2, amount=0)
    TargetFactory(campaign=campaign, organisation=org, amount=20_000_000)
    TargetFactory(campaign=draft_2025, group=g1, amount=99)
    assert selectors.group_targets(campaign) == {g1.pk: 30_000_000, g2.pk: 0}
    assert selectors.organisation_targets(campaign) == {org.pk: 20_000_000}
    assert selectors.target_totals(campaign) == {"groups": 30_000_000, "organisations": 20_000_000}


def test_board_with_targets_loads_groups_in_two_queries(world, campaign, django_assert_num_queries):
    for n in range(5):
        BoardMemberFactory(
            campaign=campaign,
            organisation=world.organisations[0],
            groups=[world.groups[n + 1], world.groups[n + 2]],
            sub_target=10_000_000,
        )
    with django_assert_num_queries(2):
        rows = [
            (m.full_name, m.organisation.name, [g.number for g in m.groups.all()], m.sub_target)
            for m in selectors.board_with_targets(campaign)
        ]
    assert len(rows) == 5 and rows[0][2] == [1, 2]


def test_activities_for_is_by_date_with_overdue(world, campaign):
    late = ActivityFactory(campaign=campaign, date=D(2024, 11, 25), status="planned")
    done = ActivityFactory(campaign=campaign, date=D(2024, 10, 17), status="done")
    cancelled = ActivityFactory(campaign=campaign, date=D(2024, 10, 20), status="cancelled")
    future = ActivityFactory(campaign=campaign, date=D(2099, 1, 1), status="planned")
    assert list(selectors.activities_for(campaign)) == [done, cancelled, late, future]
    assert [a.is_overdue for a in (late, done, cancelled, future)] == [True, False, False, False]
    assert list(selectors.overdue_activities(campaign, D(2024, 12, 1))) == [late]
    assert list(Activity.objects.overdue(D(2024, 11, 25))) == []


def test_campaign_on_a_day(world, campaign):
    assert selectors.campaign_on(D(2024, 10, 17)) == campaign
    assert selectors.campaign_on(D(2024, 11, 19)) is None
    assert selectors.active_campaign() == campaign


def test_plan_groups_blocks_in_document_order(world, campaign):
    from tests.factories import PlanBlockFactory

    PlanBlockFactory(campaign=campaign, section="board", order=1, text="B")
    PlanBlockFactory(campaign=campaign, section="purposes", order=2, text="P2")
    PlanBlockFactory(campaign=campaign, section="purposes", order=1, text="P1")
    plan = selectors.plan_for(campaign)
    assert [b.text for b in plan.main[0].blocks] == ["P1", "P2"]
    assert plan.main[0].bulleted and not plan.main[1].blocks
    assert plan.actors[2].heading.startswith("3. Các thành viên Ban vận động")
    assert plan.has_actors and not plan.is_empty


def test_target_groups_include_groups_in_force_and_already_targeted(world):
    old = world.groups[9]
    old.valid_to = D(2020, 1, 1)
    old.save()
    campaign = CampaignFactory()
    assert old not in selectors.target_groups(campaign)
    TargetFactory(campaign=campaign, group=old)
    assert old in selectors.target_groups(campaign)
