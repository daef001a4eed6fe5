"""Recording many bank credits at once, and the queue's filters."""

import pytest
from django.urls import reverse

from donations import services
from donations.models import Donation, Donor, Receipt, StatementLine
from lddh.ward.audit import AuditAction
from lddh.ward.models import AuditEvent
from tests.donations.test_statements import GENERIC, _import
from tests.factories import statement_csv

ROWS = [
    ("20/10/2024", "FT1", "", "500.000", "", "IBFT NGUYEN VAN BINH chuyen tien ung ho"),
    ("21/10/2024", "FT2", "", "1.250.000", "", "R51118 Royal City ung ho"),
    (
        "22/10/2024",
        "FT3",
        "",
        "300.000",
        "",
        "MBVCB.1.2.TRAN THI MAI ung ho.CT tu 0123456789 TRAN THI MAI toi 0021000123456",
    ),
    ("23/10/2024", "FT4", "", "2.000.000", "", "CONG TY TNHH AN PHAT chuyen khoan"),
]


@pytest.fixture
def lines(books, db):
    from donations.models import BankLayout

    _import(books, BankLayout.objects.get(name=GENERIC), statement_csv(ROWS))
    return list(StatementLine.objects.order_by("date", "pk"))


def _entries(lines, names):
    return [
        services.BulkEntry(line=line, name=name) for line, name in zip(lines, names, strict=False)
    ]


def test_batch_records_every_line_with_consecutive_receipts(books, lines):
    names = ["Nguyen Van Binh", "Nhà hảo tâm", "Tran Thi Mai", "Cong Ty TNHH An Phat"]
    recorded = services.statement_lines_record(
        actor=books.staff, entries=_entries(lines, names), fund=books.vnn, campaign=books.campaign
    )
    numbers = [line.donation.receipt.number for line in recorded]
    assert numbers == [f"VNN-2024-00000{i}" for i in range(1, 5)]
    assert [line.donation.amount for line in recorded] == [500_000, 1_250_000, 300_000, 2_000_000]
    assert [line.donation.date for line in recorded] == [line.date for line in lines]
    assert [line.donation.donor.name for line in recorded] == names
    assert recorded[3].donation.donor.source == "business"
    assert all(line.status == "matched" for line in recorded)
    assert all(line.donation.channel == Donation.Channel.BANK for line in recorded)
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count(AuditAction.DONATION_RECORD.value) == 4
    assert actions.count(AuditAction.STATEMENT_RECORD.value) == 4
    assert actions.count(AuditAction.STATEMENT_BULK_RECORD.value) == 1


def test_batch_is_refused_whole_when_a_line_was_matched_meanwhile(books, lines):
    services.statement_line_ignore(actor=books.treasurer, line=lines[2], reason="Hoàn tiền")
    with pytest.raises(services.StatementError, match="22/10/2024, 300.000"):
        services.statement_lines_record(
            actor=books.staff,
            entries=_entries(lines, ["A B", "Nhà hảo tâm", "Tran Thi Mai", "X Y"]),
            fund=books.vnn,
        )
    assert Donation.objects.count() == 0
    assert Receipt.objects.count() == 0
    assert StatementLine.objects.filter(status="unmatched").count() == 3


def test_a_name_is_reused_only_when_it_matches_exactly_one_donor(books, lines):
    existing = Donor.objects.create(name="Nguyễn Văn Bình", source="individual")
    recorded = services.statement_lines_record(
        actor=books.staff, entries=_entries(lines[:1], ["Nguyen Van Binh"]), fund=books.vnn
    )
    assert recorded[0].donation.donor == existing
    Donor.objects.create(name="Trần Thị Mai", source="individual")
    Donor.objects.create(name="Tran Thi Mai", source="individual")
    with pytest.raises(services.StatementError, match="nhiều người ủng hộ tên"):
        services.statement_lines_record(
            actor=books.staff, entries=_entries(lines[2:3], ["Tran Thi Mai"]), fund=books.vnn
        )


def test_unknown_payers_never_merge(books, lines):
    recorded = services.statement_lines_record(
        actor=books.staff,
        entries=_entries(lines[:2], ["Nhà hảo tâm", "nha hao tam"]),
        fund=books.vnn,
    )
    donors = {line.donation.donor_id for line in recorded}
    assert len(donors) == 2


def test_an_empty_name_is_refused_naming_the_line(books, lines):
    with pytest.raises(services.StatementError, match="21/10/2024, 1.250.000"):
        services.statement_lines_record(
            actor=books.staff,
            entries=_entries(lines[:2], ["Nguyen Van Binh", "  "]),
            fund=books.vnn,
        )
    assert Donation.objects.count() == 0


