"""Build the sample bank statements of this folder, byte for byte the same on every run.

    python tests/donations/statement_samples/build.py

Each sample is shaped as its bank gives it (title rows, the account block, the header
row, the lines with a running balance, the totals, the closing balance and the
signatures); README.md says what each one is modelled on. The names, account numbers and
references are invented. Every file holds the traits that cost money when they are read
wrongly: a reference reused on another day for the same amount, a payer who gives twice,
fees and a transfer out, and amounts that read as đồng only with the right separator."""

from __future__ import annotations

import csv
import datetime
import io
import random
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
FIXED_TIME = datetime.datetime(2024, 10, 1, 8, 0, 0)

PAYERS = [
    "NGUYEN VAN AN",
    "TRAN THI BICH NGOC",
    "LE HOANG NAM",
    "PHAM THI THU HA",
    "CONG TY TNHH THUONG MAI MINH PHAT",
    "DO QUANG HUY",
    "VU THI LAN",
    "HOANG MINH TUAN",
    "BUI THI MAI",
    "DANG VAN HAI",
]
AMOUNTS = [50_000, 100_000, 200_000, 300_000, 500_000, 1_000_000, 2_000_000, 5_000_000]


@dataclass
class Line:
    when: datetime.datetime
    reference: str
    transaction_id: str
    credit: int
    debit: int
    balance: int
    description: str


def _note(rng: random.Random, name: str, when: datetime.datetime, ref: str) -> str:
    """The common shapes of Vietnamese transfer notes (as seen on public statements)."""
    shape = rng.randrange(5)
    if shape == 0:
        return (
            f"MBVCB.{rng.randrange(10**9, 10**10)}.{rng.randrange(10**5, 10**6)}."
            f"{name} chuyen tien.CT tu {rng.randrange(10**12, 10**13)} {name} "
            "toi 1023456789 UBMTTQ PHUONG"
        )
    if shape == 1:
        return f"{ref}.{when:%d%m%y}.{when:%H%M%S}.{name} ung ho quy vi nguoi ngheo"
    if shape == 2:
        return f"{name} ung ho dong bao bi lu lut"
    if shape == 3:
        return f"CT tu {rng.randrange(10**9, 10**10)} {name} toi 1023456789 ung ho"
    return f"IBFT {name} CK ung ho Quy Vi nguoi ngheo phuong"


def make_lines(seed: int, count: int, opening: int, start: datetime.date) -> list[Line]:
    """`count` lines in time order with a right running balance. The second payer gives
    twice; line 3's reference comes back two days later for the same amount from
    someone else (banks reuse "Số tham chiếu")."""
    rng = random.Random(seed)
    balance = opening
    lines: list[Line] = []
    day = start
    reused_ref = ""
    for index in range(count):
        if index and rng.random() < 0.3:
            day += datetime.timedelta(days=1)
        when = datetime.datetime.combine(day, datetime.time(8 + index % 10, (index * 7) % 60))
        ref = f"{rng.randrange(1000, 9999)}.{rng.randrange(10000, 99999)}"
        txn = f"FT{day:%y%j}{rng.randrange(10**6, 10**7)}"
        if index == 3:
            reused_ref = ref
        if index % 9 == 8:  # a fee, a transfer out
            debit = 11_000 if index % 2 else 3_000_000
            credit = 0
            name = ""
            text = (
                "Thu phi SMS Banking thang"
                if debit == 11_000
                else "Chuyen tien ho tro ho ngheo to dan pho 3 theo QD so 12/QD-MTTQ"
            )
        else:
            debit = 0
            credit = rng.choice(AMOUNTS)
            name = PAYERS[1] if index in (2, 17) else rng.choice(PAYERS)
            if index == 12:  # same reference, same amount, other payer, other day
                ref, credit = reused_ref, lines[3].credit
            text = _note(rng, name, when, ref)
        balance += credit - debit
        lines.append(Line(when, ref, txn, credit, debit, balance, text))
    return lines


