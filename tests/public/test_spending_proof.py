"""Proof of spending on the public pages: every paid support by its handover record
number, every distribution round by its random token, with the decision, the amount,
the group, the handover records signed and scanned, initials only with consent, and the
redacted scans a second person approved. Nothing else is reachable: an unknown or
unpaid record, a scan waiting or rejected, an original scan all answer 404."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from households import services
from households.models import Support, SupportCategory, SupportForm
from households.models import SupportSource as Source
from tests.factories import CampaignFactory, HouseholdFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"redacted" * 8


def _support_url(support, year=2024):
    return reverse("public:spending_support", args=[str(year), support.handover_number])


def _round(ward, households, *, pay=True):
    world = ward.world
    round = services.round_create(
        actor=ward.staff,
        name="Trao quà Tết Ất Tỵ 2025",
        campaign=ward.campaign,
        category=SupportCategory.GIFT,
        form=SupportForm.CASH,
        amount=200_000,
        source=Source.FUND,
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
    if pay:
        services.round_pay(
            actor=world.users["treasurer"],
            round=round,
            handover_date=datetime.date(2024, 11, 6),
            witness_name="Lê Văn Chứng",
        )
    return round


def test_the_spending_page_lists_each_support_with_its_decision(ward, anon_client):
    page = anon_client.get("/cong-khai/2024/chi-ho-tro/").content.decode()
    for support in ward.paid:
        assert _support_url(support) in page
        assert support.handover_number in page
    assert "Hộ bà N.T.H., tổ 5" in page  # consented: initials only
    assert "Hộ gia đình tổ 2" in page  # no consent: the group only
    assert "15/QĐ-BVĐ ngày 01/11/2024" in page
    assert "Nguyễn Thị Hồng" not in page and "Đỗ Văn Kín" not in page and "Đ.V.K." not in page


def test_a_support_page_shows_the_decision_amount_group_and_handover(ward, anon_client):
    consented, private = ward.paid
    services.support_attach(
        actor=ward.world.users["treasurer"],
        support=consented,
        upload=SimpleUploadedFile("bb.png", PNG),
    )
    page = anon_client.get(_support_url(consented)).content.decode()
    assert "Hộ bà N.T.H., tổ 5" in page
    assert "Số 15/QĐ-BVĐ ngày 01/11/2024" in page
    assert "1.500.000\u00a0đ" in page and "Tổ 5" in page
    assert "Sửa chữa nhà" in page and "02/11/2024" in page
    assert 'Bản quét biên bản lưu tại phường</dt><dd class="col-sm-7">1<' in page
    other = anon_client.get(_support_url(private)).content.decode()
    assert "Hộ gia đình tổ 2" in other and "600.000\u00a0đ" in other
    assert "Đ.V.K." not in other and "Kín" not in other
    assert "Hộ chưa đồng ý công khai tên viết tắt" in other


@pytest.mark.parametrize("stage", ["proposed", "approved", "rejected"])
def test_a_support_not_paid_is_not_reachable(ward, anon_client, stage):
    support = services.support_propose(
        actor=ward.staff,
        household=ward.private,
        campaign=ward.campaign,
        category=SupportCategory.EMERGENCY,
        form=SupportForm.CASH,
        amount=300_000,
        description="Hỗ trợ đột xuất",
        source=Source.FUND,
        fund=ward.fund,
        account=ward.cash,
    )
    if stage == "approved":
        services.support_approve(
            actor=ward.world.users["committee"],
            support=support,
            decision_number="16/QĐ-BVĐ",
            decision_date=datetime.date(2024, 11, 3),
            decision_signer="Trần Thanh Tuấn",
        )
    elif stage == "rejected":
        services.support_reject(actor=ward.world.users["committee"], support=support, reason="x")
    support.refresh_from_db()
    assert support.handover_number == ""  # nothing to address it by
    page = anon_client.get("/cong-khai/2024/chi-ho-tro/").content.decode()
    assert "16/QĐ-BVĐ" not in page and "300.000\u00a0đ" not in page


@pytest.mark.parametrize(
    "path",
    [
        "/cong-khai/2024/chi-ho-tro/ho-tro/BB-2024-0999/",
        "/cong-khai/2024/chi-ho-tro/ho-tro/BB-2023-0001/",
        "/cong-khai/2024/chi-ho-tro/dot/0123456789abcdef/",
        "/cong-khai/2024/chi-ho-tro/ban-chup/" + "a" * 32 + ".png",
        "/cong-khai/2031/chi-ho-tro/ho-tro/BB-2024-0001/",
    ],
)
def test_unknown_ids_answer_a_friendly_404(ward, anon_client, path):
    response = anon_client.get(path)
    assert response.status_code == 404
    assert "Không" in response.content.decode()


def test_a_support_is_reached_only_under_its_campaigns_year(ward, anon_client):
    CampaignFactory(
        year=2025,
        start_date=datetime.date(2025, 10, 1),
        end_date=datetime.date(2025, 11, 18),
        status="closed",
    )
    support = ward.paid[0]
    assert anon_client.get(_support_url(support)).status_code == 200
    assert anon_client.get(_support_url(support, year=2025)).status_code == 404
    assert anon_client.get(_support_url(support, year=2023)).status_code == 404


def test_a_round_page_lists_its_households_and_handover_records(ward, anon_client):
    others = [
        HouseholdFactory(group=ward.world.groups[3], head_name="Vũ Văn Ba", phone="0911222333"),
        HouseholdFactory(group=ward.world.groups[3], head_name="Hoàng Thị Tư"),
    ]
    services.household_set_public_consent(
        actor=ward.staff, household=others[0], consent=True, head_title="ông"
    )
    round = _round(ward, others)
    spending = anon_client.get("/cong-khai/2024/chi-ho-tro/").content.decode()
    url = reverse("public:spending_round", args=["2024", round.public_token])
    assert url in spending and "Trao quà Tết Ất Tỵ 2025" in spending
    page = anon_client.get(url).content.decode()
    assert "Số 20/QĐ-BVĐ ngày 05/11/2024" in page
    assert "Hộ ông V.V.B., tổ 3" in page and "Hộ gia đình tổ 3" in page
    assert "Vũ Văn Ba" not in page and "Hoàng Thị Tư" not in page and "H.T.T." not in page
    assert 'Biên bản bàn giao đã ký</dt><dd class="col-sm-7">2<' in page
    assert "400.000\u00a0đ" in page
    for support in round.supports.all():
        assert _support_url(support) in page


def test_a_round_not_yet_handed_over_is_not_reachable(ward, anon_client):
    round = _round(ward, [HouseholdFactory(group=ward.world.groups[4])], pay=False)
    url = reverse("public:spending_round", args=["2024", round.public_token])
    assert anon_client.get(url).status_code == 404
    assert round.public_token not in anon_client.get("/cong-khai/2024/chi-ho-tro/").content.decode()
    # Its id is a random token, not the row's number.
    assert len(round.public_token) == 16 and round.public_token != str(round.pk)


def _scan(ward, support, user="committee"):
    return services.redacted_scan_upload(
        actor=ward.world.users[user], support=support, upload=SimpleUploadedFile("che.png", PNG)
    )


def _scan_url(scan, year=2024):
    return reverse("public:spending_scan", args=[str(year), scan.token, scan.extension])


def test_only_an_approved_redacted_scan_is_served(ward, anon_client):
    support = ward.paid[0]
    waiting = _scan(ward, support)
    rejected = _scan(ward, support)
    approved = _scan(ward, support)
    services.redacted_scan_reject(
        actor=ward.world.users["supervisor"], scan=rejected, reason="Còn thấy chữ ký"
    )
    page = anon_client.get(_support_url(support)).content.decode()  # cached…
    services.redacted_scan_approve(actor=ward.world.users["supervisor"], scan=approved)
    page = anon_client.get(_support_url(support)).content.decode()  # …and dropped
    assert _scan_url(approved) in page
    assert _scan_url(waiting) not in page and _scan_url(rejected) not in page
    response = anon_client.get(_scan_url(approved))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert anon_client.get(_scan_url(waiting)).status_code == 404
    assert anon_client.get(_scan_url(rejected)).status_code == 404
    assert anon_client.get(_scan_url(approved).replace(".png", ".pdf")).status_code == 404


def test_an_original_scan_is_never_served_publicly(ward, anon_client):
    support = ward.paid[0]
    original = services.support_attach(
        actor=ward.world.users["treasurer"],
        support=support,
        upload=SimpleUploadedFile("bb.png", PNG),
    )
    scan = _scan(ward, support)
    services.redacted_scan_approve(actor=ward.world.users["supervisor"], scan=scan)
    # By its token, by its id, under the published scan's address: never.
    assert anon_client.get(_scan_url(original)).status_code == 404
    for ident in (str(original.pk), original.sha256[:32]):
        path = f"/cong-khai/2024/chi-ho-tro/ban-chup/{ident}.png"
        assert anon_client.get(path).status_code == 404
    staff_url = reverse("households:support_attachment", args=[support.pk, original.pk])
    assert anon_client.get(staff_url).status_code == 302  # sign in first


def test_a_change_of_consent_shows_at_once_on_the_cached_pages(ward, anon_client):
    support = ward.paid[1]
    assert "Hộ gia đình tổ 2" in anon_client.get(_support_url(support)).content.decode()
    services.household_set_public_consent(
        actor=ward.staff, household=ward.private, consent=True, head_title="ông"
    )
    page = anon_client.get(_support_url(support)).content.decode()
    assert "Hộ ông Đ.V.K., tổ 2" in page


def test_the_spending_page_counts_its_queries(ward, anon_client, django_assert_max_num_queries):
    anon_client.get("/cong-khai/2024/chi-ho-tro/")
    with django_assert_max_num_queries(30):
        anon_client.get("/cong-khai/2024/chi-ho-tro/")
    assert Support.objects.filter(status="paid").count() == 2


def test_an_approved_scan_that_still_shows_a_name_can_be_taken_down(ward, anon_client):
    # The second person may miss a name or a signature: an approved scan must not stay
    # public for ever. Any reviewer (the uploader too) takes it down through the support's
    # page, with a reason; the public address then answers 404 and the cached pages drop it.
    support = ward.paid[0]
    scan = _scan(ward, support)
    services.redacted_scan_approve(actor=ward.world.users["supervisor"], scan=scan)
    assert _scan_url(scan) in anon_client.get(_support_url(support)).content.decode()
    committee = ward.world.client("committee")
    detail = reverse("households:support_detail", args=[support.pk])
    assert reverse("households:scan_withdraw", args=[support.pk, scan.pk]) in (
        committee.get(detail).content.decode()
    )
    url = reverse("households:scan_withdraw", args=[support.pk, scan.pk])
    refused = committee.post(url, {f"scan-withdraw-{scan.pk}-reason": "  "})
    assert refused.status_code == 200
    assert anon_client.get(_scan_url(scan)).status_code == 200
    response = committee.post(url, {f"scan-withdraw-{scan.pk}-reason": "Còn thấy họ tên"})
    assert response.status_code == 302
    scan.refresh_from_db()
    assert scan.state == "withdrawn" and scan.withdrawal.reason == "Còn thấy họ tên"
    assert anon_client.get(_scan_url(scan)).status_code == 404
    assert _scan_url(scan) not in anon_client.get(_support_url(support)).content.decode()
    # Once only; a waiting scan cannot be "withdrawn".
    again = committee.post(url, {f"scan-withdraw-{scan.pk}-reason": "Lần nữa"})
    assert again.status_code == 200
    assert type(scan).objects.filter(withdrawal__isnull=False).count() == 1
    waiting = _scan(ward, support, user="committee")
    url = reverse("households:scan_withdraw", args=[support.pk, waiting.pk])
    assert committee.post(url, {f"scan-withdraw-{waiting.pk}-reason": "x"}).status_code == 200
    waiting.refresh_from_db()
    assert waiting.state == "waiting"
