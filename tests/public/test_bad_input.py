"""Whatever a stranger sends, the answer is a friendly page, never a 500."""

from __future__ import annotations

import pytest

SQL = "VNN-2024-000001' OR '1'='1"
DONORS = "/cong-khai/2024/ung-ho/"


@pytest.mark.parametrize(
    ("url", "params", "status", "text"),
    [
        (DONORS, {"so": SQL}, 200, "Số biên nhận"),
        (DONORS, {"so": "1' OR 1=1--"}, 200, "Số biên nhận chỉ gồm chữ, số"),
        (DONORS, {"ten": "a" * 5000}, 200, "Tên tìm kiếm quá dài"),
        (DONORS, {"ten": "'; DROP TABLE donations_donor; --"}, 200, "Không tìm thấy khoản nào"),
        (DONORS, {"page": "-1"}, 200, "Danh sách người ủng hộ"),
        (DONORS, {"page": "abc"}, 200, "Danh sách người ủng hộ"),
        (DONORS, {"page": "99999999999999999999"}, 200, "Danh sách người ủng hộ"),
        (DONORS, {"page": "500"}, 200, "Danh sách người ủng hộ"),
        (DONORS, {"tien": "nhiều lắm"}, 200, "Chưa tìm được"),
        (DONORS, {"tien": "9" * 400}, 200, "Chưa tìm được"),
        (DONORS, {"tu": "31/02/2024"}, 200, "dd/mm/yyyy"),
        (DONORS, {"tu": "25/10/2024", "den": "01/10/2024"}, 200, "phải sau hoặc trùng"),
        ("/cong-khai/2019/", {}, 404, "Không có số liệu công khai năm 2019"),
        ("/cong-khai/2099/", {}, 404, "Các năm có số liệu"),
        ("/cong-khai/0000/", {}, 404, "Không có số liệu"),
        ("/cong-khai/2099/ung-ho/", {}, 404, "Không có số liệu"),
        ("/cong-khai/2099/chi-ho-tro/", {}, 404, "Không có số liệu"),
        ("/cong-khai/2024/tai-ve/ung-ho-2024-02-31.csv", {}, 404, "Không có số liệu"),
        ("/cong-khai/2024/tai-ve/chi-ho-tro-2024-13.xlsx", {}, 404, "Không có số liệu"),
        ("/cong-khai/bao-cao/" + "0" * 64 + ".pdf", {}, 404, "Không tìm thấy báo cáo"),
    ],
)
def test_bad_input_gets_a_friendly_page(ward, anon_client, url, params, status, text):
    response = anon_client.get(url, params)
    assert response.status_code == status
    assert text in response.content.decode()


def test_a_receipt_number_with_sql_is_refused_by_its_shape(ward, anon_client):
    response = anon_client.post("/tra-cuu/", {"so": "X' OR '1'='1", "tien": "500.000"})
    assert response.status_code == 200
    assert "hoặc chỉ số thứ tự như 690" in response.content.decode()
    assert ward.gift_an.receipt.number not in response.content.decode()


def test_a_long_receipt_number_is_a_form_error(ward, anon_client):
    response = anon_client.post("/tra-cuu/", {"so": "V" * 5000, "tien": "1"})
    assert response.status_code == 200
    assert "tối đa 30 ký tự" in response.content.decode()


def test_the_home_page_without_any_campaign_still_shows_the_accounts(world, anon_client):
    response = anon_client.get("/")
    assert response.status_code == 200
    assert "chưa có chiến dịch vận động nào" in response.content.decode()
    assert "Tài khoản chính thức" in response.content.decode()
