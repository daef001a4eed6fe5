"""A campaign's figures (dashboard, public pages, reports) are one statement over the
per-day totals: they equal the plain fold of the totals' rows, on SQLite and PostgreSQL
alike, whatever mix of donations, voids and donors' new sources made those rows."""

import datetime
import random
from collections import defaultdict

from campaigns.models import BoardMember
from donations import services
from donations.models import Donation
from donations.selectors import campaign_progress, period_progress
from donations.selectors.progress import valid_donation_totals
from lddh.ward.vocab import DonorSource
from tests.factories import DonorFactory

DAY = datetime.date(2024, 10, 20)


def folded(totals) -> dict:
    """The figures folded in Python from the totals' rows, one row at a time."""
    figures = {
        "total": 0,
        "count": 0,
        "direct_support_total": 0,
        "direct_support_count": 0,
        "by_source": defaultdict(int),
        "by_channel": defaultdict(int),
        "by_group": defaultdict(int),
        "by_organisation": defaultdict(int),
        "by_board_member": defaultdict(int),
    }
    by_day = defaultdict(int)
    for row in totals:
        if not row.n and not row.amount:
            continue
        if row.purpose == Donation.Purpose.DIRECT:
            figures["direct_support_total"] += row.amount
            figures["direct_support_count"] += row.n
            continue
        figures["total"] += row.amount
        figures["count"] += row.n
        figures["by_source"][row.source] += row.amount
        figures["by_channel"][row.channel] += row.amount
        by_day[row.date] += row.amount
        for key, name in (
            (row.group_id, "by_group"),
            (row.organisation_id, "by_organisation"),
            (row.board_member_id, "by_board_member"),
        ):
            if key:
                figures[name][key] += row.amount
    figures = {k: dict(v) if isinstance(v, defaultdict) else v for k, v in figures.items()}
    figures["by_day"] = sorted((day, amount) for day, amount in by_day.items() if amount)
    return figures


def figures_of(progress) -> dict:
    return {name: getattr(progress, name) for name in folded([])}


def test_figures_equal_the_fold_of_the_totals_after_a_random_mix(books, world):
    rng = random.Random(7)
    donors = [DonorFactory(source=s) for s in DonorSource.values[:5]]
    board = [
        BoardMember.objects.create(campaign=books.campaign, full_name=f"Thành viên {i}")
        for i in range(3)
    ]
    made = []
    for _ in range(70):
        action = rng.random()
        if action < 0.6 or not made:
            purpose = "direct" if rng.random() < 0.2 else "fund"
            extra = {"beneficiary": "Hộ bà B"} if purpose == "direct" else {}
            campaign = rng.choice([books.campaign, books.campaign, None])
            if campaign is not None:
                extra["credited_board_member"] = rng.choice([None, *board])
            made.append(
                books.record(
                    donor=rng.choice(donors),
                    amount=rng.randrange(1, 50) * 10_000,
                    date=DAY + datetime.timedelta(days=rng.randrange(6)),
                    channel=rng.choice(["cash", "bank"]),
                    purpose=purpose,
                    fund=books.vnn if purpose == "fund" else None,
                    campaign=campaign,
                    credited_group=rng.choice([None, *world.groups.values()]),
                    credited_organisation=rng.choice([None, *world.organisations]),
                    **extra,
                )
            )
        elif action < 0.8:
            donation = rng.choice(made)
            if not donation.is_voided and not donation.voids.filter(status="pending").exists():
                void = services.void_request(actor=books.staff, donation=donation, reason="Sai sót")
                services.void_approve(actor=books.committee, void=void)
                donation.refresh_from_db()
        else:
            donor = rng.choice(donors)
            donor.refresh_from_db()
            services.donor_update(
                actor=books.staff,
                donor=donor,
                source=rng.choice([s for s in DonorSource.values if s != "residents"]),
            )
    campaign_totals = valid_donation_totals().filter(campaign_id=books.campaign.pk)
    expected = folded(campaign_totals)
    assert expected["count"] and expected["direct_support_count"] and expected["by_board_member"]
    assert figures_of(campaign_progress(books.campaign)) == expected
    start, end = DAY + datetime.timedelta(days=1), DAY + datetime.timedelta(days=3)
    period = valid_donation_totals().filter(date__gte=start, date__lte=end)
    assert figures_of(period_progress(start, end)) == folded(period)
    valid = Donation.objects.filter(campaign=books.campaign, status="valid", purpose="fund")
    assert campaign_progress(books.campaign).total == sum(d.amount for d in valid)


def test_no_donation_gives_empty_figures(books):
    assert figures_of(campaign_progress(books.campaign)) == folded([])