def dots(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def commas(n: int) -> str:
    return f"{n:,}"


def write_csv(name: str, rows: list[list], *, delimiter: str = ",") -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    (HERE / name).write_bytes(buffer.getvalue().encode("utf-8-sig"))


def write_xlsx(name: str, rows: list[list], *, money_columns: tuple[int, ...] = ()) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Sao ke"
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows():
        for cell in row:
            if cell.column - 1 in money_columns and isinstance(cell.value, int):
                cell.number_format = "#,##0"
    book.properties.creator = "bank"
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    book.save(raw)
    # openpyxl stamps the zip entries with the current time: rewrite them fixed.
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" on save
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*",
                    rb"\g<1>" + FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode(),
                    data,
                )
            dest.writestr(fixed, data)
    (HERE / name).write_bytes(out.getvalue())


def totals(lines: list[Line]) -> tuple[int, int]:
    return sum(x.credit for x in lines), sum(x.debit for x in lines)


# --------------------------------------------------------------------------- banks


def vietcombank() -> None:
    """VCB iB@nking / VCB DigiBiz "Sao kê tài khoản": date first, "Số tham chiếu", the
    total in the reference column; CSV with '.' thousands, Excel with number cells."""
    opening = 152_340_000
    lines = make_lines(1, 38, opening, datetime.date(2024, 9, 8))
    credit, debit = totals(lines)
    head = [
        ["NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM"],
        ["SAO KÊ TÀI KHOẢN / STATEMENT OF ACCOUNT"],
        ["Số tài khoản/ Account number:", "", "1023456789"],
        ["Tên tài khoản/ Account name:", "", "UY BAN MAT TRAN TO QUOC PHUONG"],
        ["Loại tiền/ Currency:", "", "VND"],
        ["Từ ngày/ From:", "", "08/09/2024", "Đến ngày/ To:", "", "19/09/2024"],
        [],
        ["Số dư đầu kỳ/ Opening balance : {opening}"],
        [],
        ["Ngày giao dịch", "Số tham chiếu", "Số tiền ghi nợ", "Số tiền ghi có", "Số dư", "Mô tả"],
    ]

    def shown_closing(money) -> str:
        closing = lines[-1].balance
        return dots(closing) if money is dots else str(closing)

    def body(money):
        shown = dots(opening) if money is dots else str(opening)
        rows = [[cell.replace("{opening}", shown) for cell in row] for row in head]
        for x in lines:
            rows.append(
                [
                    x.when.strftime("%d/%m/%Y"),
                    x.reference,
                    money(x.debit) if x.debit else "",
                    money(x.credit) if x.credit else "",
                    money(x.balance),
                    x.description,
                ]
            )
        rows += [
            ["", "Tổng số/ Total", money(debit), money(credit), "", ""],
            [f"Số dư cuối kỳ/ Closing balance : {shown_closing(money)}"],
            [],
            ["", "", "", "", "Ngân hàng TMCP Ngoại thương Việt Nam"],
        ]
        return rows

    write_csv("vietcombank_ibanking.csv", body(dots))
    write_xlsx("vietcombank_digibiz.xlsx", body(lambda n: n), money_columns=(2, 3, 4))


