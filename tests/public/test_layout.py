"""The public pages: one menu on every page, the home in the order a resident needs,
the verification codes last, and a favicon."""

from __future__ import annotations

import datetime
import re

import pytest

from lddh.public.services import report_publish

MENU = re.compile(r'<nav[^>]*id="public-menu"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'<a[^>]*href="([^"]+)"[^>]*>([^<]+)</a>')


def menu_of(html: str) -> list[tuple[str, str]]:
    found = MENU.findall(html)
    assert len(found) == 1, "one public menu per page"
    return [(label.strip(), href) for href, label in LINK.findall(found[0])]


@pytest.fixture
def published(ward, world):
    return report_publish(
        actor=world.users["committee"],
        title="Báo cáo 2024",
        period_start=datetime.date(2024, 10, 1),
        period_end=datetime.date(2024, 11, 30),
    )


def test_every_public_page_shows_the_same_menu(ward, published, anon_client):
    receipt = ward.gift_an.receipt
    pages = {
        "/": 200,
        "/cong-khai/2024/": 200,
        "/cong-khai/2024/ung-ho/": 200,
        "/cong-khai/2024/ung-ho/?loai=truc-tiep": 200,
        "/cong-khai/2024/chi-ho-tro/": 200,
        "/cong-khai/bao-cao/": 200,
        "/niem-yet/": 200,
        "/tra-cuu/": 200,
        "/phan-anh/": 200,
        "/phan-anh/da-gui/": 200,
        "/phan-anh/tra-cuu/": 200,
        f"/bien-nhan/{receipt.token}/": 200,
        "/bien-nhan/khong-co/": 404,
        "/tu-choi-nhan-tin/khong-co/": 404,
        "/cong-khai/1999/": 404,
        f"/cong-khai/bao-cao/{'0' * 64}.pdf": 404,
    }
    menus = {}
    for url, status in pages.items():
        response = anon_client.get(url)
        assert response.status_code == status, url
        menus[url] = menu_of(response.content.decode())
        # The footer links to the residents' feedback form too.
        assert 'id="footer-feedback" ' in response.content.decode().replace(">", " >"), url
    checked = anon_client.post("/tra-cuu/", {"so": receipt.number, "tien": "500000"})
    menus["POST /tra-cuu/"] = menu_of(checked.content.decode())
    expected = [
        ("Tổng quan", "/"),
        ("Người ủng hộ", "/cong-khai/2024/ung-ho/"),
        ("Chi hỗ trợ", "/cong-khai/2024/chi-ho-tro/"),
        ("Kiểm tra biên nhận", "/tra-cuu/"),
        ("Báo cáo đã công bố", "/cong-khai/bao-cao/"),
        ("Niêm yết bình xét", "/niem-yet/"),
        ("Phản ánh, kiến nghị", "/phan-anh/"),
    ]
    assert {url: menu for url, menu in menus.items() if menu != expected} == {}


def test_the_menu_marks_the_page_a_visitor_is_on(ward, anon_client):
    html = anon_client.get("/tra-cuu/").content.decode()
    current = re.findall(r'<a[^>]*aria-current="page"[^>]*>([^<]+)</a>', MENU.search(html)[1])
    assert current == ["Kiểm tra biên nhận"]


def test_the_home_is_in_the_order_a_resident_needs(ward, published, anon_client):
    html = anon_client.get("/").content.decode()
    order = ["so-lieu", "ung-ho-an-toan", "tra-cuu", "chi-ho-tro", "kiem-chung"]
    positions = [html.index(f'id="{name}"') for name in order]
    assert positions == sorted(positions), dict(zip(order, positions, strict=True))
    accounts = html.index('id="ung-ho-an-toan"')
    assert html.index("Cảnh giác với tài khoản giả", accounts) < html.index('id="tra-cuu"')
    verification = html.index('id="kiem-chung"')
    # Every fingerprint shows in the verification section, none above it (a link to
    # the file may carry it in its address).
    above = re.sub(r"<[^>]+>", " ", html[:verification])
    assert published.sha256 in html[verification:]
    assert published.sha256 not in above
    assert "dấu vân tay" in html[verification:]
    assert "chain head" not in html


def test_the_reports_page_keeps_the_fingerprints(ward, published, anon_client):
    html = anon_client.get("/cong-khai/bao-cao/").content.decode()
    assert published.sha256 in html and "chain head" not in html


def test_the_favicon_answers_at_the_site_root_and_is_linked(ward, anon_client):
    response = anon_client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    html = anon_client.get("/").content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in html


def test_a_new_campaign_reaches_the_stored_pages_and_their_menu(ward, anon_client):
    from campaigns.models import Campaign
    from tests.factories import CampaignFactory

    assert ("Người ủng hộ", "/cong-khai/2024/ung-ho/") in menu_of(
        anon_client.get("/").content.decode()
    )
    ward.campaign.status = Campaign.Status.CLOSED
    ward.campaign.save()
    CampaignFactory(
        year=2025,
        name="Tháng cao điểm năm 2025",
        start_date=datetime.date(2025, 10, 17),
        end_date=datetime.date(2025, 11, 18),
    )
    html = anon_client.get("/").content.decode()
    assert ("Người ủng hộ", "/cong-khai/2025/ung-ho/") in menu_of(html)
    assert "Tháng cao điểm năm 2025" in html
