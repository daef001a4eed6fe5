"""Proof of spending in the browser: a resident on a 360 px phone goes from the spending
page to a round, then to one support, and sees its decision, amount, group and handover
records, with initials only for a household that consented; the committee uploads a
redacted scan, cannot approve its own upload, the supervisor approves it and it appears
publicly, while the original scan stays unreachable."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from households import services
from households.models import RedactedScan, SupportCategory, SupportForm, SupportSource
from tests.browser.conftest import login
from tests.factories import HouseholdFactory
from tests.public.conftest import Ward

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 780}
PNG = b"\x89PNG\r\n\x1a\n" + b"redacted" * 8


@pytest.fixture
def public_ward(browser_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    ward = Ward(browser_world)
    yield ward
    cache.clear()


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]


def _round(ward):
    world = ward.world
    households = [
        HouseholdFactory(group=world.groups[3], head_name="Ngô Văn An", phone="0911222333"),
        HouseholdFactory(group=world.groups[3], head_name="Trịnh Thị Bình"),
    ]
    services.household_set_public_consent(
        actor=ward.staff, household=households[0], consent=True, head_title="ông"
    )
    round = services.round_create(
        actor=ward.staff,
        name="Trao quà Tết Ất Tỵ 2025",
        campaign=ward.campaign,
        category=SupportCategory.GIFT,
        form=SupportForm.CASH,
        amount=50_000,
        source=SupportSource.FUND,
        fund=ward.fund,
        account=ward.cash,
        households=households,
    )
    services.round_approve(
        actor=world.users["committee"],
        round=round,
        decision_number="20/QĐ-BVĐ",
        decision_date=datetime.date(2024, 11, 5),
        decision_signer="Trần Thanh Tuấn",
    )
    services.round_pay(
        actor=world.users["treasurer"],
        round=round,
        handover_date=datetime.date(2024, 11, 6),
        witness_name="Lê Văn Chứng",
    )
    return round, households


def test_a_resident_follows_the_spending_to_one_support(public_ward, new_page, screens):
    round, households = _round(public_ward)
    consented = round.supports.get(household=households[0])
    services.support_attach(
        actor=public_ward.world.users["treasurer"],
        support=consented,
        upload=SimpleUploadedFile("bb.png", PNG),
    )
    page = new_page(viewport=SMALL_PHONE)
    page.goto(page.base_url + "/cong-khai/2024/chi-ho-tro/")
    _fits(page)
    screens.shot(page, "chi-ho-tro-360")
    page.get_by_role("link", name="Trao quà Tết Ất Tỵ 2025").click()
    page.wait_for_url(f"**/chi-ho-tro/dot/{round.public_token}/")
    main = page.locator("main").inner_text()
    assert "Số 20/QĐ-BVĐ ngày 05/11/2024" in main
    assert "Hộ ông N.V.A., tổ 3" in main and "Hộ gia đình tổ 3" in main
    assert "Ngô Văn An" not in main and "Trịnh Thị Bình" not in main and "T.T.B." not in main
    assert "100.000" in main
    _fits(page)
    screens.shot(page, "dot-trao-360")

    page.get_by_role("link", name=consented.handover_number).click()
    page.wait_for_url(f"**/chi-ho-tro/ho-tro/{consented.handover_number}/")
    main = page.locator("main").inner_text()
    assert "Hộ ông N.V.A., tổ 3" in main
    assert "Số 20/QĐ-BVĐ ngày 05/11/2024" in main
    assert "50.000" in main and "Tổ 3" in main and "06/11/2024" in main
    facts = dict(
        zip(
            page.locator("main dl dt").all_inner_texts(),
            page.locator("main dl dd").all_inner_texts(),
            strict=True,
        )
    )
    assert facts["Biên bản bàn giao đã ký"].startswith("1")
    assert facts["Bản quét biên bản lưu tại phường"] == "1"
    _fits(page)
    screens.shot(page, "mot-khoan-360")

    other = round.supports.get(household=households[1])
    page.goto(f"{page.base_url}/cong-khai/2024/chi-ho-tro/ho-tro/{other.handover_number}/")
    main = page.locator("main").inner_text()
    assert "Hộ gia đình tổ 3" in main and "T.T.B." not in main and "Bình" not in main


def test_a_redacted_scan_is_published_only_by_a_second_person(public_ward, new_page, screens):
    support = public_ward.paid[0]
    original = services.support_attach(
        actor=public_ward.world.users["treasurer"],
        support=support,
        upload=SimpleUploadedFile("goc.png", PNG + b"original"),
    )
    detail = f"/quan-ly/ho-gia-dinh/ho-tro/{support.pk}/"
    committee = new_page(viewport=SMALL_PHONE)
    login(committee, "thuongtruc")
    committee.goto(committee.base_url + detail)
    committee.set_input_files(
        "#id_scan-file", files=[{"name": "che.png", "mimeType": "image/png", "buffer": PNG}]
    )
    committee.get_by_role("button", name="Tải lên để chờ duyệt").click()
    committee.wait_for_load_state()
    assert "Chờ người thứ hai duyệt" in committee.locator("main").inner_text()
    assert committee.get_by_role("button", name="Duyệt công khai").count() == 0
    _fits(committee)
    screens.shot(committee, "tai-len-ban-che")
    scan = RedactedScan.objects.get()

    # The uploader posts the approval anyway (the button is not shown): refused.
    token = committee.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    answer = committee.request.post(
        f"{committee.base_url}/quan-ly/ho-gia-dinh/ho-tro/{support.pk}/ban-che/{scan.pk}/duyet/",
        form={"csrfmiddlewaretoken": token},
        headers={"Referer": committee.base_url + detail},
        max_redirects=0,
    )
    assert answer.status == 302
    committee.goto(committee.base_url + detail)
    assert "không được tự duyệt" in committee.locator("main").inner_text()
    scan.refresh_from_db()
    assert scan.state == "waiting"

    resident = new_page(viewport=SMALL_PHONE)
    public = f"{resident.base_url}/cong-khai/2024/chi-ho-tro/ho-tro/{support.handover_number}/"
    resident.goto(public)
    assert "Chưa có bản chụp công khai" in resident.locator("main").inner_text()
    scan_url = f"{resident.base_url}/cong-khai/2024/chi-ho-tro/ban-chup/{scan.token}.png"
    assert resident.request.get(scan_url).status == 404

    supervisor = new_page(viewport=SMALL_PHONE)
    login(supervisor, "giamsat")
    supervisor.get_by_role("link", name="Bản chụp chờ duyệt công khai").first.click()
    supervisor.get_by_role("link", name=support.handover_number).click()
    supervisor.get_by_role("button", name="Duyệt công khai").click()
    dialog = supervisor.locator("dialog.ask-dialog[open]")
    dialog.wait_for()
    with supervisor.expect_navigation():
        dialog.get_by_role("button", name="Duyệt công khai").click()
    assert "đang hiện trên trang công khai" in supervisor.locator("main").inner_text()
    _fits(supervisor)
    screens.shot(supervisor, "duyet-ban-che")

    resident.goto(public)
    resident.get_by_role("link", name="Tải bản chụp 1").wait_for()
    _fits(resident)
    screens.shot(resident, "ban-che-cong-khai")
    download = resident.request.get(scan_url)
    assert download.status == 200 and download.body() == PNG
    # The original, unredacted scan: never on a public address.
    for path in (f"{original.token}.png", f"{original.pk}.png", f"{original.token}.pdf"):
        url = f"{resident.base_url}/cong-khai/2024/chi-ho-tro/ban-chup/{path}"
        assert resident.request.get(url).status == 404
    staff_only = (
        f"{resident.base_url}/quan-ly/ho-gia-dinh/ho-tro/{support.pk}/dinh-kem/{original.pk}/"
    )
    response = resident.request.get(staff_only, max_redirects=0)
    assert response.status == 302 and "/dang-nhap/" in response.headers["location"]

    # The supervisor then sees a name left readable: she takes the scan down on her
    # phone, an empty reason refused first; the public address answers 404 at once.
    supervisor.goto(supervisor.base_url + detail)
    supervisor.get_by_role("button", name="Thôi công khai").click()
    supervisor.wait_for_load_state()
    assert "Lý do" in supervisor.locator("main").inner_text()
    scan.refresh_from_db()
    assert scan.state == "approved"
    supervisor.fill(f"#id_scan-withdraw-{scan.pk}-reason", "Còn đọc được họ tên ở dòng 2")
    supervisor.get_by_role("button", name="Thôi công khai").click()
    supervisor.wait_for_load_state()
    assert "Đã thôi công khai" in supervisor.locator("main").inner_text()
    _fits(supervisor)
    scan.refresh_from_db()
    assert scan.state == "withdrawn"
    assert resident.request.get(scan_url).status == 404
    resident.goto(public)
    assert "Chưa có bản chụp công khai" in resident.locator("main").inner_text()
