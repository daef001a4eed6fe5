"""Support services called directly: the whole path, every refusal writes nothing, the
fund balance moves exactly at payment, gapless handover numbers, attachments."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from donations.models import LedgerEntry
from donations.selectors import fund_balance
from donations.services import InsufficientFundsError
from households import services
from households.models import (
    FollowUp,
    HandoverCounter,
    Support,
    SupportAttachment,
    SupportCategory,
    SupportForm,
    SupportSource,
)
from households.selectors import household_timeline, support_warnings
from households.services import ItemLine
from lddh.ward.models import AppendOnlyError, AuditEvent
from tests.households.support_helpers import (
    DAY,
    JPEG,
    PDF,
    PNG,
    Books,
    approve,
    household,
    need_for,
    pay,
    propose,
    upload,
)


@pytest.fixture
def books(world):
    return Books(world, amount=50_000_000)


def _snapshot():
    """Everything a refused operation must leave untouched."""
    return (
        list(Support.objects.order_by("pk").values()),
        LedgerEntry.objects.count(),
        AuditEvent.objects.count(),
        list(HandoverCounter.objects.values_list("year", "last")),
        SupportAttachment.objects.count(),
    )


def _events(support, action):
    return AuditEvent.objects.filter(
        object_type="households.support", object_id=str(support.pk), action=action
    )


# ---------------------------------------------------------------- the whole path


def test_proposal_approval_payment_handover_and_follow_up(world, books):
    start = fund_balance(books.fund)
    support = propose(world, books)
    assert support.status == "proposed"
    assert support.group == world.groups[2]
    assert fund_balance(books.fund) == start

    support = approve(world, support)
    assert (support.status, support.decided_by) == ("approved", world.users["committee"])
    assert fund_balance(books.fund) == start

    support = pay(world, support, attachment=upload(PDF, "bien-ban.pdf"))
    assert support.status == "paid"
    assert support.handover_number == "BB-2024-0001"
    assert fund_balance(books.fund) == start - 30_000_000
    entry = support.ledger_entry
    assert (entry.kind, entry.amount, entry.document_type, entry.document_id) == (
        "payment",
        -30_000_000,
        "households.support",
        str(support.pk),
    )
    assert support.recipient["head_name"] == support.household.head_name
    attachment = support.attachments.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.file.name.endswith(".pdf")

    follow = services.support_follow_up(
        actor=world.users["leader2"],
        support=support,
        date=DAY + datetime.timedelta(days=40),
        status=FollowUp.Status.COMPLETED,
        note="Đã lợp xong mái tôn",
    )
    services.support_follow_up(
        actor=world.users["staff"],
        support=support,
        date=DAY + datetime.timedelta(days=200),
        status=FollowUp.Status.IN_USE,
    )
    assert follow.support.follow_ups.count() == 2
    for action in ("support.propose", "support.approve", "support.pay", "support.follow_up"):
        assert _events(support, action).exists(), action
    pay_event = _events(support, "support.pay").get()
    assert pay_event.before["status"] == "approved"
    assert pay_event.after["handover_number"] == "BB-2024-0001"
    titles = [entry.title for entry in household_timeline(support.household)]
    assert f"Chi / bàn giao hỗ trợ số {support.pk}" in titles
    assert any(t.startswith(f"Theo dõi hỗ trợ số {support.pk}") for t in titles)


def test_staff_and_committee_propose_for_any_group(world, books):
    for actor in ("staff", "committee"):
        assert propose(world, books, household(world, group=5), actor=actor).pk


def test_in_kind_support_with_items_is_valued_at_their_sum(world, books):
    support = propose(
        world,
        books,
        form=SupportForm.IN_KIND,
        category=SupportCategory.LIVELIHOOD,
        amount=None,
        items=[
            ItemLine("Xe đạp chở hàng", 1, "chiếc", 3_500_000),
            ItemLine("Tủ kính bán hàng", 1, "chiếc", 2_000_000),
        ],
    )
    assert support.amount == 5_500_000
    assert support.items.count() == 2


def test_referral_names_its_partner_and_moves_no_money(world, books):
    start = fund_balance(books.fund)
    support = propose(
        world,
        books,
        form=SupportForm.REFERRAL,
        category=SupportCategory.LOAN,
        amount=0,
        source=SupportSource.PROGRAMME,
        partner="Ngân hàng Chính sách xã hội quận Hai Bà Trưng",
    )
    assert support.programme_name == "Ngân hàng Chính sách xã hội quận Hai Bà Trưng"
    pay(world, approve(world, support))
    assert fund_balance(books.fund) == start
    assert not LedgerEntry.objects.filter(document_type="households.support").exists()


def test_direct_support_never_changes_the_fund_balance(world, books):
    donation = books.direct(15_000_000)
    start = fund_balance(books.fund)
    ledger = LedgerEntry.objects.count()
    support = propose(
        world, books, amount=15_000_000, source=SupportSource.DIRECT, donation=donation
    )
    support = pay(world, approve(world, support))
    assert support.is_paid and support.ledger_entry is None
    assert fund_balance(books.fund) == start
    assert LedgerEntry.objects.count() == ledger


def test_direct_support_cannot_exceed_what_the_donor_gave(world, books):
    donation = books.direct(15_000_000)
    propose(world, books, amount=10_000_000, source=SupportSource.DIRECT, donation=donation)
    with pytest.raises(ValidationError, match="chỉ còn 5.000.000"):
        propose(world, books, amount=6_000_000, source=SupportSource.DIRECT, donation=donation)


def test_a_fund_donation_is_not_a_direct_support(world, books):
    donation = books.give(1_000_000)
    with pytest.raises(ValidationError, match="không phải hỗ trợ trực tiếp"):
        propose(world, books, source=SupportSource.DIRECT, donation=donation)


# ---------------------------------------------------------------- refusals write nothing


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount": 0}, "lớn hơn 0"),
        ({"amount": -5}, "không được âm"),
        ({"amount": 1.5}, "số nguyên"),
        ({"description": "  "}, "nội dung"),
        ({"form": SupportForm.REFERRAL, "amount": 0}, "giới thiệu"),
        ({"source": SupportSource.PROGRAMME}, "chương trình"),
        ({"form": SupportForm.IN_KIND, "items": []}, "hiện vật"),
        (
            {"form": SupportForm.IN_KIND, "items": [ItemLine("Gạo", 1, "bao", 400_000)]},
            "phải bằng",
        ),
    ],
)
def test_bad_proposals_are_refused_and_write_nothing(world, books, overrides, message):
    target = household(world)
    before = _snapshot()
    with pytest.raises(ValidationError) as caught:
        propose(world, books, target, **overrides)
    assert message in " ".join(caught.value.messages)
    assert _snapshot() == before


def test_a_need_of_another_household_is_refused(world, books):
    other_need = need_for(household(world))
    with pytest.raises(ValidationError, match="không thuộc hộ"):
        propose(world, books, need=other_need)


def test_leader_cannot_propose_for_another_group(world, books):
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        propose(world, books, household(world, group=2), actor="leader1")
    assert _snapshot() == before


@pytest.mark.parametrize("actor", ["treasurer", "higher", "supervisor"])
def test_read_only_roles_cannot_propose(world, books, actor):
    with pytest.raises(PermissionDenied):
        propose(world, books, actor=actor)


def test_the_proposer_cannot_approve_their_own_proposal(world, books):
    support = propose(world, books, actor="committee")
    before = _snapshot()
    with pytest.raises(ValidationError, match="không được tự duyệt"):
        approve(world, support)
    with pytest.raises(ValidationError, match="không được tự duyệt"):
        services.support_reject(actor=world.users["committee"], support=support, reason="x")
    assert _snapshot() == before


@pytest.mark.parametrize("actor", ["staff", "treasurer", "leader2", "supervisor"])
def test_only_the_committee_approves(world, books, actor):
    support = propose(world, books, actor="staff" if actor != "staff" else "leader2")
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        approve(world, support, actor=actor)
    assert _snapshot() == before


def test_approval_needs_a_decision_reference(world, books):
    support = propose(world, books)
    before = _snapshot()
    with pytest.raises(ValidationError, match="số quyết định"):
        approve(world, support, decision_number="")
    with pytest.raises(ValidationError, match="người ký"):
        approve(world, support, decision_signer=" ")
    with pytest.raises(ValidationError, match="sau hôm nay"):
        approve(world, support, decision_date=timezone.localdate() + datetime.timedelta(days=1))
    assert _snapshot() == before


def test_rejecting_needs_a_reason_and_keeps_the_record(world, books):
    support = propose(world, books)
    with pytest.raises(ValidationError, match="lý do"):
        services.support_reject(actor=world.users["committee"], support=support, reason=" ")
    support = services.support_reject(
        actor=world.users["committee"], support=support, reason="Hộ đã được xã hội hóa"
    )
    assert (support.status, support.reject_reason) == ("rejected", "Hộ đã được xã hội hóa")
    with pytest.raises(ValidationError, match="không chờ duyệt"):
        approve(world, support)


def test_paying_an_unapproved_support_is_refused(world, books):
    support = propose(world, books)
    before = _snapshot()
    with pytest.raises(ValidationError, match="đã được Ban Thường trực duyệt"):
        pay(world, support)
    assert _snapshot() == before
    assert fund_balance(books.fund) == 50_000_000


@pytest.mark.parametrize("actor", ["committee", "staff", "leader2", "higher"])
def test_only_the_treasurer_pays(world, books, actor):
    support = approve(world, propose(world, books))
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        pay(world, support, actor=actor)
    assert _snapshot() == before


def test_treasurer_cannot_approve(world, books):
    support = propose(world, books)
    with pytest.raises(PermissionDenied, match="Ban Thường trực"):
        approve(world, support, actor="treasurer")


def test_amount_above_the_fund_balance_is_refused_and_writes_nothing(world, books):
    support = approve(world, propose(world, books, amount=60_000_000))
    before = _snapshot()
    with pytest.raises(InsufficientFundsError, match="Không đủ số dư"):
        pay(world, support, attachment=upload(PNG, "anh.png"))
    assert _snapshot() == before
    assert fund_balance(books.fund) == 50_000_000
    assert Support.objects.get(pk=support.pk).status == "approved"


def test_a_paid_support_is_not_paid_twice(world, books):
    support = pay(world, approve(world, propose(world, books)))
    before = _snapshot()
    with pytest.raises(ValidationError, match="đã được chi"):
        pay(world, support)
    assert _snapshot() == before


def test_the_approver_does_not_pay_what_they_approved(world, books):
    world.users["committee"].memberships.create(role="treasurer")
    world.users["committee"]._lddh_access = None
    del world.users["committee"]._lddh_access
    support = approve(world, propose(world, books))
    with pytest.raises(ValidationError, match="không được tự chi"):
        pay(world, support, actor="committee")


def test_handover_needs_receiver_and_witness_and_a_sane_date(world, books):
    support = approve(world, propose(world, books))
    before = _snapshot()
    with pytest.raises(ValidationError, match="người chứng kiến"):
        pay(world, support, witness_name="")
    with pytest.raises(ValidationError, match="người nhận"):
        pay(world, support, receiver_name=" ")
    with pytest.raises(ValidationError, match="trước ngày quyết định"):
        pay(world, support, handover_date=DAY - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="sau hôm nay"):
        pay(world, support, handover_date=timezone.localdate() + datetime.timedelta(days=1))
    assert _snapshot() == before


# ---------------------------------------------------------------- attachments


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"this is only text, not a photo", "anh.jpg"),
        (b"<html><script>alert(1)</script></html>", "bien-ban.pdf"),
        (b"", "rong.png"),
    ],
)
def test_attachments_are_judged_by_their_content(world, books, content, name):
    support = approve(world, propose(world, books))
    before = _snapshot()
    with pytest.raises(ValidationError, match="JPEG, PNG|rỗng"):
        pay(world, support, attachment=upload(content, name))
    assert _snapshot() == before


def test_attachments_above_10_mb_are_refused(world, books):
    support = approve(world, propose(world, books))
    big = upload(JPEG + b"\x00" * (10 * 1024 * 1024), "scan.jpg")
    with pytest.raises(ValidationError, match="10 MB"):
        pay(world, support, attachment=big)


def test_a_photo_named_pdf_is_stored_as_what_it_is(world, books):
    support = pay(world, approve(world, propose(world, books)))
    attachment = services.support_attach(
        actor=world.users["treasurer"], support=support, upload=upload(JPEG, "scan.pdf")
    )
    assert attachment.content_type == "image/jpeg"
    assert attachment.file.name.endswith(".jpg")
    assert attachment.original_name == "scan.pdf"
    with pytest.raises(AppendOnlyError):
        attachment.delete()


# ---------------------------------------------------------------- numbers, edits, cancels


def test_handover_numbers_are_gapless_per_year_even_after_a_refusal(world, books):
    first = pay(world, approve(world, propose(world, books, amount=20_000_000)))
    too_big = approve(world, propose(world, books, amount=40_000_000))
    with pytest.raises(InsufficientFundsError):
        pay(world, too_big)
    second = pay(world, approve(world, propose(world, books, amount=10_000_000)))
    other_year = pay(
        world,
        approve(
            world,
            propose(world, books, amount=1_000_000),
            decision_date=datetime.date(2025, 1, 10),
        ),
        handover_date=datetime.date(2025, 1, 15),
    )
    assert [first.handover_number, second.handover_number, other_year.handover_number] == [
        "BB-2024-0001",
        "BB-2024-0002",
        "BB-2025-0001",
    ]


def test_editing_an_approved_support_sends_it_back_to_proposed(world, books):
    support = approve(world, propose(world, books))
    support = services.support_update(
        actor=world.users["leader2"], support=support, amount=35_000_000
    )
    assert support.status == "proposed"
    assert (support.decided_by, support.decision_number) == (None, "")
    event = _events(support, "support.update").get()
    assert event.before["status"] == "approved" and event.after["status"] == "proposed"
    assert event.before["amount"] == 30_000_000 and event.after["amount"] == 35_000_000
    # The committee member who edited it may not approve it now.
    services.support_update(actor=world.users["committee"], support=support, amount=36_000_000)
    with pytest.raises(ValidationError, match="không được tự duyệt"):
        approve(world, support)


def test_a_paid_support_is_never_edited_cancelled_or_deleted(world, books):
    support = pay(world, approve(world, propose(world, books)))
    with pytest.raises(ValidationError):
        services.support_update(actor=world.users["staff"], support=support, amount=1)
    with pytest.raises(ValidationError, match="không hủy được"):
        services.support_cancel(actor=world.users["committee"], support=support, reason="x")
    support.amount = 1
    with pytest.raises(AppendOnlyError):
        support.save()
    with pytest.raises(AppendOnlyError):
        support.delete()
    with pytest.raises(AppendOnlyError):
        Support.objects.filter(pk=support.pk).update(amount=1)


def test_cancelling_keeps_the_record_with_a_reason(world, books):
    support = propose(world, books)
    with pytest.raises(ValidationError, match="lý do"):
        services.support_cancel(actor=world.users["leader2"], support=support, reason="")
    support = services.support_cancel(
        actor=world.users["leader2"], support=support, reason="Hộ đã được doanh nghiệp hỗ trợ"
    )
    assert Support.objects.filter(pk=support.pk, status="cancelled").exists()
    approved = approve(world, propose(world, books))
    with pytest.raises(PermissionDenied):
        services.support_cancel(actor=world.users["leader2"], support=approved, reason="x")
    services.support_cancel(actor=world.users["committee"], support=approved, reason="Sai hộ")


def test_follow_up_only_after_payment_and_by_the_group(world, books):
    support = approve(world, propose(world, books))
    with pytest.raises(ValidationError, match="đã chi"):
        services.support_follow_up(
            actor=world.users["staff"], support=support, date=DAY, status="completed"
        )
    support = pay(world, support)
    with pytest.raises(PermissionDenied):
        services.support_follow_up(
            actor=world.users["leader1"], support=support, date=DAY, status="completed"
        )


# ---------------------------------------------------------------- repeats and warnings


def test_a_repeat_of_the_same_category_needs_a_reason_to_be_approved(world, books):
    target = household(world)
    pay(world, approve(world, propose(world, books, target, amount=5_000_000)))
    second = propose(world, books, target, amount=5_000_000)
    warnings = support_warnings(second)
    assert any(w.blocking and "cùng loại" in w.text for w in warnings)
    before = _snapshot()
    with pytest.raises(ValidationError, match="lý do hỗ trợ thêm"):
        approve(world, second)
    assert _snapshot() == before
    second = approve(world, second, repeat_reason="Mái sập lần hai sau bão số 3")
    assert second.repeat_reason == "Mái sập lần hai sau bão số 3"
    # Another category in the same campaign is no repeat.
    other = propose(world, books, target, category=SupportCategory.MEDICAL, amount=1_000_000)
    assert approve(world, other).status == "approved"


def test_warnings_name_exit_met_need_and_the_configured_level(world, books):
    target = household(world)
    need = need_for(target, status="met")
    support = propose(world, books, target, need=need, amount=65_000_000)
    target.status = "exited"
    target.exit_date = DAY
    target.exit_reason = "Chuyển đi nơi khác"
    target.save()
    texts = " ".join(w.text for w in support_warnings(Support.objects.get(pk=support.pk)))
    assert "ra khỏi danh sách" in texts
    assert "đã đáp ứng" in texts
    assert "vượt mức 60.000.000" in texts
    assert "hiện còn 50.000.000" in texts
    # Warnings do not block: the committee decides.
    assert approve(world, support).status == "approved"


def test_public_consent_gives_a_pseudonym_only_when_given(world):
    target = household(world, head_name="Nguyễn Thị Hồng", group=2)
    assert target.public_pseudonym() == ""
    target = services.household_set_public_consent(
        actor=world.users["leader2"], household=target, consent=True, head_title="bà"
    )
    assert target.public_pseudonym() == "Hộ bà N.T.H., tổ 2"
    with pytest.raises(PermissionDenied):
        services.household_set_public_consent(
            actor=world.users["leader1"], household=target, consent=False, head_title=""
        )
