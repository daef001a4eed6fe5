import pytest

from tests.donations.conftest import Books


@pytest.fixture
def books(world):
    """Two funds, one account of each kind, the active campaign, a donor."""
    return Books(world)
