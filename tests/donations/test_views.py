import datetime
import io
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from donations import services
from donations.models import Donation, Donor, LedgerEntry, Receipt, ReceiptPrint, VoidRequest
from donations.selectors import fund_balance
from lddh.ward.models import AuditEvent, Membership
from lddh.ward.roles import Role
from lddh.ward.vocab import DonorSource
from tests.factories import DonorFactory, UserFactory

CREATE = reverse("donations:create")
DAY = datetime.date(2024, 10, 20)


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def form_data(client, books, **overrides) -> dict:
    token = client.get(CREATE).context["form"].initial["form_token"]
    data = {
        "form_token": str(token),
        "donor": str(books.donor.pk),
        "amount": "1.500.000",
        "channel": "cash",
        "date": "20/10/2024",
        "purpose": "fund",
        "fund": str(books.vnn.pk),
        "campaign": str(books.campaign.pk),
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "20",
    }
    data.update(overrides)
    return data


def record(books, **kwargs):
    return books.record(**kwargs)


# --------------------------------------------------------------------------- entry


def test_staff_records_cash_and_prints_the_receipt(books, staff_client):
    form = staff_client.get(CREATE).context["form"]
    assert form.initial["campaign"] == books.campaign  # the active campaign by default
    # The campaign is over: its last day, which the campaign accepts (not today).
    assert form.initial["date"] == books.campaign.end_date
    response = staff_client.post(CREATE, form_data(staff_client, books))
    donation = Donation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("donations:detail", args=[donation.pk]) + "?moi=1"
    page = staff_client.get(response["Location"]).content.decode()
    assert "In biên nhận" in page and "VNN-2024-000001" in page
    assert "Một triệu năm trăm nghìn đồng" in page

    text = pdf_text(staff_client.get(reverse("donations:receipt_pdf", args=[donation.receipt.pk])))
    assert "VNN-2024-000001" in text
    assert "1.500.000" in text
    assert "Một triệu năm trăm nghìn đồng" in text
    assert "Nguyễn Văn An" in text
    assert "BẢN SAO" not in text
    assert donation.receipt.token in text.replace("\n", "")  # the QR's address is printed


def test_reprint_is_marked_copy_and_logged(books, staff_client, committee_client):
    receipt = record(books).receipt
    url = reverse("donations:receipt_pdf", args=[receipt.pk])
    assert "BẢN SAO" not in pdf_text(staff_client.get(url))
    assert "BẢN SAO" in pdf_text(committee_client.get(url))
    prints = list(ReceiptPrint.objects.filter(receipt=receipt).order_by("pk"))
    assert [(p.is_copy, p.printed_by.username) for p in prints] == [
        (False, "canbo"),
        (True, "thuongtruc"),
    ]
    assert AuditEvent.objects.filter(action="receipt.print").count() == 2


def test_qr_code_points_to_the_public_page_with_the_token(books, settings):
    from donations import documents

    settings.SITE_URL = "https://quy.example.vn"
    receipt = record(books).receipt
    context = documents.receipt_context(receipt, copy=False)
    assert context["verify_url"] == f"https://quy.example.vn/bien-nhan/{receipt.token}/"
    assert context["qr"].startswith("data:image/png;base64,")


def test_pdf_failure_keeps_the_donation_and_offers_a_retry(books, staff_client):
    response = staff_client.post(CREATE, form_data(staff_client, books))
    receipt = Receipt.objects.get()
    url = reverse("donations:receipt_pdf", args=[receipt.pk])
    with mock.patch("donations.documents._receipt_document", side_effect=OSError("font missing")):
        failed = staff_client.get(url)
    assert response.status_code == 302
    assert failed.status_code == 503
    html = failed.content.decode()
    assert "Thử in lại" in html and "đã được lưu" in html and url in html
    assert Donation.objects.count() == 1
    assert not ReceiptPrint.objects.exists()  # the failed print is not counted
    assert "BẢN SAO" not in pdf_text(staff_client.get(url))  # the retry is the original


def test_double_submission_saves_once(books, staff_client):
    data = form_data(staff_client, books)
    first = staff_client.post(CREATE, data)
    second = staff_client.post(CREATE, data)
    donation = Donation.objects.get()
    assert first["Location"].startswith(reverse("donations:detail", args=[donation.pk]))
    assert second["Location"] == reverse("donations:detail", args=[donation.pk])
    assert Receipt.objects.count() == LedgerEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "Số tiền phải từ 1 đ trở lên"),
        ("-5", "số âm"),
        ("abc", "Số tiền không hợp lệ"),
        ("1,5", "phần thập phân"),
        ("100.000.000.001", "Số tiền quá lớn"),
        ("", "Chưa nhập số tiền"),
    ],
)
def test_bad_amounts_get_a_clear_error_and_write_nothing(books, staff_client, amount, message):
    response = staff_client.post(CREATE, form_data(staff_client, books, amount=amount))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Donation.objects.exists() and not Receipt.objects.exists()


