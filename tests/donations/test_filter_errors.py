"""A list's filter refuses what it cannot read (a day that does not exist, letters in an
amount) with a Vietnamese message above the list, instead of silently showing the list
unfiltered as if the filter had been applied."""

import pytest
from django.urls import reverse

IMPOSSIBLE = "Từ ngày: “31/02/2024” không phải ngày có thật (tháng 2 năm 2024 chỉ có 29 ngày)."


@pytest.mark.parametrize(
    "url_name", ["donations:list", "donations:receipt_register", "donations:ledger"]
)
def test_an_impossible_date_is_an_error_above_the_list(world, url_name):
    response = world.client("staff").get(reverse(url_name), {"date_from": "31/02/2024"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Chưa lọc được danh sách" in html
    assert html.index("Chưa lọc được danh sách") < html.index('name="date_from"')
    assert IMPOSSIBLE in html
    assert 'value="31/02/2024"' in html  # what was typed stays in the box


def test_other_impossible_dates_say_why(world):
    client = world.client("staff")
    for typed, why in (
        ("29/02/2023", "tháng 2 năm 2023 chỉ có 28 ngày"),
        ("31/04/2024", "tháng 4 năm 2024 chỉ có 30 ngày"),
        ("12/13/2024", "không có tháng 13"),
        ("01/01/0024", "năm 24 nằm ngoài 1900–2100"),
    ):
        html = client.get(reverse("donations:list"), {"date_to": typed}).content.decode()
        assert f"Đến ngày: “{typed}” không phải ngày có thật ({why})." in html


def test_letters_in_an_amount_filter_are_an_error(world):
    html = (
        world.client("staff")
        .get(reverse("donations:list"), {"amount_min": "năm trăm"})
        .content.decode()
    )
    assert "Chưa lọc được danh sách" in html
    assert "Số tiền từ không hợp lệ: chỉ nhập chữ số" in html


def test_a_good_filter_shows_no_error_and_reads_eight_digits(world):
    client = world.client("staff")
    for typed in ("29/02/2024", "29022024", "29-02-2024", "2024-02-29"):
        response = client.get(reverse("donations:list"), {"date_from": typed})
        html = response.content.decode()
        assert "Chưa lọc được danh sách" not in html
        assert response.context["filter"].form.cleaned_data["date_from"].isoformat() == (
            "2024-02-29"
        )


def test_an_empty_choice_of_a_filter_says_all(world):
    html = world.client("staff").get(reverse("donations:list")).content.decode()
    assert "---------" not in html
    assert ">Tất cả</option>" in html


def test_the_feed_log_refuses_an_impossible_day_above_the_log(world):
    from tests.permissions.feeds import _feed_kwargs

    url = reverse("feeds:detail", kwargs=_feed_kwargs(world))
    html = world.client("staff").get(url, {"ngay": "30/02/2024"}).content.decode()
    assert "Chưa lọc được nhật ký" in html
    assert "Ngày: “30/02/2024” không phải ngày có thật (tháng 2 năm 2024 chỉ có 29 ngày)." in html
    assert 'value="30/02/2024"' in html
    html = world.client("staff").get(url, {"ngay": "29022024"}).content.decode()
    assert "Chưa lọc được nhật ký" not in html
