"""Every demo account can open every page its menu offers (no 403, 404 or 500), and the
pages show no raw Python values: every feature is reachable from the navigation."""

import os
import re

import pytest
from django.core.management import call_command
from django.test import Client

from lddh.demo.ward import ACCOUNTS

USERNAMES = [username for username, *_ in ACCOUNTS] + ["to3", "admin"]
LINK = re.compile(r'<a class="(?:nav-link|dropdown-item)[^"]*"[^>]*href="(/quan-ly/[^"]*)"')
RAW = re.compile(r">\s*(None|\[\]|\{\})\s*<")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.slow
@pytest.mark.parametrize("username", USERNAMES)
def test_every_menu_page_opens_for_every_demo_account(demo, db, username):
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    home = client.get("/quan-ly/")
    assert home.status_code == 200
    links = sorted(set(LINK.findall(home.content.decode())))
    assert links, "the menu offers nothing"
    for url in links:
        response = client.get(url)
        assert response.status_code == 200, f"{username}: {url} → {response.status_code}"
        body = response.content.decode()
        assert not RAW.search(body), f"{username}: {url} shows a raw value"
