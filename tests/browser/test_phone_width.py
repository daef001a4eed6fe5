"""Every page of the menu, and the pages one opens from the lists, fit a 360 px phone
for each role: nothing makes the page itself scroll sideways (a wide table scrolls
inside its own box)."""

import pytest

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NARROW = {"width": 360, "height": 740}
ROLES = ["canbo", "thuongtruc", "ketoan", "to1", "captren", "giamsat"]


def _menu_links(page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "nav a[href^='/quan-ly/']", "links => links.map(a => a.getAttribute('href'))"
    )
    return sorted({h for h in hrefs if not h.endswith((".pdf", ".xlsx", ".csv"))})


def _first_row_link(page) -> str | None:
    return page.evaluate(
        """() => {
            const a = document.querySelector("main table tbody a[href^='/quan-ly/']");
            return a && !/\\.(pdf|xlsx|csv)$/.test(a.getAttribute('href'))
                ? a.getAttribute('href') : null;
        }"""
    )


def test_every_menu_page_and_its_first_record_fit_a_small_phone(demo, new_page):
    too_wide = []
    for username in ROLES:
        page = new_page(viewport=NARROW)
        login(page, username)
        pages = _menu_links(page)
        seen = set()
        for href in pages:
            for target in (href, None):
                if target is None:
                    target = _first_row_link(page)
                    if target is None:
                        continue
                if target in seen:
                    continue
                seen.add(target)
                response = page.goto(page.base_url + target)
                if response is None or response.status != 200:
                    continue
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > NARROW["width"]:
                    too_wide.append(f"{username} {target}: {width} px")
        page.context.close()
    assert not too_wide, "Pages wider than a 360 px phone:\n" + "\n".join(too_wide)
