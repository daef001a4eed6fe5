"""Support in the browser's shoes: the whole path through the pages for the right roles,
distribution rounds, the voucher and the signed list (PDF text, Excel totals), scope and
query counts."""

from __future__ import annotations

import io

import pytest
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook

from donations.selectors import fund_balance
from households import services
from households.models import Support, SupportCategory, SupportForm, SupportSource
from lddh.ward.money import amount_in_words
from tests.households.support_helpers import (
    DAY,
    Books,
    approve,
    household,
    pay,
    pdf_text,
    propose,
)


@pytest.fixture
def books(world):
    return Books(world, amount=50_000_000)


def _round(world, books, households, **overrides):
    data = {
        "actor": world.users["staff"],
        "name": "Trao quà Tết Ất Tỵ 2025",
        "campaign": books.campaign,
        "category": SupportCategory.GIFT,
        "form": SupportForm.CASH,
        "amount": 500_000,
        "source": SupportSource.FUND,
        "fund": books.fund,
        "account": books.cash,
        "households": households,
    }
    data.update(overrides)
    return services.round_create(**data)


def _decision(prefix="approve"):
    return {
        f"{prefix}-decision_number": "15/QĐ-BVĐ",
        f"{prefix}-decision_date": "20/11/2024",
        f"{prefix}-decision_signer": "Nguyễn Thị Thu Hà",
    }


# ---------------------------------------------------------------- the whole path


def test_the_whole_path_in_the_browser_moves_the_fund_exactly_at_payment(world, books):
    target = household(world)
    leader = world.client("leader2")
    response = leader.post(
        reverse("households:support_create", args=[target.pk]),
        {
            "campaign": books.campaign.pk,
            "category": SupportCategory.HOUSE_REPAIR,
            "form": SupportForm.CASH,
            "description": "Hỗ trợ sửa mái nhà",
            "amount": "30.000.000",
            "source": SupportSource.FUND,
            "fund": books.fund.pk,
            "account": books.cash.pk,
            "items-TOTAL_FORMS": "4",
            "items-INITIAL_FORMS": "0",
        },
    )
    support = Support.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("households:support_detail", args=[support.pk])
    assert fund_balance(books.fund) == 50_000_000

    committee = world.client("committee")
    page = committee.get(reverse("households:support_detail", args=[support.pk]))
    assert "Duyệt hỗ trợ" in page.content.decode()
    response = committee.post(reverse("households:support_approve", args=[support.pk]), _decision())
    assert response.status_code == 302
    support.refresh_from_db()
    assert support.status == "approved"
    assert fund_balance(books.fund) == 50_000_000

    treasurer = world.client("treasurer")
    assert treasurer.get(reverse("households:support_pay", args=[support.pk])).status_code == 200
    typed = {
        "handover_date": "21/11/2024",
        "receiver_name": target.head_name,
        "witness_name": "Lê Văn Tổ",
    }
    review = treasurer.post(reverse("households:support_pay", args=[support.pk]), typed)
    assert review.status_code == 200  # the review step: nothing paid yet
    assert amount_in_words(30_000_000) in review.content.decode()
    assert fund_balance(books.fund) == 50_000_000
    response = treasurer.post(
        reverse("households:support_pay", args=[support.pk]), {**typed, "xac_nhan": "1"}
    )
    assert response.status_code == 302
    support.refresh_from_db()
    assert support.status == "paid"
    assert fund_balance(books.fund) == 20_000_000

    detail = leader.get(reverse("households:detail", args=[target.pk])).content.decode()
    assert f"Chi / bàn giao hỗ trợ số {support.pk}" in detail  # the timeline
    assert "Hỗ trợ đã nhận" in detail and "30.000.000" in detail


def test_a_refused_payment_shows_a_clear_message_and_writes_nothing(world, books):
    support = approve(world, propose(world, books, amount=60_000_000))
    response = world.client("treasurer").post(
        reverse("households:support_pay", args=[support.pk]),
        {"handover_date": "21/11/2024", "receiver_name": "Bà Hộ", "witness_name": "Ông Tổ"},
    )
    assert response.status_code == 200
    assert "Không đủ số dư" in response.content.decode()
    support.refresh_from_db()
    assert support.status == "approved"
    assert fund_balance(books.fund) == 50_000_000


def test_approving_ones_own_proposal_is_refused_on_the_page(world, books):
    support = propose(world, books, actor="committee")
    client = world.client("committee")
    page = client.get(reverse("households:support_detail", args=[support.pk])).content.decode()
    assert "một thành viên Ban Thường trực khác sẽ duyệt" in page
    response = client.post(reverse("households:support_approve", args=[support.pk]), _decision())
    assert response.status_code == 200
    assert "không được tự duyệt" in response.content.decode()
    support.refresh_from_db()
    assert support.status == "proposed"


