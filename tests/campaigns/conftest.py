import datetime

import pytest

from campaigns.models import Campaign
from tests.factories import CampaignFactory


@pytest.fixture
def staff(world):
    return world.users["staff"]


@pytest.fixture
def committee(world):
    return world.users["committee"]


@pytest.fixture
def campaign(world):
    """The 2024 campaign, active."""
    return CampaignFactory()


@pytest.fixture
def draft_2025(world):
    return CampaignFactory(
        year=2025,
        name="Tháng cao điểm “Vì người nghèo” năm 2025",
        start_date=datetime.date(2025, 10, 17),
        end_date=datetime.date(2025, 11, 18),
        status=Campaign.Status.DRAFT,
    )
