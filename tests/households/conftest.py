import pytest
from django.test import Client

from lddh.ward.roles import Role
from tests.factories import CampaignFactory, HouseholdFactory, MembershipFactory, UserFactory


@pytest.fixture
def leader3(world):
    user = UserFactory(username="to3")
    MembershipFactory(user=user, role=Role.LEADER, group=world.groups[3])
    return user


@pytest.fixture
def leader3_client(leader3):
    client = Client()
    client.force_login(leader3)
    return client


@pytest.fixture
def campaign(db):
    return CampaignFactory()


@pytest.fixture
def household2(world):
    """A household of group 2 (leader2's), with a CCCD and a phone."""
    return HouseholdFactory(
        group=world.groups[2],
        head_name="Nguyễn Thị Đào",
        head_birth_year=1950,
        head_cccd="001150012345",
        phone="0912345678",
    )
