"""Every page fits a 360 px phone, for every demo persona.

The walk opens, at 360 px, every entry of a persona's menu (read from
``lddh.ward.nav.nav_items_for``, so a new menu page is covered without editing this file),
the account pages of the user menu, the first record each list links to, and the public
pages. On each page:

- the document is no wider than the screen (nothing scrolls the page sideways);
- nothing inside it scrolls sideways either: a list is shown as cards on a phone, not as
  a table to drag (templates mark it ``table-stack``);
- no figure or word spills out of its card, and no amount is cut across two lines;
- buttons, pagination and the menu's entries are at least 44 px high.

A failure names the persona, the page and the widest element."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NARROW = {"width": 360, "height": 740}
PERSONAS = ["canbo", "ketoan", "thuongtruc", "to1", "captren", "giamsat", "admin"]
TOUCH = 44
DOWNLOADS = (".pdf", ".xlsx", ".csv")

MEASURE = (Path(__file__).parent / "phone_measure.js").read_text(encoding="utf-8")

FIRST_RECORD = """() => {
  const a = document.querySelector("main table tbody a[href^='/quan-ly/']");
  const href = a && a.getAttribute('href');
  return href && !/\\.(pdf|xlsx|csv)(\\?|$)/.test(href) ? href : null;
}"""


def _menu_urls(username: str) -> list[str]:
    """The persona's menu as the page builds it, plus the account pages of the user menu
    and, for an administrator, the admin site."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from lddh.ward.access import access_for
    from lddh.ward.nav import nav_items_for

    user = get_user_model().objects.get(username=username)
    urls = []
    for entry in nav_items_for(access_for(user), reverse("dashboard:home")):
        urls.append(entry.url)
        urls.extend(child.url for child in entry.children)
    urls += [reverse("password_change"), reverse("sign_ins"), reverse("two_factor_setup")]
    if user.is_staff:
        urls.append(reverse("admin:index"))
    return list(dict.fromkeys(url for url in urls if not url.endswith(DOWNLOADS)))


def _public_urls() -> list[str]:
    from django.urls import reverse

    from campaigns.models import Campaign
    from donations.models import Receipt

    year = Campaign.objects.order_by("-year").values_list("year", flat=True).first()
    token = Receipt.objects.order_by("pk").values_list("token", flat=True).first()
    urls = [reverse("public:home"), reverse("public:receipt_check"), reverse("public:reports")]
    urls.append(reverse("login"))
    if year:
        urls += [
            reverse("public:year", args=[year]),
            reverse("public:donors", args=[year]),
            reverse("public:spending", args=[year]),
        ]
        urls += _proof_urls(year)
    if token:
        urls.append(reverse("donations_public:receipt_verify", args=[token]))
    return urls


def _proof_urls(year: int) -> list[str]:
    """The proof of spending of the year: a round and the support with a public scan."""
    from django.urls import reverse

    from households.models import RedactedScan, Support

    paid = Support.objects.filter(campaign__year=year, status="paid")
    urls = []
    in_round = paid.filter(round__isnull=False).select_related("round").first()
    if in_round:
        urls.append(reverse("public:spending_round", args=[year, in_round.round.public_token]))
    scan = RedactedScan.objects.published().filter(support__in=paid).first()
    shown = scan.support if scan else paid.first()
    if shown:
        urls.append(reverse("public:spending_support", args=[year, shown.handover_number]))
    return urls


def _problems(page, who: str, url: str) -> list[str]:
    found = page.evaluate(MEASURE, TOUCH)
    where = f"{who} {url}"
    problems = []
    if found["width"] > found["screen"]:
        problems.append(
            f"{where}: the page is {found['width']} px wide on a {found['screen']} px screen; "
            f"widest: {found['widest']}"
        )
    problems += [f"{where}: scrolls sideways: {item}" for item in found["scrolls"]]
    problems += [f"{where}: spills out of its card: {item}" for item in found["spills"]]
    problems += [f"{where}: touch target under {TOUCH} px: {item}" for item in found["small"]]
    return problems


def _open(page, url: str) -> bool:
    response = page.goto(page.base_url + url)
    assert response is not None, url
    assert response.status == 200, f"{url} answered {response.status}"
    if page.locator("input.money-input").count():
        # Each amount gets its line in words from the server after the page has loaded.
        page.wait_for_load_state("networkidle")
    return True


def _menu_entries_problems(page, who: str) -> list[str]:
    """The collapsed menu, opened, and each of its dropdowns: entries big enough to tap."""
    problems = []
    page.click(".navbar-toggler")
    page.wait_for_selector("#main-nav.show")
    problems += _problems(page, who, "(menu open)")
    for toggle in page.query_selector_all("#main-nav .dropdown-toggle"):
        toggle.click()
        problems += _problems(page, who, f"(menu «{toggle.inner_text().strip()}» open)")
        toggle.click()
    return problems


def test_every_page_fits_a_small_phone(demo, new_page):
    """One walk over one demo (loading it is a good part of the time): the public pages,
    then each persona in its own browser context."""
    problems: list[str] = []
    page = new_page(viewport=NARROW)
    for url in _public_urls():
        _open(page, url)
        problems += _problems(page, "khách", url)
    page.context.close()
    for username in PERSONAS:
        page = new_page(viewport=NARROW)
        login(page, username)
        problems += _menu_entries_problems(page, username)
        seen: set[str] = set()
        for url in _menu_urls(username):
            for target in (url, "first record"):
                if target == "first record":
                    target = page.evaluate(FIRST_RECORD)
                    if target is None:
                        continue
                if target in seen:
                    continue
                seen.add(target)
                _open(page, target)
                problems += _problems(page, username, target)
        page.context.close()
    assert not problems, "Pages that do not fit a 360 px phone:\n" + "\n".join(problems)
