"""The demo's pages and documents speak Vietnamese and name their figures from the
glossary (lddh/ward/figures.py), and the figures agree with each other.

No English word on any page or document: every menu page of every demo account (and
the first record each list links to), every public page, and every PDF and Excel file
those pages offer (the reports in both formats, for the ward and for the level above)
are rendered from the demo, their visible text extracted (pypdf, openpyxl) and scanned
for the English words that leak from code into screens.

Not scanned: URLs, code samples (``<code>``, hashes), the names of the things
themselves (SHA-256, VietQR, PDF, Excel) and vendor assets (scripts and styles)."""

from __future__ import annotations

import io
import os
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from openpyxl import load_workbook
from pypdf import PdfReader

from lddh.demo.ward import ACCOUNTS

USERNAMES = [username for username, *_ in ACCOUNTS] + ["to3"]

ENGLISH = (
    "chain",
    "head",
    "hash",
    "token",
    "none",
    "true",
    "false",
    "null",
    "pending",
    "approved",
    "rejected",
    "void",
    "voided",
    "draft",
    "status",
    "amount",
    "total",
    "page",
    "of",
    "next",
    "previous",
    "submit",
    "search",
    "filter",
    "error",
    "balance",
    "receipt",
    "donation",
    "donor",
    "ledger",
    "household",
    "campaign",
    "payment",
    "transfer",
    "delete",
    "cancel",
    "save",
    "the",
    "and",
    "for",
    "with",
    "unknown",
    "invalid",
    "required",
    "field",
    "this",
    "select",
    "choose",
    "upload",
    "download",
    "file",
)
WORD = re.compile(r"(?<![\w/.@-])(" + "|".join(ENGLISH) + r")(?![\w/@-])", re.IGNORECASE)
URL = re.compile(r"(https?://|www\.)\S+|\S+@\S+\.\S+|/[\w\-./?=&%]+")
LINK = re.compile(r'href="(/[^"#]*)"')
MENU = re.compile(r'<a class="(?:nav-link|dropdown-item)[^"]*"[^>]*href="(/quan-ly/[^"]*)"')
DETAIL = re.compile(r"^(/quan-ly/[\w\-/]+/)\d+/$")
DOCUMENT = re.compile(
    r"(\.pdf|\.xlsx|/in/|thu-cam-on/|xuat-excel/|mau-excel/)(\?|$)|[?&]xuat=xlsx(&|$)"
)
EXPORT = re.compile(r'href="(\?[^"#]*xuat=xlsx[^"#]*)"')
VISIBLE_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


class _Text(HTMLParser):
    """The text a person sees (and hears through a screen reader) on a page."""

    SKIP = {"script", "style", "code", "pre", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        attributes = dict(attrs)
        for name in VISIBLE_ATTRIBUTES:
            if attributes.get(name):
                self.parts.append(attributes[name])
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)


def xlsx_text(body: bytes) -> str:
    wb = load_workbook(io.BytesIO(body), read_only=True)
    values = [
        str(value)
        for ws in wb.worksheets
        for row in ws.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str) and not value.startswith("=")
    ]
    return "\n".join([ws.title for ws in wb.worksheets] + values)


