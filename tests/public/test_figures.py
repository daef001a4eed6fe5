"""The public figures equal the back office's, are sums over the per-day totals, and the
stored anonymous pages drop when money moves."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from donations.models import Donation, LedgerEntry
from donations.selectors import campaign_progress, fund_balance
from households.models import Support, SupportCategory
from lddh.public import selectors
from lddh.ward.money import format_dong
from tests.factories import CampaignFactory, DonorFactory
from tests.public.conftest import DAY


def public_part(progress):
    """What the public pages show of campaign_progress (not the credits per group,
    organisation or board member, which the public figures do not sum)."""
    return dataclasses.replace(progress, by_group={}, by_organisation={}, by_board_member={})


def test_home_figures_equal_the_back_office(ward, anon_client):
    progress = campaign_progress(ward.campaign)
    d = selectors.build_disclosure(ward.campaign)
    assert public_part(d.progress) == public_part(progress)
    assert progress.total == 500_000 + 1_000_000 + 3_000_000  # the voided 700.000 is out
    assert d.progress.direct_support_total == 800_000
    fund = d.funds[0]
    assert fund.opening == fund_balance(
        ward.fund, until=ward.campaign.start_date - datetime.timedelta(days=1)
    )
    assert fund.opening == 2_000_000
    assert fund.current == fund_balance(ward.fund) == 2_000_000 + 4_500_000 - 2_100_000
    assert d.percent == 45
    page = anon_client.get(reverse("public:home")).content.decode()
    for amount in (progress.total, 10_000_000, fund.opening, fund.current, 800_000):
        assert format_dong(amount) in page


def test_spending_from_the_fund_equals_the_ledger_payments(ward):
    d = selectors.build_disclosure(ward.campaign)
    payments = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAYMENT)
    assert d.spending.fund == -sum(payments.values_list("amount", flat=True)) == 2_100_000
    assert d.spending.households == 2
    assert [(line.label, line.households, line.fund) for line in d.spending.by_category] == [
        ("Sửa chữa nhà", 1, 1_500_000),
        ("Khám chữa bệnh, bệnh hiểm nghèo", 1, 600_000),
    ]
    assert [(line.label, line.total) for line in d.spending.by_group] == [
        ("Tổ 2", 600_000),
        ("Tổ 5", 1_500_000),
    ]


def test_a_household_with_supports_in_two_categories_counts_once_per_line(ward):
    ward.support(ward.household, SupportCategory.MEDICAL, 400_000)
    paid = selectors.build_disclosure(ward.campaign).spending
    assert (paid.households, paid.supports, paid.fund, paid.direct) == (2, 3, 2_500_000, 0)
    assert [(x.label, x.households, x.supports, x.fund) for x in paid.by_category] == [
        ("Sửa chữa nhà", 1, 1, 1_500_000),
        ("Khám chữa bệnh, bệnh hiểm nghèo", 2, 2, 1_000_000),
    ]
    assert [(x.label, x.households, x.supports, x.total) for x in paid.by_group] == [
        ("Tổ 2", 1, 1, 600_000),
        ("Tổ 5", 1, 2, 1_900_000),
    ]
    assert paid.last_day == datetime.date(2024, 11, 2)


def test_every_channel_is_shown_even_at_zero(ward, anon_client):
    page = anon_client.get(reverse("public:home")).content.decode()
    for label in Donation.Channel.labels:
        assert label in page


def test_a_year_page_shows_that_years_campaign(ward, anon_client):
    CampaignFactory(
        year=2023,
        name="Tháng cao điểm năm 2023",
        start_date=datetime.date(2023, 10, 17),
        end_date=datetime.date(2023, 11, 18),
        status="closed",
    )
    page = anon_client.get(reverse("public:year", args=["2023"])).content.decode()
    assert "Tháng cao điểm năm 2023" in page
    assert format_dong(4_500_000) not in page
    assert "Tháng cao điểm năm 2023" not in anon_client.get("/").content.decode()


def test_a_draft_campaign_is_not_published(world, anon_client):
    CampaignFactory(year=2025, name="Kế hoạch dự thảo 2025", status="draft")
    assert anon_client.get("/cong-khai/2025/").status_code == 404
    assert "Kế hoạch dự thảo 2025" not in anon_client.get("/").content.decode()


def test_figures_are_sums_over_the_day_totals(ward, anon_client):
    """No pass over the donations or the ledger: the figures read the per-day totals."""
    with CaptureQueriesContext(connection) as ctx:
        selectors.disclosure(ward.campaign)
    # The pledged / paid totals read the pledges and, through each pledge's own payment
    # links, the few donations counted against them (by primary key): never a pass.
    tables = " ".join(
        q["sql"] for q in ctx.captured_queries if 'FROM "donations_pledge"' not in q["sql"]
    )
    assert "donations_daytotal" in tables
    assert '"donations_donation"' not in tables and '"donations_ledgerentry"' not in tables
    ward.give(DonorFactory(name="Người mới"), 250_000, Donation.Channel.CASH)
    assert format_dong(selectors.disclosure(ward.campaign).progress.total) in (
        anon_client.get("/").content.decode()
    )


def test_a_new_target_shows_at_once(ward):
    assert selectors.disclosure(ward.campaign).target == 10_000_000
    ward.campaign.target = 20_000_000
    ward.campaign.save()
    assert selectors.disclosure(ward.campaign).target == 20_000_000


def test_a_paid_support_drops_the_cache(ward):
    first = selectors.disclosure(ward.campaign).spending.supports
    ward.support(ward.private, "gift", 300_000)
    assert selectors.disclosure(ward.campaign).spending.supports == first + 1
    assert Support.objects.filter(status="paid").count() == first + 1


def _many(ward, n):
    for i in range(n):
        ward.give(DonorFactory(name=f"Người thứ {i}"), 100_000 + i, Donation.Channel.CASH, date=DAY)


@pytest.mark.parametrize("url_name", ["public:home", "public:donors", "public:spending"])
def test_query_count_does_not_grow_with_rows(ward, anon_client, url_name):
    args = [] if url_name == "public:home" else ["2024"]
    url = reverse(url_name, args=args)

    def count() -> tuple[int, int]:
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert anon_client.get(url).status_code == 200
        cold = len(ctx.captured_queries)
        with CaptureQueriesContext(connection) as ctx:
            warm = url + "?ten=nguyen" if url_name == "public:donors" else url
            assert anon_client.get(warm).status_code == 200
        return cold, len(ctx.captured_queries)

    few = count()
    _many(ward, 30)
    many = count()
    assert few == many
    # The figures are summed at each build (a few small queries over the per-day totals).
    assert many[1] <= 12


# ---------------------------------------------------------------- changes to existing rows


def test_a_void_shows_at_once_on_the_cached_page(ward, anon_client):
    """A void changes an existing donation: the stored page is dropped and the figures
    are exact on the very next visit (no staleness)."""
    from donations import services as donation_services

    before = selectors.disclosure(ward.campaign)
    anon_client.get("/")  # stored
    void = donation_services.void_request(
        actor=ward.staff, donation=ward.gift_business, reason="Nhập nhầm"
    )
    donation_services.void_approve(actor=ward.world.users["committee"], void=void)
    after = selectors.disclosure(ward.campaign)
    assert after.progress.total == before.progress.total - 3_000_000
    assert public_part(after.progress) == public_part(campaign_progress(ward.campaign))
    assert after.funds[0].current == fund_balance(ward.fund) == before.funds[0].current - 3_000_000
    page = anon_client.get("/").content.decode()
    assert format_dong(after.progress.total) in page


def test_a_donor_s_new_source_shows_at_once(ward):
    from donations import services as donation_services
    from lddh.ward.vocab import DonorSource

    donation_services.donor_update(actor=ward.staff, donor=ward.an, source=DonorSource.AGENCY)
    moved = selectors.disclosure(ward.campaign)
    assert moved.progress.by_source == campaign_progress(ward.campaign).by_source
    assert moved.progress.by_source[DonorSource.AGENCY] == 500_000


# ---------------------------------------------------------------- whole pages


@pytest.mark.parametrize("url", ["/", "/cong-khai/2024/"])
def test_a_visitor_gets_the_stored_page_until_money_moves(
    ward, anon_client, django_assert_num_queries, url
):
    first = anon_client.get(url)
    with django_assert_num_queries(0):
        again = anon_client.get(url)
    assert again.content == first.content
    ward.give(DonorFactory(name="Người mới"), 250_000, Donation.Channel.CASH)
    total = selectors.disclosure(ward.campaign).progress.total
    assert format_dong(total) in anon_client.get(url).content.decode()


def test_a_signed_in_person_gets_the_page_built_afresh(ward, anon_client, staff_client):
    anon_client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        assert staff_client.get("/").status_code == 200
    assert len(ctx.captured_queries) > 0
