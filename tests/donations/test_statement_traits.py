"""Bank statements with the traits real exports have, put in through the upload page as
the office and the treasurer use it: references the bank reuses, rows whose amount is
missing while the balance moves, a header repeated mid-file, a cut last line, either
thousands separator, newest-first order, UTF-16, Windows-1258 and Excel files.

Every file is built here, row by row, from a list of transactions, so the test knows on
its own what the file holds: its rows, its credit and debit sums, where its balance
breaks. The page must account for every row, store exactly those sums, and name every
break."""

from __future__ import annotations

import csv
import datetime
import html
import io
import re
import unicodedata
from dataclasses import dataclass, field

import pytest
from django.db.models import Sum
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from donations.models import BalanceGap, BankLayout, StatementImport, StatementLine, StatementRow
from lddh.ward.audit import AuditAction
from lddh.ward.models import AuditEvent

UPLOAD = "donations:statement_upload"
OPENING = 10_000_000
SEPTEMBER = datetime.date(2024, 9, 1)

# --------------------------------------------------------------------------- the builder


@dataclass(frozen=True)
class Tx:
    """A transaction of the account: ``day`` of September 2024. ``missing``: the bank's
    file shows the balance moving by this amount but leaves both amount cells empty."""

    day: int
    ref: str
    credit: int = 0
    debit: int = 0
    desc: str = ""
    missing: bool = False

    @property
    def date(self) -> datetime.date:
        return SEPTEMBER.replace(day=self.day)


# Two bank styles: a Vietcombank-like export (title rows, STT column, '.' thousands) and an
# Agribank-like one (',' thousands, date with time, "Cộng phát sinh" footer).
STYLES = {
    "vcb": {
        "header": [
            "STT",
            "Ngày giao dịch",
            "Số tham chiếu",
            "Số tiền ghi nợ",
            "Số tiền ghi có",
            "Số dư",
            "Mô tả",
        ],
        "thousands": ".",
        "title": [
            "NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM",
            "SAO KÊ TÀI KHOẢN",
            "Số tài khoản: 0011004455667 – Chủ tài khoản: Ủy ban MTTQ phường Lê Đại Hành",
            "Từ ngày 01/09/2024 đến ngày 30/09/2024",
        ],
        "total_label": "Tổng cộng",
    },
    "agri": {
        "header": [
            "Ngày GD",
            "Số bút toán",
            "Diễn giải",
            "Phát sinh Nợ",
            "Phát sinh Có",
            "Số dư",
        ],
        "thousands": ",",
        "title": [
            "NGÂN HÀNG NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN VIỆT NAM",
            "Chi nhánh Hà Nội – Phòng giao dịch Lê Đại Hành",
            "BẢNG KÊ GIAO DỊCH TÀI KHOẢN 1500201099999",
        ],
        "total_label": "Cộng phát sinh",
    },
}
# The header's cells by field, for each style.
FIELDS = {
    "vcb": {"n": 0, "date": 1, "ref": 2, "debit": 3, "credit": 4, "balance": 5, "desc": 6},
    "agri": {"date": 0, "ref": 1, "desc": 2, "debit": 3, "credit": 4, "balance": 5},
}


def money(value: int, thousands: str) -> str:
    return f"{value:,}".replace(",", thousands)


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: a letter the code page lacks is its
    base letter (with what marks it has) followed by combining tone marks."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        # The letter with one of its marks (ê, ơ, ư, ă), the tone mark after it.
        for keep in [*range(len(marks)), None]:
            if keep is None:  # the bare letter and every mark after it
                head, rest = base, "".join(marks)
            else:
                head = unicodedata.normalize("NFC", base + marks[keep])
                rest = "".join(marks[:keep] + marks[keep + 1 :])
            try:
                out += head.encode("cp1258") + rest.encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:  # pragma: no cover - every Vietnamese letter has a form
            raise UnicodeEncodeError("cp1258", ch, 0, 1, "no form")
    return bytes(out)


@dataclass
class Built:
    """A built file and what the test knows of it independently of the app."""

    data: bytes
    rows: list[list]  # the file's rows, cells as written
    tx_rows: list[tuple[Tx, int, int]] = field(default_factory=list)  # (tx, row, balance)
    breaks: list[tuple[int | None, int, int]] = field(default_factory=list)  # (before, row, amt)
    kind: str = "csv"
    text: str = ""

    @property
    def lines(self) -> list[tuple[Tx, int, int]]:
        return [t for t in self.tx_rows if not t[0].missing]

    @property
    def credit_sum(self) -> int:
        return sum(t.credit for t, _, _ in self.lines)

    @property
    def debit_sum(self) -> int:
        return sum(t.debit for t, _, _ in self.lines)

    @property
    def line_count(self) -> int:
        return len(self.lines)

    def row_of(self, tx: Tx) -> int:
        return next(row for t, row, _ in self.tx_rows if t == tx)

    def file_row_count(self) -> int:
        """The rows of the file counted from its bytes (CSV) or its workbook (xlsx)."""
        if self.kind == "xlsx":
            sheet = load_workbook(io.BytesIO(self.data), read_only=True).worksheets[0]
            return sum(1 for _ in sheet.iter_rows(values_only=True))
        text = self.text.replace("\r\n", "\n")
        return text.count("\n") + (0 if text.endswith("\n") else 1)


