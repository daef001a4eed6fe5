import io

from django.core.management import call_command
from django.db.models import Sum

from campaigns.models import Campaign
from donations.models import Donation, Fund, LedgerEntry, Receipt, VoidRequest
from donations.selectors import campaign_progress, fund_balance
from lddh.demo import donations as donations_demo
from lddh.demo.ward import seed as seed_ward


def test_demo_is_a_believable_peak_month_and_idempotent(db):
    call_command("seed_demo", stdout=io.StringIO())
    campaign = Campaign.objects.get(year=2024)
    donations = Donation.objects.filter(campaign=campaign)
    assert donations.filter(donor__source="residents").count() >= 600
    assert (
        donations.filter(donor__source__in=["agency", "business"])
        .values("donor")
        .distinct()
        .count()
        >= 40
    )
    assert donations.filter(donor__source="organisation").exists()
    assert donations.filter(channel="in_kind").count() == 3
    assert donations.filter(channel="bank").exists()
    assert donations.filter(purpose="direct").count() == 3
    assert Donation.objects.filter(status="voided").count() == 2
    assert (
        VoidRequest.objects.filter(
            status="approved", requested_by__username="canbo", decided_by__username="thuongtruc"
        ).count()
        == 2
    )
    assert VoidRequest.objects.filter(status="pending").count() == 1
    assert Donation.objects.filter(replaces__isnull=False).count() == 1
    assert donations.filter(donor__anonymous=True).exists()
    assert set(Donation.objects.values_list("entered_by__username", flat=True)) == {"canbo"}
    assert all(campaign.contains(d) for d in donations.values_list("date", flat=True))
    # Every VNN 2024 number is used once, in order.
    seqs = list(Receipt.objects.filter(series="VNN", year=2024).values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    # The books balance: fund ledger = valid fund donations − pay-outs (support paid by
    # the households demo through fund_pay_out), and never below zero.
    vnn = Fund.objects.get(code="VNN")
    valid = Donation.objects.filter(fund=vnn, status="valid").aggregate(s=Sum("amount"))["s"]
    paid = -(
        LedgerEntry.objects.filter(fund=vnn, kind="payment").aggregate(s=Sum("amount"))["s"] or 0
    )
    assert fund_balance(vnn) == valid - paid >= 0
    progress = campaign_progress(campaign)
    # The campaign's figure: its own gifts, not those of 2022 and 2023 (lddh/demo/history.py).
    in_2024 = Donation.objects.filter(fund=vnn, status="valid", campaign=campaign)
    assert progress.total == in_2024.aggregate(s=Sum("amount"))["s"] == 588_650_000
    assert valid - progress.total == 180_000_000  # 2022: 80.000.000 đ, 2023: 100.000.000 đ
    assert progress.direct_support_count == 3
    assert 0.8 * campaign.target <= progress.total <= 1.3 * campaign.target

    counts = (Donation.objects.count(), Receipt.objects.count(), LedgerEntry.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Donation.objects.count(), Receipt.objects.count(), LedgerEntry.objects.count()) == (
        counts
    )


def test_demo_without_the_2024_campaign_creates_no_donation(db):
    seed_ward(stdout=io.StringIO())
    out = io.StringIO()
    donations_demo.seed(stdout=out)
    assert Fund.objects.count() == 2
    assert not Donation.objects.exists()
    assert "bỏ qua" in out.getvalue()
