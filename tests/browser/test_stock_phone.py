"""The stock pages fit a 360 px phone (the demo's rice, its round and its count)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login
from tests.browser.test_phone_width import NARROW, _open, _problems

pytestmark = [pytest.mark.browser]


def test_stock_pages_fit_a_small_phone(demo, new_page):
    from django.urls import reverse

    from donations.models import StockItem

    rice = StockItem.objects.get(name="Gạo tẻ")
    urls = [
        reverse("donations:stock_list"),
        reverse("donations:stock_list") + "?ngay=31/12/2024",
        reverse("donations:stock_item", args=[rice.pk]),
        reverse("donations:stock_count"),
    ]
    problems: list[str] = []
    page = new_page(viewport=NARROW)
    login(page, "ketoan")
    for url in urls:
        _open(page, url)
        problems += _problems(page, "ketoan", url)
    _open(page, urls[2])
    assert "877,5" in page.inner_text("main")
    assert not problems, "\n".join(problems)
