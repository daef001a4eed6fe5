"""The in-page review step, typed and clicked through in Chromium, for a whole round paid
(households), a collection round posted (donations) and a support cancelled: a bad value
is refused before anything is asked, the review shows the amount in figures and words and
writes nothing, going back keeps what was typed, the confirmation writes once with one
audit event, and the browser's own boxes never open."""

from __future__ import annotations

import pytest
from django.urls import reverse

from donations.models import Donation
from donations.selectors import fund_balance
from households import services
from households.models import Support, SupportCategory, SupportForm, SupportSource
from lddh.ward.audit import AuditAction
from lddh.ward.models import AuditEvent
from lddh.ward.money import amount_in_words
from tests.browser.conftest import PHONE, login
from tests.factories import HouseholdFactory, make_round
from tests.households.support_helpers import Books, approve, propose

pytestmark = pytest.mark.browser


def _no_browser_boxes(page) -> list:
    opened = []

    def dismiss(dialog):
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return opened


def _events(action) -> int:
    return AuditEvent.objects.filter(action=action).count()


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_a_whole_round_is_paid_after_its_review_and_only_the_set_it_reviewed(
    browser_world, new_page, screens
):
    world = browser_world
    books = Books(world, amount=50_000_000)
    households = [HouseholdFactory(group=world.groups[2]) for _ in range(3)]
    round = services.round_create(
        actor=world.users["staff"],
        name="Trao quà Tết Ất Tỵ 2025",
        campaign=books.campaign,
        category=SupportCategory.GIFT,
        form=SupportForm.CASH,
        amount=500_000,
        source=SupportSource.FUND,
        fund=books.fund,
        account=books.cash,
        households=households,
    )
    supports = list(round.supports.order_by("pk"))
    approve(world, supports[0])
    approve(world, supports[1])
    page = new_page(viewport=PHONE)
    boxes = _no_browser_boxes(page)
    login(page, "ketoan")
    page.goto(page.base_url + reverse("households:round_detail", args=[round.pk]))
    pay = "form[action$='/chi/'] button[type=submit]"

    # A date that does not exist is refused on the form; nothing is asked.
    page.fill("#id_pay-handover_date", "31/11/2024")
    page.fill("#id_pay-witness_name", "Lê Văn Tổ")
    _submit(page, pay)
    assert page.locator("#review-step").count() == 0
    assert page.locator("#id_pay-handover_date.is-invalid").count() == 1
    assert page.input_value("#id_pay-witness_name") == "Lê Văn Tổ"

    page.fill("#id_pay-handover_date", "25/11/2024")
    _submit(page, pay)
    review = page.locator("#review-step")
    text = review.inner_text()
    assert "Xác nhận đã trao cho 2 hộ" in text
    assert "1.000.000" in text and amount_in_words(1_000_000) in text
    assert "25/11/2024" in text and "Lê Văn Tổ" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screens.shot(page, "xem-lai-chi-ca-dot")
    assert sorted(round.supports.values_list("status", flat=True)) == [
        "approved",
        "approved",
        "proposed",
    ]
    assert fund_balance(books.fund) == 50_000_000

    # "Quay lại sửa" brings the form back with what was typed.
    with page.expect_navigation():
        page.get_by_role("button", name="Quay lại sửa").click()
    assert page.input_value("#id_pay-witness_name") == "Lê Văn Tổ"
    assert page.input_value("#id_pay-handover_date") == "25/11/2024"
    _submit(page, pay)
    page.locator("#review-step").wait_for()

    # The committee approves the third support while the review is open: the
    # confirmation shows the review again with the new set instead of paying.
    approve(world, supports[2])
    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận đã trao cho 2 hộ").click()
    text = page.locator("#review-step").inner_text()
    assert "Danh sách hộ được trao đã thay đổi từ lúc xem lại" in text
    assert "Xác nhận đã trao cho 3 hộ" in text and amount_in_words(1_500_000) in text
    assert set(round.supports.values_list("status", flat=True)) == {"approved"}
    assert _events(AuditAction.ROUND_PAY) == 0

    # A double click pays once.
    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận đã trao cho 3 hộ").dblclick()
    assert "Đã chi / trao 3 khoản hỗ trợ" in page.locator(".alert").first.inner_text()
    assert set(round.supports.values_list("status", flat=True)) == {"paid"}
    assert fund_balance(books.fund) == 50_000_000 - 1_500_000
    assert _events(AuditAction.ROUND_PAY) == 1
    screens.shot(page, "da-chi-ca-dot")
    assert boxes == []