def test_date_outside_the_campaign_is_refused_in_the_form(books, staff_client):
    response = staff_client.post(CREATE, form_data(staff_client, books, date="01/12/2024"))
    assert response.status_code == 200
    assert "nằm ngoài thời gian của chiến dịch" in response.content.decode()
    assert not Donation.objects.exists()


def test_in_kind_without_valuation_is_refused_in_the_form(books, staff_client):
    data = form_data(
        staff_client,
        books,
        amount="",
        channel="in_kind",
        **{"items-0-description": "Gạo tẻ", "items-0-quantity": "50", "items-0-unit": "kg"},
    )
    response = staff_client.post(CREATE, data)
    assert response.status_code == 200
    assert "Hiện vật phải được quy ra tiền" in response.content.decode()
    assert not Donation.objects.exists()


def test_in_kind_with_items_records_their_sum(books, staff_client):
    data = form_data(
        staff_client,
        books,
        amount="",
        channel="in_kind",
        **{
            "items-0-description": "Gạo tẻ",
            "items-0-quantity": "50",
            "items-0-unit": "kg",
            "items-0-valuation": "900.000",
            "items-1-description": "Vở",
            "items-1-quantity": "2,5",
            "items-1-unit": "thùng",
            "items-1-valuation": "600.000",
        },
    )
    assert staff_client.post(CREATE, data).status_code == 302
    donation = Donation.objects.get()
    assert donation.amount == 1_500_000 and donation.account == books.goods
    assert [str(i.quantity) for i in donation.items.all()] == ["50.00", "2.50"]


def test_new_donor_inline_with_duplicate_warning(books, staff_client):
    new = {
        "donor": "",
        "new_source": DonorSource.INDIVIDUAL,
        "new_name": "nguyen van an",
        "new_phone": "0912.345.678",
    }
    response = staff_client.post(CREATE, form_data(staff_client, books, **new))
    assert response.status_code == 200
    assert "Có thể trùng" in response.content.decode()
    assert response.context["form"].duplicates == [books.donor]
    assert Donor.objects.count() == 1 and not Donation.objects.exists()

    use_existing = form_data(staff_client, books, **new, use_donor=str(books.donor.pk))
    assert staff_client.post(CREATE, use_existing).status_code == 302
    assert Donation.objects.get().donor == books.donor and Donor.objects.count() == 1

    anyway = form_data(staff_client, books, **new, create_anyway="on")
    assert staff_client.post(CREATE, anyway).status_code == 302
    assert Donor.objects.count() == 2


def test_no_donor_chosen_is_an_error(books, staff_client):
    response = staff_client.post(CREATE, form_data(staff_client, books, donor=""))
    assert "Hãy chọn người ủng hộ" in response.content.decode()


def test_donor_search_ignores_diacritics_and_case(books, staff_client):
    DonorFactory(name="Trần Thị Bình")
    url = reverse("donations:donor_search")
    html = staff_client.get(url, {"donor_query": "NGUYEN van an"}).content.decode()
    assert "Nguyễn Văn An" in html and "Trần Thị Bình" not in html
    assert "0912" in staff_client.get(url, {"donor_query": "0912345"}).content.decode()


def test_replacement_donation_after_a_void(books, staff_client, committee_client):
    old = record(books, amount=5_000_000)
    void = services.void_request(actor=books.staff, donation=old, reason="Đúng là 500.000 đ")
    services.void_approve(actor=books.committee, void=void)
    page = staff_client.get(CREATE + f"?thay-the={old.pk}")
    assert "thay thế" in page.content.decode()
    data = form_data(staff_client, books, replaces=str(old.pk), amount="500.000")
    assert staff_client.post(CREATE, data).status_code == 302
    new = Donation.objects.get(replaces=old)
    assert new.receipt.replaces.number == "VNN-2024-000001"
    text = pdf_text(staff_client.get(reverse("donations:receipt_pdf", args=[new.receipt.pk])))
    assert "thay thế biên nhận số VNN-2024-000001" in text


# --------------------------------------------------------------------------- voids


