"""Signed-in pages and downloads are never stored by a cache; public pages still are."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.permissions.donations import _receipt_kwargs
from tests.permissions.households import household


def _no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives and "public" not in directives


@pytest.mark.parametrize(
    ("url_name", "kwargs"),
    [
        ("households:detail", household),  # CCCD, health notes
        ("households:sensitive", household),
        ("households:export", None),  # the register workbook
        ("donations:receipt_pdf", _receipt_kwargs),
        ("dashboard:home", None),
    ],
)
def test_private_pages_and_downloads_are_never_cached(world, url_name, kwargs):
    url = reverse(url_name, kwargs=kwargs(world) if kwargs else None)
    response = world.client("committee").get(url)
    assert response.status_code == 200
    assert _no_store(response), response.get("Cache-Control")


def test_a_signed_in_person_gets_even_public_pages_uncached(world):
    response = world.client("staff").get("/")
    assert response.status_code == 200 and _no_store(response)


def test_public_pages_keep_their_caching_for_visitors(world):
    response = Client().get("/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
