import io

from django.core.management import call_command

from campaigns.models import Campaign
from donations.models import Donation, Pledge, PledgePayment
from donations.selectors import campaign_progress, pledge_status_of, pledges_with_progress
from lddh.supervision.integrity import check_pledges


def test_demo_pledges_in_every_state_add_no_money(db):
    call_command("seed_demo", stdout=io.StringIO())
    campaign = Campaign.objects.get(year=2024)
    states = {pledge_status_of(p) for p in pledges_with_progress(Pledge.objects.all())}
    assert states == set(Pledge.Progress.values)
    # Every payment is a donation the donations demo recorded (no new money): the
    # 2024 figures are those of the demo without pledges.
    assert campaign_progress(campaign).total == 588_650_000
    linked = Donation.objects.filter(pledge_payment__isnull=False)
    assert linked.count() == PledgePayment.objects.count() >= 3
    assert check_pledges() == []
    count = Pledge.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Pledge.objects.count() == count
