"""The one menu of the public pages: the same links, in the same order, on every page
that extends ``public/base.html`` (a year's page, a receipt's QR page, an error page).
The links to the donor list and the spending point at the current campaign, whatever
page shows them."""

from __future__ import annotations

from django import template
from django.urls import reverse

from lddh.public import selectors
from lddh.public.cache import cached_per_campaign

register = template.Library()


def _current_year() -> int | None:
    campaign = selectors.current_campaign()
    return campaign.year if campaign is not None else None


def menu_links() -> list[tuple[str, str]]:
    """(label, address) of every public menu entry."""
    year = cached_per_campaign("menu-year", _current_year)
    links = [("Tổng quan", reverse("public:home"))]
    if year is not None:
        links += [
            ("Người ủng hộ", reverse("public:donors", args=[year])),
            ("Chi hỗ trợ", reverse("public:spending", args=[year])),
        ]
    links += [
        ("Kiểm tra biên nhận", reverse("public:receipt_check")),
        ("Báo cáo đã công bố", reverse("public:reports")),
        ("Niêm yết bình xét", reverse("public:postings")),
        ("Phản ánh, kiến nghị", reverse("public:feedback")),
    ]
    return links


@register.inclusion_tag("public/_menu.html", takes_context=True)
def public_menu(context) -> dict:
    request = context.get("request")
    path = request.path if request is not None else ""
    return {
        "links": [
            {"label": label, "url": url, "current": url == path} for label, url in menu_links()
        ]
    }
