"""Progress of long work, in the browser (static/js/app.js):

- an upload (<form data-upload-progress>) shows how much of the file has gone, then the
  server's answer replaces the page, under the address it came from;
- a page with templates/includes/progress.html asks its progress URL every second, shows
  the bar and the line, goes on when the work is done, says so when the server is lost,
  and without JavaScript reloads itself.

The waiting pages are served by Playwright from the rendered include (no test view in the
app's URLs); the statement import page will carry the include itself, and its own browser
test will then drive the real thing end to end.
"""

import itertools
import json
import re
import time

import pytest
from django.template.loader import render_to_string

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

WAIT_PAGE = "/tien-do-thu/"
PROGRESS_JSON = "/tien-do-thu/json/"


def _waiting_page(percent, text) -> str:
    include = render_to_string(
        "includes/progress.html",
        {"progress_url": PROGRESS_JSON, "percent": percent, "text": text},
    )
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<link rel="stylesheet" href="/static/vendor/bootstrap/bootstrap.min.css">'
        '<link rel="stylesheet" href="/static/css/app.css"></head>'
        f"<body><main><h1>Đang nhập</h1>{include}</main>"
        '<script src="/static/js/app.js"></script></body></html>'
    )


def _serve(page, path, body, content_type="text/html; charset=utf-8"):
    page.route(
        page.base_url + path,
        lambda route: route.fulfill(status=200, content_type=content_type, body=body),
    )


def test_an_upload_shows_its_progress_then_the_servers_answer(demo, new_page, tmp_path):
    page = new_page()
    login(page, "canbo")
    csp_errors = []
    page.on(
        "console",
        lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(page.base_url + "/quan-ly/ung-ho/sao-ke/")
    # The import page opts in once it is rewritten; until then the test marks the form.
    # Every progress line shown, kept in the tab (the answer replaces the document).
    page.evaluate(
        """() => new MutationObserver(() => {
            const line = document.querySelector('.work-progress [data-progress-text]');
            if (!line) return;
            const seen = JSON.parse(sessionStorage.getItem('seen') || '[]');
            if (seen[seen.length - 1] !== line.textContent) seen.push(line.textContent);
            sessionStorage.setItem('seen', JSON.stringify(seen));
        }).observe(document.body, {subtree: true, childList: true, characterData: true})"""
    )
    # A slow line (about 1 MB/s up), so that the file goes in several steps.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 1_000_000},
    )
    path = tmp_path / "sao-ke.csv"
    path.write_bytes(bytes(range(256)) * 10_240)  # 2,5 MB, refused as a binary file
    page.set_input_files("main input[type=file]", str(path))
    page.select_option("main select[name=account]", index=1)
    page.select_option("main select[name=layout]", index=1)
    page.click("main form[enctype] button[type=submit]")
    page.locator("#upload-error").wait_for()

    seen = page.evaluate("() => JSON.parse(sessionStorage.getItem('seen'))")
    steps = [t for t in seen if re.fullmatch(r"Đang tải lên \d+ % \(\d+,\d / 2,5 MB\)", t)]
    assert len(steps) >= 2, seen
    assert "Đã tải lên xong. Máy chủ đang nhận tệp…" in seen
    # The server's answer (its refusal) is the page now, at the form's address, and its
    # scripts run again: the form can be sent once more.
    assert "nhị phân" in page.locator("#upload-error").inner_text()
    assert page.url == page.base_url + "/quan-ly/ung-ho/sao-ke/"
    assert page.locator(".work-progress").count() == 0
    assert page.locator("main form[enctype] button[type=submit]").is_enabled()
    assert csp_errors == []

    # A file the server takes: its redirect is followed, and the one-time message set
    # before it is shown (the page reached is not fetched twice).
    good = tmp_path / "sao-ke-tot.csv"
    good.write_text(
        "Ngày,Số tham chiếu,Ghi nợ,Ghi có,Số dư,Nội dung\n"
        "02/12/2024,FT24337000001,,250.000,10.250.000,NGUYEN VAN B ung ho quy\n",
        encoding="utf-8",
    )
    page.set_input_files("main input[type=file]", str(good))
    page.select_option("main select[name=account]", index=1)
    page.select_option(
        "main select[name=layout]",
        label="Mẫu chung (Ngày, Số tham chiếu, Ghi nợ, Ghi có, Số dư, Nội dung)",
    )
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_url(re.compile(r".*/quan-ly/ung-ho/sao-ke/nhap/\d+/$"))
    assert "Lần nhập sao kê số" in page.locator("main").inner_text()


