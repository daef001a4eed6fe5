"""Every public page and download, over data full of private details, is scanned with
patterns: no phone number, CCCD, account number, address, health detail or raw bank
description may appear."""

from __future__ import annotations

import datetime
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from households import services as household_services
from households.models import SupportCategory, SupportForm, SupportSource
from lddh.public.services import report_publish
from lddh.supervision.feedback import services as feedback_services
from lddh.supervision.models import Feedback
from tests.factories import HouseholdFactory
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
    # Residents' feedback: the sender, their words, an answer not published
    "Hoàng Thị Phản",
    "phan.anh@example.vn",
    "Vũ Văn Kiện",
    "ngõ 7 Lò Đúc",
    "Trả lời riêng chưa công khai",
    "Lý Thị Mận",  # a household of a round, without consent: no initials either
    "L.T.M.",
    "Đinh Văn Đào",  # with consent: initials only
    "Số 8 ngõ",
]


def _feedback(world) -> str:
    """Feedback full of private details in every state: one answered and published,
    one answered and not published, one open. Returns the published one's code."""
    sender = {
        "contact_name": "Hoàng Thị Phản",
        "contact_phone": "0987 654 321",
        "contact_email": "phan.anh@example.vn",
    }
    published = feedback_services.feedback_submit(
        topic=Feedback.Topic.WRONG_HOUSEHOLD,
        content="Nhà ông Vũ Văn Kiện ở ngõ 7 Lò Đúc có nhà ba tầng vẫn nhận hỗ trợ.",
        **sender,
    )
    feedback_services.feedback_answer(
        actor=world.users["supervisor"],
        feedback=published,
        answer="Ban Thanh tra đã xác minh; hộ được đưa ra khỏi danh sách năm sau.",
    )
    feedback_services.feedback_publish(
        actor=world.users["committee"],
        feedback=published,
        public_question="Một hộ có điều kiện vẫn nhận hỗ trợ.",
    )
    answered = feedback_services.feedback_submit(
        topic=Feedback.Topic.NOT_RECEIVED,
        content="Tôi là Vũ Văn Kiện, chưa nhận được quà, gọi 0987 654 321.",
        **sender,
    )
    feedback_services.feedback_answer(
        actor=world.users["supervisor"],
        feedback=answered,
        answer="Trả lời riêng chưa công khai cho Vũ Văn Kiện.",
    )
    feedback_services.feedback_submit(
        topic=Feedback.Topic.OTHER, content="Số 1 phố Huế, ngõ 7 Lò Đúc: mất đèn.", **sender
    )
    return published.code, answered.code


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
    codes = _feedback(world)
    _post_lists(ward, world)
    # The bank account numbers of donors would come from bank lines: none may show.
    report = report_publish(
        actor=world.users["committee"],
        title="Báo cáo 2024",
        period_start=datetime.date(2024, 10, 1),
        period_end=datetime.date(2024, 11, 30),
    )
    # Proof of spending: a round of two households (one consented), each support's page,
    # an approved redacted scan listed on its support's page.
    round_households = [
        HouseholdFactory(
            group=world.groups[7],
            head_name="Lý Thị Mận",
            address="Số 8 ngõ Lò Đúc",
            phone="0966555444",
            head_cccd="001190054321",
            circumstances=HEALTH,
        ),
        HouseholdFactory(group=world.groups[7], head_name="Đinh Văn Đào", phone="0966555333"),
    ]
    household_services.household_set_public_consent(
        actor=ward.staff, household=round_households[1], consent=True, head_title="ông"
    )
    round = _paid_round(ward, world, round_households)
    scan = household_services.redacted_scan_upload(
        actor=world.users["committee"],
        support=ward.paid[0],
        upload=SimpleUploadedFile("che.png", b"\x89PNG\r\n\x1a\n" + b"0" * 40),
    )
    household_services.redacted_scan_approve(actor=world.users["supervisor"], scan=scan)
    supports = [*ward.paid, *round.supports.all()]
    gets = [
        "/",
        "/cong-khai/2024/",
        "/cong-khai/2024/ung-ho/",
        "/cong-khai/2024/ung-ho/?loai=truc-tiep",
        "/cong-khai/2024/ung-ho/?ten=nguyen",
        "/cong-khai/2024/ung-ho/?tien=500.000",
        "/cong-khai/2024/ung-ho/?ten=bich",
        "/cong-khai/2024/chi-ho-tro/",
        f"/cong-khai/2024/chi-ho-tro/dot/{round.public_token}/",
        *(f"/cong-khai/2024/chi-ho-tro/ho-tro/{s.handover_number}/" for s in supports),
        "/cong-khai/bao-cao/",
        f"/cong-khai/bao-cao/{report.sha256}.pdf",
        "/niem-yet/",
        "/tra-cuu/",
        "/phan-anh/",
        "/phan-anh/da-gui/",
        "/phan-anh/tra-cuu/",
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
    page = anon_client.get("/phan-anh/").content.decode()
    assert "Một hộ có điều kiện vẫn nhận hỗ trợ." in page  # the published question
    for code in codes:
        response = anon_client.post("/phan-anh/tra-cuu/", {"ma": code.lower()})
        assert code in response.content.decode()
        assert not _leaks(_text(response), *hashes), code
        checked += 1
    assert checked == len(gets) + 2 + len(codes)


def _paid_round(ward, world, households):
    round = household_services.round_create(
        actor=ward.staff,
        name="Trao quà Tết 2025",
        campaign=ward.campaign,
        category=SupportCategory.GIFT,
        form=SupportForm.CASH,
        amount=100_000,
        source=SupportSource.FUND,
        fund=ward.fund,
        account=ward.cash,
        households=households,
    )
    household_services.round_approve(
        actor=world.users["committee"],
        round=round,
        decision_number="21/QĐ-BVĐ",
        decision_date=datetime.date(2024, 11, 5),
        decision_signer="Trần Thanh Tuấn",
    )
    household_services.round_pay(
        actor=world.users["treasurer"],
        round=round,
        handover_date=datetime.date(2024, 11, 6),
        witness_name="Lê Văn Chứng",
    )
    return round


def test_the_proof_pages_show_initials_only_with_consent(ward, world, anon_client):
    households = [
        HouseholdFactory(group=world.groups[7], head_name="Lý Thị Mận"),
        HouseholdFactory(group=world.groups[7], head_name="Đinh Văn Đào"),
    ]
    household_services.household_set_public_consent(
        actor=ward.staff, household=households[1], consent=True, head_title="ông"
    )
    round = _paid_round(ward, world, households)
    page = anon_client.get(f"/cong-khai/2024/chi-ho-tro/dot/{round.public_token}/")
    text = page.content.decode()
    assert "Hộ ông Đ.V.Đ., tổ 7" in text and "Hộ gia đình tổ 7" in text
    assert "L.T.M." not in text and "Mận" not in text and "Đinh Văn" not in text
    without, with_consent = (
        round.supports.get(household=households[0]),
        round.supports.get(household=households[1]),
    )
    one = anon_client.get(f"/cong-khai/2024/chi-ho-tro/ho-tro/{without.handover_number}/")
    assert "Hộ gia đình tổ 7" in one.content.decode()
    assert "L.T.M." not in one.content.decode() and "Mận" not in one.content.decode()
    other = anon_client.get(f"/cong-khai/2024/chi-ho-tro/ho-tro/{with_consent.handover_number}/")
    assert "Hộ ông Đ.V.Đ., tổ 7" in other.content.decode()
    assert "Đinh Văn Đào" not in other.content.decode()


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