def test_a_collection_round_is_posted_after_its_review(browser_world, new_page, screens):
    world = browser_world
    books = Books(world)
    round = make_round(
        actor=world.users["staff"],
        group=world.groups[3],
        campaign=books.campaign,
        lines=[("Đinh Văn An", "200.000"), ("Lê Thị Hoa", "150.000")],
    )
    page = new_page(viewport=PHONE)
    boxes = _no_browser_boxes(page)
    login(page, "canbo")
    check = page.base_url + reverse("donations:round_check", args=[round.pk])
    page.goto(check)
    donations = Donation.objects.count()
    post = "#round-post-form button[type=submit]"
    _submit(page, post)
    text = page.locator("#review-step").inner_text()
    assert "Xác nhận ghi sổ đợt thu" in text
    assert "350.000" in text and amount_in_words(350_000) in text
    assert "2 biên nhận" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screens.shot(page, "xem-lai-ghi-so")
    round.refresh_from_db()
    assert round.is_draft and Donation.objects.count() == donations
    assert _events(AuditAction.ROUND_POST) == 0

    # "Quay lại" goes back to the check page; nothing was written.
    with page.expect_navigation():
        page.get_by_role("link", name="Quay lại", exact=True).click()
    assert page.url == check
    round.refresh_from_db()
    assert round.is_draft

    _submit(page, post)
    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận ghi sổ").dblclick()
    assert "Đã ghi sổ đợt thu" in page.locator(".alert").first.inner_text()
    round.refresh_from_db()
    assert round.is_posted and Donation.objects.count() == donations + 2
    assert _events(AuditAction.ROUND_POST) == 1
    assert boxes == []


def test_a_support_is_cancelled_after_its_review(browser_world, new_page, screens):
    world = browser_world
    books = Books(world, amount=50_000_000)
    support = approve(world, propose(world, books))
    page = new_page(viewport=PHONE)
    boxes = _no_browser_boxes(page)
    login(page, "thuongtruc")
    page.goto(page.base_url + reverse("households:support_detail", args=[support.pk]))
    cancel = "form[action$='/huy/'] button[type=submit]"

    # No reason: refused on the form, nothing asked.
    page.fill("#id_cancel-reason", "   ")
    _submit(page, cancel)
    assert page.locator("#review-step").count() == 0
    assert page.locator("#id_cancel-reason.is-invalid").count() == 1

    # A hostile reason is shown as text, never run.
    reason = "<script>alert('x')</script> Hộ đã chuyển đi nơi khác"
    page.fill("#id_cancel-reason", reason)
    _submit(page, cancel)
    text = page.locator("#review-step").inner_text()
    assert "Xác nhận hủy hỗ trợ số" in text and reason in text
    assert "30.000.000" in text and amount_in_words(30_000_000) in text
    screens.shot(page, "xem-lai-huy-ho-tro")
    assert Support.objects.get(pk=support.pk).status == Support.Status.APPROVED

    with page.expect_navigation():
        page.get_by_role("button", name="Quay lại sửa").click()
    assert page.input_value("#id_cancel-reason") == reason
    assert Support.objects.get(pk=support.pk).status == Support.Status.APPROVED
    assert _events(AuditAction.SUPPORT_CANCEL) == 0

    _submit(page, cancel)
    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận hủy hỗ trợ").dblclick()
    assert "Đã hủy hỗ trợ số" in page.locator(".alert").first.inner_text()
    cancelled = Support.objects.get(pk=support.pk)
    assert cancelled.status == Support.Status.CANCELLED and cancelled.cancel_reason == reason
    assert _events(AuditAction.SUPPORT_CANCEL) == 1
    assert fund_balance(books.fund) == 50_000_000
    assert boxes == []
