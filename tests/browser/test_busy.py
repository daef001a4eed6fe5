"""Long operations say they are running: the button is disabled and a status line with
a spinner appears; a download gives the page back once the file has started."""

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_an_upload_disables_its_button_and_says_to_wait(demo, new_page, tmp_path):
    page = new_page()
    login(page, "canbo")
    template = page.request.get(page.base_url + "/quan-ly/ho-gia-dinh/nhap-excel/mau.xlsx")
    assert template.ok, template.status
    path = tmp_path / "mau.xlsx"
    path.write_bytes(template.body())

    page.goto(page.base_url + "/quan-ly/ho-gia-dinh/nhap-excel/")
    # What the page showed while the server worked, written down as the page is left.
    page.evaluate(
        """() => window.addEventListener("pagehide", () => {
            const box = document.querySelector(".busy-status[role=status]");
            const button = document.querySelector("main form[enctype] button[type=submit]");
            sessionStorage.setItem("busy", JSON.stringify({
                text: box ? box.textContent : "",
                spinner: !!(box && box.querySelector(".spinner-border:not([hidden])")),
                disabled: button.disabled,
                busy: button.form.getAttribute("aria-busy"),
            }));
        })"""
    )
    page.set_input_files("main input[type=file]", str(path))
    with page.expect_navigation():
        page.click("main form[enctype] button[type=submit]")
    page.locator("main h1").wait_for()
    seen = page.evaluate("() => JSON.parse(sessionStorage.getItem('busy'))")
    assert seen == {
        "text": "Đang xử lý… xin đừng đóng trang.",
        "spinner": True,
        "disabled": True,
        "busy": "true",
    }
    # The server's answer (the preview) replaced the waiting page.
    assert page.locator(".busy-status").count() == 0
    assert page.locator("main form[enctype] button[type=submit]").is_enabled()


def test_a_report_download_shows_progress_then_gives_the_page_back(demo, new_page):
    page = new_page()
    login(page, "captren")
    page.goto(page.base_url + "/quan-ly/bao-cao/")
    button = page.get_by_role("button", name="Tải báo cáo")
    with page.expect_download() as info:
        button.click()
    assert info.value.suggested_filename.endswith(".xlsx")
    status = page.locator(".busy-status")
    page.wait_for_function(
        "() => document.querySelector('.busy-status')?.textContent.includes('bắt đầu tải về')"
    )
    assert "Tệp đã bắt đầu tải về" in status.inner_text()
    assert button.is_enabled()
    # The signal cookie is single use: the page removed it.
    assert not [c for c in page.context.cookies() if c["name"].startswith("tai_ve_")]
