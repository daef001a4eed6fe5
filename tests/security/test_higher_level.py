"""The level above (UB MTTQ cấp trên) gets figures, totals and counts, never a person:
every page, export and PDF it may open is searched for the names and circumstances the
ward's books hold (docs/vai-tro.md). The same documents fetched by ward staff must
contain them, so a search that finds nothing proves something."""

from __future__ import annotations

import datetime
import html
import io
import zipfile

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from donations import services as donation_services
from donations.models import ANONYMOUS_NAME
from lddh.reports.exports import PDF_REPORTS, Report
from lddh.ward.vocab import DonorSource
from tests.factories import DonorFactory, MemberFactory, NeedFactory, record_donation
from tests.reports.conftest import ReportBooks, params
from tests.test_permission_matrix import CASES

ANONYMOUS_DONOR = "Đỗ Văn Kín Danh"
REPRESENTATIVE = "Vũ Thị Thay Mặt"
VOID_REASON_NAME = "Hoàng Văn Nhầm"
MEMBER = "Phùng Thị Nhân Khẩu"
ILLNESS = "suy thận mạn"

SECRETS = (
    "Trần Thị Bình",  # heads of household of the report books
    "Lê Văn Cường",
    "Nguyễn Thị Hộ",  # the heads the permission matrix's factories create
    "Chồng mất sớm",  # the factories' circumstances
    MEMBER,
    ILLNESS,
    "bà Đào",  # a direct support's beneficiary, printed on its receipt
    ANONYMOUS_DONOR,
    REPRESENTATIVE,
    VOID_REASON_NAME,
)


class HigherLevelBooks(ReportBooks):
    """The report books, plus an anonymous donor with a representative, a member, a
    need that names an illness and a void whose reason names someone."""

    def __init__(self, world):
        super().__init__(world)
        staff = world.users["staff"]
        MemberFactory(household=self.poor_household, full_name=MEMBER)
        NeedFactory(household=self.poor_household, description=f"Chữa {ILLNESS}, chạy thận")
        anonymous = DonorFactory(
            name=ANONYMOUS_DONOR,
            representative=REPRESENTATIVE,
            source=DonorSource.BUSINESS,
            anonymous=True,
        )
        self.anonymous = record_donation(
            actor=staff,
            donor=anonymous,
            fund=self.fund,
            account=self.cash,
            amount=10_000_000,
            date=datetime.date(2024, 10, 23),
            campaign=self.campaign,
        )
        wrong = record_donation(
            actor=staff,
            fund=self.fund,
            account=self.cash,
            amount=300_000,
            date=datetime.date(2024, 10, 24),
            campaign=self.campaign,
        )
        void = donation_services.void_request(
            actor=staff, donation=wrong, reason=f"Ghi nhầm tên ông {VOID_REASON_NAME}"
        )
        donation_services.void_approve(actor=world.users["committee"], void=void)


@pytest.fixture
def ward_books(world) -> HigherLevelBooks:
    return HigherLevelBooks(world)


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        # Every part of the workbook (cells, headers, footers, sheet names), not only
        # the values openpyxl reads back; the XML writes "ầ" as "&#7847;".
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            text = "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
        text = html.unescape(text)
    elif "pdf" in kind:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            pages = PdfReader(io.BytesIO(content)).pages
            text = "\n".join(page.extract_text() for page in pages)
        except PdfReadError:  # the matrix's stand-in PDF (a few bytes): read as bytes
            text = content.decode("latin-1")
    else:
        text = html.unescape(content.decode("utf-8-sig", "replace"))
    # A PDF wraps a long name over two lines: search the words, not the layout.
    return " ".join(text.split())


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def _report_downloads(books):
    for report in Report.values:
        for fmt in ("xlsx", "pdf") if report in PDF_REPORTS else ("xlsx",):
            for period in ("year", "campaign"):
                yield report, fmt, params(books, report, ky=period, dinh_dang=fmt)


