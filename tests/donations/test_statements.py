"""Bank statements: bad files refused whole, lines stored once, matching, reconciliation."""

import datetime
import io
import zipfile

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from donations import services
from donations.models import BankLayout, Donation, StatementImport, StatementLine
from donations.selectors import reconciliation, suggestions_for
from donations.services import statements as statements_service
from donations.statements import FileRefused, parse_statement, read_rows
from donations.statements.codes import receipt_numbers_in, round_codes_in
from donations.statements.files import MAX_STATEMENT_BYTES
from donations.views import statements as statement_views
from lddh.ward.models import AuditEvent
from tests.factories import make_round, record_donation, statement_csv

GENERIC = "Mẫu chung (Ngày, Số tham chiếu, Ghi nợ, Ghi có, Số dư, Nội dung)"
ROWS = [
    ("20/10/2024", "FT1", "", "500.000", "10.500.000", "NGUYEN VAN A UNG HO QUY"),
    ("21/10/2024", "FT2", "", "1.000.000", "11.500.000", "MBVCB.123.VNN-2024-000001.CT tu ABC"),
    ("21/10/2024", "", "22.000", "", "11.478.000", "Phi quan ly tai khoan"),
    ("22/10/2024", "", "", "300.000", "11.778.000", "CHUYEN KHOAN KHONG TEN"),
]


@pytest.fixture
def generic():
    return BankLayout.objects.get(name=GENERIC)


def _import(books, layout, data, name="sao-ke.csv"):
    batch = services.statement_import(
        actor=books.staff, account=books.bank, layout=layout, data=data, filename=name
    )
    assert batch.status == StatementImport.Status.DONE, batch.error or batch.breaks
    assert batch.row_count == batch.new_count + batch.known_count + batch.skipped_count
    return batch


def _refused(books, layout, data, message):
    """A file refused from its first bytes (nothing kept), or read and refused (kept
    with its reason): either way, no line stored and the reason names the problem."""
    try:
        batch = services.statement_import(
            actor=books.staff, account=books.bank, layout=layout, data=data, filename="x.csv"
        )
    except services.StatementError as refused:
        text = " ".join(refused.messages)
    else:
        assert batch.status == StatementImport.Status.REFUSED
        text = batch.error
    assert message in text
    assert StatementLine.objects.count() == 0
    return text


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_presets_exist_for_the_banks_and_a_generic_layout(db):
    names = list(BankLayout.objects.values_list("name", flat=True))
    assert any("Vietcombank" in n for n in names) and any("VietinBank" in n for n in names)
    assert GENERIC in names


def test_import_stores_every_line_once(books, generic):
    result = _import(books, generic, statement_csv(ROWS))
    assert (result.row_count, result.line_count, result.new_count) == (5, 4, 4)
    line = StatementLine.objects.get(reference="FT2")
    assert (line.date, line.credit, line.balance) == (
        datetime.date(2024, 10, 21),
        1_000_000,
        11_500_000,
    )
    fee = StatementLine.objects.get(debit=22_000)
    assert fee.status == StatementLine.Status.IGNORED
    again = _import(books, generic, statement_csv(ROWS))
    assert (again.new_count, again.known_count, again.skipped_count) == (0, 4, 1)
    assert StatementLine.objects.count() == 4
    assert StatementImport.objects.count() == 2


def test_overlapping_period_adds_only_new_lines(books, generic):
    _import(books, generic, statement_csv(ROWS[:3]))
    later = [*ROWS[1:], ("23/10/2024", "", "", "200.000", "11.978.000", "UNG HO")]
    result = _import(books, generic, statement_csv(later))
    assert (result.line_count, result.new_count) == (4, 2)
    assert StatementLine.objects.count() == 5


def test_two_identical_transfers_on_one_day_stay_two_lines(books, generic):
    same = ("22/10/2024", "", "", "100.000", "", "UNG HO QUY")
    assert _import(books, generic, statement_csv([same, same])).new_count == 2
    assert _import(books, generic, statement_csv([same, same])).new_count == 0
    assert _import(books, generic, statement_csv([same, same, same])).new_count == 1


