"""Factories for every app; each app's live in tests/factories/<app>.py."""

from tests.factories.campaigns import *  # noqa: F403
from tests.factories.donations import *  # noqa: F403
from tests.factories.households import *  # noqa: F403
from tests.factories.ward import *  # noqa: F403
