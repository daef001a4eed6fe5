"""The dashboard's figures are sums over the per-day totals: exact after every money
movement at once, and no pass over the donations or the ledger."""

from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from donations import services
from donations.models import Donation, LedgerEntry
from lddh.ward.vocab import DonorSource
from tests.factories import CampaignFactory, DonorFactory, record_donation

HOME = reverse("dashboard:home")


def _give(world, campaign, amount, **kwargs):
    kwargs.setdefault("donor", DonorFactory())
    return record_donation(actor=world.users["staff"], campaign=campaign, amount=amount, **kwargs)


def _dashboard(client, campaign):
    return client.get(HOME, {"chien-dich": campaign.pk}).context["dashboard"]


def test_dashboard_follows_a_donation_a_void_and_a_donor_s_source_at_once(world, staff_client):
    campaign = CampaignFactory(target=10_000_000)
    donor = DonorFactory(source=DonorSource.INDIVIDUAL)
    first = _give(world, campaign, 100_000, donor=donor, credited_group=world.groups[1])
    _give(world, campaign, 250_000, channel="bank", credited_group=world.groups[1])
    _give(world, campaign, 50_000, purpose="direct", fund=None, account=None, beneficiary="Hộ A")
    shown = _dashboard(staff_client, campaign)
    assert shown.progress.total == 350_000
    assert shown.progress.by_group == {world.groups[1].pk: 350_000}
    assert shown.progress.direct_support_total == 50_000
    void = services.void_request(actor=world.users["staff"], donation=first, reason="Nhập sai")
    services.void_approve(actor=world.users["committee"], void=void)
    shown = _dashboard(staff_client, campaign)
    assert shown.progress.total == 250_000
    ledger = LedgerEntry.objects.aggregate(s=Sum("amount"))["s"]
    assert sum(f.total for f in shown.funds) == ledger == 250_000
    mover = Donation.objects.get(amount=250_000).donor
    services.donor_update(actor=world.users["staff"], donor=mover, source=DonorSource.AGENCY)
    shown = _dashboard(staff_client, campaign)
    assert shown.progress.by_source == {DonorSource.AGENCY: 250_000}


def test_the_dashboard_reads_no_donation_nor_ledger_entry(world, staff_client):
    campaign = CampaignFactory(target=10_000_000)
    _give(world, campaign, 100_000)
    with CaptureQueriesContext(connection) as queries:
        assert staff_client.get(HOME, {"chien-dich": campaign.pk}).status_code == 200
    sql = " ".join(q["sql"] for q in queries)
    assert "donations_daytotal" in sql
    assert 'FROM "donations_donation"' not in sql and 'FROM "donations_ledgerentry"' not in sql
