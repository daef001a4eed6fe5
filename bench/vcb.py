"""A realistic Vietcombank-shaped statement for the benchmarks: the CSV export of a very
busy donation account (about 20.000 lines a day), as the bank lays it out.

- title rows (bank, account, period) and an opening-balance row before the header, a
  "Tổng cộng" row and a closing-balance row after the lines;
- amounts and balances with '.' as the thousands separator, the running balance
  arithmetically right on every line (opening + credit − debit);
- half of the lines carry a "Số tham chiếu" drawn from a small pool, so the same reference
  comes back on other days, often with the same amount (what the bank really does);
- descriptions in the shapes of real transfer notes (MBVCB.…, "CT tu … toi …", IBFT,
  "NAME ung ho …", apartment numbers such as "R51118 Royal City"), one debit in twenty.

Deterministic: the same arguments give the same bytes. ``lines_of`` yields the lines
themselves (for a bulk insert that fills an account without going through a file).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from typing import NamedTuple

ACCOUNT_NUMBER = "0011001932418"
HEADER = [
    "STT",
    "Ngày giao dịch",
    "Số tham chiếu",
    "Số tiền ghi nợ",
    "Số tiền ghi có",
    "Số dư",
    "Mô tả",
]
# The layout reading it: the Vietcombank preset's columns, '.' thousands.
LAYOUT = {
    "name": "Vietcombank – sao kê CSV, dấu chấm (bench)",
    "file_kind": "any",
    "header_row": 8,
    "date_column": "Ngày giao dịch",
    "reference_column": "Số tham chiếu",
    "credit_column": "Số tiền ghi có",
    "debit_column": "Số tiền ghi nợ",
    "balance_column": "Số dư",
    "description_column": "Mô tả",
    "date_format": "%d/%m/%Y",
    "thousands_separator": ".",
    "csv_delimiter": ",",
    "order": 90,
}
PER_DAY = 20_000
REFERENCE_POOL = 5_000
NAMES = [
    "NGUYEN VAN AN", "TRAN THI BICH NGOC", "LE HOANG NAM", "PHAM THI THU HA", "HOANG VAN DUNG",
    "VU THI MAI", "DANG QUOC TUAN", "BUI THI LAN", "DO MINH KHOA", "NGO THI HUONG",
    "DUONG VAN LONG", "LY THI KIM OANH", "TRINH CONG SON", "MAI THANH HAI", "CAO THI YEN",
    "PHAN DUC MANH", "HO THI THANH TAM", "LUONG VAN HIEU", "TA THI NGA", "DINH QUANG HUY",
    "NGUYEN THI HONG NHUNG", "TRAN MINH QUAN", "LE THI PHUONG THAO", "VO VAN KIET",
    "CONG TY TNHH THUONG MAI DICH VU AN PHAT", "TRUONG THPT VIET DUC", "HUYNH NGOC ANH",
    "LAM GIA BAO", "QUACH THI HAU", "KIEU VAN THANH",
]  # fmt: skip
AMOUNTS = [10_000, 20_000, 50_000, 100_000, 100_000, 200_000, 200_000, 300_000, 500_000,
           500_000, 1_000_000, 2_000_000, 5_000_000]  # fmt: skip
DEBIT_NOTES = [
    "Phi dich vu SMS Banking thang",
    "Chuyen tien ho tro ho ngheo theo QD so 12/QD-MTTQ",
    "Thu phi quan ly tai khoan",
]


class Line(NamedTuple):
    number: int  # 1-based among the lines
    date: datetime.date
    reference: str
    debit: int
    credit: int
    balance: int
    description: str


def _note(n: int, day: datetime.date, name: str, amount: int) -> str:
    shape = (n * 2654435761 >> 7) % 8
    clock = f"{(n // 600) % 24:02d}{(n // 10) % 60:02d}{n % 60:02d}"
    payer_account = f"{(n * 7919) % 10**10:010d}"
    if shape == 0:
        return f"MBVCB.{6500000000 + n}.{day:%d%m%y}.{name}.CT tu {payer_account} {name} " \
               f"toi {ACCOUNT_NUMBER} UY BAN MTTQ PHUONG LE DAI HANH"  # fmt: skip
    if shape == 1:
        return f"{n % 10**6:06d}.{day:%d%m%y}.{clock}.{name} chuyen tien ung ho"
    if shape == 2:
        return f"{name} ung ho quy vi nguoi ngheo"
    if shape == 3:
        return f"IBFT {name} ung ho dong bao bi lu lut R{51000 + n % 900} Royal City"
    if shape == 4:
        return f"CT tu {payer_account} {name} toi {ACCOUNT_NUMBER} UNG HO MAT TRAN"
    if shape == 5:
        return f"020097048809{day:%m%d}{clock}.{n}.{name} chuyen tien ung ho mien Bac"
    if shape == 6:
        return f"TKThe :{payer_account}, tai VCB. {name} ung ho {amount // 1000}k"
    return "ck ung ho"


def lines_of(
    count: int, *, start: datetime.date, opening: int, first: int = 0, per_day: int = PER_DAY
) -> Iterator[Line]:
    """``count`` lines from ``start``, ``per_day`` a day, the balance running from
    ``opening``. ``first`` shifts the numbering, so two files made with different
    ``first`` hold different transfers."""
    balance = opening
    for i in range(count):
        n = first + i
        day = start + datetime.timedelta(days=i // per_day)
        debit = n % 20 == 19
        amount = AMOUNTS[(n * 40503) % len(AMOUNTS)]
        if n % 7 == 3:
            amount += (n * 1009) % 1000 * 1000  # some amounts are not round
        if debit:
            amount = 22_000 if n % 3 else 5_000_000 + (n % 50) * 100_000
            balance -= amount
            note = DEBIT_NOTES[n % len(DEBIT_NOTES)]
        else:
            balance += amount
            note = _note(n, day, NAMES[(n * 31) % len(NAMES)], amount)
        if n % 2:  # from a small pool: comes back on other days
            reference = f"{5000 + (n * 37) % REFERENCE_POOL}.{(n * 37) % REFERENCE_POOL:05d}"
        else:
            reference = f"{5000 + n // 100000}.{n % 100000:05d}{n // 10**6}"
        yield Line(i + 1, day, reference, amount if debit else 0, 0 if debit else amount,
                   balance, note)  # fmt: skip


def dots(value: int) -> str:
    return f"{value:,}".replace(",", ".") if value else ""


def statement_csv(
    count: int, *, start: datetime.date, opening: int, first: int = 0, per_day: int = PER_DAY
) -> bytes:
    """The CSV file (UTF-8 with BOM, as Vietcombank exports it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    last_day = start + datetime.timedelta(days=max(0, count - 1) // per_day)
    writer.writerow(["NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM (VIETCOMBANK)"])
    writer.writerow(["SAO KÊ TÀI KHOẢN"])
    writer.writerow([f"Số tài khoản: {ACCOUNT_NUMBER}"])
    writer.writerow(["Tên tài khoản: UY BAN MTTQ PHUONG LE DAI HANH - QUY VI NGUOI NGHEO"])
    writer.writerow([f"Từ ngày: {start:%d/%m/%Y}  Đến ngày: {last_day:%d/%m/%Y}"])
    writer.writerow(["Loại tiền: VND"])
    writer.writerow(["Số dư đầu kỳ", "", "", "", "", dots(opening), ""])
    writer.writerow(HEADER)
    credit_sum = debit_sum = 0
    balance = opening
    for line in lines_of(count, start=start, opening=opening, first=first, per_day=per_day):
        credit_sum += line.credit
        debit_sum += line.debit
        balance = line.balance
        writer.writerow([
            line.number, f"{line.date:%d/%m/%Y}", line.reference, dots(line.debit),
            dots(line.credit), dots(line.balance), line.description,
        ])  # fmt: skip
    writer.writerow(["Tổng cộng", "", "", dots(debit_sum), dots(credit_sum), "", ""])
    writer.writerow(["Số dư cuối kỳ", "", "", "", "", dots(balance), ""])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def closing_of(count: int, *, opening: int, first: int = 0) -> int:
    balance = opening
    for line in lines_of(count, start=datetime.date(2000, 1, 1), opening=opening, first=first):
        balance = line.balance
    return balance
