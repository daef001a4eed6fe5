"""Lists on a phone: rows as labelled cards, the filters behind one "Lọc" button with the
filters in use as chips that each drop one filter, the audit log's long values folded.
On a wide screen the same pages keep their tables and open filter forms.

Screenshots go to test-artifacts/screenshots/dien-thoai-360/ (the README uses them)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import DESKTOP, SCREENSHOTS, login

pytestmark = pytest.mark.browser

NARROW = {"width": 360, "height": 740}
DONATIONS = "/quan-ly/ung-ho/"
FILTERED = DONATIONS + "?source=individual&date_from=01/11/2024"


def _shot(page, name: str) -> None:
    """What the phone's screen shows (not the whole page): the README's pictures."""
    folder = SCREENSHOTS / "dien-thoai-360"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"))


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _texts(locator) -> list[str]:
    return [" ".join(text.split()) for text in locator.all_inner_texts()]


def test_lists_on_a_phone_are_cards_with_the_filters_folded(demo, new_page):
    """One demo for the whole journey (loading it is most of the time)."""
    page = new_page(viewport=NARROW)
    login(page, "canbo")
    _cards_and_folded_filters(page)
    _an_error_keeps_the_filters_open(page)
    _an_empty_list_is_one_plain_message(page)
    _the_audit_log_folds_long_values(page)
    _a_wide_screen_keeps_the_table_and_the_open_filters(new_page(viewport=DESKTOP))


def _cards_and_folded_filters(page) -> None:
    page.goto(page.base_url + FILTERED)

    # The filter form is folded; one button says how many filters are in use.
    form = page.locator("form[data-filters]")
    toggle = page.locator(".filter-toggle")
    assert not form.is_visible()
    assert toggle.inner_text() == "Lọc (2)"
    assert toggle.get_attribute("aria-expanded") == "false"
    chips = page.locator(".filter-chip")
    assert sorted(_texts(chips)) == [
        "Nguồn: Cá nhân, nhà hảo tâm ×",
        "Từ ngày: 01/11/2024 ×",
    ]

    # Each row is a card: no header row, every cell named by its column.
    table = page.locator("main table.table-stack")
    assert not table.locator("thead").is_visible()
    first = table.locator("tbody tr").first
    assert first.evaluate("tr => getComputedStyle(tr).display") == "block"
    labels = first.locator("td").evaluate_all("tds => tds.map(td => td.dataset.label)")
    assert labels == [
        "Ngày",
        "Số biên nhận",
        "Người ủng hộ",
        "Nguồn",
        "Hình thức",
        "Ghi nhận cho",
        "Số tiền",
        "Trạng thái",
    ]
    amount = first.locator("td[data-label='Số tiền']")
    assert amount.evaluate("td => getComputedStyle(td, '::before').content") == '"Số tiền"'
    box, row = amount.bounding_box(), first.bounding_box()
    assert box["x"] + box["width"] <= row["x"] + row["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    _shot(page, "ung-ho-the-va-bo-loc-gon")

    # The button opens the form; the chips stay.
    toggle.click()
    assert form.is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    _shot(page, "ung-ho-bo-loc-mo")
    toggle.click()
    assert not form.is_visible()

    # A chip drops its own filter only, and the list starts again at its first page.
    page.locator(".filter-chip", has_text="Nguồn").click()
    page.wait_for_url("**/quan-ly/ung-ho/?date_from=**")
    assert _query(page) == {"date_from": ["01/11/2024"]}
    assert page.locator(".filter-toggle").inner_text() == "Lọc (1)"
    assert _texts(page.locator(".filter-chip")) == ["Từ ngày: 01/11/2024 ×"]


def _an_empty_list_is_one_plain_message(page) -> None:
    page.goto(page.base_url + DONATIONS + "?q=khong-co-ai")
    cell = page.locator("main table.table-stack tbody td")
    assert cell.count() == 1
    assert cell.get_attribute("data-label") == ""
    assert cell.evaluate("td => getComputedStyle(td, '::before').content") == "none"
    assert cell.inner_text() == "Không có khoản ủng hộ nào khớp bộ lọc."


def _an_error_keeps_the_filters_open(page) -> None:
    page.goto(page.base_url + DONATIONS + "?amount_min=abc")
    assert page.locator("form[data-filters] .is-invalid").count() == 1
    assert page.locator("form[data-filters]").is_visible()
    assert page.locator(".filter-toggle").get_attribute("aria-expanded") == "true"


def _a_wide_screen_keeps_the_table_and_the_open_filters(page) -> None:
    login(page, "canbo")
    page.goto(page.base_url + FILTERED)
    assert page.locator("form[data-filters]").is_visible()
    assert not page.locator(".filter-bar").is_visible()
    table = page.locator("main table.table-stack")
    assert table.locator("thead").is_visible()
    assert table.locator("tbody tr").first.evaluate("tr => getComputedStyle(tr).display") == (
        "table-row"
    )


def _the_audit_log_folds_long_values(page) -> None:
    # The sign-in is logged with the browser's long signature.
    page.goto(page.base_url + "/quan-ly/giam-sat/nhat-ky/")
    # The downloads sit outside the folded filters: in view without opening them.
    assert not page.locator("form[data-filters]").is_visible()
    for label, fmt in (("Tải Excel", "xlsx"), ("Tải CSV", "csv")):
        link = page.get_by_role("link", name=label)
        assert link.is_visible()
        assert not link.evaluate("a => !!a.closest('form')")
        assert link.get_attribute("href").endswith(f"xuat={fmt}")
    box = page.get_by_role("link", name="Tải CSV").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"]
    folded = page.locator("main details.audit-value").first
    assert folded.is_visible()
    full = folded.locator("pre")
    assert not full.is_visible()
    assert "…" in folded.locator("summary .start").inner_text()
    first_card = page.locator("main table.table-stack > tbody > tr").first
    assert first_card.bounding_box()["height"] < 400
    _shot(page, "nhat-ky-thao-tac")
    folded.locator("summary").click()
    assert full.is_visible()
    assert "Mozilla" in full.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
