"""A resident sends feedback from a 360 px phone without signing in (hostile values
first: empty content, too long, a bad phone, an .exe renamed .jpg), follows it with the
tracking code; the inspection team (giamsat) answers it and the committee publishes the
answer. Nothing private (the contact, an unpublished content) appears publicly."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from lddh.supervision.models import Feedback
from lddh.ward.models import AuditEvent
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 780}
CONTENT = "Nhà bà Lưu Thị Mận ở ngõ 12 tổ 3 có tên trong danh sách nhưng chưa nhận quà Tết."
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 200
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


@pytest.fixture
def ward(browser_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield browser_world
    cache.clear()


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]


def _send(page) -> None:
    with page.expect_navigation():
        page.click("#feedback-form button[type=submit]")


def _error(page, field: str) -> str:
    return page.locator(f"#id_{field}-error").inner_text()


def test_a_resident_sends_feedback_and_the_team_answers_it(ward, new_page, screens):
    page = new_page(viewport=SMALL_PHONE)
    page.goto(page.base_url + "/")
    # Reachable from every public page: the menu and the footer.
    assert page.locator("#footer-feedback").count() == 1
    with page.expect_navigation():
        page.locator("#public-menu").get_by_role("link", name="Phản ánh, kiến nghị").click()
    assert page.url.endswith("/phan-anh/")
    _fits(page)
    screens.shot(page, "mau-phan-anh-360")

    # Empty content.
    _send(page)
    assert "nội dung phản ánh" in _error(page, "content").lower()
    # Too long, a bad phone, a bad e-mail, an .exe renamed .jpg.
    page.select_option("#id_topic", "not_received")
    page.fill("#id_content", "x" * 3001)
    page.fill("#id_contact_phone", "0912 34")
    page.fill("#id_contact_email", "mận@")
    page.set_input_files(
        "#id_attachments", files=[{"name": "anh.jpg", "mimeType": "image/jpeg", "buffer": EXE}]
    )
    _send(page)
    assert "3000" in _error(page, "content")
    assert "Điện thoại" in _error(page, "contact_phone")
    assert "Thư điện tử" in _error(page, "contact_email")
    assert "Tệp đính kèm “anh.jpg”" in _error(page, "attachments")
    assert page.input_value("#id_contact_phone") == "0912 34"  # kept to be corrected
    _fits(page)
    screens.shot(page, "loi-360")
    assert not Feedback.objects.exists()

    page.fill("#id_content", CONTENT)
    page.fill("#id_contact_name", "Lưu Văn Gửi")
    page.fill("#id_contact_phone", "0912 345 678")
    page.fill("#id_contact_email", "")
    page.set_input_files(
        "#id_attachments", files=[{"name": "anh.png", "mimeType": "image/png", "buffer": PNG}]
    )
    _send(page)
    assert page.url.endswith("/phan-anh/da-gui/")
    code = page.locator("#tracking-code").inner_text().strip()
    item = Feedback.objects.get()
    assert code == item.code and item.contact_phone == "0912 345 678"
    assert item.attachments.count() == 1
    _fits(page)
    screens.shot(page, "ma-theo-doi-360")

    # Following it with the code, typed in lower case without dashes.
    with page.expect_navigation():
        page.get_by_role("link", name="Tra cứu phản ánh").click()
    page.fill("#id_ma", code.lower().replace("-", " "))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("#track-status").inner_text() == "Mới tiếp nhận"
    assert CONTENT not in page.content() and "0912" not in page.content()
    _fits(page)

    # The inspection team assigns and answers it (on a phone too).
    team = new_page(viewport=SMALL_PHONE)
    login(team, "giamsat")
    team.goto(team.base_url + "/quan-ly/giam-sat/phan-anh/")
    with team.expect_navigation():
        team.get_by_role("link", name=code).click()
    assert CONTENT in team.locator("#feedback-content").inner_text()
    with team.expect_navigation():
        team.get_by_role("button", name="Giao xử lý").click()
    assert "Đang xem xét" in team.locator("#feedback-status").inner_text()
    with team.expect_navigation():
        team.get_by_role("link", name="Trả lời", exact=True).click()
    team.fill("#id_answer", "ok")
    with team.expect_navigation():
        team.get_by_role("button", name="Ghi trả lời").click()
    assert "ít nhất" in team.locator("#error_1_id_answer, .invalid-feedback").first.inner_text()
    answer = "Ban Thanh tra đã xác minh: gia đình nhận quà ngày 25/01, có ký nhận."
    team.fill("#id_answer", answer)
    with team.expect_navigation():
        team.get_by_role("button", name="Ghi trả lời").click()
    assert "Đã trả lời" in team.locator("#feedback-status").inner_text()
    assert team.get_by_role("link", name="Công khai trả lời").count() == 0  # the committee's
    _fits(team)
    screens.shot(team, "giam-sat-tra-loi-360")

    # Answered, not published: the resident sees the state, not the answer.
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("#track-status").inner_text() == "Đã trả lời"
    assert answer not in page.content()

    # The committee publishes it with the question reworded.
    committee = new_page(viewport=SMALL_PHONE)
    login(committee, "thuongtruc")
    committee.goto(committee.base_url + f"/quan-ly/giam-sat/phan-anh/{item.pk}/")
    with committee.expect_navigation():
        committee.get_by_role("link", name="Công khai trả lời").click()
    committee.fill("#id_public_question", "Một hộ ở tổ 3 chưa nhận được quà Tết.")
    committee.get_by_role("button", name="Công khai trả lời").click()
    with committee.expect_navigation():
        committee.locator("dialog .ask-yes").click()
    assert "đã công khai" in committee.locator("#feedback-status").inner_text()
    _fits(committee)
    actions = set(
        AuditEvent.objects.filter(
            object_id=str(item.pk), action__startswith="feedback."
        ).values_list("action", flat=True)
    )
    assert actions == {"feedback.submit", "feedback.assign", "feedback.answer", "feedback.publish"}

    # The resident reads the answer; the public page shows the reworded Q&A only.
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert answer in page.locator("#track-answer").inner_text()
    page.goto(page.base_url + "/phan-anh/")
    text = page.content()
    assert "Một hộ ở tổ 3 chưa nhận được quà Tết." in text and answer in text
    for private in (CONTENT, "Lưu Thị Mận", "Lưu Văn Gửi", "0912 345 678", code):
        assert private not in text, private
    assert page.locator("#feedback-months tbody tr").count() == 1
    _fits(page)
    screens.shot(page, "tra-loi-cong-khai-360")
