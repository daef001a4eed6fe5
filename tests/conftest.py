"""Persona fixtures: one signed-in client per role."""

from importlib import import_module

import pytest
from django.core.cache import cache
from django.test import Client

from lddh.ward.roles import Role
from tests.factories import (
    MemberOrganisationFactory,
    MembershipFactory,
    ResidentialGroupFactory,
    UserFactory,
    WardProfileFactory,
)

PERSONAS = {
    # name: (username, role, group number)
    "staff": ("canbo", Role.STAFF, None),
    "committee": ("thuongtruc", Role.COMMITTEE, None),
    "treasurer": ("ketoan", Role.TREASURER, None),
    "leader1": ("to1", Role.LEADER, 1),
    "leader2": ("to2", Role.LEADER, 2),
    "higher": ("captren", Role.HIGHER, None),
    "supervisor": ("giamsat", Role.SUPERVISOR, None),
}


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` (real concurrency, row locks) need PostgreSQL."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _data_migration_rows(request):
    """The bank layout presets and the support levels come from data migrations; a test
    that flushed the database (live server, browser) removes them, so put them back for
    the next test, whichever order the test processes run the tests in."""
    names = set(request.fixturenames)
    if "transactional_db" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    else:
        return
    from django.apps import apps

    from donations.statements.presets import ensure_presets

    ensure_presets()
    import_module("households.migrations.0003_support_levels").seed(apps, None)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached figures (public pages, dashboard, list counts) are keyed by the ids of
    the latest money records; a rolled-back test can leave ids that the next test
    reuses, so every test starts with an empty cache."""
    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    """Background tasks run inside the request that enqueues them, so a test sees their
    outcome on the next line; no worker process is needed. Tests of the worker itself
    start `manage.py db_worker` in a subprocess, which reads TASKS_BACKEND as deployed."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Hashing a password properly takes ~0,3 s; tests need none of that safety."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _late_entry_grace_covers_the_2024_books(settings):
    """The fixtures enter gifts into the 2024 campaign while the clock says 2026; tests of
    the late-entry rule set CAMPAIGN_LATE_ENTRY_DAYS back to what they test."""
    settings.CAMPAIGN_LATE_ENTRY_DAYS = 100 * 365


class World:
    """The ward with its 9 groups, two organisations and one user per persona."""

    def __init__(self):
        self.ward = WardProfileFactory()
        self.groups = {n: ResidentialGroupFactory(ward=self.ward, number=n) for n in range(1, 10)}
        self.organisations = [
            MemberOrganisationFactory(ward=self.ward, name="Hội Liên hiệp Phụ nữ phường"),
            MemberOrganisationFactory(ward=self.ward, name="Hội Cựu chiến binh phường"),
        ]
        self.users = {}
        for persona, (username, role, group_number) in PERSONAS.items():
            user = UserFactory(username=username)
            MembershipFactory(
                user=user, role=role, group=self.groups[group_number] if group_number else None
            )
            self.users[persona] = user

    def client(self, persona: str) -> Client:
        client = Client()
        if persona != "anon":
            client.force_login(self.users[persona])
        return client


@pytest.fixture
def world(db) -> World:
    return World()


@pytest.fixture
def group1(world):
    return world.groups[1]


@pytest.fixture
def group2(world):
    return world.groups[2]


@pytest.fixture
def staff_client(world):
    return world.client("staff")


@pytest.fixture
def committee_client(world):
    return world.client("committee")


@pytest.fixture
def treasurer_client(world):
    return world.client("treasurer")


@pytest.fixture
def leader1_client(world):
    return world.client("leader1")


@pytest.fixture
def leader2_client(world):
    return world.client("leader2")


@pytest.fixture
def higher_client(world):
    return world.client("higher")


@pytest.fixture
def supervisor_client(world):
    return world.client("supervisor")


@pytest.fixture
def anon_client():
    return Client()


@pytest.fixture(autouse=True)
def _files_in_a_scratch_folder(settings, tmp_path_factory):
    """Uploaded statements and their progress go to a folder of the test run, not var/."""
    scratch = tmp_path_factory.getbasetemp() / "var"
    settings.MEDIA_ROOT = scratch / "media"
    settings.VAR_DIR = scratch
