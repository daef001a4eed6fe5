"""The demo's earlier years: donors who gave in 2022 and 2023 as well as 2024, each
earlier year spent within itself, so the 2024 opening balance (0 đ) and every 2024
figure stay as they were."""

import datetime
import io

from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse

from campaigns.models import Campaign
from donations.models import Donation, Donor, Fund, LedgerEntry
from donations.selectors import donor_history, donor_statement_years
from donations.selectors.balances import fund_balance, fund_balances_between
from households.models import Support

D = datetime.date


def test_three_years_of_gifts_and_an_unchanged_2024(db):
    call_command("seed_demo", stdout=io.StringIO())
    campaigns = {c.year: c for c in Campaign.objects.all()}
    assert campaigns[2022].status == campaigns[2023].status == Campaign.Status.CLOSED
    assert campaigns[2024].status == Campaign.Status.ACTIVE
    for year, total, households in ((2022, 80_000_000, 20), (2023, 100_000_000, 25)):
        gifts = Donation.objects.filter(campaign=campaigns[year], status="valid")
        assert gifts.aggregate(s=Sum("amount"))["s"] == total
        assert {g.date.year for g in gifts} == {year}
        paid = Support.objects.filter(campaign=campaigns[year], status=Support.Status.PAID)
        assert paid.count() == households
        assert paid.aggregate(s=Sum("amount"))["s"] == total
        assert {s.handover_date.year for s in paid} == {year}
    vnn = Fund.objects.get(code="VNN")
    # The 2024 opening balance: nothing carried over, on the fund and on each account.
    assert fund_balance(vnn, until=D(2023, 12, 31)) == 0
    assert fund_balances_between(D(2024, 1, 1), D(2024, 11, 18))[vnn.pk][:2] == (0, 589_750_000)
    earlier = LedgerEntry.objects.filter(date__lt=D(2024, 1, 1))
    for account_id in earlier.values_list("account_id", flat=True).distinct():
        assert earlier.filter(account_id=account_id).aggregate(s=Sum("amount"))["s"] == 0
    # The 2024 campaign's raised figure as the docs give it.
    raised = Donation.objects.filter(
        campaign=campaigns[2024], fund=vnn, status="valid", purpose="fund"
    ).aggregate(s=Sum("amount"))["s"]
    assert raised == 588_650_000
    # A donor of all three years: the history and the yearly statements.
    donor = Donor.objects.get(name="Công ty TNHH Thương mại Đại Hành Phát")
    assert [group.campaign.year for group in donor_history(donor)][:3] == [2024, 2023, 2022]
    assert donor_statement_years(donor)[:3] == [2024, 2023, 2022]

    from django.contrib.auth import get_user_model
    from django.test import Client as PageClient

    client = PageClient()
    client.force_login(get_user_model().objects.get(username="thuongtruc"))
    page = client.get(reverse("donations:donor_detail", args=[donor.pk])).content.decode()
    for year in (2022, 2023, 2024):
        assert reverse("donations:donor_statement_pdf", args=[donor.pk, year]) in page
    # The donation list's total of 2024 as docs/huong-dan/so-lieu.md gives it.
    listing = client.get(
        reverse("donations:list"), {"date_from": "01/01/2024", "date_to": "31/12/2024"}
    )
    assert listing.context["total"] == 646_650_000
    # Idempotent.
    entries = LedgerEntry.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert LedgerEntry.objects.count() == entries