def build(
    txs: list[Tx],
    *,
    style: str = "vcb",
    thousands: str | None = None,
    opening: int = OPENING,
    descending: bool = False,
    repeat_header_after: tuple[int, ...] = (),
    encoding: str = "utf-8-sig",
    kind: str = "csv",
    title: bool = True,
    footer: bool = True,
    newline: str = "\r\n",
) -> Built:
    """A statement of ``txs`` (in time order) as the bank would export it.

    ``repeat_header_after``: positions (in file order, counting transaction rows from 1)
    after which the header is written again, as a bank does at a page break."""
    spec, where = STYLES[style], FIELDS[style]
    sep = thousands if thousands is not None else spec["thousands"]
    width = len(spec["header"])
    rows: list[list] = []
    if title:
        rows += [[line] + [""] * (width - 1) for line in spec["title"]]
        rows.append([""] * width)
    header = list(spec["header"])
    rows.append(header)

    def blank() -> list:
        return [""] * width

    def amount(value: int):
        if kind == "xlsx":
            return value
        return money(value, sep)

    opening_row = blank()
    opening_row[where["balance"]] = amount(opening)
    opening_row[where["desc"]] = "Số dư đầu kỳ"
    if not descending:
        rows.append(opening_row)

    balance = opening
    timed: list[tuple[Tx, int]] = []
    for tx in txs:
        balance += tx.credit - tx.debit
        timed.append((tx, balance))
    ordered = list(reversed(timed)) if descending else timed
    built = Built(b"", rows, kind=kind)
    for position, (tx, after) in enumerate(ordered, start=1):
        row = blank()
        if "n" in where:
            row[where["n"]] = str(position)
        stamp = tx.date.strftime("%d/%m/%Y")
        row[where["date"]] = (
            stamp if style == "vcb" else f"{stamp} {8 + position % 9:02d}:15:{position % 60:02d}"
        )
        row[where["ref"]] = tx.ref
        if not tx.missing:
            row[where["credit"]] = amount(tx.credit) if tx.credit else ""
            row[where["debit"]] = amount(tx.debit) if tx.debit else ""
        row[where["balance"]] = amount(after)
        row[where["desc"]] = tx.desc
        rows.append(row)
        built.tx_rows.append((tx, len(rows), after))
        if position in repeat_header_after:
            rows.append(list(header))
    if footer:
        total = blank()
        total[where["desc"] if style == "vcb" else 0] = spec["total_label"]
        total[where["credit"]] = amount(built.credit_sum)
        total[where["debit"]] = amount(built.debit_sum)
        rows.append(total)
        closing = blank()
        closing[where["balance"]] = amount(balance)
        closing[where["desc"]] = "Số dư cuối kỳ"
        rows.append(closing)
        rows.append(blank())
        signature = blank()
        signature[0], signature[-1] = "Người lập biểu", "Kế toán trưởng"
        rows.append(signature)
    # Where the balance breaks, in the file's order (previous dated row → this row).
    file_order = [(t, r, b) for t, r, b in built.tx_rows]
    for index, (tx, row, _) in enumerate(file_order):
        if tx.missing:
            if descending:
                # Newest first: the break lies between this row and the row above it.
                above = file_order[index - 1][1] if index else None
                built.breaks.append((row, above, tx.credit - tx.debit))
            else:
                before = file_order[index - 1][1] if index else None
                built.breaks.append((before, row, tx.credit - tx.debit))
    if kind == "xlsx":
        workbook = Workbook()
        for row in rows:
            workbook.active.append([None if cell == "" else cell for cell in row])
        out = io.BytesIO()
        workbook.save(out)
        built.data = out.getvalue()
        return built
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerows(rows)
    built.text = out.getvalue()
    if encoding == "cp1258":
        built.data = cp1258(built.text)
    elif encoding == "utf-16-le-nobom":
        built.data = built.text.encode("utf-16-le")
    else:
        built.data = built.text.encode(encoding)
    return built


# A fortnight of a busy ward account: the bank reuses "FT24252" for two different
# transfers of 200.000 đ by two payers on two days, and writes two rows with no amount.
A = Tx(2, "FT24250", credit=1_500_000, desc="NGUYỄN VĂN AN chuyển tiền ủng hộ quỹ Vì người nghèo")
B = Tx(3, "FT24251", debit=22_000, desc="Phí quản lý tài khoản tháng 08/2024")
C1 = Tx(8, "FT24252", credit=200_000, desc="Trần Thị Bích Ngọc ủng hộ, tổ dân phố 3")
D = Tx(9, "FT24253", credit=50_000, desc="Lê Đức Thọ ủng hộ đồng bào lũ lụt")
C2 = Tx(10, "FT24252", credit=200_000, desc="Phạm Quang Huy ủng hộ quỹ")
E = Tx(11, "FT24254", credit=3_000_000, desc="Công ty TNHH Hòa Bình ủng hộ")
F = Tx(12, "FT24255", debit=1_000_000, desc="Chi hỗ trợ hộ nghèo tổ 5")
G = Tx(13, "FT24256", credit=100_000, desc="Đỗ Thị Hạnh ủng hộ")
H = Tx(14, "FT24257", credit=750_000, desc="Vũ Minh Khôi ủng hộ")
GAP1 = Tx(9, "FT24260", credit=300_000, desc="Chuyển khoản (không rõ số tiền)", missing=True)
GAP2 = Tx(12, "FT24261", credit=1_500_000, desc="Nộp tiền mặt", missing=True)
CLEAN = [A, B, C1, D, C2, E, F, G, H]
WITH_GAPS = [A, B, C1, D, GAP1, C2, E, F, GAP2, G, H]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def vcb(db):
    return BankLayout.objects.create(
        name="Thử – Vietcombank CSV (dấu chấm)", header_row=6,
        date_column="Ngày giao dịch", reference_column="Số tham chiếu",
        credit_column="Số tiền ghi có", debit_column="Số tiền ghi nợ", balance_column="Số dư",
        description_column="Mô tả", date_format="%d/%m/%Y", thousands_separator=".",
        decimal_separator=",", order=20,
    )  # fmt: skip


