"""Excel: the export (scoped, formula-safe) and the import (preview, all or nothing,
idempotent)."""

import io
import zipfile

from django.urls import reverse
from openpyxl import Workbook, load_workbook

from households.imports import COLUMNS, read_file
from households.models import Household
from lddh.ward.models import AuditEvent
from tests.factories import HouseholdFactory, NeedFactory

EXPORT = reverse("households:export")
IMPORT = reverse("households:import")
APPLY = reverse("households:import_apply")


def _workbook(response):
    body = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(body)), body


def _xlsx(rows, header=None) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách hộ"
    ws.append(header or [c.title for c in COLUMNS])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "danh-sach.xlsx"
    return buffer


def _row(group=2, name="Nguyễn Văn An", year=1950, cccd="001050012345", **extra):
    values = {
        "Tổ dân phố": group,
        "Họ tên chủ hộ": name,
        "Năm sinh chủ hộ": year,
        "Địa chỉ": "Số 4 ngõ 1 phố Lê Đại Hành",
        "Số CCCD chủ hộ": cccd,
        "Điện thoại": "0912000111",
        "Phân loại": "Hộ cận nghèo",
        "Số quyết định": "125/QĐ-UBND",
        "Năm quyết định": 2024,
        "Chuẩn áp dụng": "07/2021",
        "Hoàn cảnh đặc biệt khó khăn": "Không",
        "Lý do khó khăn": "",
        "Hoàn cảnh": "Ốm đau",
        "Thu nhập bình quân (đồng/người/tháng)": "1.500.000",
        **extra,
    }
    return [values[c.title] for c in COLUMNS]


