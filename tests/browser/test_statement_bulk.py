"""A clerk filters the bank lines, ticks them, corrects a suggested name by typing,
records them all at once and sees the receipts."""

import pytest

from donations.models import BankLayout, Donation
from donations.services import statement_import
from tests.browser.conftest import login
from tests.donations.conftest import Books
from tests.donations.test_statements import GENERIC
from tests.factories import statement_csv

pytestmark = pytest.mark.browser

ROWS = [
    ("20/10/2024", "FT1", "", "500.000", "", "IBFT NGUYEN VAN BINH chuyen tien ung ho"),
    ("21/10/2024", "FT2", "", "1.250.000", "", "R51118 Royal City ung ho"),
    ("22/10/2024", "FT3", "", "300.000", "", "123929.221024.123929.TRAN THI MAI ung ho"),
    ("25/10/2024", "FT4", "", "9.000.000", "", "LE VAN HUNG chuyen tien"),
]


def test_clerk_records_ticked_lines_with_a_corrected_name(browser_world, new_page, screens):
    books = Books(browser_world)
    statement_import(
        actor=books.staff,
        account=books.bank,
        layout=BankLayout.objects.get(name=GENERIC),
        data=statement_csv(ROWS),
        filename="sao-ke.csv",
    )
    page = new_page()
    login(page, "canbo")
    page.goto(page.base_url + "/quan-ly/ung-ho/sao-ke/dong/")
    page.fill("#id_date_to", "22/10/2024")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_selector("text=3 dòng theo bộ lọc")
    assert page.locator("td strong", has_text="Nguyen Van Binh").count() == 1
    page.check("#chon-tat-ca")
    assert page.locator("input[name=dong]:checked").count() == 3
    page.click("text=Ghi thành khoản ủng hộ")
    page.wait_for_selector("h1:has-text('Ghi 3 khoản ủng hộ')")
    inputs = page.locator("input[name^=ten-]")
    assert [inputs.nth(i).input_value() for i in range(3)] == [
        "Nguyen Van Binh",
        "Nhà hảo tâm",
        "Tran Thi Mai",
    ]
    # The preview fits a 360 px phone (its table scrolls inside its own box).
    phone = new_page(viewport={"width": 360, "height": 740})
    login(phone, "canbo")
    for url in (page.url, page.base_url + "/quan-ly/ung-ho/sao-ke/dong/"):
        phone.goto(url)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, url
    phone.context.close()
    first = inputs.nth(0)
    first.fill("")
    first.type("Nguyễn Văn Bình")
    page.select_option("#id_fund", str(books.vnn.pk))
    screens.shot(page, "xem-truoc")
    page.click("#statement-bulk button[type=submit]")
    page.wait_for_selector("text=Đã ghi 3 khoản ủng hộ từ sao kê")
    assert page.locator("text=VNN-2024-000001 đến VNN-2024-000003").count() == 1
    screens.shot(page, "da-ghi")
    donations = list(Donation.objects.order_by("receipt__seq"))
    assert [d.donor.name for d in donations] == ["Nguyễn Văn Bình", "Nhà hảo tâm", "Tran Thi Mai"]
    assert [d.amount for d in donations] == [500_000, 1_250_000, 300_000]
