"""Pledged and paid of it: on the dashboard (the level above included) and on the public
page, figures only: no pledging donor is named there."""

from __future__ import annotations

import datetime

from django.urls import reverse

from donations import services
from lddh.ward.money import format_dong
from tests.factories import CampaignFactory, DonorFactory, FundFactory, record_donation


def _paid_half(world):
    campaign = CampaignFactory()
    staff = world.users["staff"]
    pledge = services.pledge_create(
        actor=staff,
        donor=DonorFactory(source="business", name="Công ty Cổ phần Sông Hồng"),
        campaign=campaign,
        fund=FundFactory(),
        pledged_on=datetime.date(2024, 10, 17),
        amount=40_000_000,
        due_date=datetime.date(2024, 11, 15),
    )
    donation = record_donation(
        actor=staff, donor=pledge.donor, campaign=campaign, amount=10_000_000
    )
    services.pledge_payment_link(actor=staff, pledge=pledge, donation=donation)
    return campaign


def test_the_dashboard_shows_pledged_and_paid(world):
    _paid_half(world)
    for persona in ("staff", "treasurer", "higher"):
        page = world.client(persona).get(reverse("dashboard:home")).content.decode()
        assert "Cam kết ủng hộ" in page, persona
        assert format_dong(40_000_000) in page and format_dong(30_000_000) in page
        assert "Sông Hồng" not in page


def test_the_public_page_shows_totals_only(world):
    campaign = _paid_half(world)
    page = world.client("anon").get(f"/cong-khai/{campaign.year}/").content.decode()
    assert "Cam kết ủng hộ" in page
    assert format_dong(40_000_000) in page and format_dong(10_000_000) in page
    card = page[page.index('id="public-pledges"') :]
    card = card[: card.index("</section>")]
    assert "Sông Hồng" not in card and "P0" not in card
    assert "Sông Hồng" not in page
