import io
import re

from pypdf import PdfReader

from campaigns.documents import plan_context, render_plan_pdf
from campaigns.models import Campaign
from lddh.ward.models import Signatory
from tests.factories import PlanBlockFactory


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def test_plan_pdf_shows_name_dates_number_and_signature(world, campaign):
    campaign.document_number = "25/KH-MTTQ"
    campaign.signs_for, campaign.signer_title = "TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"
    campaign.signer_name = "Trần Thanh Tuấn"
    campaign.recipients = "- Ban Thường trực Ủy ban MTTQ Quận;\nLưu MT."
    campaign.save()
    PlanBlockFactory(campaign=campaign, section="contents", text="Tuyên truyền về Quỹ.")
    PlanBlockFactory(campaign=campaign, section="contents", text="Rà soát hộ cận nghèo.")

    pdf = render_plan_pdf(campaign)

    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert "Số: 25/KH-MTTQ" in text
    assert "KẾ HOẠCH" in text
    # No timing paragraph was written: the document states the campaign's own period.
    assert f"Thời gian triển khai {campaign.name} từ ngày 17/10/2024 đến ngày 18/11/2024" in text
    assert "1. Tuyên truyền về Quỹ." in text and "2. Rà soát hộ cận nghèo." in text
    assert "ỦY BAN MTTQ VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "Nơi nhận:" in text and "- Ban Thường trực Ủy ban MTTQ Quận;" in text
    assert "TM. BAN THƯỜNG TRỰC" in text and "Trần Thanh Tuấn" in text
    assert "DỰ THẢO" not in text


def test_date_line_comes_from_the_document_date(world, campaign):
    import datetime

    campaign.document_date = datetime.date(2024, 9, 10)
    campaign.save()
    assert plan_context(campaign)["date_line"] == "Hà Nội, ngày 10 tháng 9 năm 2024"
    assert "Hà Nội, ngày 10 tháng 9 năm 2024" in _text(render_plan_pdf(campaign))


def test_a_draft_is_marked_and_signed_by_the_wards_signatory(world, draft_2025):
    Signatory.objects.create(
        ward=world.ward,
        full_name="Trần Thanh Tuấn",
        title="CHỦ TỊCH",
        signs_for="TM. BAN THƯỜNG TRỰC",
    )
    context = plan_context(draft_2025)
    assert (context["signs_for"], context["signer_title"], context["signer_name"]) == (
        "TM. BAN THƯỜNG TRỰC",
        "CHỦ TỊCH",
        "Trần Thanh Tuấn",
    )
    # Without a subtitle the document reads "Thực hiện <name> trên địa bàn <ward>".
    assert context["subtitle"].startswith("Thực hiện tháng cao điểm")
    assert context["subtitle"].endswith("trên địa bàn phường Lê Đại Hành")
    assert "DỰ THẢO" in _text(render_plan_pdf(draft_2025))
    assert draft_2025.status == Campaign.Status.DRAFT


def test_the_pdf_view_answers_a_pdf(world, campaign):
    response = world.client("leader1").get(f"/quan-ly/chien-dich/{campaign.pk}/ke-hoach.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="ke-hoach-chien-dich-2024.pdf"' in response["Content-Disposition"]
    assert campaign.name in _text(response.content)