def test_export_lists_what_the_viewer_may_see_and_keeps_formulas_as_text(world):
    household = HouseholdFactory(
        group=world.groups[2],
        head_name='=HYPERLINK("http://x","bấm")',
        address="+84 phố \x07Huế",
        circumstances="@SUM(A1)",
    )
    NeedFactory(household=household, description="-2+3")
    HouseholdFactory(group=world.groups[5], head_name="Trần Thị Năm")
    wb, body = _workbook(world.client("leader2").get(EXPORT))
    ws = wb["Danh sách hộ"]
    header = [c.value for c in ws[1]]
    assert "Số CCCD chủ hộ" not in header and "Điện thoại" not in header
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1
    name_cell = ws.cell(row=2, column=header.index("Họ tên chủ hộ") + 1)
    assert name_cell.value == '=HYPERLINK("http://x","bấm")'
    assert name_cell.data_type == "s"
    assert ws.cell(row=2, column=header.index("Địa chỉ") + 1).value == "+84 phố Huế"
    sheet_xml = zipfile.ZipFile(io.BytesIO(body)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    assert wb["Nhu cầu"].cell(row=2, column=4).value == "-2+3"
    assert "Trần Thị Năm".encode() not in body


def test_staff_export_with_personal_data_is_logged_per_household(world):
    HouseholdFactory.create_batch(2, group=world.groups[2], head_cccd="")
    HouseholdFactory(group=world.groups[3], head_cccd="001150099999")
    wb, _ = _workbook(world.client("staff").get(EXPORT + "?ca_nhan=1"))
    ws = wb["Danh sách hộ"]
    header = [c.value for c in ws[1]]
    assert "Số CCCD chủ hộ" in header
    cccds = [
        row[header.index("Số CCCD chủ hộ")] for row in ws.iter_rows(min_row=2, values_only=True)
    ]
    assert "001150099999" in cccds
    assert AuditEvent.objects.filter(action="household.export_sensitive").count() == 3
    # Without asking, no personal columns and nothing to log.
    wb, _ = _workbook(world.client("staff").get(EXPORT))
    assert "Số CCCD chủ hộ" not in [c.value for c in wb["Danh sách hộ"][1]]
    assert AuditEvent.objects.filter(action="household.export_sensitive").count() == 3


def test_the_level_above_cannot_export_the_register(world):
    """Its counts come from the reports page (the register report, counts only)."""
    HouseholdFactory(group=world.groups[2], head_name="Tạ Thị Bảy", head_cccd="001150012399")
    response = world.client("higher").get(EXPORT + "?ca_nhan=1")
    assert response.status_code == 403
    assert "Tạ Thị Bảy".encode() not in response.content


def test_the_template_has_the_documented_columns(world):
    response = world.client("staff").get(reverse("households:import_template"))
    wb = load_workbook(io.BytesIO(response.content))
    header = [str(c.value).rstrip(" *") for c in wb["Danh sách hộ"][1]]
    assert header == [c.title for c in COLUMNS]
    assert "Hướng dẫn" in wb.sheetnames
    # The template itself reads back as a file with no rows, not a crash.
    assert read_file(response.content).file_errors


def test_a_good_file_is_previewed_then_applied_and_reimporting_changes_nothing(world):
    client = world.client("staff")
    rows = [_row(), _row(group="TDP03", name="Lê Thị Bình", year=1948, cccd=1048012345)]
    preview = client.post(IMPORT, {"file": _xlsx(rows)})
    assert preview.status_code == 200
    assert preview.context["preview"].ok and len(preview.context["preview"].new_rows) == 2
    assert not Household.objects.exists()  # a preview writes nothing
    response = client.post(APPLY, {"digest": preview.context["digest"]})
    assert response.status_code == 302
    assert Household.objects.count() == 2
    second = Household.objects.get(head_name="Lê Thị Bình")
    assert second.head_cccd == "001048012345"  # Excel's number lost the leading zeros
    assert second.group == world.groups[3] and second.income_per_person == 1_500_000
    events_before = AuditEvent.objects.count()
    snapshot = list(Household.objects.values().order_by("pk"))

    again = client.post(IMPORT, {"file": _xlsx(rows)})
    assert again.context["preview"].count_existing == 2
    assert "không có gì để ghi" in again.content.decode()
    client.post(APPLY, {"digest": again.context["digest"]})
    assert list(Household.objects.values().order_by("pk")) == snapshot
    assert AuditEvent.objects.count() == events_before


def test_a_file_with_broken_rows_writes_nothing_and_names_each_error(world):
    client = world.client("staff")
    rows = [
        _row(),
        _row(name="Phạm Văn Cường", cccd="123"),
        _row(name="Vũ Thị Dung", year=2999, cccd=""),
        _row(group=12, name="Hà Văn Em", cccd=""),
        _row(name="nguyen van an", cccd=""),  # the first row again
        _row(name="Đỗ Văn Giang", cccd="", **{"Phân loại": "Hộ giàu"}),
    ]
    response = client.post(IMPORT, {"file": _xlsx(rows)})
    preview = response.context["preview"]
    assert not preview.ok
    errors = {row.line: row.errors for row in preview.rows}
    assert errors[2] == []
    assert "Số CCCD phải gồm đúng 12 chữ số" in errors[3][0]
    assert errors[4] == ["Năm sinh không được ở tương lai."]
    assert errors[5] == ["Không có tổ dân phố “12”."]
    assert errors[6] == ["Trùng hộ với dòng 2 (cùng họ tên, năm sinh, tổ)."]
    assert "Phân loại “Hộ giàu”" in errors[7][0]
    html = response.content.decode()
    assert "chưa ghi gì" in html and APPLY not in html
    response = client.post(APPLY, {"digest": response.context["digest"]})
    assert response.status_code == 200
    assert not Household.objects.exists()
    assert not AuditEvent.objects.filter(action="household.create").exists()


def test_a_file_that_is_not_the_template_is_refused(world):
    client = world.client("staff")
    wrong = client.post(IMPORT, {"file": _xlsx([["x"]], header=["Tên", "Tuổi"])})
    assert "Thiếu cột" in wrong.content.decode()
    not_excel = io.BytesIO(b"not a zip")
    not_excel.name = "danh-sach.xlsx"
    assert "Không đọc được tệp" in client.post(IMPORT, {"file": not_excel}).content.decode()
    csv = io.BytesIO(b"a,b")
    csv.name = "danh-sach.csv"
    assert "Chỉ nhận tệp Excel" in client.post(IMPORT, {"file": csv}).content.decode()


def test_apply_without_a_preview_does_nothing(world):
    response = world.client("staff").post(APPLY, {"digest": "abc"})
    assert response.status_code == 302 and response["Location"] == IMPORT