def vietinbank() -> None:
    """VietinBank eFAST "Lịch sử giao dịch - Transaction history", bilingual headers, the
    bank's own "Số giao dịch" per line."""
    opening = 48_200_500
    lines = make_lines(2, 32, opening, datetime.date(2024, 9, 9))
    credit, debit = totals(lines)
    rows: list[list] = [
        ["NGÂN HÀNG TMCP CÔNG THƯƠNG VIỆT NAM - VIETINBANK"],
        ["LỊCH SỬ GIAO DỊCH - TRANSACTION HISTORY"],
        ["Số tài khoản/ Account No: 113000123456", "", "", "Loại tiền/ Currency: VND"],
        ["Tên tài khoản/ Account name: UBMTTQ PHUONG HOA BINH"],
        ["Từ ngày/ From date: 09/09/2024", "", "", "Đến ngày/ To date: 18/09/2024"],
        ["Số dư đầu kỳ/ Opening balance:", "", "", "", "", "", opening],
        [
            "STT\nNo.",
            "Ngày hạch toán\nAccounting date",
            "Ngày phát sinh\nTransaction date",
            "Mô tả giao dịch\nTransaction description",
            "Nợ/ Debit",
            "Có / Credit",
            "Số dư TK/ Account balance",
            "Số giao dịch/ Transaction number",
        ],
    ]
    for number, x in enumerate(lines, 1):
        rows.append(
            [
                number,
                x.when.strftime("%d/%m/%Y %H:%M:%S"),
                x.when.strftime("%d/%m/%Y %H:%M:%S"),
                x.description,
                x.debit or "",
                x.credit or "",
                x.balance,
                x.transaction_id,
            ]
        )
    rows += [
        ["Tổng cộng/ Total", "", "", "", debit, credit, ""],
        ["Số dư cuối kỳ/ Closing balance:", "", "", "", "", "", lines[-1].balance],
        [],
        ["", "", "Người lập/ Prepared by", "Kiểm soát/ Checked by"],
    ]
    write_xlsx("vietinbank_efast.xlsx", rows, money_columns=(4, 5, 6))


def bidv() -> None:
    """BIDV iBank "Báo cáo chi tiết số dư tài khoản": "Ngày hiệu lực", "Ghi nợ",
    "Ghi có", "Số dư", "Mô tả"; closing line "Số dư cuối ngày"."""
    opening = 9_870_000
    lines = make_lines(3, 30, opening, datetime.date(2024, 9, 10))
    credit, debit = totals(lines)
    rows: list[list] = [
        ["NGÂN HÀNG TMCP ĐẦU TƯ VÀ PHÁT TRIỂN VIỆT NAM"],
        ["Chi nhánh: BIDV Hà Thành"],
        ["BÁO CÁO CHI TIẾT SỐ DƯ TÀI KHOẢN"],
        ["Số tài khoản: 12010000123456", "", "", "Loại tiền: VND"],
        ["Tên khách hàng: UY BAN MTTQ PHUONG HOA BINH"],
        ["Từ ngày: 10/09/2024", "", "", "Đến ngày: 20/09/2024"],
        ["", "Số dư đầu kỳ", "", "", "", opening, ""],
        [
            "STT",
            "Ngày hiệu lực",
            "Số tham chiếu",
            "Ghi nợ",
            "Ghi có",
            "Số dư",
            "Mô tả",
        ],
    ]
    for number, x in enumerate(lines, 1):
        rows.append(
            [
                number,
                x.when.strftime("%d/%m/%Y"),
                x.transaction_id,
                x.debit or "",
                x.credit or "",
                x.balance,
                x.description,
            ]
        )
    rows += [
        ["Tổng phát sinh", "", "", debit, credit, "", ""],
        ["Số dư cuối ngày", "", "", "", "", lines[-1].balance, ""],
        [],
        ["", "Giao dịch viên", "", "", "", "", "Kiểm soát viên"],
    ]
    write_xlsx("bidv_ibank.xlsx", rows, money_columns=(3, 4, 5))


