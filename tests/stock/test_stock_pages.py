"""The stock pages through the client: on hand at a date, an item's movements, the count
form's messages and the committee's decision."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from donations.models import StockCount, StockItem
from donations.services.stock import on_hand
from tests.stock.test_stock_services import Store
from tests.stock.test_stock_services import store as store


def test_on_hand_now_and_at_a_date(world, store):
    store.receive(("Gạo tẻ", "1000", "kg", 18_000_000))
    client = world.client("supervisor")
    page = client.get(reverse("donations:stock_list")).content.decode()
    assert "1.000 kg" in page and "18.000.000" in page
    before = client.get(reverse("donations:stock_list"), {"ngay": "19/10/2024"}).content.decode()
    assert "đến hết ngày 19/10/2024" in before and "1.000 kg" not in before
    wrong = client.get(reverse("donations:stock_list"), {"ngay": "32/10/2024"}).content.decode()
    assert "“32/10/2024” không phải ngày có thật" in wrong
    item = StockItem.objects.get()
    movements = client.get(reverse("donations:stock_item", args=[item.pk])).content.decode()
    assert "Nhập (nhận hiện vật)" in movements and "1.000" in movements


def test_count_form_names_the_field_and_the_committee_decides(world, store: Store):
    store.receive(("Gạo tẻ", "100", "kg", 1_800_000))
    item = StockItem.objects.get()
    treasurer = world.client("treasurer")
    url = reverse("donations:stock_count")
    response = treasurer.post(url, {"item": item.pk, "date": "20/11/2024", "counted": "chín"})
    assert response.status_code == 200
    assert "Số lượng đếm được phải là một số" in response.content.decode()
    assert not StockCount.objects.exists()
    response = treasurer.post(url, {"item": item.pk, "date": "20/11/2024", "counted": "97,5"})
    assert response.status_code == 302
    count = StockCount.objects.get()
    assert count.counted == Decimal("97.5")
    listing = world.client("committee").get(reverse("donations:stock_list")).content.decode()
    assert "Kiểm kê chờ duyệt" in listing and "-2,5 kg" in listing
    world.client("committee").post(
        reverse("donations:stock_count_approve", args=[count.pk]), {"reason": "Hao hụt"}
    )
    assert on_hand(item)[0] == Decimal("97.5")


def test_a_round_form_hands_out_rice_by_the_kilogram(world, store: Store):
    from households.models import DistributionRound, SupportItem
    from tests.factories import HouseholdFactory

    store.receive(("Gạo tẻ", "100", "kg", 1_800_000))
    household = HouseholdFactory(group=world.groups[2])
    response = world.client("staff").post(
        reverse("households:round_create"),
        {
            "name": "Trao gạo giáp Tết",
            "campaign": store.campaign.pk,
            "category": "gift",
            "form": "in_kind",
            "amount": "180.000",
            "item": "Gạo tẻ",
            "item_quantity": "10",
            "item_unit": "kg",
            "source": "fund",
            "fund": store.fund.pk,
            "account": store.goods.pk,
            "households": [household.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()
    round = DistributionRound.objects.get()
    line = SupportItem.objects.get(support__round=round)
    assert (line.description, line.quantity, line.unit) == ("Gạo tẻ", 10, "kg")
    store.hand_over(store.round([HouseholdFactory(group=world.groups[3])], quantity=5))
    assert on_hand(StockItem.objects.get())[0] == Decimal(95)


def test_the_recorder_of_a_count_sees_why_there_is_no_approve_button(world, store: Store):
    from django.test import Client

    from lddh.ward.roles import Role
    from tests.factories import MembershipFactory, UserFactory

    store.receive(("Gạo tẻ", "100", "kg", 1_800_000))
    item = StockItem.objects.get()
    recorder = world.client("committee")
    response = recorder.post(
        reverse("donations:stock_count"), {"item": item.pk, "date": "20/11/2024", "counted": "98"}
    )
    assert response.status_code == 302
    count = StockCount.objects.get()
    approve = reverse("donations:stock_count_approve", args=[count.pk])
    reject = reverse("donations:stock_count_reject", args=[count.pk])
    own = recorder.get(reverse("donations:stock_list")).content.decode()
    assert "-2 kg" in own
    assert "Người lập biên bản kiểm kê không tự duyệt được" in own
    assert approve not in own and reject not in own and ">Duyệt</button>" not in own
    # The server refuses the recorder all the same.
    recorder.post(approve, {"reason": "Hao hụt do chuột"})
    count.refresh_from_db()
    assert count.status == StockCount.Status.PENDING
    # Another member of the standing committee sees the buttons and approves.
    other = Client()
    second = UserFactory(username="thuongtruc2")
    MembershipFactory(user=second, role=Role.COMMITTEE)
    other.force_login(second)
    listing = other.get(reverse("donations:stock_list")).content.decode()
    assert approve in listing and reject in listing and ">Duyệt</button>" in listing
    assert "Người lập biên bản kiểm kê không tự duyệt được" not in listing
    other.post(approve, {"reason": "Hao hụt do chuột"})
    count.refresh_from_db()
    assert count.status == StockCount.Status.APPROVED
    assert on_hand(item)[0] == Decimal(98)
