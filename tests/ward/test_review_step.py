"""The review step (lddh/ward/review.py) through the pages that use it: a form is
validated before anything is asked, the review shows the amounts in figures and words and
writes nothing, "Quay lại sửa" keeps what was typed, and only a confirmed post that is
still valid calls the service, once."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from donations.models import Donation, VoidRequest
from donations.selectors import fund_balance
from households import services
from households.models import Proposal, Support, SupportCategory, SupportForm, SupportSource
from households.views.rounds import REVIEWED_SET
from lddh.ward.audit import AuditAction
from lddh.ward.models import AuditEvent
from lddh.ward.money import amount_in_words
from lddh.ward.review import BACK, CONFIRM
from tests.factories import HouseholdFactory, ProposalFactory, make_round
from tests.households.support_helpers import PNG, Books, approve, propose, upload

TYPED = {
    "handover_date": "21/11/2024",
    "receiver_name": "Nguyễn Thị Nhận",
    "witness_name": "Lê Văn Chứng",
    "note": "Trao tại nhà văn hóa tổ 2",
}


@pytest.fixture
def books(world):
    return Books(world, amount=50_000_000)


@pytest.fixture
def support(world, books):
    return approve(world, propose(world, books))


def _pay_url(support):
    return reverse("households:support_pay", args=[support.pk])


def _events():
    return list(AuditEvent.objects.values_list("action", flat=True).order_by("pk"))


def test_a_missing_witness_is_reported_before_any_review(world, books, support):
    client = world.client("treasurer")
    before = _events()
    response = client.post(_pay_url(support), {**TYPED, "witness_name": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "review-step" not in page and f'name="{CONFIRM}"' not in page
    assert response.context["form"].errors["witness_name"]
    assert _events() == before


def test_a_valid_payment_is_reviewed_in_figures_and_words_and_writes_nothing(world, books, support):
    client = world.client("treasurer")
    before = _events()
    response = client.post(_pay_url(support), TYPED)
    page = response.content.decode()
    assert response.status_code == 200
    assert "review-step" in page
    assert "30.000.000" in page and amount_in_words(30_000_000) in page
    assert support.household.head_name in page
    assert "Nguyễn Thị Nhận" in page and "Lê Văn Chứng" in page
    assert "Xác nhận đã chi / bàn giao" in page and "Quay lại sửa" in page
    assert "được ghi vào sổ quỹ" in page
    assert "bound method" not in page and " object at 0x" not in page
    # Every typed value travels in a hidden field, exactly as typed.
    for name, value in TYPED.items():
        assert f'type="hidden" name="{name}" value="{value}"' in page
    support.refresh_from_db()
    assert support.status == Support.Status.APPROVED and not support.handover_number
    assert fund_balance(books.fund) == 50_000_000
    assert _events() == before  # the review step writes no audit event


def test_going_back_keeps_the_typed_values_and_writes_nothing(world, books, support):
    client = world.client("treasurer")
    response = client.post(_pay_url(support), {**TYPED, BACK: "1"})
    page = response.content.decode()
    assert "review-step" not in page
    assert 'value="Lê Văn Chứng"' in page and 'value="Trao tại nhà văn hóa tổ 2"' in page
    assert 'value="21/11/2024"' in page
    assert not response.context["form"].errors
    assert Support.objects.get(pk=support.pk).status == Support.Status.APPROVED


def test_the_confirmed_post_pays_once_with_one_audit_event(world, books, support):
    client = world.client("treasurer")
    client.post(_pay_url(support), TYPED)
    before = AuditEvent.objects.count()
    response = client.post(_pay_url(support), {**TYPED, CONFIRM: "1"})
    assert response.status_code == 302
    support.refresh_from_db()
    assert support.status == Support.Status.PAID
    assert support.witness_name == "Lê Văn Chứng"
    assert fund_balance(books.fund) == 20_000_000
    new = AuditEvent.objects.order_by("pk")[before:]
    assert [e.action for e in new].count(AuditAction.SUPPORT_PAY) == 1
    # A second confirmation (a double submit) pays nothing more.
    again = client.post(_pay_url(support), {**TYPED, CONFIRM: "1"})
    assert again.status_code == 200
    assert fund_balance(books.fund) == 20_000_000
    assert AuditEvent.objects.filter(action=AuditAction.SUPPORT_PAY).count() == 1


def test_a_tampered_confirmation_is_validated_again(world, books, support):
    client = world.client("treasurer")
    response = client.post(_pay_url(support), {**TYPED, "witness_name": "", CONFIRM: "1"})
    assert response.status_code == 200
    assert response.context["form"].errors["witness_name"]
    assert Support.objects.get(pk=support.pk).status == Support.Status.APPROVED
    assert not AuditEvent.objects.filter(action=AuditAction.SUPPORT_PAY).exists()


def test_a_refusal_of_the_service_shows_before_the_review(world, books):
    support = approve(world, propose(world, books, amount=60_000_000))
    response = world.client("treasurer").post(_pay_url(support), TYPED)
    page = response.content.decode()
    assert "Không đủ số dư" in page and "review-step" not in page
    assert not AuditEvent.objects.filter(action=AuditAction.FUND_PAY_OUT).exists()


def test_the_signed_record_chosen_on_the_form_is_kept_until_the_confirmation(world, books, support):
    client = world.client("treasurer")
    media = Path(settings.MEDIA_ROOT)

    def files() -> set[Path]:
        return {path for path in media.rglob("*") if path.is_file()}

    before = files()
    response = client.post(_pay_url(support), {**TYPED, "attachment": upload(PNG, "bb.png")})
    page = response.content.decode()
    assert "bb.png" in page and "review-step" in page
    assert not support.attachments.exists()  # nothing stored at the review
    assert files() == before  # no file written either
    key = response.context["kept_files"]
    assert key
    response = client.post(_pay_url(support), {**TYPED, CONFIRM: "1", "tep_giu": key})
    assert response.status_code == 302
    stored = support.attachments.get()
    assert stored.original_name == "bb.png"
    assert files() - before == {Path(stored.file.path)}


def test_going_back_after_choosing_a_file_says_to_choose_it_again(world, books, support):
    client = world.client("treasurer")
    response = client.post(_pay_url(support), {**TYPED, "attachment": upload(PNG, "bb.png")})
    key = response.context["kept_files"]
    back = client.post(_pay_url(support), {**TYPED, BACK: "1", "tep_giu": key})
    assert "Tệp “bb.png” chưa được gửi" in back.content.decode()
    assert "review_files" not in client.session
    assert not support.attachments.exists()


def test_a_wrong_file_is_refused_before_the_review(world, books, support):
    response = world.client("treasurer").post(
        _pay_url(support), {**TYPED, "attachment": upload(b"just text", "anh.jpg")}
    )
    page = response.content.decode()
    assert "không phải ảnh JPEG, PNG" in page and "review-step" not in page


# ---------------------------------------------------------------- void approval


def test_void_approval_is_reviewed_then_confirmed(world, books):
    donation = books.give(1_250_000)
    requested = world.client("staff").post(
        reverse("donations:void_request", args=[donation.pk]), {"reason": "Nhập trùng biên nhận"}
    )
    assert requested.status_code == 302
    void = VoidRequest.objects.get()
    # The donation was entered by staff; the committee decides.
    client = world.client("committee")
    url = reverse("donations:void_approve", args=[void.pk])
    before = _events()
    review = client.post(url)
    page = review.content.decode()
    assert review.status_code == 200 and "review-step" in page
    assert "1.250.000" in page and amount_in_words(1_250_000) in page
    assert donation.receipt.number in page and "Nhập trùng biên nhận" in page
    assert reverse("donations:void_list") in page  # "Quay lại" to the list
    assert _events() == before
    assert Donation.objects.get(pk=donation.pk).status == Donation.Status.VALID
    assert client.post(url, {CONFIRM: "1"}).status_code == 302
    assert Donation.objects.get(pk=donation.pk).status == Donation.Status.VOIDED
    assert AuditEvent.objects.filter(action=AuditAction.DONATION_VOID_APPROVE).count() == 1


def test_a_void_the_person_may_not_approve_is_refused_before_the_review(world, books):
    donation = books.give(300_000)
    world.client("staff").post(
        reverse("donations:void_request", args=[donation.pk]), {"reason": "Nhập trùng biên nhận"}
    )
    void = VoidRequest.objects.get()
    void.requested_by = world.users["committee"]
    void.save(update_fields=["requested_by"])
    response = world.client("committee").post(
        reverse("donations:void_approve", args=[void.pk]), follow=True
    )
    page = response.content.decode()
    assert "không được tự duyệt" in page and "review-step" not in page
    assert VoidRequest.objects.get().status == VoidRequest.Status.PENDING


# ---------------------------------------------------------------- proposal acceptance


def test_proposal_acceptance_is_reviewed_then_applied(world):
    target = HouseholdFactory(group=world.groups[2], head_name="Trần Thị Đề Xuất")
    proposal = ProposalFactory(household=target, proposed_by=world.users["leader2"])
    staff = world.client("staff")
    url = reverse("households:proposal_accept", args=[proposal.pk])
    before = _events()
    review = staff.post(url)
    page = review.content.decode()
    assert "review-step" in page and "Trần Thị Đề Xuất" in page
    assert "Xác nhận chấp nhận và áp dụng" in page
    assert "Hộ cận nghèo → " in page  # what changes, before → after
    assert reverse("households:proposal_detail", args=[proposal.pk]) in page  # "Quay lại"
    assert _events() == before
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.PENDING
    assert staff.post(url, {CONFIRM: "1"}).status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.ACCEPTED
    assert AuditEvent.objects.filter(action=AuditAction.PROPOSAL_ACCEPT).count() == 1


# ---------------------------------------------------------------- support cancellation


def test_cancelling_a_support_is_reviewed_and_going_back_keeps_the_reason(world, books, support):
    client = world.client("committee")
    url = reverse("households:support_cancel", args=[support.pk])
    typed = {"cancel-reason": "Hộ đã chuyển đi nơi khác"}
    assert client.post(url, {"cancel-reason": ""}).context["cancel_form"].errors
    before = _events()
    review = client.post(url, typed)
    page = review.content.decode()
    assert "review-step" in page and "Hộ đã chuyển đi nơi khác" in page
    assert amount_in_words(30_000_000) in page
    assert _events() == before
    back = client.post(url, {**typed, BACK: "1"}).content.decode()
    assert "Hộ đã chuyển đi nơi khác" in back and "review-step" not in back
    assert Support.objects.get(pk=support.pk).status == Support.Status.APPROVED
    assert client.post(url, {**typed, CONFIRM: "1"}).status_code == 302
    assert Support.objects.get(pk=support.pk).status == Support.Status.CANCELLED
    assert AuditEvent.objects.filter(action=AuditAction.SUPPORT_CANCEL).count() == 1


# ---------------------------------------------------------------- collection rounds


def test_posting_a_round_is_reviewed_with_its_total_in_words(world, books):
    round = make_round(
        actor=world.users["staff"],
        group=world.groups[3],
        campaign=books.campaign,
        lines=[("Đinh Văn An", "200.000"), ("Lê Thị Hoa", "150.000")],
    )
    client = world.client("staff")
    url = reverse("donations:round_post", args=[round.pk])
    donations = Donation.objects.count()
    before = _events()
    review = client.post(url, {"revision": round.revision})
    page = review.content.decode()
    assert review.status_code == 200 and "review-step" in page
    assert "350.000" in page and amount_in_words(350_000) in page
    assert "2 biên nhận" in page
    assert reverse("donations:round_check", args=[round.pk]) in page  # "Quay lại"
    assert Donation.objects.count() == donations and _events() == before
    round.refresh_from_db()
    assert round.is_draft
    response = client.post(url, {"revision": round.revision, CONFIRM: "1"})
    assert response.status_code == 302
    round.refresh_from_db()
    assert round.is_posted and Donation.objects.count() == donations + 2
    assert AuditEvent.objects.filter(action=AuditAction.ROUND_POST).count() == 1


# ---------------------------------------------------------------- a whole round paid


def _round_of_three(world, books):
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
    return round, list(round.supports.order_by("pk"))


ROUND_TYPED = {"pay-handover_date": "25/11/2024", "pay-witness_name": "Lê Văn Tổ"}


def test_a_round_confirms_only_the_set_of_supports_it_reviewed(world, books):
    round, supports = _round_of_three(world, books)
    approve(world, supports[0])
    approve(world, supports[1])
    client = world.client("treasurer")
    url = reverse("households:round_pay", args=[round.pk])
    review = client.post(url, ROUND_TYPED)
    assert "Xác nhận đã trao cho 2 hộ" in review.content.decode()
    reviewed = dict(review.context["carried"])[REVIEWED_SET]
    # The committee approves one more support while the review is open.
    approve(world, supports[2])
    before = _events()
    refused = client.post(url, {**ROUND_TYPED, REVIEWED_SET: reviewed, CONFIRM: "1"})
    page = refused.content.decode()
    assert refused.status_code == 200 and "review-step" in page
    assert "Danh sách hộ được trao đã thay đổi từ lúc xem lại" in page
    assert "Xác nhận đã trao cho 3 hộ" in page  # the review again, with the new set
    assert set(round.supports.values_list("status", flat=True)) == {"approved"}
    assert fund_balance(books.fund) == 50_000_000
    assert _events() == before
    # The review names the new set once, not the old one beside it.
    fresh = [v for n, v in refused.context["carried"] if n == REVIEWED_SET]
    assert len(fresh) == 1 and fresh[0] != reviewed
    assert page.count(f'name="{REVIEWED_SET}"') == 1
    paid = client.post(url, {**ROUND_TYPED, REVIEWED_SET: fresh[0], CONFIRM: "1"})
    assert paid.status_code == 302
    assert set(round.supports.values_list("status", flat=True)) == {"paid"}
    assert fund_balance(books.fund) == 50_000_000 - 1_500_000
    assert AuditEvent.objects.filter(action=AuditAction.ROUND_PAY).count() == 1


def test_a_round_confirmation_without_the_reviewed_set_is_refused(world, books):
    round, supports = _round_of_three(world, books)
    approve(world, supports[0])
    client = world.client("treasurer")
    url = reverse("households:round_pay", args=[round.pk])
    refused = client.post(url, {**ROUND_TYPED, CONFIRM: "1"})
    assert "Danh sách hộ được trao đã thay đổi" in refused.content.decode()
    assert Support.objects.get(pk=supports[0].pk).status == Support.Status.APPROVED
    assert not AuditEvent.objects.filter(action=AuditAction.ROUND_PAY).exists()


# ---------------------------------------------------------------- files kept per review


def test_two_reviews_in_one_session_keep_their_own_files(world, books, support):
    other = approve(world, propose(world, books, amount=10_000_000))
    client = world.client("treasurer")
    first = client.post(_pay_url(support), {**TYPED, "attachment": upload(PNG, "mot.png")})
    second = client.post(_pay_url(other), {**TYPED, "attachment": upload(PNG, "hai.png")})
    first_key, second_key = first.context["kept_files"], second.context["kept_files"]
    assert first_key and second_key and first_key != second_key
    response = client.post(_pay_url(support), {**TYPED, CONFIRM: "1", "tep_giu": first_key})
    assert response.status_code == 302
    assert support.attachments.get().original_name == "mot.png"
    response = client.post(_pay_url(other), {**TYPED, CONFIRM: "1", "tep_giu": second_key})
    assert response.status_code == 302
    assert other.attachments.get().original_name == "hai.png"
    assert "review_files" not in client.session  # both confirmed, nothing left behind


def test_abandoned_reviews_keep_only_a_few_files_in_the_session(world, books, support):
    client = world.client("treasurer")
    keys = [
        client.post(_pay_url(support), {**TYPED, "attachment": upload(PNG, f"{n}.png")}).context[
            "kept_files"
        ]
        for n in range(5)
    ]
    assert list(client.session["review_files"]) == keys[-3:]  # the oldest dropped


def test_a_confirmation_whose_kept_file_is_gone_is_refused(world, books, support):
    client = world.client("treasurer")
    client.post(_pay_url(support), {**TYPED, "attachment": upload(PNG, "bb.png")})
    before = _events()
    response = client.post(_pay_url(support), {**TYPED, CONFIRM: "1", "tep_giu": "khong-co"})
    assert response.status_code == 200
    assert "review-step" not in response.content.decode()
    assert response.context["form"].errors["attachment"] == [
        "Tệp đã chọn không còn được giữ (quá lâu hoặc đã mở trang xem lại khác): hãy chọn lại tệp."
    ]
    support.refresh_from_db()
    assert support.status == Support.Status.APPROVED and not support.attachments.exists()
    assert fund_balance(books.fund) == 50_000_000
    assert _events() == before
