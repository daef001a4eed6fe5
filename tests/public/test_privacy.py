"""Every public page and download, over data full of private details, is scanned with
patterns: no phone number, CCCD, account number, address, health detail or raw bank
description may appear."""

from __future__ import annotations

import datetime
import io
import re

from openpyxl import load_workbook

from lddh.public.services import report_publish
from tests.public.conftest import CCCD, DONOR_ADDRESS, HEALTH, HOUSEHOLD_ADDRESS, NOTE, PHONE

PATTERNS = {
    "phone": re.compile(r"(?<![\d])0\d{9}(?!\d)"),
    "international phone": re.compile(r"\+84"),
    "CCCD": re.compile(r"(?<!\d)\d{12}(?!\d)"),
    "tax code": re.compile(r"(?<!\d)01\d{8}(?!\d)"),
}
PRIVATE = [
    PHONE,
    CCCD,
    DONOR_ADDRESS,
    HOUSEHOLD_ADDRESS,
    HEALTH,
    NOTE,
    "MBVCB",
    "Nhà có người ốm",
    "Số 5 Lê Đại Hành",
    "Số 1 phố Huế",
    "Lò Đúc",
    "Trần Thị Bích",  # anonymous donor
    "Nguyễn Thị Hồng",  # household heads: only initials, only with consent
    "Đỗ Văn Kín",
    "Phạm Văn Con",
    "Đào Thị Hoa",  # the beneficiary of a direct support
    "Chồng mất",
    "Lê Văn Chứng",
    "Nhập trùng",
]


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(content))
        return "\n".join(
            " ".join("" if v is None else str(v) for v in row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    if "pdf" in kind:
        from pypdf import PdfReader

        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    return content.decode("utf-8-sig")


def _published_hashes(report) -> list[str]:
    """The report's SHA-256 and its funds' chain heads: public by design, and a hex
    digest can hold twelve digits in a row that would look like a CCCD."""
    return [report.sha256, *(head["hash"] for head in report.chain_heads)]


def _leaks(text: str, *hashes: str) -> list[str]:
    for digest in filter(None, hashes):
        # A PDF line may break a long hash; match it across whitespace.
        text = re.sub(r"\s*".join(digest), "", text)
    squeezed = re.sub(r"(?<=\d)[ .\u00a0-](?=\d)", "", text)
    found = [f"{name}: {m.group()}" for name, p in PATTERNS.items() for m in p.finditer(squeezed)]
    found += [f"text: {value}" for value in PRIVATE if value in text]
    return found


def _post_lists(ward, world):
    """Review meetings of groups 5 and 2 that agreed on the consented household and on
    the private one, posted from today: the public posting page lists them."""
    from django.utils import timezone

    from households import services as household_services
    from households.models import AgendaItem

    today = timezone.localdate()
    for household in (ward.household, ward.private):
        group = household.group
        meeting = household_services.meeting_prepare(
            actor=world.users["staff"],
            campaign=ward.campaign,
            group=group,
            date=today,
            place=f"Nhà văn hóa {group.name} – {HOUSEHOLD_ADDRESS}",
            chair="Lê Văn Chứng",
            secretary="Đỗ Văn Kín",
            invited_count=3,
        )
        item = household_services.meeting_item_add(
            actor=world.users["staff"],
            meeting=meeting,
            household=household,
            kind=AgendaItem.Kind.SUPPORT,
            subject=f"Hỗ trợ hộ {household.head_name}, {HEALTH}",
        )
        household_services.meeting_record_votes(
            actor=world.users["staff"],
            meeting=meeting,
            present_count=3,
            votes={item.pk: {"agree": 3, "disagree": 0, "abstain": 0, "conclusion": "agree"}},
        )
        household_services.posting_open(
            actor=world.users["staff"],
            meeting=meeting,
            start_date=today,
            place=f"Bảng tin {HOUSEHOLD_ADDRESS}",
        )


def test_the_posting_page_shows_group_initials_and_kind_only(ward, world, anon_client):
    _post_lists(ward, world)
    response = anon_client.get("/niem-yet/")
    page = response.content.decode()
    assert "Hộ bà N.T.H., tổ 5" in page
    assert "Đề nghị hỗ trợ" in page
    assert "Và 1 hộ không công khai tên" in page
    assert not _leaks(_text(response)), _leaks(_text(response))
    assert "Kín" not in page and "Đ.V.K." not in page and "Nhà văn hóa" not in page
    menu = anon_client.get("/cong-khai/bao-cao/").content.decode()
    assert 'href="/niem-yet/"' in menu


def test_no_public_page_or_download_leaks_private_data(ward, world, anon_client):
    _post_lists(ward, world)
    # The bank account numbers of donors would come from bank lines: none may show.
    report = report_publish(
        actor=world.users["committee"],
        title="Báo cáo 2024",
        period_start=datetime.date(2024, 10, 1),
        period_end=datetime.date(2024, 11, 30),
    )
    gets = [
        "/",
        "/cong-khai/2024/",
        "/cong-khai/2024/ung-ho/",
        "/cong-khai/2024/ung-ho/?loai=truc-tiep",
        "/cong-khai/2024/ung-ho/?ten=nguyen",
        "/cong-khai/2024/ung-ho/?tien=500.000",
        "/cong-khai/2024/ung-ho/?ten=bich",
        "/cong-khai/2024/chi-ho-tro/",
        "/cong-khai/bao-cao/",
        f"/cong-khai/bao-cao/{report.sha256}.pdf",
        "/niem-yet/",
        "/tra-cuu/",
        f"/bien-nhan/{ward.gift_an.receipt.token}/",
        f"/bien-nhan/{ward.direct.receipt.token}/",
    ]
    for kind in ("ung-ho", "chi-ho-tro"):
        for period in ("2024-10", "2024-11", "2024-10-20", "2024-11-02"):
            for fmt in ("csv", "xlsx"):
                gets.append(f"/cong-khai/2024/tai-ve/{kind}-{period}.{fmt}")
    hashes = _published_hashes(report)
    assert len(hashes) > 1  # the fund's chain head is published too
    checked = 0
    for url in gets:
        response = anon_client.get(url)
        assert response.status_code == 200, url
        assert not _leaks(_text(response), *hashes), url
        checked += 1
    for donation, amount in ((ward.gift_an, "500000"), (ward.direct, "800000")):
        response = anon_client.post("/tra-cuu/", {"so": donation.receipt.number, "tien": amount})
        assert "hợp lệ" in response.content.decode()
        assert not _leaks(_text(response), *hashes)
        checked += 1
    assert checked == len(gets) + 2


def test_the_consented_household_appears_only_as_initials(ward, anon_client):
    page = anon_client.get("/cong-khai/2024/chi-ho-tro/").content.decode()
    assert "Hộ bà N.T.H., tổ 5" in page
    assert "Nguyễn Thị Hồng" not in page and "Kín" not in page and "Đ.V.K." not in page


def test_the_scanner_finds_what_it_looks_for():
    assert _leaks("gọi 0912 345 678", "")
    assert _leaks("CCCD 001085012345", "")
    assert _leaks("+84 24 3976 1234", "")
    assert _leaks(f"Địa chỉ: {HOUSEHOLD_ADDRESS}", "")
    assert not _leaks("Tổng 1.500.000 đ ngày 02/11/2024, VNN-2024-000001", "")


def test_the_scanner_skips_published_hashes_even_split_by_a_line_break():
    digest = "594723394832" + "ab" * 26
    assert _leaks(f"Mã kiểm tra: {digest}")
    assert not _leaks(f"Mã kiểm tra: {digest[:30]}\n{digest[30:]}", digest)
