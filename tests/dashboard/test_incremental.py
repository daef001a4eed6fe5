"""The dashboard's aggregates at scale: a kept base plus the donations after it, exact
after every money movement."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from donations import selectors, services
from donations.selectors import campaign_progress, campaign_progress_fast, fund_balances
from tests.factories import CampaignFactory, DonorFactory, record_donation

HOME = reverse("dashboard:home")


@pytest.fixture
def settled_at_once(monkeypatch):
    """Every row counts as settled, so the base covers all rows present when it is built."""
    monkeypatch.setattr(selectors, "SETTLED_AFTER", datetime.timedelta(minutes=-5))


def _give(world, campaign, amount, **kwargs):
    return record_donation(
        actor=world.users["staff"],
        campaign=campaign,
        amount=amount,
        donor=DonorFactory(),
        **kwargs,
    )


def test_base_plus_new_rows_equals_a_full_recount(world, settled_at_once):
    campaign = CampaignFactory(target=10_000_000)
    first = _give(world, campaign, 100_000, credited_group=world.groups[1])
    assert campaign_progress_fast(campaign) == campaign_progress(campaign)
    _give(world, campaign, 200_000, credited_group=world.groups[1], channel="bank")
    _give(world, campaign, 50_000, purpose="direct", fund=None, account=None, beneficiary="Hộ A")
    fast = campaign_progress_fast(campaign)
    assert fast == campaign_progress(campaign)
    assert fast.total == 300_000 and fast.by_group[world.groups[1].pk] == 300_000
    assert fast.direct_support_total == 50_000
    void = services.void_request(actor=world.users["staff"], donation=first, reason="Nhập sai")
    services.void_approve(actor=world.users["committee"], void=void)
    after_void = campaign_progress_fast(campaign)
    assert after_void == campaign_progress(campaign) and after_void.total == 200_000


def test_new_donation_reads_only_the_rows_after_the_base(world, settled_at_once):
    campaign = CampaignFactory(target=10_000_000)
    _give(world, campaign, 100_000)
    campaign_progress_fast(campaign)  # builds and keeps the base
    _give(world, campaign, 200_000)
    with CaptureQueriesContext(connection) as queries:
        assert campaign_progress_fast(campaign).total == 300_000
    grouped = [q["sql"] for q in queries if "GROUP BY" in q["sql"].upper()]
    assert grouped and all('"id" >' in sql for sql in grouped)  # an id range, not the table


def test_fund_balances_incremental_match_the_full_sum(world, settled_at_once):
    campaign = CampaignFactory(target=10_000_000)
    _give(world, campaign, 100_000)
    full = [(b.fund.pk, b.total) for b in fund_balances()]
    assert [(b.fund.pk, b.total) for b in fund_balances(incremental=True)] == full
    _give(world, campaign, 70_000)
    fast = fund_balances(incremental=True)
    assert [(b.fund.pk, b.total, b.by_account) for b in fast] == [
        (b.fund.pk, b.total, b.by_account) for b in fund_balances()
    ]


def test_dashboard_page_shows_a_new_donation_at_once(world, staff_client, settled_at_once):
    campaign = CampaignFactory(target=10_000_000)
    _give(world, campaign, 100_000)
    first = staff_client.get(HOME, {"chien-dich": campaign.pk}).context["dashboard"]
    assert first.progress.total == 100_000
    _give(world, campaign, 250_000)
    again = staff_client.get(HOME, {"chien-dich": campaign.pk}).context["dashboard"]
    assert again.progress.total == 350_000
