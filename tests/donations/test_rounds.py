"""Collection rounds: drafts, the dry run, posting all-or-nothing and once, scope."""

import io
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from donations import services
from donations.imports import lines_from_file, template_workbook
from donations.models import CollectionRound, Donation, Donor, LedgerEntry, Receipt, RoundLine
from donations.services import rounds as round_services
from donations.statements import FileRefused
from lddh.ward.models import AuditEvent
from lddh.ward.vocab import DonorSource
from tests.factories import DonorFactory, make_round

LINES = [("Đinh Văn An", "200.000"), ("Trần Thị Bình", "100000"), ("Lê Văn Cường", "50.000")]


def _round(books, world, lines=LINES, group=2, **kwargs):
    return make_round(
        actor=books.staff, group=world.groups[group], campaign=books.campaign, lines=lines, **kwargs
    )


def test_round_gets_a_short_unique_code_and_transfer_note(books, world):
    first, second = _round(books, world), _round(books, world)
    assert first.code == f"R{first.pk:04d}" and second.code != first.code
    assert first.transfer_note == f"VNN {first.code}"
    assert len(first.transfer_note) <= 25 and first.transfer_note.isascii()


def test_post_per_line_records_each_line_with_its_receipt(books, world):
    round = _round(books, world)
    posted = services.round_post(actor=books.staff, round=round)
    assert posted.is_posted and posted.posted_by == books.staff
    lines = list(posted.lines.select_related("donation__receipt", "donor"))
    assert [line.donation.amount for line in lines] == [200_000, 100_000, 50_000]
    assert all(line.donation.credited_group == world.groups[2] for line in lines)
    assert all(line.donor.source == DonorSource.RESIDENTS for line in lines)
    assert Receipt.objects.count() == 3
    assert LedgerEntry.objects.filter(kind="receipt").count() == 3
    assert AuditEvent.objects.filter(action="round.post").count() == 1


def test_post_single_receipt_keeps_the_list_for_publication(books, world):
    round = _round(
        books,
        world,
        lines=[*LINES, services.LineInput(name="Phạm Thu", amount_text="30.000", anonymous=True)],
        receipt_mode=CollectionRound.ReceiptMode.SINGLE,
    )
    posted = services.round_post(actor=books.staff, round=round)
    donation = posted.collective_donation
    assert donation.amount == 380_000
    assert donation.donor.name == "Nhân dân tổ dân phố số 2" or donation.donor.name.startswith(
        "Nhân dân"
    )
    assert Donation.objects.count() == 1
    lines = list(posted.lines.order_by("position"))
    assert [line.amount for line in lines] == [200_000, 100_000, 50_000, 30_000]
    assert lines[-1].public_name == "Nhà hảo tâm giấu tên"
    assert all(line.donation_id is None for line in lines)
    # A second single-receipt round of the same group reuses the collective donor.
    again = services.round_post(
        actor=books.staff,
        round=_round(books, world, receipt_mode=CollectionRound.ReceiptMode.SINGLE),
    )
    assert again.collective_donation.donor_id == donation.donor_id