def test_preview_suggests_names_and_the_page_records(books, lines, staff_client):
    url = reverse("donations:statement_bulk")
    preview = staff_client.get(url, {"dong": [line.pk for line in lines]})
    html = preview.content.decode()
    assert 'value="Nguyen Van Binh"' in html
    assert 'value="Nhà hảo tâm"' in html  # R51118 Royal City: no name
    assert 'value="Cong Ty TNHH An Phat"' in html
    data = {"dong": [line.pk for line in lines], "fund": books.vnn.pk}
    data.update({f"ten-{line.pk}": "Nhà hảo tâm" for line in lines})
    data[f"ten-{lines[0].pk}"] = "Nguyễn Văn Bình"
    response = staff_client.post(url, data)
    assert response.status_code == 302
    assert Donation.objects.count() == 4
    assert Donation.objects.order_by("date").first().donor.name == "Nguyễn Văn Bình"


def test_treasurer_may_not_record_lines(books, lines, treasurer_client):
    url = reverse("donations:statement_bulk")
    response = treasurer_client.post(url, {"dong": [lines[0].pk], "fund": books.vnn.pk})
    assert response.status_code == 403
    assert Donation.objects.count() == 0


# ---------------------------------------------------------------- the queue's filters


def _queue(client, **params):
    return client.get(reverse("donations:statement_queue"), params)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"FT1", "FT2", "FT3", "FT4"}),
        ({"date_from": "21/10/2024"}, {"FT2", "FT3", "FT4"}),
        ({"date_to": "21/10/2024"}, {"FT1", "FT2"}),
        ({"amount_min": "500.000", "amount_max": "1.250.000"}, {"FT1", "FT2"}),
        ({"q": "royal city"}, {"FT2"}),
        ({"status": "matched"}, set()),
        ({"status": ""}, {"FT1", "FT2", "FT3", "FT4"}),
    ],
)
def test_each_filter(books, lines, staff_client, params, expected):
    response = _queue(staff_client, **params)
    assert response.status_code == 200
    assert {line.reference for line in response.context["rows"]} == expected


def test_account_filter(books, lines, staff_client):
    assert len(_queue(staff_client, account=books.bank.pk).context["rows"]) == 4
    response = _queue(staff_client, account=books.treasury.pk)
    assert response.context["rows"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "31/02/2024"},
        {"amount_min": "abc"},
        {"amount_max": "9" * 40},
        {"status": "bogus"},
        {"account": "999999"},
        {"date_to": "x" * 5000},
    ],
)
def test_hostile_filter_values_give_a_vietnamese_error(books, lines, staff_client, params):
    response = _queue(staff_client, **params)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["rows"] == []
    assert "Bộ lọc chưa đúng" in response.content.decode()


def test_queue_shows_the_suggested_payer(books, lines, staff_client):
    html = _queue(staff_client).content.decode()
    assert "Nguyen Van Binh" in html
    assert "Tran Thi Mai" in html


def test_queue_past_the_count_cap_asks_for_a_narrower_filter(
    books, lines, staff_client, monkeypatch
):
    from donations.views import statements as statement_views

    monkeypatch.setattr(statement_views, "PAGE_SIZE", 1)
    monkeypatch.setattr(statement_views, "QUEUE_COUNT_CAP", 2)
    response = _queue(staff_client)
    html = response.content.decode()
    assert "Hơn 2 dòng theo bộ lọc" in html
    assert response.context["total"] is None
    assert response.context["page_obj"].paginator.num_pages == 2
    assert [line.reference for line in _queue(staff_client, page=2).context["rows"]] == ["FT3"]

    monkeypatch.setattr(statement_views, "TEXT_COUNT_CAP", 1)
    response = _queue(staff_client, q="ung ho")
    assert "Hơn 1 dòng theo bộ lọc" in response.content.decode()
    assert [line.reference for line in response.context["rows"]] == ["FT3"]


def test_queue_counts_and_sums_below_the_cap(books, lines, staff_client, monkeypatch):
    from donations.views import statements as statement_views

    monkeypatch.setattr(statement_views, "PAGE_SIZE", 1)
    response = _queue(staff_client, q="ung ho")
    assert (response.context["count"], response.context["total"]) == (3, 2_050_000)
    response = _queue(staff_client, amount_min="1.000.000")
    assert (response.context["count"], response.context["total"]) == (2, 3_250_000)
    assert [
        line.reference for line in _queue(staff_client, q="ung ho", page=3).context["rows"]
    ] == ["FT1"]


def test_line_page_prefills_the_suggested_payer(books, lines, staff_client):
    response = staff_client.get(reverse("donations:statement_line", args=[lines[3].pk]))
    form = response.context["record_form"]
    assert form.initial["new_name"] == "Cong Ty TNHH An Phat"
    assert form.initial["new_source"] == "business"
    assert 'value="Cong Ty TNHH An Phat"' in response.content.decode()
    response = staff_client.get(reverse("donations:statement_line", args=[lines[1].pk]))
    assert "new_name" not in response.context["record_form"].initial  # R51118 Royal City
    assert "không ghi rõ tên người chuyển" in response.content.decode()