def agribank() -> None:
    """Agribank "Sao kê tài khoản" CSV: ',' thousands (quoted), newest line first."""
    opening = 3_456_789_000
    lines = make_lines(4, 36, opening, datetime.date(2024, 9, 10))
    credit, debit = totals(lines)
    rows: list[list] = [
        ["NGÂN HÀNG NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN VIỆT NAM"],
        ["SAO KÊ TÀI KHOẢN"],
        ["Số tài khoản:", "1500201012345", "Tên tài khoản:", "UBMTTQ PHUONG HOA BINH"],
        ["Từ ngày:", "10/09/2024", "Đến ngày:", "22/09/2024"],
        ["Số dư đầu kỳ:", commas(opening)],
        [],
        ["STT", "Ngày GD", "Mã GD", "Số tiền ghi nợ", "Số tiền ghi có", "Số dư", "Nội dung"],
    ]
    for number, x in enumerate(reversed(lines), 1):
        rows.append(
            [
                str(number),
                x.when.strftime("%d/%m/%Y %H:%M:%S"),
                x.transaction_id,
                commas(x.debit) if x.debit else "0",
                commas(x.credit) if x.credit else "0",
                commas(x.balance),
                x.description,
            ]
        )
    rows += [
        ["Cộng phát sinh", "", "", commas(debit), commas(credit), "", ""],
        ["Số dư cuối kỳ:", commas(lines[-1].balance)],
    ]
    write_csv("agribank_sao_ke.csv", rows)


def techcombank() -> None:
    """Techcombank "Sao kê tài khoản": the date and the bank's reference in one cell
    (date, line break, reference), amounts as text with ',' thousands."""
    opening = 2_308_471
    lines = make_lines(5, 28, opening, datetime.date(2024, 9, 11))
    credit, debit = totals(lines)
    rows: list[list] = [
        ["NGÂN HÀNG TMCP KỸ THƯƠNG VIỆT NAM (TECHCOMBANK)"],
        ["SAO KÊ TÀI KHOẢN/ ACCOUNT STATEMENT"],
        ["Chi nhánh/ Branch:", "HBI-TCB HOA BINH"],
        ["Tên khách hàng/ Customer name:", "UBMTTQ PHUONG HOA BINH"],
        ["Số tài khoản/ Account no:", "19036123456789"],
        ["Từ ngày/ From:", "11/09/2024", "Đến ngày/ To:", "20/09/2024"],
        ["Số dư đầu kỳ/ Opening balance:", commas(opening)],
        [
            "STT/ No.",
            "Ngày giao dịch/ Transaction Date",
            "Nợ/ Debit",
            "Có/ Credit",
            "Số dư/ Balance",
            "Diễn giải/ Description",
        ],
    ]
    for number, x in enumerate(lines, 1):
        rows.append(
            [
                number,
                f"{x.when:%d/%m/%Y}\n{x.reference}",
                commas(x.debit) if x.debit else 0,
                commas(x.credit) if x.credit else "",
                commas(x.balance),
                x.description,
            ]
        )
    rows += [
        ["Tổng số/ Total volume", "", commas(debit), commas(credit), "", ""],
        ["Số dư cuối kỳ/ Ending balance:", commas(lines[-1].balance)],
        ["Ngày in/ Printed date: 21/09/2024 - 09:45:23"],
    ]
    write_xlsx("techcombank_sao_ke.xlsx", rows)


def mbbank() -> None:
    """MB "Sao kê chi tiết tài khoản / Account statement": posting date with time,
    "Phát sinh nợ", "Phát sinh có"."""
    opening = 21_500_000
    lines = make_lines(6, 34, opening, datetime.date(2024, 9, 12))
    credit, debit = totals(lines)
    rows: list[list] = [
        ["NGÂN HÀNG TMCP QUÂN ĐỘI - MBBANK"],
        ["SAO KÊ CHI TIẾT TÀI KHOẢN / ACCOUNT STATEMENT"],
        ["Tài khoản/Account No: 0801234567890", "", "", "Loại tiền/Currency: VND"],
        ["Chủ tài khoản/Account name: UBMTTQ PHUONG HOA BINH"],
        ["Từ ngày/From: 12/09/2024", "", "", "Đến ngày/To: 24/09/2024"],
        [],
        [
            "STT/ No",
            "Ngày hạch toán/ Posting date",
            "Ngày giao dịch/ Transaction date",
            "Số bút toán/ Ref No",
            "Phát sinh nợ/ Debit",
            "Phát sinh có/ Credit",
            "Số dư/ Balance",
            "Nội dung/ Description",
        ],
    ]
    for number, x in enumerate(lines, 1):
        rows.append(
            [
                number,
                x.when.strftime("%d/%m/%Y %H:%M:%S"),
                x.when.strftime("%d/%m/%Y %H:%M:%S"),
                x.transaction_id,
                x.debit or "",
                x.credit or "",
                x.balance,
                x.description,
            ]
        )
    rows += [
        ["Tổng cộng/ Total", "", "", "", debit, credit, "", ""],
        ["Số dư đầu kỳ/ Opening balance", "", "", "", "", "", opening, ""],
        ["Số dư cuối kỳ/ Closing balance", "", "", "", "", "", lines[-1].balance, ""],
    ]
    write_xlsx("mbbank_sao_ke.xlsx", rows, money_columns=(4, 5, 6))