def english_words(text: str) -> list[str]:
    """The English words of a text, each with a few words around it."""
    text = URL.sub(" ", text)
    hits = []
    for match in WORD.finditer(text):
        around = text[max(0, match.start() - 40) : match.end() + 40].replace("\n", " ")
        hits.append(f"{match.group(0)!r} in …{around}…")
    return hits


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def document_text(response) -> str | None:
    kind = response.get("Content-Type", "")
    if "pdf" in kind:
        return pdf_text(body_of(response))
    if "spreadsheetml" in kind:
        return xlsx_text(body_of(response))
    return None


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    # The published report's PDF goes where the tests read files (tests/conftest.py).
    scratch = tmp_path_factory.getbasetemp() / "var"
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=scratch / "media", VAR_DIR=scratch),
    ):
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def _client(username: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _walk(client: Client, start: list[str], found: dict[str, list[str]]) -> set[str]:
    """Open each page, scan it, and return the documents it links to."""
    documents: set[str] = set()
    for url in start:
        response = client.get(url)
        assert response.status_code == 200, f"{url} → {response.status_code}"
        html = response.content.decode()
        hits = english_words(page_text(html))
        if hits:
            found[url] = hits
        documents.update(link for link in LINK.findall(html) if DOCUMENT.search(link))
        # A list's own export: "?…xuat=xlsx" on the list's address.
        documents.update(url.split("?")[0] + query for query in EXPORT.findall(html))
    return documents


def _scan_documents(client: Client, urls, found: dict[str, list[str]]) -> int:
    scanned = 0
    for url in sorted(urls):
        response = client.get(url.replace("&amp;", "&"))
        if response.status_code != 200:
            continue
        text = document_text(response)
        if text is None:
            continue
        scanned += 1
        hits = english_words(text)
        if hits:
            found[url] = hits
    return scanned


@pytest.mark.slow
@pytest.mark.parametrize("username", USERNAMES)
def test_no_english_word_on_the_pages_and_documents_of_a_demo_account(demo, db, username):
    client = _client(username)
    home = client.get("/quan-ly/").content.decode()
    menu = sorted(set(MENU.findall(home)) | {"/quan-ly/"})
    found: dict[str, list[str]] = {}
    documents = _walk(client, menu, found)
    # The first record each list links to: detail pages carry most of the labels.
    details = []
    for url in menu:
        html = client.get(url).content.decode()
        for link in LINK.findall(html):
            match = DETAIL.match(link)
            if match and match.group(1) == url and link not in details:
                details.append(link)
                break
    documents |= _walk(client, details, found)
    _scan_documents(client, documents, found)
    assert not found, "\n".join(f"{url}: {hits[:5]}" for url, hits in found.items())


REPORTS = ("quy", "so-ung-ho", "so-bien-nhan", "ho-tro", "ho-duoc-ho-tro", "tien-do")
PDF_REPORTS = ("quy", "so-ung-ho")


@pytest.mark.slow
@pytest.mark.parametrize("username", ["canbo", "captren"])
def test_no_english_word_in_any_report(demo, db, username):
    from campaigns.models import Campaign
    from donations.models import Fund

    client = _client(username)
    campaign = Campaign.objects.order_by("-year").first()
    found: dict[str, list[str]] = {}
    scanned = 0
    for fund in Fund.objects.all():
        for report in REPORTS:
            for fmt in ("xlsx", "pdf") if report in PDF_REPORTS else ("xlsx",):
                query = (
                    f"bao_cao={report}&ky=campaign&nam={campaign.year}&chien_dich={campaign.pk}"
                    f"&quy={fund.pk}&dinh_dang={fmt}"
                )
                scanned += _scan_documents(client, [f"/quan-ly/bao-cao/tai-ve/?{query}"], found)
    assert scanned >= len(REPORTS) + len(PDF_REPORTS)
    assert not found, "\n".join(f"{url}: {hits[:5]}" for url, hits in found.items())


@pytest.mark.slow
def test_no_english_word_on_the_public_pages_and_downloads(demo, db):
    from lddh.public.selectors import published_reports

    client = Client()
    home = client.get("/").content.decode()
    pages = {"/", "/tra-cuu/", "/cong-khai/bao-cao/", "/phan-anh/", "/phan-anh/tra-cuu/"}
    pages |= {
        link
        for link in LINK.findall(home)
        if link.startswith("/cong-khai/") and "tai-ve" not in link and not DOCUMENT.search(link)
    }
    found: dict[str, list[str]] = {}
    documents = _walk(client, sorted(pages), found)
    documents |= {f"/cong-khai/bao-cao/{r.sha256}.pdf" for r in published_reports()}
    documents |= {link for link in LINK.findall(home) if DOCUMENT.search(link)}
    assert _scan_documents(client, documents, found) >= 1
    assert not found, "\n".join(f"{url}: {hits[:5]}" for url, hits in found.items())


@pytest.mark.slow
def test_every_audit_event_of_the_demo_reads_in_vietnamese(demo, db):
    """The audit log shows each event's recorded values with Vietnamese labels and
    values (the pages above only show its first page)."""
    from lddh.supervision.selectors import action_label, describe_event, object_type_label
    from lddh.ward.models import AuditEvent

    found = {}
    for event in AuditEvent.objects.all().iterator():
        rows = describe_event(event)
        text = " | ".join(f"{label}: {old} → {new}" for label, old, new in rows)
        text += f" | {action_label(event.action)} | {event.note}"
        if event.object_type:
            text += f" | {object_type_label(event.object_type)}"
        hits = english_words(text)
        if hits:
            found.setdefault(event.action, hits[:3])
    assert not found, found


def test_the_scan_finds_english_and_spares_vietnamese_and_proper_names():
    assert english_words(page_text("<p>Mã kiểm tra (chain head): <code>ab12</code></p>"))
    assert english_words(page_text('<button aria-label="Next page">›</button>'))
    assert english_words(page_text("<td>None</td>"))
    assert not english_words(
        page_text(
            "<p>Mã SHA-256 của tệp PDF, mã VietQR, tệp Excel; xem https://quy.example.vn/next"
            "</p><script>var status = null;</script><code>token</code>"
        )
    )
    assert not english_words("Số dư đầu kỳ, Đã thu, Hủy sau khi ghi, Chuyển quỹ đến, tổ 3")


# ------------------------------------------------------------------ the figures


def _campaign_and_fund():
    from campaigns.models import Campaign
    from donations.models import Fund

    return Campaign.objects.get(year=2024), Fund.objects.get(code="VNN")


@pytest.mark.slow
def test_the_three_totals_of_the_demo_are_named_and_explained(demo, db):
    from donations.selectors import campaign_progress, fund_movements
    from donations.selectors.reports import fund_flows
    from lddh.ward.figures import DIRECT, LIST_TOTAL, RAISED, VOIDED_LATER
    from lddh.ward.money import format_dong

    campaign, fund = _campaign_and_fund()
    raised = campaign_progress(campaign).total
    staff = _client("canbo")
    # The dashboard and the public page: "Đã vận động vào Quỹ", with its sentence.
    for body in (staff.get("/quan-ly/").content.decode(), Client().get("/").content.decode()):
        text = page_text(body)
        assert RAISED.name in text and RAISED.explanation in text
        assert format_dong(raised) in text
        assert DIRECT.name in text and DIRECT.explanation in text
    assert VOIDED_LATER.explanation in page_text(Client().get("/").content.decode())
    # The donation list's total says what it adds, and the parts add up to it: the list
    # of 2024 (unfiltered it adds the demo's 2022 and 2023 gifts, lddh/demo/history.py),
    # as docs/huong-dan/so-lieu.md shows it.
    html = staff.get("/quan-ly/ung-ho/?date_from=01/01/2024&date_to=31/12/2024").content.decode()
    paragraph = re.search(r'<p class="mb-2" id="list-total">(.*?)<br>', html, re.S).group(1)
    line = re.sub(r"<[^>]+>", "", paragraph).replace("&nbsp;", " ").replace("\xa0", " ")
    assert line.startswith(f"{LIST_TOTAL.name} theo bộ lọc:")
    total_text, parts_text = line.split(":", 1)[1].split("=", 1)
    total = int(total_text.strip().removesuffix(" đ").replace(".", ""))
    parts = [int(p.replace(".", "")) for p in re.findall(r"([\d.]+) đ", parts_text)]
    assert total == sum(parts) and len(parts) == 3
    assert "Quỹ Vì người nghèo" in parts_text and DIRECT.name.lower() in parts_text
    assert parts[0] == raised
    # The end-of-campaign balance is above the money raised only by the receipts voided
    # after the campaign, and says so.
    flows = fund_flows(fund, campaign.start_date, campaign.end_date)
    assert flows.opening == 0 and flows.closing > raised
    assert flows.raised == raised
    assert flows.closing == raised + flows.voided_later_amount - flows.spent
    assert flows.voided_later_count == 2
    movements = fund_movements(fund)
    assert movements.adds_up and movements.voided == flows.voided_later_amount


@pytest.mark.slow
def test_the_demo_balance_table_adds_up_on_its_face(demo, db):
    from donations.models import Fund

    campaign, _ = _campaign_and_fund()
    staff = _client("ketoan")
    periods = [
        "",
        f"?date_from={campaign.start_date:%d/%m/%Y}&date_to={campaign.end_date:%d/%m/%Y}",
    ]
    for query in periods:
        html = staff.get(f"/quan-ly/ung-ho/so-quy/{query}").content.decode()
        tables = re.findall(
            r'<table class="table table-sm mb-0 balance-table"(.*?)</table>', html, re.S
        )
        assert len(tables) == Fund.objects.count()
        for table in tables:
            amounts = [
                int(a.replace(".", ""))
                for a in re.findall(r'class="money[^"]*">([\d.]+)(?:&nbsp;|\xa0| )đ<', table)
            ]
            opening, received, voided, spent, tin, tout, closing = amounts
            assert closing == opening + received - voided - spent + tin - tout
            assert "Không khớp" not in table


@pytest.mark.slow
def test_the_fund_report_of_the_demo_names_its_lines_from_the_glossary(demo, db):
    from lddh.ward.figures import CLOSING, OPENING, RECEIVED, SPENT, TRANSFER_IN, VOIDED

    campaign, fund = _campaign_and_fund()
    query = (
        f"bao_cao=quy&ky=campaign&nam=2024&chien_dich={campaign.pk}&quy={fund.pk}&dinh_dang=xlsx"
    )
    response = _client("canbo").get(f"/quan-ly/bao-cao/tai-ve/?{query}")
    wb = load_workbook(io.BytesIO(body_of(response)))
    labels = [row[1] for row in wb.active.iter_rows(values_only=True) if len(row) > 1]
    for name in (OPENING.name.upper(), VOIDED.name.upper(), TRANSFER_IN.name):
        assert name in labels
    assert f"{RECEIVED.name.upper()} TRONG KỲ (theo nguồn)" in labels
    assert f"{SPENT.name.upper()} TRONG KỲ (theo loại hỗ trợ)" in labels
    assert any(str(label).startswith(CLOSING.name.upper()) for label in labels)


@pytest.mark.slow
def test_the_demo_offers_a_commendation_list_and_yearly_statements(demo, db):
    """The commendation list of the demo campaign has donors at the default thresholds,
    and a donor's page links the yearly statement, which lists their receipts."""
    from django.urls import reverse

    from campaigns.models import Campaign
    from donations.models import Donation

    client = _client("thuongtruc")
    campaign = Campaign.objects.get(year=2024)
    page = client.get(reverse("reports:commendation"), {"chien-dich": campaign.pk})
    rows = page.context["rows"]
    assert rows and all(row.total >= 5_000_000 for row in rows)
    assert any(row.organisation for row in rows) and any(not row.organisation for row in rows)
    for fmt in ("pdf", "xlsx"):
        response = client.get(
            reverse("reports:commendation_download"), {"chien-dich": campaign.pk, "dinh-dang": fmt}
        )
        text = " ".join(document_text(response).split())
        assert rows[0].donor.name in text and not english_words(text)
    gift = Donation.objects.filter(status="valid", donor__isnull=False).order_by("pk").first()
    donor_page = client.get(reverse("donations:donor_detail", args=[gift.donor_id]))
    statement = reverse("donations:donor_statement_pdf", args=[gift.donor_id, gift.date.year])
    assert statement in donor_page.content.decode()
    text = " ".join(document_text(client.get(statement)).split())
    assert gift.receipt.number in text and not english_words(text)
