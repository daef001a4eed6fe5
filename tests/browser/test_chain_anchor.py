"""A supervisor checks a chain head copied from the public page against the books,
before and after someone rewrites an entry in SQL and recomputes the whole chain."""

import re

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_supervisor_compares_the_public_head_and_finds_the_rewritten_entry(
    demo, browser, live_server, screens
):
    from donations.models import Fund
    from tests.supervision.test_anchors import rewrite_fund

    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.base_url = live_server.url
    # A resident keeps the head the public page prints.
    page.goto(page.base_url + "/")
    line = page.locator("text=/Mã kiểm tra sổ quỹ VNN, đến bút toán số/").first
    text = line.inner_text()
    sequence = int(re.search(r"đến bút toán số (\d+)", text).group(1))
    digest = line.locator("code").inner_text()
    assert re.fullmatch(r"[0-9a-f]{64}", digest)

    login(page, "giamsat")
    page.goto(page.base_url + "/quan-ly/giam-sat/kiem-tra/")
    assert "Sổ quỹ khớp chứng từ" in page.content()
    page.click("text=Đối chiếu mã kiểm tra in trên giấy")

    def compare(value: str) -> str:
        page.select_option("#id_fund", "VNN")
        page.fill("#id_sequence", str(sequence))
        page.fill("#id_hash", value)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        return page.locator("main").inner_text()

    # Typed as read off paper: split over two lines, in capitals.
    assert "Khớp." in compare(f"{digest[:32].upper()}\n{digest[32:]}")
    assert "Mã kiểm tra gồm đúng 64 ký tự" in compare(digest[:63] + "z")

    target = rewrite_fund(Fund.objects.get(code="VNN"), position=1)
    result = compare(digest)
    screens.shot(page, "doi-chieu-khong-khop")
    assert "Không khớp." in result
    assert f"bút toán VNN-{target.sequence} khác với mã kiểm tra" in result
    page.goto(page.base_url + "/quan-ly/giam-sat/kiem-tra/")
    assert f"bút toán VNN-{target.sequence} khác với mã kiểm tra" in page.content()
    context.close()
