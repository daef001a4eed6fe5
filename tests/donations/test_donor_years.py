"""A donor across years: the history per campaign on the donor page and the yearly
statement PDF."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from campaigns.models import Campaign
from donations import selectors, services
from tests.factories import CampaignFactory


def pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


@pytest.fixture
def years(books):
    """The donor gave in the 2023 campaign (one gift voided) and twice in 2024."""
    books.campaign_2023 = CampaignFactory(
        year=2023,
        name="Tháng cao điểm “Vì người nghèo” năm 2023",
        start_date=datetime.date(2023, 10, 17),
        end_date=datetime.date(2023, 11, 18),
        document_number="23/KH-MTTQ-BTT",
        status=Campaign.Status.DRAFT,
    )
    old = {"campaign": books.campaign_2023, "date": datetime.date(2023, 10, 25)}
    books.gift_2023 = books.record(amount=2_000_000, **old)
    voided = books.record(amount=7_000_000, **old)
    void = services.void_request(actor=books.staff, donation=voided, reason="Nhập trùng")
    services.void_approve(actor=books.committee, void=void)
    books.voided_2023 = voided
    Campaign.objects.filter(pk=books.campaign_2023.pk).update(status=Campaign.Status.CLOSED)
    books.gifts_2024 = [books.record(amount=1_000_000), books.record(amount=1_015_000)]
    return books


def test_history_groups_gifts_per_campaign_and_does_not_count_voided(years):
    history = selectors.donor_history(years.donor)
    assert [h.campaign for h in history] == [years.campaign, years.campaign_2023]
    assert [(h.count, h.total, h.voided_count) for h in history] == [
        (2, 2_015_000, 0),
        (1, 2_000_000, 1),
    ]
    assert history[1].gifts == [years.gift_2023, years.voided_2023]


def test_donor_page_shows_each_campaign_with_voided_gift_marked(years, staff_client):
    page = staff_client.get(reverse("donations:donor_detail", args=[years.donor.pk]))
    html = " ".join(page.content.decode().split())
    assert "Tháng cao điểm “Vì người nghèo” năm 2023 (2023)" in html
    assert "1 khoản · <strong>2.000.000 đ</strong>" in html
    assert "không tính 1 khoản đã hủy" in html
    assert "2 khoản · <strong>2.015.000 đ</strong>" in html
    assert "<del>7.000.000 đ</del>" in html
    assert years.voided_2023.receipt.number in html
    for year in (2024, 2023):
        url = reverse("donations:donor_statement_pdf", args=[years.donor.pk, year])
        assert f'href="{url}"' in html


def test_yearly_statement_lists_every_receipt_total_and_words(years, staff_client):
    url = reverse("donations:donor_statement_pdf", args=[years.donor.pk, 2024])
    text = pdf_text(staff_client.get(url))
    assert "THƯ XÁC NHẬN ỦNG HỘ NĂM 2024" in text.upper()
    assert "Nguyễn Văn An" in text
    for gift in years.gifts_2024:
        assert gift.receipt.number in text
    assert "2.015.000" in text and "2.000.000" not in text
    assert "Hai triệu không trăm mười lăm nghìn đồng" in text


def test_yearly_statement_leaves_out_the_voided_gift(years, staff_client):
    url = reverse("donations:donor_statement_pdf", args=[years.donor.pk, 2023])
    text = pdf_text(staff_client.get(url))
    assert years.gift_2023.receipt.number in text
    assert years.voided_2023.receipt.number not in text
    assert "7.000.000" not in text
    assert "Hai triệu đồng" in text


def test_a_year_without_gifts_goes_back_with_a_message(years, staff_client):
    url = reverse("donations:donor_statement_pdf", args=[years.donor.pk, 2022])
    response = staff_client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "donations:donor_detail", args=[years.donor.pk]
    )
    assert "không có khoản hợp lệ nào trong năm 2022" in response.content.decode()


def test_statement_of_a_donor_by_id_is_refused_to_a_leader(years, leader1_client):
    url = reverse("donations:donor_statement_pdf", args=[years.donor.pk, 2024])
    assert leader1_client.get(url).status_code == 403
    page = reverse("donations:donor_detail", args=[years.donor.pk])
    assert leader1_client.get(page).status_code == 403


def test_unknown_donor_statement_is_404(years, staff_client):
    url = reverse("donations:donor_statement_pdf", args=[years.donor.pk + 999, 2024])
    assert staff_client.get(url).status_code == 404


@pytest.mark.parametrize("year", [0, 99999])
def test_a_year_no_date_can_carry_is_404(years, staff_client, year):
    url = reverse("donations:donor_statement_pdf", args=[years.donor.pk, year])
    assert staff_client.get(url).status_code == 404
