"""The staff home: campaign progress against targets, for each role."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse

from campaigns.models import Target
from donations.models import Donation
from tests.factories import CampaignFactory, DonorFactory, record_donation

HOME = reverse("dashboard:home")


@pytest.fixture
def campaign(world):
    campaign = CampaignFactory(target=10_000_000)
    Target.objects.create(campaign=campaign, group=world.groups[1], amount=2_000_000)
    Target.objects.create(campaign=campaign, organisation=world.organisations[0], amount=500_000)
    return campaign


def _give(world, campaign, amount, *, group=None, organisation=None, **kwargs):
    return record_donation(
        actor=world.users["staff"],
        campaign=campaign,
        amount=amount,
        credited_group=group,
        credited_organisation=organisation,
        donor=DonorFactory(),
        **kwargs,
    )


@pytest.fixture
def today():
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2024, 11, 9)):
        yield


def test_staff_sees_raised_against_target_with_direct_support_apart(world, campaign, today):
    _give(world, campaign, 1_500_000, group=world.groups[1])
    _give(world, campaign, 500_000, organisation=world.organisations[0])
    _give(world, campaign, 300_000, purpose=Donation.Purpose.DIRECT, beneficiary="Hộ bà Lan")
    response = world.client("staff").get(HOME)
    d = response.context["dashboard"]
    assert (d.progress.total, d.progress.count) == (2_000_000, 2)
    assert d.percent == 20
    assert d.progress.direct_support_total == 300_000
    assert d.days_left == 10  # 09/11 to 18/11, both counted
    group1 = next(line for line in d.groups if line.label == "Tổ dân phố số 1")
    assert (group1.raised, group1.target, group1.percent) == (1_500_000, 2_000_000, 75)
    org = next(line for line in d.organisations if line.raised)
    assert (org.raised, org.target, org.percent) == (500_000, 500_000, 100)
    html = response.content.decode()
    assert "2.000.000\xa0đ" in html and "300.000\xa0đ" in html
    assert "Còn 10 ngày" in html


def test_the_fund_balance_is_shown_per_account(world, campaign, today):
    _give(world, campaign, 1_500_000)
    d = world.client("committee").get(HOME).context["dashboard"]
    assert [b.total for b in d.funds] == [1_500_000]


def test_leader_sees_only_their_own_group(world, campaign, today):
    _give(world, campaign, 700_000, group=world.groups[1])
    _give(world, campaign, 900_000, group=world.groups[2])
    d = world.client("leader1").get(HOME).context["dashboard"]
    assert [(line.label, line.raised) for line in d.groups] == [("Tổ dân phố số 1", 700_000)]
    assert d.organisations == [] and d.board == [] and d.funds == []


@pytest.mark.parametrize("persona", ["staff", "committee", "treasurer", "higher", "supervisor"])
def test_every_reading_role_sees_the_progress(world, campaign, persona, today):
    html = world.client(persona).get(HOME).content.decode()
    assert "Đã vận động vào Quỹ" in html and "Theo tổ chức thành viên" in html


def test_the_level_above_sees_the_same_figures_as_the_ward(world, campaign, today):
    _give(world, campaign, 700_000, group=world.groups[1])
    _give(world, campaign, 300_000, group=world.groups[2])
    ward = world.client("staff").get(HOME).context["dashboard"]
    higher = world.client("higher").get(HOME).context["dashboard"]
    assert [(line.label, line.raised) for line in higher.groups] == [
        (line.label, line.raised) for line in ward.groups
    ]
    assert higher.progress.total == ward.progress.total == 1_000_000
    assert higher.funds == ward.funds


def test_without_any_campaign_the_home_says_what_to_do(world):
    html = world.client("staff").get(HOME).content.decode()
    assert "Chưa có chiến dịch nào" in html


def test_a_past_campaign_can_be_chosen(world, campaign, today):
    older = CampaignFactory(
        year=2023,
        name="Tháng cao điểm 2023",
        status="closed",
        start_date=datetime.date(2023, 10, 17),
        end_date=datetime.date(2023, 11, 18),
    )
    response = world.client("staff").get(HOME, {"chien-dich": older.pk})
    assert response.context["dashboard"].campaign == older
    assert (
        world.client("staff").get(HOME, {"chien-dich": "x"}).context["dashboard"].campaign
        == campaign
    )


def test_the_number_of_queries_does_not_grow_with_donations_or_groups(
    world, campaign, today, django_assert_max_num_queries, client
):
    _give(world, campaign, 100_000, group=world.groups[1])
    staff = world.client("staff")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        staff.get(HOME)
    for n in range(30):
        _give(
            world,
            campaign,
            10_000 + n,
            group=world.groups[1 + n % 9],
            organisation=world.organisations[n % 2],
        )
    for group in world.groups.values():
        Target.objects.get_or_create(campaign=campaign, group=group, defaults={"amount": 1})
    with django_assert_max_num_queries(len(few)):
        staff.get(HOME)


def _overdue(campaign, n):
    from tests.factories.campaigns import ActivityFactory

    for i in range(n):
        ActivityFactory(
            campaign=campaign,
            date=datetime.date(2024, 10, 18) + datetime.timedelta(days=i % 20),
            status="planned",
        )
    ActivityFactory(campaign=campaign, date=datetime.date(2024, 10, 19), status="done")
    ActivityFactory(campaign=campaign, date=datetime.date(2024, 11, 15), status="planned")


@pytest.mark.parametrize("n", [0, 3, 99, 100, 101])
def test_overdue_activities_shown_as_counted_whatever_the_inbox_cap(world, campaign, today, n):
    """The office's inbox counts the overdue activities (up to its cap) and the home page
    reuses that count; past the cap it counts them itself: the figure is always exact."""
    _overdue(campaign, n)
    html = world.client("staff").get(HOME).content.decode()
    if n:
        assert f"{n} hoạt động quá hạn</a>" in html
    else:
        assert "hoạt động quá hạn</a>" not in html


def test_overdue_activities_of_a_closed_campaign_are_counted_by_the_page(world, campaign, today):
    old = CampaignFactory(
        year=2023,
        start_date=datetime.date(2023, 10, 17),
        end_date=datetime.date(2023, 11, 18),
        status="closed",
    )
    from tests.factories.campaigns import ActivityFactory

    ActivityFactory(campaign=old, date=datetime.date(2023, 10, 20), status="planned")
    _overdue(campaign, 2)
    client = world.client("staff")
    assert "2 hoạt động quá hạn</a>" in client.get(HOME).content.decode()
    html = client.get(HOME, {"chien-dich": old.pk}).content.decode()
    assert "1 hoạt động quá hạn</a>" in html