def test_void_rules_through_the_pages(books, world, staff_client, treasurer_client):
    donation = record(books, actor=books.committee, amount=800_000)
    record(books, amount=200_000)
    assert fund_balance(books.vnn) == 1_000_000
    url = reverse("donations:void_request", args=[donation.pk])
    assert staff_client.post(url, {"reason": ""}).status_code == 200
    assert staff_client.post(url, {"reason": "Nhập trùng biên nhận"}).status_code == 302
    void = VoidRequest.objects.get()
    approve = reverse("donations:void_approve", args=[void.pk])

    assert treasurer_client.post(approve).status_code == 403
    assert staff_client.post(approve).status_code == 403
    # The committee member who entered the donation cannot approve its void.
    response = world.client("committee").post(approve, follow=True)
    assert "không được duyệt hủy" in response.content.decode()
    void.refresh_from_db()
    assert void.status == VoidRequest.Status.PENDING

    other = UserFactory(username="phochutich")
    Membership.objects.create(user=other, role=Role.COMMITTEE)
    world.users["committee2"] = other
    # First the review step: the amount in figures and words, nothing written yet.
    review = world.client("committee2").post(approve)
    assert review.status_code == 200
    assert "800.000" in review.content.decode()
    assert "Tám trăm nghìn đồng" in review.content.decode()
    void.refresh_from_db()
    assert void.status == VoidRequest.Status.PENDING
    assert world.client("committee2").post(approve, {"xac_nhan": "1"}).status_code == 302
    donation.refresh_from_db()
    assert donation.status == Donation.Status.VOIDED
    assert Receipt.objects.get(donation=donation).status == Receipt.Status.VOIDED
    assert LedgerEntry.objects.get(kind="void").amount == -800_000
    assert fund_balance(books.vnn) == 200_000
    text = pdf_text(staff_client.get(reverse("donations:receipt_pdf", args=[donation.receipt.pk])))
    assert "ĐÃ BỊ HỦY" in text


def test_reject_needs_a_reason(books, committee_client):
    donation = record(books)
    void = services.void_request(actor=books.staff, donation=donation, reason="Nhập sai ngày")
    url = reverse("donations:void_reject", args=[void.pk])
    response = committee_client.post(url, {"reason": ""}, follow=True)
    assert "lý do từ chối" in response.content.decode()
    committee_client.post(url, {"reason": "Ngày đúng theo phiếu thu"})
    void.refresh_from_db()
    assert void.status == VoidRequest.Status.REJECTED


# --------------------------------------------------------------------------- scope


def test_leader_sees_only_their_groups_donations(books, world, leader1_client):
    mine = DonorFactory(source=DonorSource.RESIDENTS, group=world.groups[1], name="Ông Một")
    theirs = DonorFactory(source=DonorSource.RESIDENTS, group=world.groups[2], name="Bà Hai")
    record(books, donor=mine)
    other = record(books, donor=theirs)
    html = leader1_client.get(reverse("donations:list")).content.decode()
    assert "Ông Một" in html and "Bà Hai" not in html
    assert leader1_client.get(reverse("donations:detail", args=[other.pk])).status_code == 404
    # Filtering by another group's id shows nothing extra.
    html = leader1_client.get(reverse("donations:list"), {"group": world.groups[2].pk})
    assert "Bà Hai" not in html.content.decode()


def test_readers_do_not_see_phone_numbers_in_the_donor_list(books, world, staff_client):
    record(books)
    supervisor = world.client("supervisor")
    assert "0912 345 678" not in supervisor.get(reverse("donations:donor_list")).content.decode()
    assert "0912 345 678" in staff_client.get(reverse("donations:donor_list")).content.decode()


# --------------------------------------------------------------------------- lists


def _make_rows(books, world, n):
    for i in range(n):
        donor = DonorFactory(
            source=DonorSource.RESIDENTS,
            group=world.groups[1 + i % 9],
            organisation=world.organisations[i % 2],
        )
        record(books, donor=donor, amount=100_000 + i, channel=("cash", "bank")[i % 2])
        if i % 7 in (0, 3):
            void = services.void_request(
                actor=books.staff, donation=Donation.objects.latest("pk"), reason="Nhập thử"
            )
            if i % 7 == 0:
                services.void_approve(actor=books.committee, void=void)


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("donations:list", {}),
        ("donations:list", {"q": "nguyen", "channel": "cash", "amount_min": "100.000"}),
        ("donations:receipt_register", {}),
        ("donations:donor_list", {}),
        ("donations:void_list", {}),
        ("donations:ledger", {}),
    ],
)
def test_list_query_count_does_not_grow_with_rows(
    books, world, staff_client, django_assert_num_queries, url_name, params
):
    url = reverse(url_name)
    _make_rows(books, world, 5)
    staff_client.get(url, params)  # warm the session and caches
    cache.clear()  # the counts and totals are cached until money moves: measure both cold
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(url, params).status_code == 200
    _make_rows(books, world, 60)
    cache.clear()
    with django_assert_num_queries(len(few.captured_queries)):
        response = staff_client.get(url, params)
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) <= 50


