"""A campaign that knows it has ended: after its last day an active campaign reads
"Đã hết thời gian — chờ Ban Thường trực kết thúc chiến dịch" everywhere its status
shows, the committee's home asks for the closing, and copying offers a year ahead."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse

from campaigns.models import PERIOD_OVER_LABEL, Campaign
from campaigns.selectors import next_campaign_year
from tests.factories import CampaignFactory

D = datetime.date
HOME = reverse("dashboard:home")
RUNNING = "Đang triển khai"


def _on(day):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


@pytest.fixture
def december_2026():
    with _on(D(2026, 12, 6)):
        yield


def _pages(world, campaign, persona="staff"):
    client = world.client(persona)
    return {
        "home": client.get(HOME).content.decode(),
        "list": client.get(reverse("campaigns:list")).content.decode(),
        "detail": client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode(),
    }


def test_ended_active_campaign_never_says_it_is_running(world, campaign, december_2026):
    for name, page in _pages(world, campaign).items():
        assert PERIOD_OVER_LABEL in page, name
        assert RUNNING not in page, name
    assert campaign.status_label == PERIOD_OVER_LABEL


def test_home_time_card_says_the_time_is_up_not_closed(world, campaign, december_2026):
    page = world.client("staff").get(HOME).content.decode()
    assert "Đã hết thời gian" in page
    assert "chờ Ban Thường trực kết thúc chiến dịch" in page


def test_committee_home_asks_for_the_closing(world, campaign, december_2026):
    page = world.client("committee").get(HOME).content.decode()
    assert 'id="close-request"' in page
    assert reverse("campaigns:detail", args=[campaign.pk]) + "#close-request" in page
    staff_page = world.client("staff").get(HOME).content.decode()
    assert 'id="close-request"' not in staff_page


def test_running_campaign_still_says_so(world, campaign):
    with _on(D(2024, 11, 1)):
        pages = _pages(world, campaign, "committee")
    assert all(RUNNING in page for page in pages.values())
    assert all(PERIOD_OVER_LABEL not in page for page in pages.values())
    assert 'id="close-request"' not in pages["home"]


def test_closed_campaign_says_it_has_ended(world, campaign, december_2026):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    pages = _pages(world, campaign, "committee")
    assert all(PERIOD_OVER_LABEL not in page for page in pages.values())
    assert "Đã kết thúc" in pages["detail"]


def test_copy_offers_the_year_after_the_latest_campaign_still_ahead(world, campaign, december_2026):
    # The 2025 peak month is long past and the 2026 one ended on 18/11/2026.
    client = world.client("staff")
    listing = client.get(reverse("campaigns:list")).content.decode()
    assert "Sao chép sang năm 2027" in listing and "Sao chép sang năm 2025" not in listing
    copy_url = reverse("campaigns:copy", args=[campaign.pk])
    page = client.get(copy_url).content.decode()
    assert "sang năm 2027" in page and "17/10/2027 – 18/11/2027" in page
    response = client.post(copy_url, {"year": "2027"})
    copy = Campaign.objects.get(year=2027)
    assert response["Location"] == reverse("campaigns:detail", args=[copy.pk])
    assert (copy.start_date, copy.end_date) == (D(2027, 10, 17), D(2027, 11, 18))
    assert "2027" in copy.name and "2024" not in copy.name


def test_next_campaign_year_follows_the_latest_campaign_and_today(world, campaign):
    assert next_campaign_year(D(2024, 12, 1)) == 2025
    assert next_campaign_year(D(2025, 3, 1)) == 2025
    assert next_campaign_year(D(2025, 11, 19)) == 2026  # the 2025 period is over
    assert next_campaign_year(D(2026, 12, 6)) == 2027
    CampaignFactory(year=2027, start_date=D(2027, 10, 17), end_date=D(2027, 11, 18), status="draft")
    assert next_campaign_year(D(2026, 12, 6)) == 2028
