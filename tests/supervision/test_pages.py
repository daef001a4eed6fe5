"""Supervision pages: the audit trail in Vietnamese, its exports, the sensitive-read log,
constant query counts, the calendar, the checklist PDF and the navigation."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from campaigns.models import Activity
from lddh.supervision import services
from lddh.supervision.models import Inspection, Sample
from lddh.ward.audit import AuditAction, log_event
from lddh.ward.money import format_dong
from tests.factories import CampaignFactory, HouseholdFactory, record_donation


def _events(world, n: int):
    with transaction.atomic():
        for i in range(n):
            log_event(
                actor=world.users["staff"],
                action=(
                    AuditAction.HOUSEHOLD_VIEW_SENSITIVE if i % 2 else AuditAction.DONATION_RECORD
                ),
                after={"amount": 1_500_000 + i, "date": "2024-10-20"},
            )


def test_audit_values_are_shown_in_vietnamese(world):
    donation = record_donation(actor=world.users["staff"], amount=1_500_000)
    response = world.client("treasurer").get(reverse("supervision:audit"))
    content = response.content.decode()
    assert "Ghi khoản ủng hộ" in content
    assert format_dong(1_500_000) in content
    assert "20/10/2024" in content
    assert donation.receipt.number in content
    assert "Khoản ủng hộ" in content  # the object type's verbose name


def test_audit_filters_and_bad_dates(world):
    record_donation(actor=world.users["staff"])
    _events(world, 2)
    client = world.client("supervisor")
    page = client.get(reverse("supervision:audit"), {"action": "household.view_sensitive"})
    assert page.context["page_obj"].paginator.count == 1
    page = client.get(reverse("supervision:audit"), {"date_from": "31/02/2024"})
    assert "Từ ngày: “31/02/2024” không phải ngày có thật (tháng 2 năm 2024 chỉ có 29 ngày)." in (
        page.content.decode()
    )
    assert "Chưa lọc được danh sách" in page.content.decode()
    page = client.get(
        reverse("supervision:audit"), {"date_from": "01/01/2099", "date_to": "01/01/2098"}
    )
    assert "“Đến ngày” phải sau “Từ ngày”" in page.content.decode()


def test_sensitive_log_lists_only_sensitive_reads(world):
    _events(world, 4)
    page = world.client("supervisor").get(reverse("supervision:audit_sensitive"))
    actions = {row[0].action for row in page.context["rows"]}
    assert actions == {"household.view_sensitive"}


def test_audit_exports(world):
    _events(world, 3)
    client = world.client("treasurer")
    csv = client.get(reverse("supervision:audit"), {"xuat": "csv"})
    text = b"".join(csv.streaming_content).decode()
    assert text.count("Xem thông tin nhạy cảm của hộ") == 1
    assert "Số tiền: " in text
    xlsx = client.get(reverse("supervision:audit"), {"xuat": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"


@pytest.mark.parametrize("url_name", ["supervision:audit", "supervision:inspection_list"])
def test_list_queries_do_not_grow_with_rows(world, django_assert_max_num_queries, url_name):
    client = world.client("supervisor")
    _events(world, 3)
    for i in range(3):
        services.inspection_create(
            actor=world.users["supervisor"],
            data={
                "date": datetime.date(2024, 11, 1 + i),
                "title": f"Kiểm tra {i}",
                "team": "Đoàn",
                "scope": Inspection.Scope.GROUP,
                "group": world.groups[1 + i],
                "findings": "Đúng.",
            },
        )
    client.get(reverse(url_name))  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse(url_name))
    _events(world, 30)
    for i in range(20):
        services.inspection_create(
            actor=world.users["supervisor"],
            data={
                "date": datetime.date(2024, 10, 1 + i),
                "title": f"Kiểm tra thêm {i}",
                "team": "Đoàn",
                "scope": Inspection.Scope.GROUP,
                "group": world.groups[1 + i % 9],
                "findings": "Đúng.",
            },
        )
    with django_assert_max_num_queries(len(few)):
        client.get(reverse(url_name))


def test_calendar_lists_inspections_with_the_campaign_activities(world):
    campaign = CampaignFactory()
    Activity.objects.create(
        campaign=campaign, kind=Activity.Kind.LAUNCH, title="Lễ phát động", date=campaign.start_date
    )
    services.inspection_create(
        actor=world.users["supervisor"],
        data={
            "date": campaign.start_date + datetime.timedelta(days=3),
            "title": "Kiểm tra sổ thu tổ 2",
            "team": "Đoàn",
            "scope": Inspection.Scope.GROUP,
            "group": world.groups[2],
            "findings": "Đúng.",
        },
    )
    page = world.client("committee").get(
        reverse("supervision:calendar"), {"chien_dich": campaign.pk}
    )
    rows = page.context["rows"]
    assert [r.title for r in rows] == ["Lễ phát động", "Kiểm tra sổ thu tổ 2"]
    assert rows[1].is_inspection and rows[1].url


def test_checklist_pdf(world):
    HouseholdFactory(group=world.groups[3], head_name="Trần Thị Mẫu")
    sample = services.sample_draw(
        actor=world.users["supervisor"], kind=Sample.Kind.HOUSEHOLDS, size=1, seed=3
    )
    response = world.client("treasurer").get(reverse("supervision:sample_pdf", args=[sample.pk]))
    assert response["Content-Type"] == "application/pdf"
    from tests.households.support_helpers import pdf_text

    text = pdf_text(response.content)
    assert "Trần Thị Mẫu" in text
    assert "3" in text and "hạt giống" in text


def test_sample_form_keeps_input_and_shows_errors(world):
    response = world.client("supervisor").post(
        reverse("supervision:sample_create"), {"kind": "households", "size": "0", "seed": "77"}
    )
    content = response.content.decode()
    assert "Cỡ mẫu ít nhất là 1." in content
    assert 'value="77"' in content


def test_navigation_shows_supervision_to_readers_only(world):
    home = reverse("dashboard:home")
    assert reverse("supervision:check") in world.client("supervisor").get(home).content.decode()
    assert reverse("supervision:check") not in world.client("leader1").get(home).content.decode()