def test_donation_filters(books, world, staff_client):
    _make_rows(books, world, 20)
    url = reverse("donations:list")
    total = staff_client.get(url).context["page_obj"].paginator.count
    assert total == 20
    by_group = staff_client.get(url, {"group": world.groups[1].pk}).context["page_obj"]
    assert {d.credited_group_id for d in by_group} == {world.groups[1].pk}
    voided = staff_client.get(url, {"status": "voided"}).context["page_obj"]
    assert voided.paginator.count == 3
    amounts = staff_client.get(url, {"amount_min": "100.010", "amount_max": "100.012"})
    assert sorted(d.amount for d in amounts.context["page_obj"]) == [100_010, 100_011, 100_012]
    by_date = staff_client.get(url, {"date_from": "21/10/2024"}).context["page_obj"]
    assert by_date.paginator.count == 0
    number = staff_client.get(url, {"q": "VNN-2024-000005"}).context["page_obj"]
    assert [d.receipt.number for d in number] == ["VNN-2024-000005"]
    bad = staff_client.get(url, {"amount_min": "abc", "page": "-1", "q": "x" * 5000})
    assert bad.status_code == 200


def test_receipt_register_lists_every_number_in_order_including_voided(books, staff_client):
    donations = [record(books) for _ in range(3)]
    void = services.void_request(actor=books.staff, donation=donations[1], reason="Nhập trùng")
    services.void_approve(actor=books.committee, void=void)
    page = staff_client.get(reverse("donations:receipt_register")).context["page_obj"]
    assert [(r.number, r.status) for r in page] == [
        ("VNN-2024-000001", "issued"),
        ("VNN-2024-000002", "voided"),
        ("VNN-2024-000003", "issued"),
    ]


# --------------------------------------------------------------------------- public