def test_every_report_the_level_above_downloads_names_no_one(world, ward_books):
    higher = world.client("higher")
    for report, fmt, query in _report_downloads(ward_books):
        response = higher.get(reverse("reports:download"), query)
        assert response.status_code == 200, (report, fmt)
        assert response.get("Content-Disposition", "").startswith("attachment"), (report, fmt)
        text = _text(response)
        assert not _leaks(text), f"{report}.{fmt} for the level above: {_leaks(text)}"


def test_the_ward_gets_the_names_the_level_above_does_not(world, ward_books):
    """The control of the search above: the same downloads name people for the ward."""
    staff = world.client("staff")
    found: set[str] = set()
    for _report, _fmt, query in _report_downloads(ward_books):
        found.update(_leaks(_text(staff.get(reverse("reports:download"), query))))
    expected = {
        "Trần Thị Bình",
        "Lê Văn Cường",
        "bà Đào",
        ANONYMOUS_DONOR,
        REPRESENTATIVE,
        VOID_REASON_NAME,
    }
    assert expected <= found, expected - found


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_an_anonymous_donor_is_giau_ten_in_the_level_above_donor_book(world, ward_books, fmt):
    query = params(ward_books, "so-ung-ho", ky="campaign", dinh_dang=fmt)
    text = _text(world.client("higher").get(reverse("reports:download"), query))
    assert ANONYMOUS_NAME in text
    assert ANONYMOUS_DONOR not in text
    # Named donors are public on the disclosure pages; the level above sees them too.
    assert "Nguyễn Văn An" in text


# Asked for below with the books' own campaign, and the reports by the tests above.
MADE_ELSEWHERE = ("campaigns", "public", "donations_public", "reports")


def _higher_get_urls(world):
    """Every URL the permission matrix lets the level above open (200). A case that makes
    a second active campaign (which the books' own one forbids) is asked for the books'
    campaign instead (the caller adds those)."""
    for case in CASES:
        if case.get is not None and case.get["higher"] == 200:
            try:
                with transaction.atomic():
                    kwargs = case.kwargs(world) if case.kwargs else {}
            except IntegrityError:
                assert case.url_name.split(":")[0] in MADE_ELSEWHERE, case.url_name
                continue
            yield case.url_name, reverse(case.url_name, kwargs=kwargs)


def test_no_page_the_level_above_opens_names_anyone(world, ward_books):
    higher = world.client("higher")
    urls = list(_higher_get_urls(world))
    campaign = ward_books.campaign.pk
    for name in ("detail", "plan", "plan_pdf", "board", "targets", "activities"):
        urls.append((f"campaigns:{name}", reverse(f"campaigns:{name}", args=[campaign])))
    urls.append(("dashboard:home", f"{reverse('dashboard:home')}?chien-dich={campaign}"))
    year = str(ward_books.campaign.year)
    for name in ("year", "donors", "spending"):
        urls.append((f"public:{name}", reverse(f"public:{name}", args=[year])))
    assert len(urls) > 20
    for name, url in urls:
        response = higher.get(url)
        assert response.status_code == 200, f"{name} {url}: {response.status_code}"
        text = _text(response)
        assert not _leaks(text), f"{name} {url} shows {_leaks(text)} to the level above"


def test_the_level_above_is_refused_every_page_that_names_people(world, ward_books):
    """Pages by id of the books' own records: 404 in the register, 403 elsewhere."""
    higher = world.client("higher")
    household = ward_books.poor_household
    support = ward_books.repair
    expected = {
        reverse("households:detail", args=[household.pk]): 404,
        reverse("households:support_detail", args=[support.pk]): 404,
        reverse("households:support_voucher", args=[support.pk]): 404,
        reverse("donations:donor_detail", args=[ward_books.anonymous.donor_id]): 403,
        reverse("donations:detail", args=[ward_books.anonymous.pk]): 403,
        reverse("supervision:audit"): 403,
        reverse("households:list"): 403,
        reverse("donations:donor_list"): 403,
    }
    for url, status in expected.items():
        assert higher.get(url).status_code == status, url
    # The ward's roles open the same addresses.
    staff = world.client("staff")
    for url in expected:
        assert staff.get(url).status_code == 200, url
