"""Confirmations happen in the page, after the server has accepted the form: a payment,
a void approval and a proposal acceptance each show a review step with the amounts in
figures and words; a simple deletion asks in an in-page dialog. The browser's own boxes
never open."""

import pytest

from campaigns.models import BoardMember
from campaigns.selectors import active_campaign
from donations.models import Donation, VoidRequest
from donations.selectors import fund_balance
from households.models import Proposal, Support
from lddh.ward.audit import AuditAction
from lddh.ward.models import AuditEvent
from lddh.ward.money import amount_in_words
from tests.browser.conftest import PHONE, login

pytestmark = pytest.mark.browser


def _no_browser_boxes(page) -> list:
    """Every window.confirm/alert/prompt the page opens, to assert there is none."""
    opened = []

    def dismiss(dialog):
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return opened


def _payable():
    """An approved support that the demo's books can pay."""
    for support in Support.objects.filter(status=Support.Status.APPROVED).order_by("pk"):
        covered = support.fund is None or fund_balance(support.fund) >= support.amount
        if support.amount and covered:
            return support
    pytest.fail("the demo has no approved support to pay")


def test_a_payment_is_checked_then_reviewed_in_words_then_confirmed(demo, new_page, screens):
    support = _payable()
    page = new_page(viewport=PHONE)
    boxes = _no_browser_boxes(page)
    login(page, "ketoan")
    url = f"{page.base_url}/quan-ly/ho-gia-dinh/ho-tro/{support.pk}/chi/"
    page.goto(url)
    page.fill("#id_receiver_name", "Nguyễn Thị Nhận")
    page.fill("#id_witness_name", "")
    page.fill("#id_note", "Trao tại nhà văn hóa")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    # The missing witness is reported first; nothing was asked yet.
    assert page.locator("#review-step").count() == 0
    assert page.locator("#id_witness_name.is-invalid").count() == 1
    assert page.input_value("#id_note") == "Trao tại nhà văn hóa"
    screens.shot(page, "thieu-nguoi-chung-kien")

    page.fill("#id_witness_name", "Lê Văn Chứng")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    review = page.locator("#review-step")
    review.wait_for()
    text = review.inner_text()
    assert amount_in_words(support.amount) in text
    assert f"{support.amount:,}".replace(",", ".") in text
    assert support.household.head_name in text and "Lê Văn Chứng" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screens.shot(page, "xem-lai-chi")
    assert Support.objects.get(pk=support.pk).status == Support.Status.APPROVED

    # "Quay lại sửa" brings the form back with what was typed.
    with page.expect_navigation():
        page.get_by_role("button", name="Quay lại sửa").click()
    assert page.input_value("#id_witness_name") == "Lê Văn Chứng"
    assert page.input_value("#id_receiver_name") == "Nguyễn Thị Nhận"
    assert page.input_value("#id_note") == "Trao tại nhà văn hóa"
    page.fill("#id_witness_name", "Lê Văn Chứng Kiến")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "Lê Văn Chứng Kiến" in page.locator("#review-step").inner_text()

    # A double click sends the confirmation once.
    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận đã chi / bàn giao").dblclick()
    assert "Đã chi / bàn giao hỗ trợ số" in page.locator(".alert").first.inner_text()
    paid = Support.objects.get(pk=support.pk)
    assert paid.status == Support.Status.PAID and paid.witness_name == "Lê Văn Chứng Kiến"
    events = AuditEvent.objects.filter(action=AuditAction.SUPPORT_PAY, object_id=str(paid.pk))
    assert events.count() == 1
    screens.shot(page, "da-chi")
    assert boxes == []


def test_void_approval_proposal_acceptance_and_a_deletion_ask_in_the_page(demo, new_page, screens):
    committee = new_page()
    boxes = _no_browser_boxes(committee)
    login(committee, "thuongtruc")
    void = (
        VoidRequest.objects.filter(status=VoidRequest.Status.PENDING)
        .exclude(requested_by__username="thuongtruc")
        .exclude(donation__entered_by__username="thuongtruc")
        .select_related("donation__receipt")
        .first()
    )
    assert void is not None, "the demo has no void request the committee may approve"
    committee.goto(committee.base_url + "/quan-ly/ung-ho/de-nghi-huy/?trang-thai=pending")
    form = committee.locator(f"form[action$='/de-nghi-huy/{void.pk}/duyet/']")
    with committee.expect_navigation():
        form.get_by_role("button").click()
    review = committee.locator("#review-step")
    text = review.inner_text()
    assert void.donation.receipt.number in text
    assert amount_in_words(void.donation.amount) in text
    screens.shot(committee, "xem-lai-huy")
    assert Donation.objects.get(pk=void.donation_id).status == Donation.Status.VALID
    with committee.expect_navigation():
        committee.get_by_role("button", name="Xác nhận duyệt hủy").click()
    assert Donation.objects.get(pk=void.donation_id).status == Donation.Status.VOIDED
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.DONATION_VOID_APPROVE, object_id=str(void.donation_id)
        ).count()
        == 1
    )

    proposal = (
        Proposal.objects.filter(status=Proposal.Status.PENDING)
        .exclude(proposed_by__username="canbo")
        .order_by("pk")
        .first()
    )
    assert proposal is not None, "the demo has no proposal waiting"
    staff = new_page(viewport=PHONE)
    boxes += _no_browser_boxes(staff)
    login(staff, "canbo")
    detail = f"{staff.base_url}/quan-ly/ho-gia-dinh/de-xuat/{proposal.pk}/"
    staff.goto(detail)
    with staff.expect_navigation():
        staff.get_by_role("button", name="Chấp nhận và áp dụng…").click()
    staff.locator("#review-step").wait_for()
    screens.shot(staff, "xem-lai-de-xuat")
    # "Quay lại" goes back to the proposal, still waiting.
    with staff.expect_navigation():
        staff.get_by_role("link", name="Quay lại").click()
    assert staff.url == detail
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.PENDING
    with staff.expect_navigation():
        staff.get_by_role("button", name="Chấp nhận và áp dụng…").click()
    with staff.expect_navigation():
        staff.get_by_role("button", name="Xác nhận chấp nhận và áp dụng").click()
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.ACCEPTED
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.PROPOSAL_ACCEPT, object_id=str(proposal.pk)
        ).count()
        == 1
    )

    # A simple deletion asks in a dialog of the page: "Quay lại" keeps the line.
    member = BoardMember.objects.create(
        campaign=active_campaign(), full_name="Đỗ Văn Thử", position="Ủy viên", order=99
    )
    committee.goto(f"{committee.base_url}/quan-ly/chien-dich/{member.campaign_id}/ban-van-dong/")
    delete = committee.locator(f"form[action$='/ban-van-dong/{member.pk}/xoa/'] button")
    delete.click()
    dialog = committee.locator("dialog.ask-dialog[open]")
    dialog.wait_for()
    assert member.full_name in dialog.inner_text()
    screens.shot(committee, "hoi-xoa")
    dialog.get_by_role("button", name="Quay lại").click()
    assert committee.locator("dialog.ask-dialog[open]").count() == 0
    assert BoardMember.objects.filter(pk=member.pk).exists()
    delete.click()
    with committee.expect_navigation():
        committee.locator("dialog.ask-dialog[open]").get_by_role("button", name="Xóa").click()
    assert not BoardMember.objects.filter(pk=member.pk).exists()
    assert boxes == []
