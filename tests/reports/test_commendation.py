"""The commendation list: thresholds per kind of donor (the boundary included), voided
and anonymous gifts left out, the official PDF and the Excel sheet, the committee's
change of thresholds audited, and the level above kept out."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from campaigns.models import Campaign
from donations import services as donation_services
from donations.models import Account, CollectionRound
from lddh.reports.commendation import commendation_rows, commendation_rule
from lddh.reports.models import CommendationRule
from lddh.ward.models import AuditEvent
from lddh.ward.vocab import DonorSource
from tests.factories import (
    AccountFactory,
    CampaignFactory,
    DonorFactory,
    FundFactory,
    make_round,
    record_donation,
)

PAGE = reverse("reports:commendation")
DOWNLOAD = reverse("reports:commendation_download")


class Gifts:
    def __init__(self, world):
        self.campaign = CampaignFactory(status=Campaign.Status.ACTIVE)
        self.fund = FundFactory()
        self.cash = AccountFactory(name="Két", kind=Account.Kind.CASH)
        staff = world.users["staff"]

        def give(donor, amount):
            return record_donation(
                actor=staff,
                donor=donor,
                amount=amount,
                fund=self.fund,
                account=self.cash,
                campaign=self.campaign,
            )

        S = DonorSource
        # Individuals: exactly at the default 5.000.000 đ in two gifts; just under it.
        self.at = DonorFactory(source=S.INDIVIDUAL, name="Bà Đúng Mức", address="12 Tăng Bạt Hổ")
        give(self.at, 3_000_000)
        give(self.at, 2_000_000)
        self.under = DonorFactory(source=S.INDIVIDUAL, name="Ông Thiếu Một Nghìn")
        give(self.under, 4_999_000)
        # A voided gift does not lift a donor over the threshold.
        self.voided = DonorFactory(source=S.RESIDENTS, name="Bà Có Khoản Hủy")
        give(self.voided, 1_000_000)
        gift = give(self.voided, 9_000_000)
        void = donation_services.void_request(actor=staff, donation=gift, reason="Nhập trùng")
        donation_services.void_approve(actor=world.users["committee"], void=void)
        # Anonymous and higher-level money are never proposed.
        self.anonymous = DonorFactory(source=S.INDIVIDUAL, name="Người Giấu Tên", anonymous=True)
        give(self.anonymous, 30_000_000)
        self.higher = DonorFactory(source=S.HIGHER_LEVEL, name="MTTQ quận điều tiết")
        give(self.higher, 80_000_000)
        # Organisations: 20.000.000 đ is their default threshold.
        self.company = DonorFactory(source=S.BUSINESS, name="Công ty CP Sông Hồng")
        give(self.company, 20_000_000)
        self.agency = DonorFactory(source=S.AGENCY, name="Trường THCS Lê Đại Hành")
        give(self.agency, 10_000_000)


@pytest.fixture
def gifts(world):
    return Gifts(world)


def test_thresholds_boundary_included_voided_anonymous_and_higher_left_out(gifts):
    rows = commendation_rows(gifts.campaign, commendation_rule())
    assert [(row.donor, row.total, row.count) for row in rows] == [
        (gifts.company, 20_000_000, 1),
        (gifts.at, 5_000_000, 2),
    ]
    assert rows[0].kind == "Tập thể" and rows[1].kind == "Cá nhân"
    assert rows[1].place == "12 Tăng Bạt Hổ"


def test_committee_lowers_a_threshold_through_the_page_and_it_is_audited(gifts, world):
    client = world.client("committee")
    data = {
        "individual_min": "4.999.000",
        "organisation_min": "10.000.000",
        "individual_form": "Giấy khen của UB MTTQ phường",
        "organisation_form": "Bằng khen của UB MTTQ quận",
    }
    response = client.post(PAGE, data)
    assert response.status_code == 302
    rule = CommendationRule.objects.get()
    assert (rule.individual_min, rule.organisation_min) == (4_999_000, 10_000_000)
    event = AuditEvent.objects.filter(action="commendation.rule_update").get()
    assert event.before["individual_min"] == 5_000_000
    assert event.after["organisation_min"] == 10_000_000
    page = client.get(PAGE).content.decode()
    for name in ("Công ty CP Sông Hồng", "Trường THCS Lê Đại Hành", "Ông Thiếu Một Nghìn"):
        assert name in page
    assert "Bằng khen của UB MTTQ quận" in page
    assert "Bà Có Khoản Hủy" not in page and "Người Giấu Tên" not in page


def test_a_bad_threshold_is_refused_naming_the_field(gifts, world):
    client = world.client("committee")
    data = {
        "individual_min": "năm triệu",
        "organisation_min": "0",
        "individual_form": "Giấy khen",
        "organisation_form": "Giấy khen",
    }
    response = client.post(PAGE, data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"individual_min", "organisation_min"}
    assert not CommendationRule.objects.exists()
    assert not AuditEvent.objects.filter(action="commendation.rule_update").exists()


def test_staff_sees_the_list_but_cannot_change_the_thresholds(gifts, world):
    client = world.client("staff")
    page = client.get(PAGE).content.decode()
    assert "Công ty CP Sông Hồng" in page and "Lưu mức đề nghị" not in page
    assert client.post(PAGE, {"individual_min": "1"}).status_code == 403


def test_the_level_above_and_leaders_are_refused(gifts, world):
    for persona in ("higher", "leader2"):
        client = world.client(persona)
        assert client.get(PAGE).status_code == 403
        assert client.get(DOWNLOAD, {"chien-dich": gifts.campaign.pk}).status_code == 403


def test_unknown_campaign_is_404(gifts, world):
    client = world.client("staff")
    assert client.get(PAGE, {"chien-dich": gifts.campaign.pk + 99}).status_code == 404
    assert client.get(DOWNLOAD, {"chien-dich": "x"}).status_code == 404


def test_pdf_in_the_official_layout_and_audited(gifts, world):
    client = world.client("staff")
    response = client.get(DOWNLOAD, {"chien-dich": gifts.campaign.pk, "dinh-dang": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG" in text.upper()
    assert "Công ty CP Sông Hồng" in text and "Bà Đúng Mức" in text
    assert "25.000.000" in text
    assert "Hai mươi lăm triệu đồng" in text
    assert "Ông Thiếu Một Nghìn" not in text
    event = AuditEvent.objects.filter(action="report.download").latest("pk")
    assert event.after["report"] == "de-nghi-khen-thuong" and event.after["rows"] == 2


def test_excel_lists_the_rows_with_totals(gifts, world):
    client = world.client("treasurer")
    response = client.get(DOWNLOAD, {"chien-dich": gifts.campaign.pk, "dinh-dang": "xlsx"})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), data_only=False)
    ws = wb.worksheets[0]
    values = [[cell.value for cell in row] for row in ws.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert "Danh sách đề nghị khen thưởng".upper() in [str(v).upper() for v in flat]
    data = [row for row in values if row and row[1] in ("Công ty CP Sông Hồng", "Bà Đúng Mức")]
    assert [row[:7] for row in data] == [
        [
            1,
            "Công ty CP Sông Hồng",
            None,
            "Tập thể",
            20_000_000,
            1,
            commendation_rule().organisation_form,
        ],
        [
            2,
            "Bà Đúng Mức",
            "12 Tăng Bạt Hổ",
            "Cá nhân",
            5_000_000,
            2,
            commendation_rule().individual_form,
        ],
    ]
    assert AuditEvent.objects.filter(action="report.download").exists()


def test_a_collection_round_s_collective_donor_is_not_proposed(gifts, world):
    staff = world.users["staff"]
    round = make_round(
        actor=staff,
        group=world.groups[2],
        campaign=gifts.campaign,
        lines=[("Đinh Văn An", "3.000.000"), ("Trần Thị Bình", "3.000.000")],
        receipt_mode=CollectionRound.ReceiptMode.SINGLE,
    )
    collective = donation_services.round_post(actor=staff, round=round).collective_donation
    assert collective.amount == 6_000_000 and collective.campaign == gifts.campaign
    names = [row.donor.name for row in commendation_rows(gifts.campaign, commendation_rule())]
    assert collective.donor.name not in names
    assert "Bà Đúng Mức" in names


# By calendar year: the gifts dated in the year, whatever their campaign (or none).


@pytest.fixture
def year_gifts(gifts, world):
    import datetime

    staff = world.users["staff"]
    S = DonorSource

    def give(donor, amount, date, campaign=None):
        return record_donation(
            actor=staff,
            donor=donor,
            amount=amount,
            fund=gifts.fund,
            account=gifts.cash,
            campaign=campaign,
            date=date,
        )

    # 3.000.000 đ in the campaign and 2.000.000 đ in March outside it: the year's
    # 5.000.000 đ reaches the threshold, the campaign's 3.000.000 đ does not.
    gifts.whole_year = DonorFactory(source=S.INDIVIDUAL, name="Ông Góp Cả Năm")
    give(gifts.whole_year, 3_000_000, datetime.date(2024, 10, 21), gifts.campaign)
    give(gifts.whole_year, 2_000_000, datetime.date(2024, 3, 5))
    # Given on the first day of the next year: that year's list, not 2024's.
    gifts.next_year = DonorFactory(source=S.BUSINESS, name="Công ty TNHH Năm Mới")
    give(gifts.next_year, 25_000_000, datetime.date(2025, 1, 1))
    return gifts


def test_by_calendar_year_counts_gifts_dated_in_the_year_across_campaigns(year_gifts):
    rule = commendation_rule()
    by_campaign = [row.donor for row in commendation_rows(year_gifts.campaign, rule)]
    assert year_gifts.whole_year not in by_campaign
    rows = commendation_rows(None, rule, year=2024)
    assert [(row.donor, row.total, row.count) for row in rows] == [
        (year_gifts.company, 20_000_000, 1),
        (year_gifts.at, 5_000_000, 2),
        (year_gifts.whole_year, 5_000_000, 2),
    ]
    assert [row.donor for row in commendation_rows(None, rule, year=2025)] == [year_gifts.next_year]
    with pytest.raises(ValueError):
        commendation_rows(year_gifts.campaign, rule, year=2024)


def test_the_page_offers_the_calendar_year_and_its_downloads(year_gifts, world):
    client = world.client("staff")
    page = client.get(PAGE).content.decode()
    assert "Theo năm dương lịch" in page and "Theo chiến dịch" in page
    assert "Ông Góp Cả Năm" not in page  # by campaign by default
    response = client.get(PAGE, {"theo": "nam", "nam": "2024", "chien-dich": "999999"})
    assert response.status_code == 200  # the campaign is not asked for by year
    page = response.content.decode()
    assert 'id="theo-nam" value="nam" checked' in page
    assert "Ông Góp Cả Năm" in page and "Công ty TNHH Năm Mới" not in page
    assert "từ 01/01/2024 đến 31/12/2024" in page
    assert "30.000.000" in page  # 20 + 5 + 5 million
    assert f"{DOWNLOAD}?theo=nam&amp;nam=2024&amp;dinh-dang=pdf" in page
    assert f"{DOWNLOAD}?theo=nam&amp;nam=2024&amp;dinh-dang=xlsx" in page
    for bad in ("hai nghìn", "24", "-2024", "20245"):
        assert client.get(PAGE, {"theo": "nam", "nam": bad}).status_code == 404, bad
        assert client.get(DOWNLOAD, {"theo": "nam", "nam": bad}).status_code == 404, bad


def test_pdf_and_excel_by_calendar_year(year_gifts, world):
    client = world.client("staff")
    response = client.get(DOWNLOAD, {"theo": "nam", "nam": "2024", "dinh-dang": "pdf"})
    assert response.status_code == 200
    assert "de-nghi-khen-thuong-nam-2024.pdf" in response["Content-Disposition"]
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Năm 2024: các khoản ủng hộ ghi ngày trong năm dương lịch" in text
    assert "Ông Góp Cả Năm" in text and "Công ty TNHH Năm Mới" not in text
    assert "Ba mươi triệu đồng" in text
    event = AuditEvent.objects.filter(action="report.download").latest("pk")
    assert (event.after["year"], event.after["campaign"], event.after["rows"]) == (2024, None, 3)
    response = client.get(DOWNLOAD, {"theo": "nam", "nam": "2025", "dinh-dang": "xlsx"})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [cell.value for row in wb.worksheets[0].iter_rows() for cell in row]
    assert any(str(v).startswith("Năm 2025: các khoản ủng hộ") for v in values if v)
    assert "Công ty TNHH Năm Mới" in values and "Ông Góp Cả Năm" not in values
    assert 25_000_000 in values


@pytest.mark.parametrize("year", ["²", "²⁰²⁴", "١٢٣", "+2024", " 2024"])
def test_a_year_in_other_digits_is_404_not_an_error(gifts, world, year):
    client = world.client("staff")
    assert client.get(PAGE, {"theo": "nam", "nam": year}).status_code == 404
    response = client.get(DOWNLOAD, {"theo": "nam", "nam": year, "dinh-dang": "xlsx"})
    assert response.status_code == 404


def test_the_audit_log_names_a_download_by_year_in_vietnamese(year_gifts, world):
    # The download's audit event carries the year and the thresholds: the audit log
    # shows their Vietnamese names and the thresholds as money, never "year".
    world.client("staff").get(DOWNLOAD, {"theo": "nam", "nam": "2024", "dinh-dang": "xlsx"})
    page = world.client("supervisor").get(reverse("supervision:audit")).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Năm 2024" in text
    for word in ("year", "individual_min", "organisation_min"):
        assert word not in text