def test_failure_in_the_middle_writes_nothing(books, world, monkeypatch):
    round = _round(books, world)
    real = round_services.donation_record
    calls = {"n": 0}

    def failing(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise services.DonationError("Lỗi giả lập ở dòng thứ ba.")
        return real(**kwargs)

    monkeypatch.setattr(round_services, "donation_record", failing)
    donors_before = Donor.objects.count()
    with pytest.raises(services.RoundError, match="Dòng 3"):
        services.round_post(actor=books.staff, round=round)
    round.refresh_from_db()
    assert round.is_draft
    assert Donation.objects.count() == 0 and Receipt.objects.count() == 0
    assert LedgerEntry.objects.count() == 0
    assert Donor.objects.count() == donors_before
    assert not RoundLine.objects.filter(donation__isnull=False).exists()
    # The receipt numbers given back: the next receipt is number 1.
    monkeypatch.setattr(round_services, "donation_record", real)
    services.round_post(actor=books.staff, round=round)
    assert sorted(Receipt.objects.values_list("seq", flat=True)) == [1, 2, 3]


def test_posting_twice_posts_once(books, world):
    round = _round(books, world)
    first = services.round_post(actor=books.staff, round=round, revision=round.revision)
    second = services.round_post(actor=books.staff, round=round, revision=round.revision)
    assert first.pk == second.pk
    assert Donation.objects.count() == 3


def test_double_submitted_post_form_posts_once(books, world, staff_client):
    round = _round(books, world)
    url = reverse("donations:round_post", args=[round.pk])
    data = {"revision": round.revision, "xac_nhan": "1"}
    assert staff_client.post(url, data).status_code == 302
    response = staff_client.post(url, data, follow=True)
    assert "đã được ghi sổ trước đó" in response.content.decode()
    assert Donation.objects.count() == 3


def test_post_refuses_a_round_edited_after_the_check(books, world):
    round = _round(books, world)
    checked = round.revision
    services.round_save_lines(
        actor=books.staff, round=round, lines=[services.LineInput("A", amount_text="1.000")]
    )
    with pytest.raises(services.RoundError, match="sửa sau lần kiểm tra"):
        services.round_post(actor=books.staff, round=round, revision=checked)
    assert Donation.objects.count() == 0


def test_difference_from_paper_list_needs_confirmation(books, world):
    round = _round(books, world, expected_count=4, expected_total=400_000)
    check = services.round_check(round)
    assert check.count_difference == -1 and check.total_difference == -50_000
    with pytest.raises(services.RoundError, match="khác danh sách giấy"):
        services.round_post(actor=books.staff, round=round)
    services.round_post(actor=books.staff, round=round, accept_difference=True)
    assert Donation.objects.count() == 3


def test_dry_run_lists_every_problem_per_row(books, world):
    DonorFactory(name="Trần Thị Bình", phone="0912 000 111", group=world.groups[4])
    lines = [
        services.LineInput(name="", amount_text="100.000"),
        services.LineInput(name="Nguyễn Văn An", amount_text="1,5"),
        services.LineInput(name="Nguyễn Văn Ba", amount_text=""),
        services.LineInput(name="Trần Thị Bình", amount_text="100.000"),
        services.LineInput(name="Lê Hoa", amount_text="abc"),
        services.LineInput(name="Lê Hoa", amount_text="0"),
    ]
    round = _round(books, world, lines=lines, expected_count=6, expected_total=600_000)
    check = services.round_check(round)
    problems = {item.line.position: (item.errors, item.warnings) for item in check.lines}
    assert problems[1][0] == ["Thiếu họ tên."]
    assert "thập phân" in problems[2][0][0]
    assert problems[3][0] == ["Thiếu số tiền."]
    assert any("Có thể trùng người ủng hộ đã có" in w for w in problems[4][1])
    assert problems[5][0] and problems[6][0]
    assert any("Trùng họ tên với dòng 5" in w for w in problems[6][1])
    assert not check.ok and check.line_errors == 5
    assert (check.count, check.total) == (2, 200_000)
    with pytest.raises(services.RoundError, match="Dòng 1: Thiếu họ tên"):
        services.round_post(actor=books.staff, round=round, accept_difference=True)
    assert Donation.objects.count() == 0


def test_existing_donor_matched_by_name_and_phone(books, world):
    known = DonorFactory(
        name="Hoàng Minh Đức",
        phone="0913 222 333",
        source=DonorSource.RESIDENTS,
        group=world.groups[2],
    )
    round = _round(
        books,
        world,
        lines=[
            services.LineInput(name="hoang minh duc", phone="0913222333", amount_text="100.000")
        ],
    )
    assert services.round_check(round).lines[0].donor == known
    services.round_post(actor=books.staff, round=round)
    assert Donation.objects.get().donor == known


def test_leader_prepares_own_group_but_cannot_post(books, world):
    leader = world.users["leader1"]
    round = make_round(actor=leader, group=world.groups[1], campaign=books.campaign, lines=LINES)
    assert round.created_by == leader
    with pytest.raises(PermissionDenied):
        services.round_post(actor=leader, round=round)
    with pytest.raises(PermissionDenied):
        make_round(actor=leader, group=world.groups[2], lines=LINES)
    assert Donation.objects.count() == 0


def test_leader_cannot_see_other_groups_round(books, world, leader1_client, leader2_client):
    round = _round(books, world, group=2)
    url = reverse("donations:round_detail", args=[round.pk])
    assert leader1_client.get(url).status_code == 404
    assert leader1_client.get(reverse("donations:round_check", args=[round.pk])).status_code == 404
    assert leader2_client.get(url).status_code == 200
    listed = leader1_client.get(reverse("donations:round_list")).context["page_obj"].object_list
    assert round not in listed


def test_posted_round_is_read_only(books, world, staff_client):
    round = services.round_post(actor=books.staff, round=_round(books, world))
    with pytest.raises(services.RoundError, match="đã ghi sổ"):
        services.round_save_lines(actor=books.staff, round=round, lines=[])
    with pytest.raises(services.RoundError):
        services.round_update(actor=books.staff, round=round, collector="Người khác")
    response = staff_client.post(reverse("donations:round_detail", args=[round.pk]), {})
    assert response.status_code == 403
    assert (
        "round-grid"
        not in staff_client.get(reverse("donations:round_detail", args=[round.pk])).content.decode()
    )


def test_grid_saves_rows_and_skips_blank_ones(books, world, leader2_client):
    round = _round(books, world, lines=[])
    data = {"lines-TOTAL_FORMS": "4", "lines-INITIAL_FORMS": "0"}
    data |= {
        "lines-0-name": "Đỗ Thị Lan",
        "lines-0-amount_text": "150.000",
        "lines-0-anonymous": "on",
    }
    data |= {"lines-2-name": "Bùi Hải", "lines-2-amount_text": "15O.000"}  # a typo kept as typed
    response = leader2_client.post(reverse("donations:round_detail", args=[round.pk]), data)
    assert response.status_code == 302
    lines = list(round.lines.order_by("position"))
    assert [(x.position, x.name, x.amount, x.anonymous) for x in lines] == [
        (1, "Đỗ Thị Lan", 150_000, True),
        (2, "Bùi Hải", None, False),
    ]
    assert lines[1].amount_text == "15O.000"
    page = leader2_client.get(reverse("donations:round_detail", args=[round.pk])).content.decode()
    assert 'value="15O.000"' in page


def test_a_round_of_120_lines_posts_in_seconds(books, world):
    lines = [(f"Người ủng hộ {n}", "100.000") for n in range(120)]
    round = _round(books, world, lines=lines)
    started = time.monotonic()
    services.round_post(actor=books.staff, round=round)
    assert time.monotonic() - started < 10
    assert Donation.objects.count() == 120
    assert sum(Donation.objects.values_list("amount", flat=True)) == 12_000_000


def test_excel_template_round_trip(books, world, staff_client):
    response = staff_client.get(reverse("donations:round_template"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Danh sách"]
    assert [c.value for c in sheet[4]][:5] == [
        "STT",
        "Họ và tên",
        "Điện thoại",
        "Địa chỉ",
        "Số tiền (đồng)",
    ]
    sheet["B5"], sheet["C5"], sheet["E5"], sheet["F5"] = "Ngô Thị Thu", 912345678, 200000, "x"
    sheet["B6"], sheet["E6"] = "Đặng Văn Khoa", "150.000"
    out = io.BytesIO()
    workbook.save(out)
    round = _round(books, world, lines=[])
    upload = io.BytesIO(out.getvalue())
    upload.name = "danh-sach.xlsx"
    response = staff_client.post(
        reverse("donations:round_import", args=[round.pk]), {"file": upload}
    )
    assert response.status_code == 302
    lines = list(round.lines.order_by("position"))
    assert [(x.name, x.phone, x.amount, x.anonymous) for x in lines] == [
        ("Ngô Thị Thu", "0912345678", 200_000, True),
        ("Đặng Văn Khoa", "", 150_000, False),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "rỗng"),
        (b"PK\x03\x04broken", "hỏng"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        ("Tên,Tiền\nA,1\n".encode(), "không đúng mẫu"),
    ],
)
def test_round_import_refuses_bad_files(data, message):
    with pytest.raises(FileRefused, match=message):
        lines_from_file(data)


def test_template_sheet_without_lines_is_refused():
    with pytest.raises(FileRefused, match="chưa có dòng"):
        lines_from_file(template_workbook())


def test_bad_upload_imports_nothing_with_a_message(books, world, staff_client):
    round = _round(books, world, lines=[])
    workbook = Workbook()
    workbook.active.append(["Tên", "Tiền"])
    out = io.BytesIO()
    workbook.save(out)
    upload = io.BytesIO(out.getvalue())
    upload.name = "sai.xlsx"
    response = staff_client.post(
        reverse("donations:round_import", args=[round.pk]), {"file": upload}, follow=True
    )
    assert "Không nhập được tệp" in response.content.decode()
    assert round.lines.count() == 0


def test_check_page_and_round_page_show_the_qr(books, world, staff_client):
    from lddh.ward.models import OfficialAccount

    official = OfficialAccount.objects.create(
        ward=world.ward, account_name="UB MTTQ phường", account_number="0011001932418",
        bank_name="Vietcombank", bank_bin="970436",
    )  # fmt: skip
    books.bank.official_account = official
    books.bank.save()
    round = _round(books, world)
    page = staff_client.get(reverse("donations:round_detail", args=[round.pk])).content.decode()
    assert "<svg" in page and f"VNN {round.code}" in page
    check = staff_client.get(reverse("donations:round_check", args=[round.pk]))
    assert check.status_code == 200 and check.context["check"].ok
    entry = staff_client.get(reverse("donations:create")).content.decode()
    assert 'id="official-qr"' in entry and "0011001932418" in entry


def test_round_list_query_count_does_not_grow(
    books, world, staff_client, django_assert_num_queries
):
    url = reverse("donations:round_list")
    for _ in range(3):
        _round(books, world)
    staff_client.get(url)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url)
    for _ in range(12):
        _round(books, world)
    with django_assert_num_queries(len(few.captured_queries)):
        assert staff_client.get(url).status_code == 200


def test_leader_check_names_no_donor_of_another_group(books, world, leader2_client, staff_client):
    DonorFactory(name="Ngô Thanh Tuấn", phone="0966 181 247", group=world.groups[8])
    round = _round(books, world, lines=[("Ngô Thanh Tuấn", "100.000")])
    url = reverse("donations:round_check", args=[round.pk])
    leader_page = leader2_client.get(url).content.decode()
    assert "Có thể trùng người ủng hộ đã có" in leader_page
    assert "0966 181 247" not in leader_page
    assert "0966 181 247" in staff_client.get(url).content.decode()


def test_an_unusual_line_asks_once_more_before_posting(books, world, staff_client):
    """Ten times the list's usual gift, or an amount not in whole thousands: the check
    shows it in figures and words, and posting waits for the confirmation."""
    lines = [("Lan", "100.000"), ("Huệ", "100.000"), ("Cúc", "100.000"), ("Mai", "5.000.500")]
    round = _round(books, world, lines=lines)
    check = services.round_check(round)
    assert [line.line.name for line in check.unusual_lines] == ["Mai"]
    assert check.unusual_lines[0].words == "Năm triệu năm trăm đồng"
    page = staff_client.get(reverse("donations:round_check", args=[round.pk])).content.decode()
    assert "Năm triệu năm trăm đồng" in page and "confirm_unusual" in page

    url = reverse("donations:round_post", args=[round.pk])
    response = staff_client.post(url, {"revision": round.revision}, follow=True)
    assert "số tiền cần xem lại (dòng 4)" in response.content.decode()
    assert Donation.objects.count() == 0
    staff_client.post(url, {"revision": round.revision, "confirm_unusual": "on", "xac_nhan": "1"})
    assert Donation.objects.count() == 4