def test_vietinbank_like_csv_with_title_rows_semicolons_and_times(books):
    layout = BankLayout.objects.create(  # an office layout for a CSV export
        name="CSV chấm phẩy, có giờ",
        header_row=3,
        date_column="Ngày hạch toán",
        reference_column="Số giao dịch",
        credit_column="Có",
        debit_column="Nợ",
        balance_column="Số dư",
        description_column="Nội dung giao dịch",
        date_format="%d-%m-%Y %H:%M:%S",
        thousands_separator=".",
        csv_delimiter=";",
    )
    text = (
        "NGÂN HÀNG TMCP CÔNG THƯƠNG VIỆT NAM;;;;;\n"
        "SAO KÊ TÀI KHOẢN 0011001932418;;;;;\n"
        "Ngày hạch toán;Số giao dịch;Nợ;Có;Số dư;Nội dung giao dịch\n"
        "25-10-2024 09:15:02;TX001;;2.000.000;12.000.000;CT VNN R0001 TO 2\n"
        "25-10-2024 10:00:00;TX002;50.000;;11.950.000;PHI SMS\n"
        ";;;;;Tổng cộng\n"
    ).encode("utf-8-sig")
    result = _import(books, layout, text, "vietinbank.csv")
    assert result.new_count == 2
    assert StatementLine.objects.get(reference="TX001").credit == 2_000_000


def test_vietcombank_like_xlsx_with_comma_thousands(books):
    layout = BankLayout.objects.create(  # an office layout for ',' thousands
        name="Excel dấu phẩy",
        header_row=8,
        date_column="Ngày giao dịch",
        reference_column="Số tham chiếu",
        credit_column="Số tiền ghi có",
        debit_column="Số tiền ghi nợ",
        balance_column="Số dư",
        description_column="Mô tả",
        thousands_separator=",",
    )
    rows = (
        [("SAO KÊ TÀI KHOẢN",), ()]
        + [()] * 5
        + [
            (
                "STT",
                "Ngày giao dịch",
                "Số tham chiếu",
                "Số tiền ghi nợ",
                "Số tiền ghi có",
                "Số dư",
                "Mô tả",
            ),
            (
                1,
                datetime.datetime(2024, 10, 26, 8, 30),
                "5001",
                None,
                "1,500,000.00",
                "9,000,000",
                "ABC",
            ),
            (2, "27/10/2024", 5002.0, None, 250000, 9250000, "XYZ"),
        ]
    )
    result = _import(books, layout, _xlsx(rows), "vcb.xlsx")
    assert result.new_count == 2
    assert StatementLine.objects.get(reference="5001").credit == 1_500_000
    assert StatementLine.objects.get(reference="5002").date == datetime.date(2024, 10, 27)


def _zip_without_content_types() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "rỗng"),
        (b"   \n  ", "rỗng"),
        (b"%PDF-1.7\n\x00\x01\x02binary", "Sao kê PDF chưa đọc được"),
        (b"\x00\x01\x02\x03binary\x00", "nhị phân"),
        (b"PK\x03\x04" + b"\x00" * 50, "hỏng"),
        (_zip_without_content_types(), "không phải tệp Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ".xls"),
        (b"Date,Amount,Memo\n20/10/2024,100,abc\n", "không tìm thấy cột"),
        (statement_csv([("20/10/2024", "", "", "1,5", "", "x")]), "dòng 2: số tiền “1,5”"),
        (statement_csv([("32/10/2024", "", "", "100.000", "", "x")]), "không đọc được"),
        (statement_csv([]), "không có giao dịch"),
        (b"x" * (MAX_STATEMENT_BYTES + 1), "quá lớn"),
    ],
    ids=[
        "empty",
        "blank",
        "pdf",
        "binary",
        "broken-zip",
        "zip-not-xlsx",
        "old-xls",
        "missing-columns",
        "bad-amount",
        "bad-date",
        "header-only",
        "too-large",
    ],
)
def test_bad_files_are_refused_and_import_nothing(books, generic, data, message):
    _refused(books, generic, data, message)


