"""A ward's books for the report tests: donations from several sources (one donor named
like a formula, one voided receipt, one direct support), a transfer between accounts,
and supports paid from the fund, all through the real services."""

from __future__ import annotations

import csv
import datetime
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from donations import services as donation_services
from donations.models import Account, Donation
from households.models import Category, SupportCategory
from lddh.ward.vocab import DonorSource
from tests.factories import AccountFactory, DonorFactory, record_donation
from tests.households.support_helpers import Books, approve, household, pay, propose

EVIL = '=HYPERLINK("http://x","y")'
CAMPAIGN_START = datetime.date(2024, 10, 17)


class ReportBooks(Books):
    def __init__(self, world):
        super().__init__(world)
        staff = world.users["staff"]
        self.bank = AccountFactory(name="Tài khoản ngân hàng", kind=Account.Kind.BANK)

        def give(amount, source, day, name=None, channel=Donation.Channel.CASH, **kwargs):
            donor = DonorFactory(source=source, **({"name": name} if name else {}), **kwargs)
            account = self.bank if channel == Donation.Channel.BANK else self.cash
            return record_donation(
                actor=staff,
                donor=donor,
                fund=self.fund,
                account=account,
                amount=amount,
                channel=channel,
                date=day,
                campaign=self.campaign,
            )

        d = datetime.date
        self.evil = give(500_000, DonorSource.INDIVIDUAL, d(2024, 10, 18), name=EVIL)
        give(1_200_000, DonorSource.INDIVIDUAL, d(2024, 10, 20))
        give(50_000_000, DonorSource.BUSINESS, d(2024, 10, 21), channel=Donation.Channel.BANK)
        give(200_000, DonorSource.RESIDENTS, d(2024, 10, 22), group=world.groups[2])
        give(3_000_000, DonorSource.AGENCY, d(2024, 11, 2))
        self.voided = give(700_000, DonorSource.INDIVIDUAL, d(2024, 10, 25))
        void = donation_services.void_request(
            actor=staff, donation=self.voided, reason="Nhập trùng biên nhận"
        )
        donation_services.void_approve(actor=world.users["committee"], void=void)
        self.direct_support = self.direct(2_000_000)
        donation_services.account_transfer(
            actor=staff,
            fund=self.fund,
            from_account=self.bank,
            to_account=self.cash,
            amount=40_000_000,
            date=d(2024, 11, 1),
            note="Rút tiền về quỹ tiền mặt",
        )
        # Supports: two paid from the fund (after the campaign month), one only proposed.
        self.poor_household = household(world, group=2, head_name="Trần Thị Bình")
        self.difficult_household = household(
            world,
            group=3,
            head_name="Lê Văn Cường",
            phone="0912 345 678",
            head_cccd="001080012345",
            category=Category.NONE,
            especially_difficult=True,
        )
        self.repair = pay(world, approve(world, propose(world, self, self.poor_household)))
        self.gift = pay(
            world,
            approve(
                world,
                propose(
                    world,
                    self,
                    self.difficult_household,
                    actor="staff",
                    category=SupportCategory.GIFT,
                    amount=1_000_000,
                    description="Quà Tết",
                ),
            ),
        )
        self.pending = propose(world, self, household(world, group=2, head_name=EVIL))


@pytest.fixture
def books(world) -> ReportBooks:
    return ReportBooks(world)


def params(books, report, **overrides) -> dict:
    data = {
        "bao_cao": report,
        "ky": "year",
        "nam": "2024",
        "chien_dich": str(books.campaign.pk),
        "quy": str(books.fund.pk),
        "dinh_dang": "xlsx",
    }
    data.update(overrides)
    return data


def download(client, books, report, **overrides):
    return client.get("/quan-ly/bao-cao/tai-ve/", params(books, report, **overrides))


def workbook(response):
    assert response.status_code == 200, response.content[:500]
    body = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(body)), body


def cells(wb) -> list:
    return [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]


def find_row(ws, label, column=None):
    """The first row whose cell (in `column`, else any) equals label."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == label and (column is None or cell.column == column):
                return row
    raise AssertionError(f"{label!r} not in sheet {ws.title}")


def libreoffice_csv(body: bytes, tmp_path: Path) -> dict[str, list[list[str]]]:
    """Every sheet of the workbook as LibreOffice computes and shows it."""
    source = tmp_path / "r.xlsx"
    source.write_bytes(body)
    result = subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    noise = [line for line in result.stderr.splitlines() if "javaldx" not in line and line.strip()]
    assert not noise, noise
    sheets = {}
    for path in tmp_path.glob("r-*.csv"):
        text = path.read_text(encoding="utf-8")
        for error in ("Err:", "#VALUE!", "#NAME?", "#REF!", "#DIV/0!", "#N/A"):
            assert error not in text, f"{error} in {path.name}"
        sheets[path.stem[2:]] = list(csv.reader(io.StringIO(text)))
    return sheets


def number(text: str) -> int:
    return int(text.replace(",", "").replace(".", "") or 0)


needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice Calc not installed"
)
