"""Uploads cannot stall the site: every Excel import refuses a decompression bomb or a
sheet declaring a million rows within 2 seconds, through its page, and reads any file
within a time limit."""

import io
import time

import pytest
from django.urls import reverse
from openpyxl import Workbook

from donations.models import BankLayout, StatementLine
from donations.statements import files as statement_files
from households.models import Household
from lddh.ward import uploads
from tests.factories import AccountFactory, make_round
from tests.factories.uploads import xlsx_bomb, xlsx_declaring

GENERIC = "Mẫu chung (Ngày, Số tham chiếu, Ghi nợ, Ghi có, Số dư, Nội dung)"


@pytest.fixture(scope="module")
def bomb() -> bytes:
    data = xlsx_bomb(megabytes=400)
    assert len(data) < 1024 * 1024  # 400 MB of sheet XML in under 1 MB
    return data


def _file(data: bytes, name: str) -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def _ordinary(header: list[str], rows: list[list]) -> bytes:
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload_statement(world, data: bytes) -> tuple[str, int, float]:
    """Staff uploads a bank statement; (page text, lines written, seconds taken)."""
    account = AccountFactory(name="TK Vietcombank", kind="bank")
    client = world.client("staff")
    client.get(reverse("donations:statement_upload"))  # the person opens the page first
    started = time.monotonic()
    response = client.post(
        reverse("donations:statement_upload"),
        {
            "account": account.pk,
            "layout": BankLayout.objects.get(name=GENERIC).pk,
            "file": _file(data, "sao-ke.xlsx"),
        },
        follow=True,
    )
    elapsed = time.monotonic() - started
    return response.content.decode(), StatementLine.objects.count(), elapsed


def upload_round(world, data: bytes) -> tuple[str, int, float]:
    """The leader of group 2 fills their own round's list from Excel."""
    round = make_round(actor=world.users["staff"], group=world.groups[2])
    client = world.client("leader2")
    client.get(reverse("donations:round_detail", args=[round.pk]))
    started = time.monotonic()
    response = client.post(
        reverse("donations:round_import", args=[round.pk]),
        {"file": _file(data, "danh-sach.xlsx")},
        follow=True,
    )
    elapsed = time.monotonic() - started
    return response.content.decode(), round.lines.count(), elapsed


def upload_households(world, data: bytes) -> tuple[str, int, float]:
    """Staff previews a households register file (a preview writes nothing anyway)."""
    client = world.client("staff")
    client.get(reverse("households:import"))
    started = time.monotonic()
    response = client.post(reverse("households:import"), {"file": _file(data, "ho-gia-dinh.xlsx")})
    elapsed = time.monotonic() - started
    preview = response.context["preview"] if response.context else None
    rows = len(preview.rows) if preview else 0
    return response.content.decode(), rows + Household.objects.count(), elapsed


PAGES = [upload_statement, upload_round, upload_households]


@pytest.mark.parametrize("upload", PAGES, ids=lambda page: page.__name__)
def test_a_decompression_bomb_is_refused_within_two_seconds(world, bomb, upload):
    html, written, elapsed = upload(world, bomb)
    assert "Tệp Excel bất thường" in html
    assert written == 0
    assert elapsed < 2, f"{elapsed:.1f} s"


@pytest.mark.parametrize("upload", PAGES, ids=lambda page: page.__name__)
def test_a_sheet_declaring_a_million_rows_is_refused(world, upload):
    html, written, elapsed = upload(world, xlsx_declaring("A1:XFD1048576"))
    assert "1.048.576 dòng × 16.384 cột" in html
    assert written == 0
    assert elapsed < 2, f"{elapsed:.1f} s"


@pytest.mark.parametrize("upload", PAGES, ids=lambda page: page.__name__)
def test_an_import_past_its_time_limit_is_refused(world, upload, monkeypatch):
    monkeypatch.setattr(uploads, "IMPORT_SECONDS", -1.0)
    monkeypatch.setattr(statement_files, "STATEMENT_SECONDS", -1.0)  # the worker's limit
    data = _ordinary(
        ["Ngày", "Số tham chiếu", "Ghi nợ", "Ghi có", "Số dư", "Nội dung", "Họ và tên", "Số tiền"],
        [["20/10/2024", "FT1", "", "500000", "", "UNG HO", "Nguyễn Văn An", 100000]],
    )
    html, written, _ = upload(world, data)
    assert "Đọc tệp quá lâu" in html
    assert written == 0


def test_a_csv_statement_past_its_time_limit_is_refused(world, monkeypatch):
    monkeypatch.setattr(statement_files, "STATEMENT_SECONDS", -1.0)
    html, written, _ = upload_statement(world, b"Ngay,Ghi co\n20/10/2024,500000\n")
    assert "Đọc tệp quá lâu" in html
    assert written == 0


def test_an_ordinary_workbook_passes_the_check():
    rows = [[f"Người {i}", 100_000 + i, "Tổ 2", "0912345678"] for i in range(5000)]
    uploads.check_workbook(_ordinary(["Họ và tên", "Số tiền", "Tổ", "Điện thoại"], rows))


@pytest.mark.parametrize(
    ("limit", "value"),
    [
        ("WORKBOOK_MAX_MEMBERS", 3),
        ("WORKBOOK_MAX_MEMBER_BYTES", 1000),
        ("WORKBOOK_MAX_TOTAL_BYTES", 5000),
    ],
)
def test_each_archive_limit_refuses(monkeypatch, limit, value):
    data = _ordinary(["Họ và tên"], [["Nguyễn Văn An"]] * 200)
    uploads.check_workbook(data)
    monkeypatch.setattr(uploads, limit, value)
    with pytest.raises(uploads.WorkbookRefused, match="bất thường"):
        uploads.check_workbook(data)


def test_the_compression_ratio_limit_refuses(monkeypatch):
    monkeypatch.setattr(uploads, "WORKBOOK_MAX_MEMBER_BYTES", 10**10)
    monkeypatch.setattr(uploads, "WORKBOOK_MAX_TOTAL_BYTES", 10**10)
    with pytest.raises(uploads.WorkbookRefused, match="bất thường"):
        uploads.check_workbook(xlsx_bomb(megabytes=2))


def test_a_sheet_within_the_declared_limits_passes():
    uploads.check_workbook(xlsx_declaring("A1:F300"))