@pytest.fixture
def agri(db):
    return BankLayout.objects.create(
        name="Thử – Agribank CSV (dấu phẩy)", header_row=5,
        date_column="Ngày GD", reference_column="Số bút toán",
        credit_column="Phát sinh Có", debit_column="Phát sinh Nợ", balance_column="Số dư",
        description_column="Diễn giải", date_format="%d/%m/%Y %H:%M:%S",
        thousands_separator=",", decimal_separator=".", order=21,
    )  # fmt: skip


@pytest.fixture
def layouts(vcb, agri):
    return {"vcb": vcb, "agri": agri}


def text_of(response) -> str:
    """The page's text as a person reads it: entities decoded, no-break spaces plain."""
    page = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(page).replace("\xa0", " ").split())


def upload(client, account, layout, data: bytes, name: str = "sao-ke.csv"):
    """Post the file through the upload page and follow to the import page."""
    file = io.BytesIO(data)
    file.name = name
    response = client.post(
        reverse(UPLOAD), {"account": account.pk, "layout": layout.pk, "file": file}, follow=True
    )
    batch = StatementImport.objects.order_by("-pk").first()
    return response, batch


def accounting(n: int, new: int, known: int, other: int) -> str:
    return (
        f"{n} dòng trong tệp = {new} dòng mới + {known} dòng đã có + {other} dòng không phải "
        "giao dịch"
    )


def vnd(value: int) -> str:
    return f"{money(abs(value), '.')} đ"


def assert_done_and_summed(batch: StatementImport, built: Built, text: str, *, known: int = 0):
    """The import is done, every row of the file is accounted for on the page, and the
    stored lines sum to the file's own credit and debit sums, to the đồng."""
    assert batch.status == StatementImport.Status.DONE, batch.error or batch.breaks
    n = built.file_row_count()
    assert batch.row_count == n
    new = built.line_count - known
    assert accounting(n, new, known, n - built.line_count) in text
    assert (batch.new_count, batch.known_count) == (new, known)
    assert (batch.credit_sum, batch.debit_sum) == (built.credit_sum, built.debit_sum)
    known_ids = StatementRow.objects.filter(
        statement_import=batch, kind=StatementRow.Kind.KNOWN
    ).values_list("line_id", flat=True)
    stored = StatementLine.objects.filter(statement_import=batch) | StatementLine.objects.filter(
        pk__in=known_ids
    )
    sums = stored.aggregate(credit=Sum("credit"), debit=Sum("debit"))
    assert (sums["credit"] or 0, sums["debit"] or 0) == (built.credit_sum, built.debit_sum)
    assert stored.count() == built.line_count
    assert f"ghi có {vnd(built.credit_sum)}, ghi nợ {vnd(built.debit_sum)}" in text


def held_named(batch: StatementImport, built: Built, text: str) -> None:
    """Held, nothing stored, each break named with its rows and its amount."""
    assert batch.status == StatementImport.Status.HELD
    assert not StatementLine.objects.filter(statement_import=batch).exists()
    assert f"số dư trong tệp không liên tục ở {len(built.breaks)} chỗ" in text
    assert "Chưa có dòng nào được lưu" in text
    assert len(batch.breaks) == len(built.breaks)
    for (before, row, amount), found in zip(built.breaks, batch.breaks, strict=True):
        assert (found["row_before"], found["row"], found["amount"]) == (before, row, amount)
        way = "vào" if amount > 0 else "ra"
        named = f"Dòng {row}: số dư "
        assert named in text
        if before:
            assert f"đúng ra sau dòng {before} là" in text
        assert f"có {vnd(amount)} tiền {way} không có dòng nào trong tệp" in text


# --------------------------------------------------------------------------- traits alone


@pytest.mark.parametrize("persona", ["treasurer", "staff", "committee"])
def test_reused_reference_on_two_days_by_two_payers_is_two_lines(world, books, vcb, persona):
    built = build(CLEAN)
    response, batch = upload(world.client(persona), books.bank, vcb, built.data)
    text = text_of(response)
    assert_done_and_summed(batch, built, text)
    reused = StatementLine.objects.filter(reference="FT24252", credit=200_000).order_by("date")
    assert [(line.date.day, line.description) for line in reused] == [
        (8, C1.desc),
        (10, C2.desc),
    ]
    assert [line.row for line in reused] == [built.row_of(C1), built.row_of(C2)]