def test_a_fake_photo_is_refused_on_the_payment_page(world, books):
    from django.core.files.uploadedfile import SimpleUploadedFile

    support = approve(world, propose(world, books))
    response = world.client("treasurer").post(
        reverse("households:support_pay", args=[support.pk]),
        {
            "handover_date": "21/11/2024",
            "receiver_name": "Bà Hộ",
            "witness_name": "Ông Tổ",
            "attachment": SimpleUploadedFile("anh.jpg", b"just some text"),
        },
    )
    assert response.status_code == 200
    assert "không phải ảnh JPEG, PNG" in response.content.decode()
    assert Support.objects.get(pk=support.pk).status == "approved"


# ---------------------------------------------------------------- documents


def test_voucher_pdf_prints_the_amount_in_words_and_the_signatures(world, books):
    support = pay(world, approve(world, propose(world, books, amount=2_015_000)))
    response = world.client("leader2").get(reverse("households:support_voucher", args=[support.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "Hai triệu không trăm mười lăm nghìn đồng" in text
    assert amount_in_words(2_015_000) == "Hai triệu không trăm mười lăm nghìn đồng"
    assert "BB-2024-0001" in text
    for caption in ("BÊN GIAO", "BÊN NHẬN", "NGƯỜI CHỨNG KIẾN"):
        assert caption in text
    assert "15/QĐ-BVĐ" in text


def test_an_unpaid_support_has_no_voucher(world, books):
    support = approve(world, propose(world, books))
    response = world.client("staff").get(reverse("households:support_voucher", args=[support.pk]))
    assert response.status_code == 404


def test_a_round_from_filters_to_signed_list(world, books):
    group2 = [household(world, head_name=f"Nguyễn Thị Hộ {n}") for n in range(3)]
    group5 = [household(world, group=5)]
    client = world.client("staff")
    page = client.get(reverse("households:round_create") + f"?to={world.groups[2].pk}")
    assert page.status_code == 200
    assert set(page.context["chosen"]) == {h.pk for h in group2}
    response = client.post(
        reverse("households:round_create") + f"?to={world.groups[2].pk}",
        {
            "name": "Trao quà Tết Ất Tỵ 2025",
            "campaign": books.campaign.pk,
            "category": SupportCategory.GIFT,
            "form": SupportForm.CASH,
            "amount": "500.000",
            "source": SupportSource.FUND,
            "fund": books.fund.pk,
            "account": books.cash.pk,
            "households": [h.pk for h in group2],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    supports = Support.objects.filter(round__isnull=False)
    assert supports.count() == 3 and set(supports.values_list("status", flat=True)) == {"proposed"}
    round = supports.first().round
    assert not Support.objects.filter(household__in=group5).exists()

    response = world.client("committee").post(
        reverse("households:round_approve", args=[round.pk]), _decision()
    )
    assert response.status_code == 302
    assert fund_balance(books.fund) == 50_000_000
    pay = reverse("households:round_pay", args=[round.pk])
    typed = {"pay-handover_date": "25/11/2024", "pay-witness_name": "Lê Văn Tổ"}
    review = world.client("treasurer").post(pay, typed)
    assert review.status_code == 200  # the review step: the total in figures and words
    assert "1.500.000" in review.content.decode()
    assert "Một triệu năm trăm nghìn đồng" in review.content.decode()
    assert fund_balance(books.fund) == 50_000_000
    confirm = dict(review.context["carried"])  # the typed values and the reviewed set
    response = world.client("treasurer").post(pay, {**confirm, "xac_nhan": "1"})
    assert response.status_code == 302
    assert fund_balance(books.fund) == 50_000_000 - 1_500_000
    numbers = sorted(supports.values_list("handover_number", flat=True))
    assert numbers == ["BB-2024-0001", "BB-2024-0002", "BB-2024-0003"]
    assert len({s.ledger_entry_id for s in supports}) == 3  # one entry per document

    pdf = world.client("leader2").get(reverse("households:round_signed_pdf", args=[round.pk]))
    text = " ".join(pdf_text(pdf.content).split())
    assert "DANH SÁCH KÝ NHẬN" in text
    assert "Một triệu năm trăm nghìn đồng" in text
    assert "1.500.000" in text
    assert all(h.head_name in text for h in group2)

    xlsx = world.client("staff").get(reverse("households:round_signed_xlsx", args=[round.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(values) if row and row[0] == "STT")
    data = [row for row in values[header + 1 :] if isinstance(row[0], int)]
    assert sum(row[4] for row in data) == supports.aggregate(s=Sum("amount"))["s"] == 1_500_000
    total_row = next(row for row in values if row and row[0] == "Tổng cộng")
    assert total_row[4].startswith("=SUM(E")


def test_a_round_refuses_repeats_without_a_reason_and_names_the_household(world, books):
    target = household(world, head_name="Trần Thị Lặp")
    pay(world, approve(world, propose(world, books, target, category="gift", amount=300_000)))
    with pytest.raises(Exception, match="Trần Thị Lặp"):
        _round(world, books, [target, household(world)])
    round = _round(world, books, [target], repeat_reason="Quà Tết, khác đợt thăm hỏi ốm đau")
    assert round.supports.get().repeat_reason.startswith("Quà Tết")


def test_round_payment_is_all_or_nothing_when_the_fund_runs_short(world, books):
    households = [household(world) for _ in range(3)]
    round = _round(world, books, households, amount=20_000_000)
    services.round_approve(
        actor=world.users["committee"],
        round=round,
        decision_number="20/QĐ-BVĐ",
        decision_date=DAY,
        decision_signer="Nguyễn Thị Thu Hà",
    )
    with pytest.raises(Exception, match="Không đủ số dư"):
        services.round_pay(
            actor=world.users["treasurer"], round=round, handover_date=DAY, witness_name="Ông Tổ"
        )
    assert set(round.supports.values_list("status", flat=True)) == {"approved"}
    assert fund_balance(books.fund) == 50_000_000


def test_the_proposer_of_a_round_cannot_approve_it(world, books):
    round = _round(world, books, [household(world)], actor=world.users["committee"])
    with pytest.raises(Exception, match="không được tự duyệt"):
        services.round_approve(
            actor=world.users["committee"],
            round=round,
            decision_number="20/QĐ-BVĐ",
            decision_date=DAY,
            decision_signer="Nguyễn Thị Thu Hà",
        )
    assert set(round.supports.values_list("status", flat=True)) == {"proposed"}


# ---------------------------------------------------------------- scope


def test_leader_cannot_see_other_groups_support_in_pages_pdf_and_excel(world, books):
    support = pay(world, approve(world, propose(world, books)))
    round = _round(world, books, [household(world), household(world, group=1)])
    leader1 = world.client("leader1")
    for name in ("support_detail", "support_voucher", "support_edit"):
        assert leader1.get(reverse(f"households:{name}", args=[support.pk])).status_code == 404
    listing = leader1.get(reverse("households:support_list")).content.decode()
    assert support.household.head_name not in listing
    # The round reaches group 1 too: leader1 sees it, but only their own row.
    detail = leader1.get(reverse("households:round_detail", args=[round.pk]))
    assert [s.household.group.number for s in detail.context["rows"]] == [1]
    services.round_approve(
        actor=world.users["committee"],
        round=round,
        decision_number="20/QĐ-BVĐ",
        decision_date=DAY,
        decision_signer="Nguyễn Thị Thu Hà",
    )
    xlsx = leader1.get(reverse("households:round_signed_xlsx", args=[round.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    rows = [r for r in sheet.iter_rows(values_only=True) if r and isinstance(r[0], int)]
    assert [r[3] for r in rows] == [1]


def test_leader_cannot_put_another_groups_household_in_a_round(world, books):
    other = household(world, group=2)
    response = world.client("leader1").post(
        reverse("households:round_create"),
        {
            "name": "Quà Tết",
            "campaign": books.campaign.pk,
            "category": "gift",
            "form": "cash",
            "amount": "500.000",
            "source": "fund",
            "fund": books.fund.pk,
            "account": books.cash.pk,
            "households": [other.pk],
        },
    )
    assert response.status_code == 200
    assert not Support.objects.exists()


# ---------------------------------------------------------------- query counts


def _list_queries(world, books, count, django_assert_num_queries, persona):
    for n in range(count):
        propose(world, books, household(world), amount=1_000_000 + n)
    client = world.client(persona)
    client.get(reverse("households:support_list"))  # warm the session
    return client


@pytest.mark.parametrize("persona", ["staff", "leader2"])
def test_support_list_query_count_does_not_grow_with_rows(
    world, books, django_assert_num_queries, persona
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for batch in (2, 20):
        client = _list_queries(world, books, batch, django_assert_num_queries, persona)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("households:support_list"))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    with django_assert_num_queries(counts[1]):
        client.get(reverse("households:support_list") + "?trang_thai=proposed&loai=house_repair")


def test_an_unusual_support_amount_asks_once_more_in_the_page(world, books):
    """Above the fund's review figure (50.000.000 đ by default) the proposal shows the
    figure and words and saves nothing until the person confirms that exact amount."""
    target = household(world)
    url = reverse("households:support_create", args=[target.pk])
    data = {
        "campaign": books.campaign.pk,
        "category": SupportCategory.NEW_HOUSE,
        "form": SupportForm.CASH,
        "description": "Hỗ trợ xây mới nhà",
        "amount": "100.000.000",
        "source": SupportSource.FUND,
        "fund": books.fund.pk,
        "account": books.cash.pk,
        "items-TOTAL_FORMS": "4",
        "items-INITIAL_FORMS": "0",
    }
    staff = world.client("staff")
    page = staff.post(url, data).content.decode()
    assert "Một trăm triệu đồng" in page and "mức cần xem lại của quỹ" in page
    assert not Support.objects.exists()
    assert staff.post(url, {**data, "amount_confirmed": "100000000"}).status_code == 302
    assert Support.objects.get().amount == 100_000_000
