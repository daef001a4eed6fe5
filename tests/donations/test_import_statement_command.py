"""manage.py import_statement: the page's import from the command line."""

import io

import pytest
from django.core.management import CommandError, call_command

from donations.models import BankLayout, StatementLine
from lddh.ward.models import OfficialAccount, WardProfile
from tests.factories import statement_csv

GENERIC = "Mẫu chung (Ngày, Số tham chiếu, Ghi nợ, Ghi có, Số dư, Nội dung)"
ROWS = [
    ("20/10/2024", "FT1", "", "500.000", "10.500.000", "NGUYEN VAN A UNG HO"),
    ("21/10/2024", "FT1", "", "500.000", "11.000.000", "TRAN THI B UNG HO"),
]


@pytest.fixture
def numbered_bank(books):
    official = OfficialAccount.objects.create(
        ward=WardProfile.objects.first() or WardProfile.objects.create(name="Phường"),
        account_name="UB MTTQ",
        account_number="0011 0019 32418",
        bank_name="Vietcombank",
    )
    books.bank.official_account = official
    books.bank.save()
    return books


def _run(tmp_path, data, *args):
    path = tmp_path / "sao-ke.csv"
    path.write_bytes(data)
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_statement", str(path), *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_imports_prints_the_accounting_and_is_idempotent(numbered_bank, tmp_path):
    args = (
        "--account",
        "00110019 32418",
        "--layout",
        GENERIC,
        "--user",
        numbered_bank.staff.username,
    )
    out, _ = _run(tmp_path, statement_csv(ROWS), *args)
    assert "3 dòng trong tệp = 2 dòng mới + 0 dòng đã có + 1 dòng không phải giao dịch" in out
    assert StatementLine.objects.count() == 2  # one reference reused on two days: two lines
    out, _ = _run(tmp_path, statement_csv(ROWS), *args)
    assert "= 0 dòng mới + 2 dòng đã có + 1 dòng" in out
    # The account now remembers its layout: --layout may be left out.
    out, _ = _run(
        tmp_path,
        statement_csv(ROWS),
        "--account",
        "0011001932418",
        "--user",
        numbered_bank.staff.username,
    )
    assert "0 dòng mới" in out


def test_refusals_exit_non_zero(numbered_bank, tmp_path):
    user = ("--user", numbered_bank.staff.username)
    with pytest.raises(CommandError, match="Không thấy tài khoản số 999"):
        _run(tmp_path, statement_csv(ROWS), "--account", "999", "--layout", GENERIC, *user)
    with pytest.raises(CommandError, match="Sao kê PDF"):
        _run(tmp_path, b"%PDF-1.4", "--account", "0011001932418", "--layout", GENERIC, *user)
    broken = [*ROWS, ("22/10/2024", "FT3", "", "100.000", "99.000.000", "X")]
    with pytest.raises(CommandError, match="Không nhập tệp"):
        _run(
            tmp_path,
            statement_csv(broken),
            "--account",
            "0011001932418",
            "--layout",
            GENERIC,
            *user,
        )
    assert StatementLine.objects.count() == 0
    with pytest.raises(CommandError, match="Không thấy mẫu"):
        _run(tmp_path, statement_csv(ROWS), "--account", "0011001932418", "--layout", "?", *user)
    assert BankLayout.objects.filter(name=GENERIC).exists()


def test_accept_keeps_the_break_open(numbered_bank, tmp_path):
    broken = [*ROWS, ("22/10/2024", "FT3", "", "100.000", "99.000.000", "X")]
    out, _ = _run(
        tmp_path, statement_csv(broken), "--account", "0011001932418", "--layout", GENERIC,
        "--user", numbered_bank.staff.username, "--accept", "Ngân hàng xác nhận sẽ bổ sung",
    )  # fmt: skip
    assert "3 dòng mới" in out and "Dòng 4: số dư 99.000.000 đ" in out
    assert numbered_bank.bank.balance_gaps.get().is_open
