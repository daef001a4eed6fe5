"""No English word on any page or document: every menu page of every demo account (and
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
from django.test import Client
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
DOCUMENT = re.compile(r"(\.pdf|\.xlsx|/in/|thu-cam-on/|xuat-excel/|mau-excel/)(\?|$)")
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
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
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
    pages = {"/", "/tra-cuu/", "/cong-khai/bao-cao/"}
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
