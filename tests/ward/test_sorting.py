"""The shared sorting helper: whitelisted keys, stable tiebreak, links that keep filters."""

import pytest
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from lddh.ward.sorting import SortSpec

SPEC = SortSpec(
    {"ten": "username", "ho": ("last_name", "first_name"), "ngay": "date_joined"},
    default="ten",
    descending_first={"ngay"},
)


def q(text: str) -> QueryDict:
    return QueryDict(text)


def test_default_when_no_parameter():
    sort = SPEC.from_query(q(""))
    assert (sort.key, sort.descending, sort.is_default) == ("ten", False, True)
    assert sort.order_by() == ["username", "pk"]


def test_descending_key_orders_every_field_and_the_tiebreak_descending():
    sort = SPEC.from_query(q("sap_xep=-ho"))
    assert sort.order_by() == ["-last_name", "-first_name", "-pk"]


@pytest.mark.parametrize("raw", ["password", "-password", "--ten", "ten;drop", "__class__", "pk"])
def test_unknown_or_malformed_key_falls_back_to_default(raw):
    sort = SPEC.from_query(q(f"sap_xep={raw}"))
    assert sort.value == "ten"


def test_a_field_marked_descending_runs_against_the_column_direction():
    spec = SortSpec({"loai": ("is_staff", "-date_joined")}, default="loai")
    assert spec.from_query(q("")).order_by() == ["is_staff", "-date_joined", "pk"]
    assert spec.from_query(q("sap_xep=-loai")).order_by() == ["-is_staff", "date_joined", "-pk"]


def test_nulls_last_puts_empty_values_at_the_end_both_ways():
    spec = SortSpec({"ten": "last_login"}, default="ten", nulls_last={"ten"})
    for raw in ("ten", "-ten"):
        first, tiebreak = spec.from_query(q(f"sap_xep={raw}")).order_by()
        assert first.nulls_last and first.descending == raw.startswith("-")
        assert tiebreak == ("-pk" if raw.startswith("-") else "pk")


def test_default_may_be_descending():
    spec = SortSpec({"ngay": "date_joined"}, default="-ngay")
    assert spec.from_query(q("")).order_by() == ["-date_joined", "-pk"]


def test_spec_rejects_a_default_outside_the_whitelist():
    with pytest.raises(ValueError):
        SortSpec({"ten": "username"}, default="ngay")
    with pytest.raises(ValueError):
        SortSpec({"ten": "username"}, default="ten", descending_first={"ngay"})


def test_header_link_keeps_filters_and_drops_the_page():
    sort = SPEC.from_query(q("q=lan&to=3&to=4&page=5&trang=2&sap_xep=ho"))
    header = sort.header("ho")
    assert header.state == "ascending"
    assert header.url == "?q=lan&to=3&to=4&sap_xep=-ho"
    other = sort.header("ten")
    assert other.state is None
    # Back to the default order: the parameter is left out.
    assert other.url == "?q=lan&to=3&to=4"


def test_first_click_on_a_date_sorts_newest_first():
    header = SPEC.from_query(q("")).header("ngay")
    assert header.url == "?sap_xep=-ngay"
    assert header.next_descending


def test_query_string_for_pagination_keeps_a_chosen_order():
    assert SPEC.from_query(q("q=a&page=2&sap_xep=-ngay")).query_string() == "q=a&sap_xep=-ngay"
    assert SPEC.from_query(q("q=a&page=2")).query_string() == "q=a"


def test_header_for_a_column_outside_the_list_is_an_error():
    with pytest.raises(KeyError):
        SPEC.from_query(q("")).header("password")


def _render(text: str, query: str) -> str:
    request = RequestFactory().get("/x/?" + query)
    sort = SPEC.from_request(request)
    return Template("{% load sorting %}" + text).render(Context({"sort": sort}))


def test_sort_th_renders_a_link_with_aria_sort_on_the_sorted_column():
    html = _render('{% sort_th sort "ho" "Họ tên" css="text-end" %}', "sap_xep=-ho&q=a%20b")
    assert '<th scope="col" class="text-end" aria-sort="descending">' in html
    assert 'href="?q=a+b&amp;sap_xep=ho"' in html
    assert "▼" in html
    assert "đang giảm dần, bấm để sắp xếp tăng dần" in html


def test_sort_th_on_an_unsorted_column_has_no_aria_sort():
    html = _render('{% sort_th sort "ngay" "Ngày" %}', "")
    assert "aria-sort" not in html
    assert "↕" in html
    assert 'href="?sap_xep=-ngay"' in html


def test_sort_th_escapes_the_label_and_parameters():
    html = _render('{% sort_th sort "ten" label %}', 'q="><script>')
    assert "<script>" not in html


def test_sort_hidden_only_for_a_chosen_order():
    assert _render("{% sort_hidden sort %}", "") == ""
    assert _render("{% sort_hidden sort %}", "sap_xep=-ngay") == (
        '<input type="hidden" name="sap_xep" value="-ngay">'
    )


@pytest.mark.django_db
def test_apply_orders_rows_with_a_stable_tiebreak():
    User = get_user_model()
    users = [
        User.objects.create(username=f"u{i}", last_name="Nguyễn" if i % 2 else "Trần")
        for i in range(6)
    ]
    qs = User.objects.filter(pk__in=[u.pk for u in users])
    asc = list(SPEC.from_query(q("sap_xep=ho")).apply(qs).values_list("last_name", "pk"))
    assert asc == sorted(asc)
    desc = list(SPEC.from_query(q("sap_xep=-ho")).apply(qs).values_list("last_name", "pk"))
    assert desc == sorted(desc, reverse=True)


