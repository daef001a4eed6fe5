"""The reports name the right people: the preparer and the accountant written in the
ward profile (editable in the admin), never whoever downloaded the file; the download
itself is in the audit log."""

from __future__ import annotations

from lddh.ward.audit import AuditAction
from lddh.ward.models import AuditEvent, WardProfile
from lddh.ward.templatetags.lddh import person_name
from tests.factories import UserFactory
from tests.households.support_helpers import pdf_text
from tests.reports.conftest import cells, download, workbook


def _name_the_people(world):
    ward = WardProfile.objects.get(pk=world.ward.pk)
    ward.preparer_name = "Đào Thị Lập"
    ward.preparer_title = "Cán bộ văn phòng"
    ward.accountant_name = "Cao Văn Toán"
    ward.accountant_title = "Kế toán Quỹ"
    ward.save()


def test_the_workbook_prints_the_profile_people_not_the_downloader(higher_client, world, books):
    _name_the_people(world)
    values = [str(v) for v in cells(workbook(download(higher_client, books, "quy"))[0])]
    assert "Đào Thị Lập" in values and "Cao Văn Toán" in values
    assert "Cán bộ văn phòng" in values and "Kế toán Quỹ" in values
    downloader = world.users["higher"]
    assert person_name(downloader) not in values
    event = AuditEvent.objects.filter(action=AuditAction.REPORT_DOWNLOAD).latest("pk")
    assert event.actor_id == downloader.pk


def test_the_pdf_prints_the_profile_people(staff_client, world, books):
    _name_the_people(world)
    text = pdf_text(download(staff_client, books, "quy", dinh_dang="pdf").content)
    assert "Đào Thị Lập" in text and "Cao Văn Toán" in text
    assert person_name(world.users["staff"]) not in text
    assert "NGƯỜI LẬP BIỂU" in text and "KẾ TOÁN" in text


def test_without_names_the_boxes_stay_blank_for_a_handwritten_name(staff_client, world, books):
    values = [v for v in cells(workbook(download(staff_client, books, "so-ung-ho"))[0]) if v]
    assert "NGƯỜI LẬP BIỂU" in values and "KẾ TOÁN" in values
    assert person_name(world.users["staff"]) not in values


def test_the_admin_edits_who_prepares_and_who_keeps_the_books(world):
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    form = site._registry[WardProfile].get_form(request, WardProfile.objects.get(pk=world.ward.pk))
    assert {"preparer_name", "preparer_title", "accountant_name", "accountant_title"} <= set(
        form.base_fields
    )
