"""The menu offers a person only what their roles may open, for every persona of the
permission matrix (the demo accounts are walked in tests/test_navigation.py)."""

import re

import pytest
from django.urls import reverse

from tests.permissions import PERSONAS

LINK = re.compile(r'<a class="(?:nav-link|dropdown-item)[^"]*"[^>]*href="(/quan-ly/[^"]*)"')


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anon"])
def test_every_menu_link_opens_for_every_persona(world, persona):
    """The menu offers a person only what their roles may open (no 403 behind a link)."""
    client = world.client(persona)
    links = sorted(set(LINK.findall(client.get("/quan-ly/").content.decode())))
    for url in links:
        assert client.get(url).status_code == 200, f"{persona}: {url}"


def test_the_level_above_is_offered_the_figures_only(world):
    html = world.client("higher").get("/quan-ly/").content.decode()
    personal = {"/quan-ly/", reverse("password_change"), reverse("sign_ins")}
    personal.add(reverse("two_factor_setup"))
    assert set(LINK.findall(html)) - personal == {
        reverse("campaigns:list"),
        reverse("reports:index"),
    }
