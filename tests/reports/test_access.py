"""Who may download what, the level above's counts-only reports, the form's errors and
the report page's constant query count."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from lddh.ward.models import AuditEvent
from tests.factories import CampaignFactory, FundFactory, record_donation
from tests.reports.conftest import EVIL, cells, download, params, workbook
from tests.reports.test_reports import REPORTS

INDEX = "/quan-ly/bao-cao/"


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("persona", ["leader1", "leader2"])
def test_leaders_cannot_download_any_report(world, books, report, persona):
    response = download(world.client(persona), books, report)
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="report.download").exists()


@pytest.mark.parametrize("report", REPORTS)
def test_anonymous_visitors_are_sent_to_login(anon_client, books, report):
    response = download(anon_client, books, report)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["staff", "committee", "treasurer", "higher", "supervisor"])
def test_every_reading_role_downloads(world, books, persona):
    response = download(world.client(persona), books, "quy")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="quy-20240101-')


def test_the_menu_shows_reports_to_readers_only(world):
    assert 'href="/quan-ly/bao-cao/"' in world.client("higher").get("/quan-ly/").content.decode()
    assert (
        'href="/quan-ly/bao-cao/"' not in world.client("leader1").get("/quan-ly/").content.decode()
    )


# ---------------------------------------------------------------- the level above


PERSONAL = (
    "Trần Thị Bình",
    "Lê Văn Cường",
    EVIL,
    "0912 345 678",
    "001080012345",
    "ngõ 2 phố Lê Đại Hành",  # the factories' addresses
)


@pytest.mark.parametrize("report", ["ho-tro", "ho-duoc-ho-tro", "danh-sach-ho", "quy"])
def test_the_level_above_gets_no_personal_data(higher_client, staff_client, books, report):
    wb, _ = workbook(download(higher_client, books, report, ky="campaign"))
    text = "\n".join(str(v) for v in cells(wb) if v is not None)
    for personal in PERSONAL:
        assert personal not in text, personal
    # The ward's own staff get the heads' names in the same reports.
    if report in ("ho-tro", "danh-sach-ho"):
        staff_wb, _ = workbook(download(staff_client, books, report, ky="campaign"))
        assert "Trần Thị Bình" in cells(staff_wb)


def test_the_level_above_gets_the_register_as_counts(higher_client, books):
    wb, _ = workbook(download(higher_client, books, "danh-sach-ho"))
    assert wb.sheetnames == ["Tổng hợp theo tổ", "Nhu cầu theo loại"]
    event = AuditEvent.objects.get(action="report.download")
    assert event.after["names"] is False


# ---------------------------------------------------------------- the form


def _errors(response) -> dict:
    return response.context["form"].errors


def test_custom_dates_are_required_and_checked(staff_client, books):
    response = download(staff_client, books, "quy", ky="custom", tu_ngay="31/02/2024")
    assert response.status_code == 200
    errors = _errors(response)
    assert errors["tu_ngay"] == [
        "Từ ngày: “31/02/2024” không phải ngày có thật (tháng 2 năm 2024 chỉ có 29 ngày)."
    ]
    assert errors["den_ngay"] == ["Hãy nhập ngày kết thúc (dd/mm/yyyy)."]
    assert 'value="31/02/2024"' in response.content.decode()  # what was typed is kept
    response = download(
        staff_client, books, "quy", ky="custom", tu_ngay="18/11/2024", den_ngay="17/10/2024"
    )
    assert _errors(response)["den_ngay"] == ["Ngày kết thúc phải sau hoặc trùng ngày bắt đầu."]


def test_custom_dates_make_the_period(staff_client, books):
    response = download(
        staff_client, books, "so-ung-ho", ky="custom", tu_ngay="17/10/2024", den_ngay="20/10/2024"
    )
    wb, _ = workbook(response)
    values = cells(wb)
    assert "Kỳ báo cáo: Từ ngày 17/10/2024 đến ngày 20/10/2024" in values
    assert books.evil.receipt.number in values
    assert books.voided.receipt.number not in values  # 25/10


def test_six_and_nine_months(staff_client, books):
    wb, _ = workbook(download(staff_client, books, "quy", ky="9m"))
    assert "Kỳ báo cáo: 9 tháng đầu năm 2024 (từ ngày 01/01/2024 đến ngày 30/09/2024)" in cells(wb)
    wb, _ = workbook(download(staff_client, books, "quy", ky="6m", nam="2025"))
    assert "Kỳ báo cáo: 6 tháng đầu năm 2025 (từ ngày 01/01/2025 đến ngày 30/06/2025)" in cells(wb)


def test_pdf_only_for_the_fund_report_and_the_donor_list(staff_client, books):
    response = download(staff_client, books, "ho-tro", dinh_dang="pdf")
    assert response.status_code == 200
    assert "Bản PDF có cho báo cáo Quỹ" in _errors(response)["dinh_dang"][0]


def test_progress_needs_a_campaign_and_a_year_preset_a_year(staff_client, books):
    response = download(staff_client, books, "tien-do", chien_dich="", nam="")
    errors = _errors(response)
    assert errors["chien_dich"] == ["Hãy chọn chiến dịch."]
    assert errors["nam"] == ["Hãy nhập năm báo cáo, ví dụ 2024."]


def test_the_page_offers_every_report(staff_client, books):
    response = staff_client.get(INDEX)
    body = response.content.decode()
    assert response.status_code == 200
    for report in REPORTS:
        assert f'value="{report}"' in body
    assert 'placeholder="dd/mm/yyyy"' in body
    assert response.context["form"].initial["chien_dich"] == books.campaign.pk


def test_the_report_page_query_count_is_constant(staff_client, world, django_assert_num_queries):
    FundFactory()
    CampaignFactory()
    staff_client.get(INDEX)
    with django_assert_num_queries(_count(staff_client)) as few:
        staff_client.get(INDEX)
    for year in range(2015, 2024):
        CampaignFactory(
            year=year,
            name=f"Tháng cao điểm {year}",
            start_date=datetime.date(year, 10, 17),
            end_date=datetime.date(year, 11, 18),
            status="closed",
        )
        FundFactory(code=f"F{year}", name=f"Quỹ {year}")
    for _ in range(20):
        record_donation(actor=world.users["staff"])
    with django_assert_num_queries(len(few.captured_queries)):
        staff_client.get(INDEX)


def _count(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(INDEX)
    return len(captured.captured_queries)


def test_post_is_not_allowed(staff_client, books):
    assert staff_client.post("/quan-ly/bao-cao/tai-ve/", params(books, "quy")).status_code == 405