def test_one_bad_row_refuses_the_whole_file(books, generic):
    rows = [*ROWS, ("24/10/2024", "", "", "abc", "", "x")]
    _refused(books, generic, statement_csv(rows), "dòng 6")


def test_damaged_xlsx_is_refused():
    good = _xlsx([("Ngày", "Ghi có", "Nội dung")])
    with pytest.raises(FileRefused, match="Excel"):
        read_rows(good[: len(good) // 2])


def test_layout_of_another_kind_is_refused(books, generic):
    generic.file_kind = "xlsx"
    generic.save()
    _refused(books, generic, statement_csv(ROWS), "cần tệp Excel")


def test_parser_reads_negative_single_amount_column(db, generic):
    generic.debit_column = ""
    rows = [
        ["Ngày", "Ghi có", "Nội dung"],
        ["20/10/2024", "-50.000", "phí"],
        ["20/10/2024", "100.000", "x"],
    ]
    generic.credit_column = "Ghi có"
    lines = parse_statement(rows, generic).lines
    assert [(line.credit, line.debit) for line in lines] == [(0, 50_000), (100_000, 0)]


def test_codes_found_inside_bank_prefixed_descriptions():
    assert receipt_numbers_in("MBVCB.5512.vnn-2024-000123.CT tu", ["VNN"]) == {"VNN-2024-000123"}
    assert receipt_numbers_in("IBFTVNN2024000123 ung ho", ["VNN", "CT"]) == {"VNN-2024-000123"}
    assert receipt_numbers_in("ABC-2024-000123", ["VNN"]) == set()
    assert round_codes_in("MBVCB.77.vnn r0042.CT tu 0912", ["VNN"]) == {"R0042"}
    assert round_codes_in("VNNR0042", ["VNN"]) == {"R0042"}
    assert round_codes_in("CTR0042 TR0042 R00421234567", ["VNN"]) == set()


def test_matching_by_receipt_number_inside_prefixed_description(books, generic, staff_client):
    donation = record_donation(
        actor=books.staff, channel=Donation.Channel.BANK, account=books.bank, amount=1_000_000,
        date=datetime.date(2024, 10, 21),
    )  # fmt: skip
    assert donation.receipt.number == "VNN-2024-000001"
    _import(books, generic, statement_csv(ROWS))
    line = StatementLine.objects.get(reference="FT2")
    suggestions = suggestions_for([line])[line.pk]
    assert [(s.kind, s.donation, s.usable) for s in suggestions] == [("receipt", donation, True)]
    response = staff_client.post(
        reverse("donations:statement_match", args=[line.pk]), {"donation": donation.pk}
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.status == StatementLine.Status.MATCHED and line.donation == donation
    with pytest.raises(services.StatementError):
        services.statement_line_match(actor=books.staff, line=line, donation=donation)


def test_same_amount_within_a_day_is_suggested(books, generic):
    donation = record_donation(
        actor=books.staff, channel=Donation.Channel.BANK, account=books.bank, amount=300_000,
        date=datetime.date(2024, 10, 21),
    )  # fmt: skip
    _import(books, generic, statement_csv(ROWS))
    line = StatementLine.objects.get(credit=300_000)
    assert [s.donation for s in suggestions_for([line])[line.pk]] == [donation]
    far = StatementLine.objects.get(credit=500_000)
    assert suggestions_for([far])[far.pk] == []


def test_round_code_matches_a_posted_round(books, world, generic):
    round = make_round(
        actor=books.staff, group=world.groups[2], campaign=books.campaign, account=books.bank,
        lines=[("Đinh Văn An", "1.500.000"), ("Trần Bình", "500.000")],
    )  # fmt: skip
    rows = [("25/10/2024", "X1", "", "2.000.000", "", f"MBVCB.1.VNN{round.code}.CT TO 2")]
    _import(books, generic, statement_csv(rows))
    line = StatementLine.objects.get()
    draft = suggestions_for([line])[line.pk]
    assert [(s.kind, s.usable, s.reason) for s in draft] == [
        ("round", False, "đợt thu chưa ghi sổ")
    ]
    services.round_post(actor=books.staff, round=round)
    suggestion = suggestions_for([line])[line.pk][0]
    assert suggestion.usable
    services.statement_line_match(actor=books.staff, line=line, round=round)
    rec = reconciliation(books.bank, datetime.date(2024, 10, 1), datetime.date(2024, 10, 31))
    assert rec.donation_total == 2_000_000 and rec.donation_unmatched_total == 0
    assert rec.difference == 0


def test_create_donation_from_line_in_one_step(books, world, generic, staff_client):
    _import(books, generic, statement_csv(ROWS))
    line = StatementLine.objects.get(credit=500_000)
    response = staff_client.post(
        reverse("donations:statement_record", args=[line.pk]),
        {
            "new_name": "Nguyễn Văn A", "new_source": "individual", "fund": books.vnn.pk,
            "campaign": books.campaign.pk, "credited_group": world.groups[3].pk,
        },
    )  # fmt: skip
    assert response.status_code == 302
    line.refresh_from_db()
    donation = line.donation
    assert line.status == StatementLine.Status.MATCHED
    assert (donation.amount, donation.date, donation.account, donation.channel) == (
        500_000, datetime.date(2024, 10, 20), books.bank, Donation.Channel.BANK
    )  # fmt: skip
    assert donation.credited_group == world.groups[3] and donation.receipt.number
    # The same form again: the line is no longer open, nothing more is recorded.
    staff_client.post(
        reverse("donations:statement_record", args=[line.pk]),
        {"new_name": "Nguyễn Văn A", "new_source": "individual", "fund": books.vnn.pk},
    )
    assert Donation.objects.count() == 1


def test_ignore_takes_a_line_out_of_the_queue(books, generic):
    _import(books, generic, statement_csv(ROWS))
    line = StatementLine.objects.get(credit=300_000)
    with pytest.raises(services.StatementError, match="lý do"):
        services.statement_line_ignore(actor=books.staff, line=line, reason="")
    services.statement_line_ignore(actor=books.staff, line=line, reason="Hoàn tiền")
    line.refresh_from_db()
    assert line.status == StatementLine.Status.IGNORED


def test_reconciliation_totals(books, generic):
    matched = record_donation(
        actor=books.staff, channel=Donation.Channel.BANK, account=books.bank, amount=1_000_000,
        date=datetime.date(2024, 10, 21),
    )  # fmt: skip
    record_donation(
        actor=books.staff, channel=Donation.Channel.BANK, account=books.bank, amount=700_000,
        date=datetime.date(2024, 10, 22),
    )  # fmt: skip
    record_donation(actor=books.staff, amount=900_000)  # cash: another account
    _import(books, generic, statement_csv(ROWS))
    line = StatementLine.objects.get(reference="FT2")
    services.statement_line_match(actor=books.staff, line=line, donation=matched)
    services.statement_line_ignore(
        actor=books.staff, line=StatementLine.objects.get(credit=300_000), reason="Hoàn tiền"
    )
    rec = reconciliation(books.bank, datetime.date(2024, 10, 1), datetime.date(2024, 10, 31))
    assert (rec.credit_total, rec.credit_count) == (1_800_000, 3)
    assert (rec.matched_total, rec.unmatched_total, rec.ignored_total) == (
        1_000_000,
        500_000,
        300_000,
    )
    assert rec.debit_total == 22_000
    assert (rec.donation_total, rec.donation_count) == (1_700_000, 2)
    assert (rec.donation_matched_total, rec.donation_unmatched_total) == (1_000_000, 700_000)
    assert rec.difference == 1_500_000 - 1_700_000
    narrow = reconciliation(books.bank, datetime.date(2024, 10, 22), datetime.date(2024, 10, 22))
    assert narrow.credit_total == 300_000 and narrow.donation_total == 700_000


def test_upload_view_imports_and_reimport_changes_nothing(books, generic, staff_client):
    url = reverse("donations:statement_upload")

    def post():
        upload = io.BytesIO(statement_csv(ROWS))
        upload.name = "bao-cao.pdf"  # the name does not matter, the content does
        return staff_client.post(
            url, {"account": books.bank.pk, "layout": generic.pk, "file": upload}, follow=True
        )

    first = post().content.decode()
    assert "5 dòng trong tệp = 4 dòng mới + 0 dòng đã có + 1 dòng không phải giao dịch" in first
    again = post().content.decode()
    assert "5 dòng trong tệp = 0 dòng mới + 4 dòng đã có + 1 dòng không phải giao dịch" in again
    assert "đã có (lần nhập số" in again
    assert StatementLine.objects.count() == 4


def test_upload_view_shows_the_reason_of_a_bad_file(books, generic, staff_client):
    upload = io.BytesIO(b"%PDF-1.4 sao ke")
    upload.name = "sao-ke.pdf"
    response = staff_client.post(
        reverse("donations:statement_upload"),
        {"account": books.bank.pk, "layout": generic.pk, "file": upload},
    )
    assert response.status_code == 400
    assert "Sao kê PDF chưa đọc được, hãy xuất CSV hoặc Excel" in response.content.decode()
    upload = io.BytesIO(b"PK\x03\x04garbage")
    upload.name = "sao-ke.xlsx"
    response = staff_client.post(
        reverse("donations:statement_upload"),
        {"account": books.bank.pk, "layout": generic.pk, "file": upload},
        follow=True,
    )
    assert "bị hỏng" in response.content.decode()
    assert StatementLine.objects.count() == 0


def test_a_150_mb_upload_is_refused_before_reading(books, world):
    request = RequestFactory().post(
        "/quan-ly/ung-ho/sao-ke/", data=b"", content_type="multipart/form-data; boundary=x"
    )
    request.META["CONTENT_LENGTH"] = str(150 * 1024 * 1024)
    request.user = books.staff
    read = []
    request._stream = type("S", (), {"read": lambda self, *a: read.append(1) or b""})()
    response = statement_views.statement_upload(request)
    assert response.status_code == 413
    assert "Tệp quá lớn (150,0 MB)" in response.content.decode()
    assert read == []
    assert StatementLine.objects.count() == 0


def test_an_upload_over_the_limit_without_honest_length_is_stopped(
    books, generic, staff_client, settings
):
    big = io.BytesIO(b"a" * (MAX_STATEMENT_BYTES + 10))
    big.name = "to.csv"
    response = staff_client.post(
        reverse("donations:statement_upload"),
        {"account": books.bank.pk, "layout": generic.pk, "file": big},
    )
    assert response.status_code in (400, 413)
    assert "Tệp quá lớn" in response.content.decode()


def test_descriptions_are_private(books, generic, world):
    _import(books, generic, statement_csv(ROWS))
    line = StatementLine.objects.first()
    for persona in ("higher", "supervisor", "leader1", "leader2"):
        client = world.client(persona)
        assert client.get(reverse("donations:statement_line", args=[line.pk])).status_code == 403
    page = world.client("supervisor").get(reverse("donations:reconciliation")).content.decode()
    assert "NGUYEN VAN A" not in page
    assert "NGUYEN VAN A" not in world.client("anon").get("/").content.decode()


def test_queue_query_count_does_not_grow(books, generic, staff_client, django_assert_num_queries):
    url = reverse("donations:statement_queue")

    def rows(start, count):
        return [
            (f"{1 + n % 28:02d}/10/2024", "", "", f"{(start + n + 1) * 1000:,}".replace(",", "."),
             "", f"UNG HO {start + n} VNN-2024-{start + n:06d} R{start + n:04d}")
            for n in range(count)
        ]  # fmt: skip

    # More than a page from the start: a page that holds every line skips the count.
    _import(books, generic, statement_csv(rows(0, 55)))
    staff_client.get(url)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url)
    _import(books, generic, statement_csv(rows(100, 60)))
    with django_assert_num_queries(len(few.captured_queries)):
        assert staff_client.get(url).status_code == 200


def test_windows_encoded_csv_is_read():
    from donations.statements.files import decode_text

    # Windows-1258 writes Vietnamese with combining tone marks; it comes back composed.
    data = "Ngày,Có\n".encode("cp1258")
    assert decode_text(data) == "Ngày,Có\n"


def test_an_interrupted_read_is_shown_and_read_again(books, generic, staff_client):
    """A worker stopped in the middle of a read leaves the import running with nothing
    stored; after ten minutes without progress the page offers to read it again."""
    batch = services.statement_upload(
        actor=books.staff,
        account=books.bank,
        layout=generic,
        upload=statement_csv(ROWS),
        filename="sao-ke.csv",
        enqueue=False,
    )
    StatementImport.objects.filter(pk=batch.pk).update(
        status=StatementImport.Status.RUNNING,
        imported_at=batch.imported_at - datetime.timedelta(minutes=11),
    )
    url = reverse("donations:statement_import", args=[batch.pk])
    assert "Việc đọc tệp bị ngắt" in staff_client.get(url).content.decode()
    decide = reverse("donations:statement_import_decide", args=[batch.pk])
    response = staff_client.post(decide, {"action": "retry"}, follow=True)
    assert "5 dòng trong tệp = 4 dòng mới" in response.content.decode()
    assert AuditEvent.objects.filter(action="statement.retry", object_id=str(batch.pk)).exists()
    # A read that is not interrupted is not read twice.
    staff_client.post(decide, {"action": "retry"})
    assert StatementLine.objects.count() == 4


def test_progress_of_a_read_in_course(books, generic, staff_client):
    batch = services.statement_upload(
        actor=books.staff,
        account=books.bank,
        layout=generic,
        upload=statement_csv(ROWS),
        filename="sao-ke.csv",
        enqueue=False,
    )
    url = reverse("donations:statement_import_progress", args=[batch.pk])
    assert staff_client.get(url).json() == {
        "percent": 0, "text": "Đang chờ đọc tệp…", "done": False, "redirect": None
    }  # fmt: skip
    StatementImport.objects.filter(pk=batch.pk).update(status=StatementImport.Status.RUNNING)
    statements_service._write_progress(batch, phase="read", done=500, total=1000, rows=12_000)
    assert staff_client.get(url).json()["text"] == "Đã đọc 12.000 dòng (50 %)…"
    services.statement_read(StatementImport.objects.get(pk=batch.pk))  # not queued: untouched
    StatementImport.objects.filter(pk=batch.pk).update(status=StatementImport.Status.QUEUED)
    services.statement_read(batch)
    done = staff_client.get(url).json()
    assert done["done"] and done["redirect"].endswith(f"/sao-ke/nhap/{batch.pk}/")


def test_footers_and_form_rows_of_real_exports_are_rows_not_transactions(db, generic):
    header = ["Ngày", "Số tham chiếu", "Ghi nợ", "Ghi có", "Số dư", "Nội dung"]
    rows = [
        header,
        ["A", "B", "1", "2", "3", "C"],  # a state form numbers its columns
        ["20/10/2024", "FT1", "", "500.000", "10.500.000", "UNG HO"],
        ["Cộng phát sinh", "", "0", "500.000", "", ""],
        ["Số dư cuối kỳ", "", "", "", "10.500.000", ""],
        ["Người lập biểu", "", "Kế toán trưởng", "Giám đốc", "", ""],
    ]
    result = parse_statement(rows, generic)
    assert [line.row for line in result.lines] == [3]
    assert [(s.row, s.reason) for s in result.skipped] == [
        (1, "dòng tiêu đề"),
        (2, "dòng đánh số cột"),
        (4, "dòng cộng (ghi có 500.000 đ, ghi nợ 0 đ)"),
        (5, "dòng số dư (10.500.000 đ)"),
        (6, "dòng chữ (tiêu đề, chân trang, chữ ký)"),
    ]
    assert result.breaks == []


def test_money_without_a_date_refuses_the_file(db, generic):
    rows = [
        ["Ngày", "Số tham chiếu", "Ghi nợ", "Ghi có", "Số dư", "Nội dung"],
        ["20/10/2024", "FT1", "", "500.000", "10.500.000", "UNG HO"],
        ["", "FT2", "", "300.000", "10.800.000", "UNG HO KHONG NGAY"],
    ]
    with pytest.raises(FileRefused, match="dòng 3: có số tiền nhưng không có ngày"):
        parse_statement(rows, generic)


def test_a_held_file_is_only_accepted_or_cancelled_by_its_buttons(books, generic, staff_client):
    broken = [*ROWS[:2], ("23/10/2024", "FT9", "", "100.000", "99.000.000", "X")]
    batch = services.statement_import(
        actor=books.staff, account=books.bank, layout=generic, data=statement_csv(broken),
        filename="sao-ke.csv",
    )  # fmt: skip
    assert batch.status == StatementImport.Status.HELD
    # The account keeps its layout until a file is imported with one.
    books.bank.refresh_from_db()
    assert books.bank.statement_layout_id is None
    decide = reverse("donations:statement_import_decide", args=[batch.pk])
    staff_client.post(decide, {"action": "ACCEPT", "reason": "Ngân hàng xác nhận bổ sung"})
    batch.refresh_from_db()
    assert batch.status == StatementImport.Status.HELD
    staff_client.post(decide, {"action": "accept", "reason": "Ngân hàng xác nhận bổ sung"})
    batch.refresh_from_db()
    books.bank.refresh_from_db()
    assert batch.status == StatementImport.Status.DONE
    assert books.bank.statement_layout == generic


def test_an_endless_cell_and_a_file_just_over_the_limit_get_their_own_message():
    from donations.statements.files import StatementFile, too_large_message

    with pytest.raises(FileRefused, match="Dòng 1: một ô dài hơn 131.072 ký tự"):
        list(StatementFile(b"x" * 200_000 + b"\n").rows())
    assert "Tệp quá lớn (hơn 100 MB)" in too_large_message(MAX_STATEMENT_BYTES + 1)


def test_sqlite_lets_pages_read_while_an_import_writes(db, tmp_path, settings):
    """The SQLite file the app runs on is in write-ahead-log mode: a page reads while a
    long import holds the write lock."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    options = settings.DATABASES["default"].get("OPTIONS", {})
    if not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.skip("SQLite only")
    wrapper = DatabaseWrapper(
        {**settings.DATABASES["default"], "NAME": str(tmp_path / "x.sqlite3"), "OPTIONS": options}
    )
    with wrapper.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    wrapper.close()


@pytest.mark.postgres
def test_the_trigram_index_is_merged_by_the_worker_after_an_import(
    books, generic, django_capture_on_commit_callbacks
):
    """New lines' trigrams wait in the index's pending list during the import (its cost
    does not grow with the stored lines); the task queued with the import merges them."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reloptions FROM pg_class WHERE relname = 'statement_line_description_trgm'"
        )
        assert "gin_pending_list_limit=262144" in cursor.fetchone()[0]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _import(books, generic, statement_csv(ROWS))
    assert len(callbacks) == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('statement_line_description_trgm')")
        assert cursor.fetchone()[0] == 0  # nothing left to merge


def test_queue_opens_with_a_line_dated_at_the_calendar_edge(books, generic, staff_client):
    """A line dated 31/12/9999 (a typo in a file, a provider's bad date) is shown, not a
    server error for the whole queue."""
    for day in (datetime.date(9999, 12, 31), datetime.date(1, 1, 1)):
        StatementLine.objects.create(
            account=books.bank,
            fingerprint=f"edge-{day.year}",
            credit=100_000,
            date=day,
            description="UNG HO",
        )
    response = staff_client.get(reverse("donations:statement_queue"))
    assert response.status_code == 200