def test_a_waiting_page_follows_the_work_and_goes_on_when_done(live_server, new_page):
    page = new_page()
    answers = iter(
        [
            {"percent": None, "text": "Đang đọc tệp…", "done": False, "redirect": None},
            {
                "percent": 42,
                "text": "Đã đọc 42.000 / 100.000 dòng",
                "done": False,
                "redirect": None,
            },
            {"percent": 100, "text": "Xong", "done": True, "redirect": "/xong/"},
        ]
    )
    asked = []

    def progress(route):
        asked.append(time.monotonic())
        route.fulfill(status=200, content_type="application/json", body=json.dumps(next(answers)))

    _serve(page, WAIT_PAGE, _waiting_page(5, "Đang chờ máy chủ…"))
    _serve(page, "/xong/", "<!doctype html><title>Xong</title><h1>Đã nhập xong</h1>")
    page.route(page.base_url + PROGRESS_JSON, progress)
    page.goto(page.base_url + WAIT_PAGE)
    bar = page.locator(".work-progress .progress")
    assert bar.get_attribute("aria-valuenow") == "5"  # drawn by the server before any poll
    assert page.locator("[data-progress-text]").inner_text() == "Đang chờ máy chủ…"

    page.wait_for_function(
        "() => !document.querySelector('.progress').hasAttribute('aria-valuenow')"
    )
    assert "progress-bar-animated" in page.locator(".progress-bar").get_attribute("class")
    assert page.locator("[data-progress-text]").inner_text() == "Đang đọc tệp…"
    page.wait_for_function(
        "() => document.querySelector('.progress').getAttribute('aria-valuenow') === '42'"
    )
    assert page.locator("[data-progress-text]").inner_text() == "Đã đọc 42.000 / 100.000 dòng"
    assert page.locator(".progress-bar").inner_text() == "42 %"
    page.wait_for_url(page.base_url + "/xong/")
    # One question a second, not a burst.
    assert all(b - a >= 0.9 for a, b in itertools.pairwise(asked)), asked


def test_a_waiting_page_says_when_the_server_is_lost(live_server, new_page):
    page = new_page()
    tries = []
    _serve(page, WAIT_PAGE, _waiting_page(30, "Đã đọc 30.000 dòng"))
    page.route(page.base_url + PROGRESS_JSON, lambda route: (tries.append(1), route.abort()))
    page.goto(page.base_url + WAIT_PAGE)
    line = page.locator("[data-progress-text]")
    line.filter(has_text="Mất kết nối với máy chủ").wait_for(timeout=10_000)
    assert line.get_attribute("role") == "alert"
    count = len(tries)
    assert count == 5
    page.wait_for_timeout(2_000)
    assert len(tries) == count  # it stopped asking


def test_without_javascript_a_waiting_page_reloads_itself(browser, live_server):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    try:
        page = context.new_page()
        loads = []
        page.route(
            live_server.url + WAIT_PAGE,
            lambda route: (
                loads.append(1),
                route.fulfill(
                    status=200,
                    content_type="text/html; charset=utf-8",
                    body=_waiting_page(30, "Đã đọc 30.000 dòng"),
                ),
            ),
        )
        page.goto(live_server.url + WAIT_PAGE)
        assert page.locator(".progress-bar").inner_text() == "30 %"
        assert page.locator("[data-progress-text]").inner_text() == "Đã đọc 30.000 dòng"
        page.wait_for_timeout(4_000)
        assert len(loads) >= 2
    finally:
        context.close()
