import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """The dashboard's aggregates are cached per state of the money records (maximum ids
    and times); a test database that reuses ids after a rollback must start empty."""
    cache.clear()
    yield
    cache.clear()