def test_reimport_and_overlapping_export_add_nothing_twice(world, books, vcb):
    client = world.client("treasurer")
    first_file = build(CLEAN[:6])  # 02/09 – 11/09
    _, first = upload(client, books.bank, vcb, first_file.data, "0209-1109.csv")
    assert first.status == StatementImport.Status.DONE

    # The same file again: every transaction is already there, each listed with where.
    response, again = upload(client, books.bank, vcb, first_file.data, "0209-1109.csv")
    text = text_of(response)
    assert_done_and_summed(again, first_file, text, known=first_file.line_count)
    listed = text_of(
        client.get(reverse("donations:statement_import", args=[again.pk]) + "?xem=da-co")
    )
    for _, row, _ in first_file.lines:
        assert f"{row} đã có (lần nhập số {first.pk}, dòng {row})" in listed

    # An export of 08/09 – 14/09 (shifted window): the four lines of 08/09 – 11/09 are
    # known, the three later ones new — with the opening balance of 08/09.
    balance_before = OPENING + A.credit - B.debit
    shifted = build(CLEAN[2:], opening=balance_before)
    response, overlap = upload(client, books.bank, vcb, shifted.data, "0809-1409.csv")
    text = text_of(response)
    assert_done_and_summed(overlap, shifted, text, known=4)
    listed = text_of(
        client.get(reverse("donations:statement_import", args=[overlap.pk]) + "?xem=da-co")
    )
    for tx in (C1, D, C2, E):
        assert (
            f"{shifted.row_of(tx)} đã có (lần nhập số {first.pk}, dòng {first_file.row_of(tx)})"
            in listed
        )
    assert StatementLine.objects.count() == len(CLEAN)
    assert StatementLine.objects.filter(reference="FT24252").count() == 2


def test_the_same_day_downloaded_twice_adds_only_what_came_later(world, books, vcb):
    client = world.client("treasurer")
    _, earlier = upload(client, books.bank, vcb, build(CLEAN[:3]).data)  # to 08/09
    assert earlier.status == StatementImport.Status.DONE
    day = [
        Tx(13, "FT30001", credit=200_000, desc="Ủng hộ quỹ"),
        Tx(13, "FT30001", credit=200_000, desc="Ủng hộ quỹ"),  # the very same again
        Tx(13, "FT30002", debit=11_000, desc="Phí SMS"),
        Tx(13, "FT30003", credit=500_000, desc="Hoàng Văn Tư ủng hộ"),
    ]
    start = OPENING + A.credit - B.debit + C1.credit
    morning = build(day[:2], opening=start, footer=False)
    _, first = upload(client, books.bank, vcb, morning.data, "13-09-sang.csv")
    assert_done_and_summed(
        first, morning, text_of(client.get(reverse("donations:statement_import", args=[first.pk])))
    )
    evening = build(day, opening=start)
    response, second = upload(client, books.bank, vcb, evening.data, "13-09-chieu.csv")
    assert_done_and_summed(second, evening, text_of(response), known=2)
    assert StatementLine.objects.filter(date=datetime.date(2024, 9, 13)).count() == 4
    # And downloaded a third time, nothing at all.
    response, third = upload(client, books.bank, vcb, evening.data, "13-09-toi.csv")
    assert_done_and_summed(third, evening, text_of(response), known=4)
    assert StatementLine.objects.count() == 3 + 4


def test_rows_without_amount_but_moving_balance_hold_the_file_until_accepted(world, books, vcb):
    client = world.client("treasurer")
    built = build(WITH_GAPS)
    response, held = upload(client, books.bank, vcb, built.data)
    text = text_of(response)
    held_named(held, built, text)
    assert f"Dòng {built.row_of(GAP1)}: số dư" in text and "có 300.000 đ tiền vào" in text
    assert f"Dòng {built.row_of(GAP2)}: số dư" in text and "có 1.500.000 đ tiền vào" in text
    assert StatementLine.objects.count() == 0 and BalanceGap.objects.count() == 0

    # Cancelled: refused, nothing stored, and it can no longer be accepted.
    decide = reverse("donations:statement_import_decide", args=[held.pk])
    text = text_of(client.post(decide, {"action": "cancel"}, follow=True))
    held.refresh_from_db()
    assert held.status == StatementImport.Status.REFUSED
    assert "người nhập đã hủy" in text
    client.post(decide, {"action": "accept", "reason": "Ngân hàng đã xác nhận hai khoản"})
    held.refresh_from_db()
    assert held.status == StatementImport.Status.REFUSED
    assert StatementLine.objects.count() == 0

    # Uploaded again and accepted with a reason: stored, each break an open gap.
    response, again = upload(client, books.bank, vcb, built.data)
    held_named(again, built, text_of(response))
    decide = reverse("donations:statement_import_decide", args=[again.pk])
    text = text_of(client.post(decide, {"action": "accept", "reason": "ngắn"}, follow=True))
    assert "ít nhất 10 ký tự" in text
    again.refresh_from_db()
    assert again.status == StatementImport.Status.HELD
    reason = "Ngân hàng xác nhận hai khoản nộp tiền mặt sẽ có trong sao kê sau"
    response = client.post(decide, {"action": "accept", "reason": reason}, follow=True)
    text = text_of(response)
    again.refresh_from_db()
    assert_done_and_summed(again, built, text)
    gaps = list(BalanceGap.objects.filter(statement_import=again).order_by("row"))
    assert [(g.row_before, g.row, g.amount, g.is_open) for g in gaps] == [
        (before, row, amount, True) for before, row, amount in built.breaks
    ]
    assert f"Chỗ số dư không liên tục ({len(gaps)})" in text
    assert f"Đã nhập với lý do: “{reason}”" in text
    for gap in gaps:
        assert gap.description in text
    assert AuditEvent.objects.filter(
        action=AuditAction.STATEMENT_ACCEPT, object_id=str(again.pk), note=reason
    ).exists()

    # Explained through the page: closed, with its audit event.
    explain = reverse("donations:balance_gap_explain", args=[gaps[0].pk])
    text = text_of(client.post(explain, {"explanation": "ngắn"}, follow=True))
    assert "ít nhất 10 ký tự" in text
    words = "Nộp tiền mặt 300.000 đ của tổ 3, phiếu thu số 12 ngày 09/09"
    text = text_of(client.post(explain, {"explanation": words}, follow=True))
    gaps[0].refresh_from_db()
    assert not gaps[0].is_open and gaps[0].explanation == words
    assert gaps[0].explained_by == world.users["treasurer"]
    assert f"Đã giải trình: {words}" in text
    assert AuditEvent.objects.filter(
        action=AuditAction.STATEMENT_GAP_EXPLAIN, object_id=str(gaps[0].pk), note=words
    ).exists()
    again_text = text_of(client.post(explain, {"explanation": words + " (lần hai)"}, follow=True))
    assert "đã được giải trình" in again_text
    gaps[1].refresh_from_db()
    assert gaps[1].is_open


