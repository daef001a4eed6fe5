"""Publication snapshots: the committee publishes, the file and its SHA-256 never change."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lddh.public.models import PublishedReport
from lddh.public.services import report_publish
from lddh.ward.models import AppendOnlyError, AuditEvent

START, END = datetime.date(2024, 10, 17), datetime.date(2024, 11, 18)


def _publish(world, persona="committee", **overrides):
    data = {"title": "Kết quả Tháng cao điểm 2024", "period_start": START, "period_end": END}
    data.update(overrides)
    return report_publish(actor=world.users[persona], **data)


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_committee_publishes_a_fingerprinted_pdf(ward, world, anon_client):
    report = _publish(world)
    content = report.file.read()
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == report.sha256
    assert AuditEvent.objects.filter(action="public.report_publish").count() == 1
    text = _pdf_text(content)
    assert "4.500.000" in text  # the fund's receipts in the period
    assert "2.100.000" in text  # paid from the fund
    for private in ("Nguyễn Văn Ân", "Nguyễn Thị Hồng", "0912345678", "Tô Hiến Thành"):
        assert private not in text
    served = anon_client.get(f"/cong-khai/bao-cao/{report.sha256}.pdf")
    assert served.status_code == 200
    assert hashlib.sha256(b"".join(served.streaming_content)).hexdigest() == report.sha256
    listing = anon_client.get("/cong-khai/bao-cao/").content.decode()
    assert report.sha256 in listing and report.title in listing
    assert report.sha256 in anon_client.get("/").content.decode()


def test_a_published_report_never_changes(ward, world):
    report = _publish(world)
    report.title = "Đổi tiêu đề"
    with pytest.raises(AppendOnlyError):
        report.save()
    with pytest.raises(AppendOnlyError):
        report.delete()
    with pytest.raises(AppendOnlyError):
        PublishedReport.objects.update(title="x")
    correction = _publish(world, title="Đính chính")
    assert correction.sha256 != report.sha256
    assert PublishedReport.objects.count() == 2


@pytest.mark.parametrize("persona", ["staff", "treasurer", "supervisor", "leader1"])
def test_only_the_committee_publishes(ward, world, persona):
    with pytest.raises(PermissionDenied):
        _publish(world, persona)
    assert not PublishedReport.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": "  "},
        {"period_end": datetime.date(2024, 10, 1)},
        {"period_end": datetime.date.today() + datetime.timedelta(days=3)},
        {"period_start": datetime.date(2020, 1, 1)},
    ],
)
def test_bad_publications_are_refused(ward, world, overrides):
    with pytest.raises(ValidationError):
        _publish(world, **overrides)
    assert not PublishedReport.objects.exists()


def test_the_publication_page(ward, world):
    committee = world.client("committee")
    page = committee.get("/quan-ly/cong-khai/")
    assert page.status_code == 200 and "Công bố" in page.content.decode()
    bad = committee.post(
        "/quan-ly/cong-khai/",
        {"title": "X", "period_start": "18/11/2024", "period_end": "17/10/2024"},
    )
    assert bad.status_code == 200
    assert "Ngày kết thúc phải sau" in bad.content.decode()
    assert 'value="X"' in bad.content.decode()
    done = committee.post(
        "/quan-ly/cong-khai/",
        {"title": "Báo cáo 2024", "period_start": "17/10/2024", "period_end": "18/11/2024"},
    )
    assert done.status_code == 302
    report = PublishedReport.objects.get()
    assert report.published_by == world.users["committee"]
    staff_view = world.client("staff").get("/quan-ly/cong-khai/").content.decode()
    assert report.sha256 in staff_view and "Chỉ Ban Thường trực" in staff_view
    assert world.client("staff").post("/quan-ly/cong-khai/", {}).status_code == 403


def test_the_publication_page_is_in_the_menu_of_staff_and_committee(ward, world):
    for persona, shown in (("staff", True), ("committee", True), ("treasurer", False)):
        page = world.client(persona).get("/quan-ly/").content.decode()
        assert ('href="/quan-ly/cong-khai/"' in page) is shown


def test_a_publication_carries_the_ledger_chain_head(ward, world, anon_client):
    """The PDF, its record and the public list give each fund's chain head at publication:
    entry N's hash seals entries 1..N, so a later change shows."""
    from donations.models import LedgerEntry

    head = LedgerEntry.objects.filter(fund=ward.fund).order_by("-sequence").first()
    report = _publish(world)
    assert report.chain_heads == [
        {"fund": ward.fund.code, "sequence": head.sequence, "hash": head.hash}
    ]
    flat = "".join(_pdf_text(report.file.read()).split())
    assert head.hash in flat and f"đếnbúttoánsố{head.sequence}" in flat
    listing = anon_client.get("/cong-khai/bao-cao/").content.decode()
    assert head.hash in listing and f"đến bút toán số {head.sequence}" in listing
    event = AuditEvent.objects.get(action="public.report_publish")
    assert event.after["chain_heads"] == report.chain_heads