# ---------------------------------------------------------------- the lists that use it


def _names(response, attr):
    return [getattr(row, attr) for row in response.context["page_obj"].object_list]


def test_household_list_sorts_by_a_column_and_keeps_filters_in_links(world):
    from households.models import Category
    from tests.factories import HouseholdFactory, MemberFactory

    sizes = {"Lê Văn Ba": 3, "Trần Thị Một": 1, "Bùi Văn Hai": 2}
    for name, size in sizes.items():
        household = HouseholdFactory(group=world.groups[2], head_name=name, category=Category.POOR)
        MemberFactory.create_batch(size, household=household)
    client = world.client("staff")
    url = reverse("households:list")
    response = client.get(url, {"sap_xep": "-nhan_khau", "phan_loai": Category.POOR})
    assert _names(response, "head_name") == ["Lê Văn Ba", "Bùi Văn Hai", "Trần Thị Một"]
    html = response.content.decode()
    assert 'aria-sort="descending"' in html
    # The next click on the column reverses it and keeps the filter.
    assert f'href="?phan_loai={Category.POOR}&amp;sap_xep=nhan_khau"' in html
    # The filter form carries the order.
    assert '<input type="hidden" name="sap_xep" value="-nhan_khau">' in html
    response = client.get(url, {"sap_xep": "chu_ho"})
    assert _names(response, "head_name") == ["Bùi Văn Hai", "Lê Văn Ba", "Trần Thị Một"]
    # Nonsense falls back to the usual order (group, then name) instead of an error.
    assert client.get(url, {"sap_xep": "password"}).status_code == 200


def test_household_list_pagination_keeps_the_order(world):
    from tests.factories import HouseholdFactory

    HouseholdFactory.create_batch(30, group=world.groups[2])
    response = world.client("staff").get(reverse("households:list"), {"sap_xep": "-chu_ho"})
    assert "sap_xep=-chu_ho&amp;page=2" in response.content.decode()


@pytest.mark.parametrize(
    "name, query",
    [
        ("households:list", "sap_xep=-nhu_cau"),
        ("households:support_list", "sap_xep=-so_tien"),
        ("campaigns:list", "sap_xep=chi_tieu"),
        ("supervision:inspection_list", "sap_xep=noi_dung"),
        ("supervision:sample_list", "sap_xep=co_mau"),
        ("supervision:audit", "sap_xep=thoi_diem"),
    ],
)
def test_sorting_adds_no_query(world, name, query):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    persona = "supervisor" if name.startswith("supervision") else "staff"
    client = world.client(persona)
    url = reverse(name)
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as plain:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as sorted_:
        response = client.get(f"{url}?{query}")
    assert response.status_code == 200
    assert len(sorted_.captured_queries) == len(plain.captured_queries)
    assert response.context["sort"].value == query.split("=")[1]


def test_campaign_list_sorts_by_target(world):
    from tests.factories import CampaignFactory

    CampaignFactory(year=2023, target=300_000_000, status="closed")
    CampaignFactory(year=2024, target=100_000_000, status="closed")
    CampaignFactory(year=2025, target=200_000_000, status="draft")
    response = world.client("staff").get(reverse("campaigns:list"), {"sap_xep": "-chi_tieu"})
    assert _names(response, "year") == [2023, 2025, 2024]
    response = world.client("staff").get(reverse("campaigns:list"))
    assert _names(response, "year") == [2025, 2024, 2023]
    assert 'aria-sort="descending"' in response.content.decode()


def test_inspection_list_sorts_by_date_both_ways(world):
    import datetime

    from lddh.supervision import services
    from lddh.supervision.models import Inspection

    for i, title in enumerate(["Kiểm tra quỹ", "Bàn giao quà", "Đối chiếu sổ"]):
        services.inspection_create(
            actor=world.users["supervisor"],
            data={
                "date": datetime.date(2024, 11, 1 + i),
                "title": title,
                "team": "Đoàn",
                "scope": Inspection.Scope.GROUP,
                "group": world.groups[1 + i],
                "findings": "Đúng.",
            },
        )
    client = world.client("supervisor")
    response = client.get(reverse("supervision:inspection_list"))
    assert _names(response, "title") == ["Đối chiếu sổ", "Bàn giao quà", "Kiểm tra quỹ"]
    response = client.get(reverse("supervision:inspection_list"), {"sap_xep": "-ngay"})
    assert _names(response, "title") == ["Đối chiếu sổ", "Bàn giao quà", "Kiểm tra quỹ"]
    response = client.get(reverse("supervision:inspection_list"), {"sap_xep": "ngay"})
    assert _names(response, "title") == ["Kiểm tra quỹ", "Bàn giao quà", "Đối chiếu sổ"]


def test_campaign_calendar_sorts_newest_first_and_keeps_its_filter(world):
    import datetime

    from tests.factories import ActivityFactory, CampaignFactory

    campaign = CampaignFactory()
    for day in (20, 18, 25):
        ActivityFactory(campaign=campaign, date=datetime.date(2024, 10, day), title=f"Ngày {day}")
    url = reverse("campaigns:activities", args=[campaign.pk])
    client = world.client("staff")
    assert _names(client.get(url), "title") == ["Ngày 18", "Ngày 20", "Ngày 25"]
    response = client.get(url, {"sap_xep": "-ngay", "status": "done"})
    assert _names(response, "title") == ["Ngày 25", "Ngày 20", "Ngày 18"]
    assert 'href="?status=done"' in response.content.decode()  # back to the usual order