def test_amount_missing_in_a_newest_first_file_is_named_too(world, books, vcb):
    built = build(WITH_GAPS, descending=True)
    response, held = upload(world.client("treasurer"), books.bank, vcb, built.data)
    text = text_of(response)
    assert held.status == StatementImport.Status.HELD
    assert held.descending
    assert sorted(b["amount"] for b in held.breaks) == [300_000, 1_500_000]
    for upper_row, lower_row in [
        (built.row_of(GAP1), built.row_of(D)),
        (built.row_of(GAP2), built.row_of(F)),
    ]:
        found = next(
            b for b in held.breaks if {b["row"], b["row_before"]} == {upper_row, lower_row}
        )
        assert f"Dòng {found['row']}: số dư" in text
    assert "có 300.000 đ tiền vào" in text and "có 1.500.000 đ tiền vào" in text
    assert not StatementLine.objects.exists()


def _first_file_then_second(world, books, vcb, shift: int):
    client = world.client("treasurer")
    _, first = upload(client, books.bank, vcb, build(CLEAN[:4]).data, "02-09.csv")  # to 09/09
    assert first.status == StatementImport.Status.DONE
    closing = OPENING + A.credit - B.debit + C1.credit + D.credit
    second = build(CLEAN[4:], opening=closing + shift)
    response, batch = upload(client, books.bank, vcb, second.data, "10-09.csv")
    return client, batch, second, closing, text_of(response)


def test_second_file_that_does_not_follow_the_stored_balance_is_held(world, books, vcb):
    _, batch, _, closing, text = _first_file_then_second(world, books, vcb, 400_000)
    assert batch.status == StatementImport.Status.HELD
    assert [b["kind"] for b in batch.breaks] == [BalanceGap.Kind.BETWEEN_FILES]
    assert (
        f"Số dư đầu tệp {vnd(closing + 400_000)} khác số dư cuối ngày 09/09/2024 đã lưu "
        f"{vnd(closing)}: có 400.000 đ tiền vào chưa có trong sao kê nào." in text
    )
    assert not StatementLine.objects.filter(statement_import=batch).exists()
    assert StatementLine.objects.count() == 4


def test_a_break_between_files_is_called_so_on_the_held_page(world, books, vcb):
    _, batch, _, _, text = _first_file_then_second(world, books, vcb, 400_000)
    assert batch.status == StatementImport.Status.HELD
    assert "giữa hai tệp" in text
    assert "số dư trong tệp không liên tục" not in text


def test_second_file_that_follows_the_stored_balance_goes_in(world, books, vcb):
    _, batch, second, _, text = _first_file_then_second(world, books, vcb, 0)
    assert_done_and_summed(batch, second, text)


def test_repeated_header_is_skipped_and_counted(world, books, vcb):
    client = world.client("treasurer")
    built = build(CLEAN, repeat_header_after=(3, 6))
    response, batch = upload(client, books.bank, vcb, built.data)
    assert_done_and_summed(batch, built, text_of(response))
    header_rows = [i for i, row in enumerate(built.rows, start=1) if row == STYLES["vcb"]["header"]]
    assert len(header_rows) == 3
    rows = StatementRow.objects.filter(statement_import=batch, reason="dòng tiêu đề lặp lại")
    assert sorted(rows.values_list("row", flat=True)) == header_rows[1:]
    listed = text_of(
        client.get(
            reverse("donations:statement_import", args=[batch.pk]) + "?xem=khong-phai-giao-dich"
        )
    )
    for row in header_rows[1:]:
        assert f"{row} dòng tiêu đề lặp lại" in listed