def test_public_verification_shows_only_public_fields(books, anon_client):
    donor = DonorFactory(
        name="Phạm Thị Bích",
        anonymous=True,
        phone="0988 111 222",
        address="Số 5 ngõ Lê Đại Hành",
    )
    donation = record(books, donor=donor, amount=2_000_000, note="Ghi chú nội bộ bí mật")
    response = anon_client.get(f"/bien-nhan/{donation.receipt.token}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "VNN-2024-000001" in html and "2.000.000" in html and "20/10/2024" in html
    assert "Nhà hảo tâm giấu tên" in html and books.vnn.name in html and "Hợp lệ" in html
    for private in ("Phạm Thị Bích", "0988", "Số 5 ngõ", "bí mật", "Két tiền mặt", "canbo"):
        assert private not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_public_verification_of_a_voided_receipt(books, anon_client):
    donation = record(books)
    void = services.void_request(actor=books.staff, donation=donation, reason="Nhập trùng")
    services.void_approve(actor=books.committee, void=void)
    html = anon_client.get(f"/bien-nhan/{donation.receipt.token}/").content.decode()
    assert "đã bị hủy" in html


@pytest.mark.parametrize("token", ["khong-co", "x" * 41, "1' OR '1'='1"])
def test_unknown_token_is_a_friendly_404(db, anon_client, token):
    response = anon_client.get(reverse("donations_public:receipt_verify", args=[token]))
    assert response.status_code == 404
    assert "Không tìm thấy biên nhận" in response.content.decode()


# --------------------------------------------------------------------------- donors


def test_thank_you_letter_lists_contributions_with_total_in_words(books, staff_client):
    record(books, amount=1_000_000)
    record(books, amount=1_015_000)
    voided = record(books, amount=9_000_000)
    void = services.void_request(actor=books.staff, donation=voided, reason="Nhập trùng")
    services.void_approve(actor=books.committee, void=void)
    url = reverse("donations:thank_you_pdf", args=[books.donor.pk])
    text = pdf_text(staff_client.get(url, {"chien-dich": books.campaign.pk}))
    assert "THƯ CẢM ƠN" in text.upper()
    assert "Nguyễn Văn An" in text
    assert "2.015.000" in text and "9.000.000" not in text
    assert "Hai triệu không trăm mười lăm nghìn đồng" in text


def test_donor_create_and_update_pages(books, staff_client):
    url = reverse("donations:donor_create")
    data = {"source": "business", "name": "Công ty CP Sông Hồng", "tax_code": "0101234567"}
    response = staff_client.post(url, data)
    donor = Donor.objects.get(name="Công ty CP Sông Hồng")
    assert response["Location"] == reverse("donations:donor_detail", args=[donor.pk])
    again = staff_client.post(url, {**data, "name": "Cty Sông Hồng"})
    assert again.status_code == 200 and "Có thể trùng" in again.content.decode()
    edit = reverse("donations:donor_update", args=[donor.pk])
    staff_client.post(edit, {**data, "representative": "Ông Lê Văn Nam"})
    donor.refresh_from_db()
    assert donor.representative == "Ông Lê Văn Nam"


def test_dates_and_quantities_parse_the_vietnamese_way_in_any_browser_language(books, staff_client):
    data = form_data(
        staff_client,
        books,
        amount="",
        channel="in_kind",
        date="05/11/2024",
        **{
            "items-0-description": "Gạo",
            "items-0-quantity": "1.000",
            "items-0-unit": "kg",
            "items-0-valuation": "18.000.000",
            "items-1-description": "Dầu ăn",
            "items-1-quantity": "2,5",
            "items-1-unit": "thùng",
            "items-1-valuation": "1.000.000",
            "items-2-description": "Muối",
            "items-2-quantity": "2.5",
            "items-2-unit": "kg",
            "items-2-valuation": "50.000",
        },
    )
    response = staff_client.post(CREATE, data, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 302
    donation = Donation.objects.get()
    assert donation.date == datetime.date(2024, 11, 5)
    assert [str(i.quantity) for i in donation.items.order_by("pk")] == ["1000.00", "2.50", "2.50"]


def test_public_verification_respects_a_later_wish_for_anonymity(books, anon_client):
    receipt = record(books).receipt
    url = f"/bien-nhan/{receipt.token}/"
    assert "Nguyễn Văn An" in anon_client.get(url).content.decode()
    services.donor_update(actor=books.staff, donor=books.donor, anonymous=True)
    with CaptureQueriesContext(connection) as queries:
        html = anon_client.get(url).content.decode()
    assert "Nguyễn Văn An" not in html and "Nhà hảo tâm giấu tên" in html
    assert len(queries.captured_queries) == 1


def test_navigation_offers_entry_to_the_office_only(books, world):
    staff = world.client("staff").get(reverse("donations:list")).content.decode()
    leader = world.client("leader1").get(reverse("donations:list")).content.decode()
    assert CREATE in staff and reverse("donations:ledger") in staff
    assert CREATE not in leader and reverse("donations:ledger") not in leader


def test_admin_shows_money_records_read_only(books, client, django_user_model):
    donation = record(books)
    root = django_user_model.objects.create_superuser("root", password="x" * 12)
    client.force_login(root)
    base = "/admin/donations/"
    assert client.get(f"{base}donation/{donation.pk}/change/").status_code == 200
    assert client.get(f"{base}donation/add/").status_code == 403
    assert client.get(f"{base}donation/{donation.pk}/delete/").status_code == 403
    assert client.get(f"{base}ledgerentry/add/").status_code == 403
    assert client.get(f"{base}receipt/{donation.receipt.pk}/delete/").status_code == 403
    response = client.post(f"{base}donation/{donation.pk}/change/", {"amount": "1"})
    assert response.status_code == 403
    assert Donation.objects.get().amount == 500_000


def test_the_receipt_qr_is_segnos_code_as_an_8_bit_grey_png(settings):
    """The receipt's QR code has the pixels of segno's PNG (scale 4, quiet zone of one
    module) in 8-bit grey, which WeasyPrint embeds without converting it."""
    import base64
    import io

    import segno
    from PIL import Image

    from donations import documents

    settings.SITE_URL = "https://quy.example.vn"
    for token in ("UAyZOl8LMolW1x4_8faHmg", "uUZCr7DldtvLD2Ci_dc26w"):
        url = f"https://quy.example.vn/bien-nhan/{token}/"
        ours = Image.open(io.BytesIO(documents.qr_png(url)))
        segnos = segno.make(url, error="m").png_data_uri(scale=4, border=1)
        theirs = Image.open(io.BytesIO(base64.b64decode(segnos.split(",")[1])))
        assert (ours.format, ours.mode) == ("PNG", "L")
        assert ours.size == theirs.size
        assert ours.tobytes() == theirs.convert("L").tobytes()
        uri = documents.qr_data_uri(url)
        assert base64.b64decode(uri.removeprefix("data:image/png;base64,")) == documents.qr_png(url)
