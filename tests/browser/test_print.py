"""Printed pages carry the content only: no menus, buttons, filters or paging; the page
title, the ward and the date printed are on paper; tables use the whole width."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, login

pytestmark = pytest.mark.browser

HIDDEN_IN_PRINT = [
    "nav",
    ".navbar",
    ".btn",
    "form[role=search]",
    ".pagination",
    ".breadcrumb",
    "footer",
    ".sort-arrow",
]


def _visible_count(page, selector: str) -> int:
    return page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector)).filter(el => {
            const r = el.getBoundingClientRect();
            return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden";
        }).length""",
        selector,
    )


def _assert_prints_cleanly(page, url: str, screens, label: str) -> None:
    page.goto(page.base_url + url)
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="screen")
    # On screen the controls are there and the print header is not.
    assert _visible_count(page, ".btn") > 0, url
    assert _visible_count(page, ".print-header") == 0, url
    page.emulate_media(media="print")
    for selector in HIDDEN_IN_PRINT:
        assert _visible_count(page, selector) == 0, (url, selector)
    header = page.locator(".print-header")
    assert header.is_visible(), url
    text = header.inner_text()
    assert "phường Lê Đại Hành" in text and "In ngày" in text, text
    assert page.locator("main h1").first.is_visible(), url
    widths = page.evaluate(
        """() => ({
            main: document.querySelector("main").getBoundingClientRect().width,
            // Each table fills its container (a list fills the page; a dashboard card
            // table fills its card).
            tables: Array.from(document.querySelectorAll("main table.table"))
                .filter(t => t.getBoundingClientRect().width > 0)
                .map(t => {
                    const box = t.parentElement, style = getComputedStyle(box);
                    const inner = box.clientWidth - parseFloat(style.paddingLeft)
                        - parseFloat(style.paddingRight);
                    return [t.getBoundingClientRect().width, inner];
                }),
            rowsAvoidBreaks: Array.from(document.querySelectorAll("main table.table tr"))
                .every(tr => ["avoid", "avoid-page"].includes(getComputedStyle(tr).breakInside)),
        })"""
    )
    for width, container in widths["tables"]:
        assert width >= container * 0.95, (url, widths)
    assert widths["rowsAvoidBreaks"], url
    screens.shot(page, label)
    page.emulate_media(media="screen")


def test_household_detail_dashboard_and_lists_print_cleanly(demo, new_page, screens):
    page = new_page()
    login(page, "canbo")
    _assert_prints_cleanly(page, "/quan-ly/", screens, "in-tong-quan")
    _assert_prints_cleanly(page, "/quan-ly/ho-gia-dinh/", screens, "in-danh-sach-ho")
    # Printed from a phone, the columns hidden on its narrow screen come back on paper.
    page.set_viewport_size(PHONE)
    group_header = "() => document.querySelector('main thead th:nth-child(2)').offsetWidth"
    assert page.evaluate(group_header) == 0
    page.emulate_media(media="print")
    assert page.evaluate(group_header) > 0
    page.emulate_media(media="screen")
    page.set_viewport_size(DESKTOP)
    href = page.locator("main tbody a").first.get_attribute("href")
    _assert_prints_cleanly(page, href, screens, "in-ho-gia-dinh")
    _assert_prints_cleanly(page, "/quan-ly/ung-ho/", screens, "in-danh-sach-ung-ho")
    # Paper for a list: a PDF of the print layout renders, several pages long.
    page.emulate_media(media="print")
    page.goto(page.base_url + "/quan-ly/ho-gia-dinh/")
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"