def _cut_files():
    full = build(CLEAN, footer=False, newline="\n")
    text = full.text.rstrip("\n")
    last = text.rsplit("\n", 1)[1]
    line = text.count("\n") + 1
    cuts = {}
    # Mid-line, no newline: cut inside the description, inside the balance, inside the
    # credit amount, inside the reference, inside the date.
    for name, keep in [
        ("in-description", len(last) - 5),
        ("in-balance", last.index(money(full.tx_rows[-1][2], ".")) + 4),
        ("in-amount", last.index("750.000") + 3),
        ("in-reference", last.index("FT24257") + 4),
        ("in-date", 6),
    ]:
        cuts[name] = (
            text[: len(text) - len(last) + keep].encode("utf-8"),
            line,
            "dòng " + str(line),
        )
    # The last line whole but with no line break after it.
    cuts["no-final-newline"] = (text.encode("utf-8"), line, f"dòng {line}")
    # Mid-character: the last letter's bytes are cut.
    raw = text.encode("utf-8")
    cuts["mid-character"] = (raw[: raw.rindex("ủ".encode()) + 1], line, f"dòng {line}")
    # An unclosed quote: the description cell opens a quote the file never closes.
    quoted = text[: len(text) - len(last)] + last.replace(H.desc, '"' + H.desc[:8])
    cuts["unclosed-quote"] = (quoted.encode("utf-8"), line, f"Dòng {line}")
    return cuts


CUTS = _cut_files()


@pytest.mark.parametrize("name", list(CUTS))
def test_a_cut_last_line_is_refused_naming_it(world, books, vcb, name):
    data, _, named = CUTS[name]
    response, batch = upload(world.client("treasurer"), books.bank, vcb, data)
    text = text_of(response)
    assert batch is not None and batch.status == StatementImport.Status.REFUSED, text[-600:]
    assert named in batch.error
    assert batch.error in text
    assert "Chưa có dòng nào được lưu" in batch.error
    assert not StatementLine.objects.exists()


@pytest.mark.parametrize(
    ("style", "file_sep", "amount"),
    [("agri", ".", "50.000"), ("vcb", ",", "50,000")],
    ids=["dot-file-comma-layout", "comma-file-dot-layout"],
)
def test_a_file_with_the_other_separator_is_refused_naming_the_row(
    world, books, layouts, style, file_sep, amount
):
    small = [Tx(2, "FT1", credit=50_000, desc="Ủng hộ"), Tx(3, "FT2", credit=20_000, desc="Ủng hộ")]
    built = build(small, style=style, thousands=file_sep)
    response, batch = upload(world.client("treasurer"), books.bank, layouts[style], built.data)
    text = text_of(response)
    assert batch.status == StatementImport.Status.REFUSED
    row = built.row_of(small[0])
    assert f"dòng {row}: số tiền “{amount}”" in batch.error
    assert "có vẻ dùng" in batch.error and "tách hàng nghìn" in batch.error
    assert batch.error in text
    assert not StatementLine.objects.filter(credit=50).exists()
    assert not StatementLine.objects.exists()


@pytest.mark.parametrize(
    ("style", "file_sep"),
    [("agri", "."), ("vcb", ",")],
    ids=["dot-file-comma-layout", "comma-file-dot-layout"],
)
def test_the_other_separator_with_millions_is_refused_too(world, books, layouts, style, file_sep):
    built = build(CLEAN, style=style, thousands=file_sep)
    _, batch = upload(world.client("treasurer"), books.bank, layouts[style], built.data)
    assert batch.status == StatementImport.Status.REFUSED
    assert f"dòng {built.row_of(A)}: số tiền" in batch.error
    assert not StatementLine.objects.exists()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le-nobom", "cp1258", "utf-8", "utf-8-sig"])
def test_encodings_keep_the_vietnamese_text(world, books, vcb, encoding):
    built = build(CLEAN, encoding=encoding)
    response, batch = upload(world.client("treasurer"), books.bank, vcb, built.data)
    assert_done_and_summed(batch, built, text_of(response))
    for tx in CLEAN:
        line = StatementLine.objects.get(reference=tx.ref, date=tx.date)
        assert line.description == tx.desc
    skipped = StatementRow.objects.get(statement_import=batch, row=3)
    assert STYLES["vcb"]["title"][2] in skipped.raw