def kho_bac() -> None:
    """Kho bạc Nhà nước "Sao kê tài khoản tiền gửi" of a unit's deposit account (3711/3713),
    with "Cộng phát sinh" and the signatures of the treasury office."""
    opening = 286_450_000
    lines = make_lines(7, 24, opening, datetime.date(2024, 9, 16))
    credit, debit = totals(lines)
    rows: list[list] = [
        ["KHO BẠC NHÀ NƯỚC KHU VỰC I"],
        ["PHÒNG GIAO DỊCH SỐ 3"],
        ["SAO KÊ TÀI KHOẢN TIỀN GỬI"],
        ["Từ ngày 16/09/2024 đến ngày 27/09/2024"],
        ["Tên đơn vị: Ủy ban Mặt trận Tổ quốc Việt Nam phường Hòa Bình"],
        ["Mã ĐVQHNS: 1123456", "", "", "Số tài khoản: 3713.0.1123456.00000"],
        [
            "STT",
            "Ngày hạch toán",
            "Ngày chứng từ",
            "Số chứng từ",
            "Nội dung",
            "Phát sinh Nợ",
            "Phát sinh Có",
            "Số dư",
        ],
        ["", "", "", "", "Số dư đầu kỳ", "", "", opening],
    ]
    for number, x in enumerate(lines, 1):
        rows.append(
            [
                number,
                x.when.strftime("%d/%m/%Y"),
                (x.when - datetime.timedelta(days=number % 2)).strftime("%d/%m/%Y"),
                f"GNT{x.transaction_id[-6:]}" if x.credit else f"UNC{x.transaction_id[-6:]}",
                x.description,
                x.debit or "",
                x.credit or "",
                x.balance,
            ]
        )
    rows += [
        ["", "", "", "", "Cộng phát sinh", debit, credit, ""],
        ["", "", "", "", "Số dư cuối kỳ", "", "", lines[-1].balance],
        [],
        ["", "Người lập", "", "Kế toán trưởng", "Giám đốc"],
        ["", "(Ký, ghi rõ họ tên)", "", "(Ký, ghi rõ họ tên)", "(Ký tên, đóng dấu)"],
    ]
    write_xlsx("kho_bac_sao_ke_tien_gui.xlsx", rows, money_columns=(5, 6, 7))


SAMPLES = {
    "vietcombank_ibanking.csv": vietcombank,
    "vietcombank_digibiz.xlsx": vietcombank,
    "vietinbank_efast.xlsx": vietinbank,
    "bidv_ibank.xlsx": bidv,
    "agribank_sao_ke.csv": agribank,
    "techcombank_sao_ke.xlsx": techcombank,
    "mbbank_sao_ke.xlsx": mbbank,
    "kho_bac_sao_ke_tien_gui.xlsx": kho_bac,
}
"""File → the function that writes it (one writes both Vietcombank files)."""


def build() -> None:
    for make in dict.fromkeys(SAMPLES.values()):
        make()


if __name__ == "__main__":
    build()