def test_pdf_is_refused_on_the_upload_page(world, books, vcb):
    file = io.BytesIO(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    file.name = "sao-ke-thang-9.csv"
    response = world.client("treasurer").post(
        reverse(UPLOAD), {"account": books.bank.pk, "layout": vcb.pk, "file": file}
    )
    assert response.status_code == 400
    assert "Sao kê PDF chưa đọc được, hãy xuất CSV hoặc Excel" in text_of(response)
    assert not StatementImport.objects.exists()


def test_xlsx_export_goes_in_with_its_sums(world, books, vcb):
    built = build(CLEAN, kind="xlsx", repeat_header_after=(5,))
    response, batch = upload(world.client("treasurer"), books.bank, vcb, built.data, "vcb.xlsx")
    assert_done_and_summed(batch, built, text_of(response))
    assert (
        StatementRow.objects.filter(statement_import=batch, reason="dòng tiêu đề lặp lại").count()
        == 1
    )


# --------------------------------------------------------------------------- all together

VARIANTS = {
    "vcb-dot-utf8-bom": {"style": "vcb"},
    "agri-comma-utf8": {"style": "agri", "encoding": "utf-8"},
    "vcb-utf16": {"style": "vcb", "encoding": "utf-16"},
    "agri-utf16le-nobom": {"style": "agri", "encoding": "utf-16-le-nobom"},
    "agri-cp1258": {"style": "agri", "encoding": "cp1258"},
    "vcb-xlsx": {"style": "vcb", "kind": "xlsx"},
    "agri-xlsx": {"style": "agri", "kind": "xlsx"},
    "vcb-newest-first": {"style": "vcb", "descending": True},
    "agri-newest-first-lf": {"style": "agri", "descending": True, "newline": "\n"},
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_trait_together_goes_in_accounted_for(world, books, layouts, variant):
    """Reused references, two rows with no amount whose balance moves, the header
    repeated twice, title and footer rows: held with both breaks named, accepted with a
    reason, stored with the file's own sums; then the same file again adds nothing, and
    the same file cut in its last line is refused."""
    options = VARIANTS[variant]
    layout = layouts[options["style"]]
    client = world.client("treasurer")
    built = build(WITH_GAPS, repeat_header_after=(4, 8), **options)
    response, batch = upload(client, books.bank, layout, built.data, f"{variant}.csv")
    text = text_of(response)
    assert batch.status == StatementImport.Status.HELD, batch.error
    assert len(batch.breaks) == 2
    assert sorted(b["amount"] for b in batch.breaks) == [300_000, 1_500_000]
    for found in batch.breaks:
        assert f"Dòng {found['row']}: số dư" in text
    if not options.get("descending"):
        held_named(batch, built, text)
    decide = reverse("donations:statement_import_decide", args=[batch.pk])
    reason = "Ngân hàng xác nhận hai khoản thiếu số tiền trên sao kê"
    text = text_of(client.post(decide, {"action": "accept", "reason": reason}, follow=True))
    batch.refresh_from_db()
    assert_done_and_summed(batch, built, text)
    assert batch.descending == bool(options.get("descending"))
    assert (
        StatementRow.objects.filter(statement_import=batch, reason="dòng tiêu đề lặp lại").count()
        == 2
    )
    assert StatementLine.objects.filter(reference="FT24252").count() == 2
    assert BalanceGap.objects.filter(statement_import=batch, explained_at=None).count() == 2
    for tx in CLEAN:
        assert StatementLine.objects.get(reference=tx.ref, date=tx.date).description == tx.desc
    assert batch.opening_balance == OPENING
    closing = OPENING + sum(t.credit - t.debit for t in WITH_GAPS)
    assert batch.closing_balance == closing

    # The same file again adds nothing (its breaks are already accepted and kept).
    response, again = upload(client, books.bank, layout, built.data, f"{variant}-lan-2.csv")
    if again.status == StatementImport.Status.HELD:
        decide = reverse("donations:statement_import_decide", args=[again.pk])
        response = client.post(decide, {"action": "accept", "reason": reason}, follow=True)
        again.refresh_from_db()
    assert_done_and_summed(again, built, text_of(response), known=built.line_count)
    assert StatementLine.objects.count() == built.line_count


def test_reimport_of_an_accepted_file_is_not_held_again(world, books, vcb):
    client = world.client("treasurer")
    built = build(WITH_GAPS)
    _, batch = upload(client, books.bank, vcb, built.data)
    client.post(
        reverse("donations:statement_import_decide", args=[batch.pk]),
        {"action": "accept", "reason": "Ngân hàng xác nhận hai khoản thiếu"},
    )
    _, again = upload(client, books.bank, vcb, built.data)
    assert again.status == StatementImport.Status.DONE


# --------------------------------------------------------------------------- access

OUTSIDERS = ["higher", "supervisor", "leader1", "leader2"]


@pytest.fixture
def held_and_gap(world, books, vcb):
    """A held import on the bank account and a done one with an open gap on the
    treasury account, both uploaded by the treasurer."""
    client = world.client("treasurer")
    _, held = upload(client, books.bank, vcb, build(WITH_GAPS).data)
    assert held.status == StatementImport.Status.HELD
    _, done = upload(client, books.treasury, vcb, build(WITH_GAPS).data)
    client.post(
        reverse("donations:statement_import_decide", args=[done.pk]),
        {"action": "accept", "reason": "Kho bạc xác nhận hai khoản thiếu"},
    )
    done.refresh_from_db()
    assert done.status == StatementImport.Status.DONE
    return held, done, BalanceGap.objects.filter(statement_import=done).first()


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_pages_of_an_import_are_refused_outside_the_office(world, held_and_gap, persona):
    held, done, gap = held_and_gap
    client = world.client(persona)
    for batch in (held, done):
        for name in ("donations:statement_import", "donations:statement_import_progress"):
            assert client.get(reverse(name, args=[batch.pk])).status_code in (403, 404)
    decide = reverse("donations:statement_import_decide", args=[held.pk])
    assert client.post(
        decide, {"action": "accept", "reason": "Tôi không có quyền nhưng vẫn thử"}
    ).status_code in (403, 404)
    assert client.post(decide, {"action": "cancel"}).status_code in (403, 404)
    explain = reverse("donations:balance_gap_explain", args=[gap.pk])
    assert client.post(
        explain, {"explanation": "Giải trình của người không có quyền"}
    ).status_code in (403, 404)
    assert client.post(reverse(UPLOAD), {}).status_code in (403, 404)
    held.refresh_from_db()
    gap.refresh_from_db()
    assert held.status == StatementImport.Status.HELD and gap.is_open
    assert not StatementLine.objects.filter(statement_import=held).exists()


def test_anonymous_visitors_are_sent_to_sign_in(world, held_and_gap):
    held, _, gap = held_and_gap
    client = world.client("anon")
    for url in (
        reverse("donations:statement_import", args=[held.pk]),
        reverse("donations:statement_import_progress", args=[held.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403, 404)
        if response.status_code == 302:
            assert "/dang-nhap/" in response["Location"]
    client.post(reverse("donations:statement_import_decide", args=[held.pk]), {"action": "cancel"})
    client.post(
        reverse("donations:balance_gap_explain", args=[gap.pk]),
        {"explanation": "Giải trình của người lạ"},
    )
    held.refresh_from_db()
    gap.refresh_from_db()
    assert held.status == StatementImport.Status.HELD and gap.is_open


@pytest.mark.parametrize("persona", ["staff", "committee", "treasurer"])
def test_the_office_sees_the_import_and_its_progress(world, held_and_gap, persona):
    held, done, _ = held_and_gap
    client = world.client(persona)
    page = client.get(reverse("donations:statement_import", args=[done.pk]))
    assert page.status_code == 200
    progress = client.get(reverse("donations:statement_import_progress", args=[held.pk]))
    assert progress.status_code == 200
    assert progress.json()["done"] is True
    assert progress.json()["redirect"] == reverse("donations:statement_import", args=[held.pk])


# ------------------------------------------------------------- outside a test transaction


@pytest.mark.django_db(transaction=True)
def test_upload_through_the_page_outside_a_test_transaction(world, books, vcb):
    built = build(CLEAN)
    response, batch = upload(world.client("treasurer"), books.bank, vcb, built.data)
    assert_done_and_summed(batch, built, text_of(response))


@pytest.mark.django_db(transaction=True)
def test_the_worker_holds_a_file_outside_any_transaction(world, books, vcb):
    from django.core.files.base import ContentFile
    from django.db import transaction

    from donations.services import statement_read

    built = build(WITH_GAPS)
    with transaction.atomic():
        batch = StatementImport(
            account=books.bank, layout=vcb, filename="sao-ke.csv", sha256="0" * 64,
            size=len(built.data), imported_by=world.users["treasurer"],
        )  # fmt: skip
        batch.file.save("sao-ke.csv", ContentFile(built.data), save=False)
        batch.save()
    assert batch.status == StatementImport.Status.QUEUED
    assert statement_read(batch).status == StatementImport.Status.HELD


# --------------------------------------------------------------------------- the file's own figures


def csv_bytes(rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def test_a_total_row_that_disagrees_with_the_lines_is_named(world, books, vcb):
    built = build(CLEAN)
    total = next(i for i, row in enumerate(built.rows) if "Tổng cộng" in row)
    built.rows[total][4] = money(built.credit_sum + 1_000, ".")
    response, batch = upload(world.client("treasurer"), books.bank, vcb, csv_bytes(built.rows))
    text = text_of(response)
    assert batch.status == StatementImport.Status.HELD
    assert (
        f"Dòng {total + 1} (dòng cộng của tệp) ghi {vnd(built.credit_sum + 1_000)}, các dòng "
        f"giao dịch cộng lại {vnd(built.credit_sum)}: chênh 1.000 đ." in text
    )
    assert not StatementLine.objects.exists()


def test_a_closing_balance_row_that_disagrees_with_the_lines_is_named(world, books, vcb):
    built = build(CLEAN)
    closing = next(i for i, row in enumerate(built.rows) if "Số dư cuối kỳ" in row)
    last_balance = built.tx_rows[-1][2]
    built.rows[closing][5] = money(last_balance - 5_000, ".")
    response, batch = upload(world.client("treasurer"), books.bank, vcb, csv_bytes(built.rows))
    assert batch.status == StatementImport.Status.HELD
    assert "5.000 đ" in text_of(response)


def test_newest_first_file_with_its_opening_balance_at_the_bottom(world, books, vcb):
    oldest = Tx(1, "FT24200", credit=100_000, desc="Nộp tiền mặt", missing=True)
    built = build([oldest, *CLEAN], descending=True, footer=False)
    rows = [*built.rows, ["", "", "", "", "", money(OPENING, "."), "Số dư đầu kỳ"]]
    response, batch = upload(world.client("treasurer"), books.bank, vcb, csv_bytes(rows))
    assert batch.status == StatementImport.Status.HELD
    assert "có 100.000 đ tiền vào" in text_of(response)


def test_comma_file_with_cents_read_with_dot_layout_says_the_separator_is_wrong(world, books, vcb):
    built = build(CLEAN, thousands=",")
    data = re.sub(r'"(\d{1,3}(?:,\d{3})+)"', r'"\1.00"', built.text).encode("utf-8-sig")
    _, batch = upload(world.client("treasurer"), books.bank, vcb, data)
    assert batch.status == StatementImport.Status.REFUSED
    assert f"dòng {built.row_of(A)}: số tiền “1,500,000.00”" in batch.error
    assert "tách hàng nghìn" in batch.error
    assert not StatementLine.objects.exists()


def test_agribank_amounts_with_cents_go_in(world, books, agri):
    built = build(CLEAN, style="agri")
    data = re.sub(r'"(\d{1,3}(?:,\d{3})+)"', r'"\1.00"', built.text).encode("utf-8")
    assert b"1,500,000.00" in data
    response, batch = upload(world.client("treasurer"), books.bank, agri, data)
    assert_done_and_summed(batch, built, text_of(response))
