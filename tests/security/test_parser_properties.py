"""Property tests: the import parsers fed arbitrary, malformed input
(random bytes, random cells, wrong headers, huge numbers, odd unicode, 31/02) answer with
our own errors and Vietnamese messages, never with another exception."""

from __future__ import annotations

import csv
import datetime
import io
import math
from types import SimpleNamespace
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from donations import imports as round_imports
from donations import services
from donations.models import StatementLine
from donations.services.rounds import LineInput
from donations.statements import FileRefused, parse_statement, read_rows
from households import imports

GENERIC = SimpleNamespace(
    name="Mẫu chung",
    header_row=1,
    date_column="Ngày",
    reference_column="Số tham chiếu",
    credit_column="Ghi có",
    debit_column="Ghi nợ",
    balance_column="Số dư",
    description_column="Nội dung",
    date_format="%d/%m/%Y",
    thousands_separator=".",
)
HEADER = ["Ngày", "Số tham chiếu", "Ghi nợ", "Ghi có", "Số dư", "Nội dung"]
VIETNAMESE = set("ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")
DB_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Odd text: every plane of unicode, combining marks, digits of other scripts, RTL marks.
odd_text = st.text(max_size=30) | st.sampled_from(
    ["31/02/2024", "00/00/0000", "29/02/2023", "2024-13-01", "١٢/١٠/٢٠٢٤", "²³", "\u202e12", "-"]
)
huge = st.integers(min_value=-(10**40), max_value=10**40)
cell = st.one_of(
    st.none(),
    odd_text,
    huge,
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.integers(min_value=0, max_value=10**9).map(lambda n: f"{n:,}".replace(",", ".")),
    st.sampled_from(["1.500.000", "1,500,000.00", "(200.000)", "-50.000 VND", "9" * 5000]),
)


def is_vietnamese(message: str) -> bool:
    return bool(message) and any(ch in VIETNAMESE for ch in message.lower())


def _csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append([_storable(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _storable(value):
    """What a spreadsheet cell can hold (Excel has no infinity, no 10^40 integer)."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**15:
        return str(value)
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n")  # XML forbids the rest
    return value


# --------------------------------------------------------------------------- statements


@given(st.binary(max_size=2000))
@settings(max_examples=300, deadline=None)
def test_any_bytes_are_read_or_refused(data):
    try:
        rows = read_rows(data)
    except FileRefused as refused:
        assert is_vietnamese(refused.message)
    else:
        assert rows and all(isinstance(row, list) for row in rows)


@given(st.binary(min_size=4, max_size=600))
@settings(max_examples=150, deadline=None)
def test_a_damaged_zip_or_xlsx_is_refused(tail):
    for head in (b"PK\x03\x04", _xlsx([HEADER])[:200]):
        with pytest.raises(FileRefused):
            read_rows(head + tail)


@given(
    header=st.lists(odd_text, max_size=8) | st.just(HEADER),
    rows=st.lists(st.lists(cell, max_size=8), max_size=12),
)
@settings(max_examples=400, deadline=None)
def test_any_cells_parse_to_lines_or_a_clear_refusal(header, rows):
    try:
        result = parse_statement([header, *rows], GENERIC)
    except FileRefused as refused:
        assert is_vietnamese(refused.message)
    else:
        # Every row is accounted for: a line or a skipped row with its reason.
        assert len(result.lines) + len(result.skipped) == 1 + len(rows)
        assert all(skipped.reason for skipped in result.skipped)
        for line in result.lines:
            assert isinstance(line.date, datetime.date)
            assert line.credit >= 0 and line.debit >= 0 and (line.credit or line.debit)
            # Fits the database (a bigint) and is a believable amount of money.
            assert max(line.credit, line.debit, abs(line.balance or 0)) < 10**15


@given(rows=st.lists(st.lists(cell, min_size=6, max_size=6), min_size=1, max_size=8))
@settings(max_examples=150, deadline=None)
def test_any_statement_file_parses_or_is_refused(rows):
    for data in (_csv([HEADER, *rows]), _xlsx([HEADER, *rows])):
        try:
            parse_statement(read_rows(data), GENERIC)
        except FileRefused as refused:
            assert is_vietnamese(refused.message)


@pytest.mark.django_db
@given(rows=st.lists(st.lists(cell, min_size=6, max_size=6), min_size=1, max_size=6))
@DB_SETTINGS
def test_the_import_service_stores_or_refuses_with_a_statement_error(world, rows):
    from donations.models import Account, BankLayout

    account, _ = Account.objects.get_or_create(name="TK thử", defaults={"kind": Account.Kind.BANK})
    layout = BankLayout.objects.get(name__startswith="Mẫu chung")
    before = StatementLine.objects.count()
    try:
        result = services.statement_import(
            actor=world.users["staff"],
            account=account,
            layout=layout,
            data=_csv([HEADER, *rows]),
            filename="x.csv",
        )
    except services.StatementError as error:
        assert is_vietnamese(" ".join(error.messages))
        assert StatementLine.objects.count() == before
    else:
        assert StatementLine.objects.count() == before + result.new_count


def test_the_31st_of_february_names_the_row():
    with pytest.raises(FileRefused) as refused:
        parse_statement([HEADER, ["31/02/2024", "", "", "100.000", "", "UNG HO"]], GENERIC)
    assert "dòng 2" in refused.value.message and "31/02/2024" in refused.value.message


def test_an_amount_too_large_for_the_books_is_refused():
    with pytest.raises(FileRefused) as refused:
        parse_statement([HEADER, ["20/10/2024", "", "", "9" * 30, "", "UNG HO"]], GENERIC)
    assert "dòng 2" in refused.value.message


def test_an_infinite_number_cell_is_refused_not_a_crash():
    rows = [HEADER, ["20/10/2024", float("inf"), "", float("inf"), "", "UNG HO"]]
    with pytest.raises(FileRefused):
        parse_statement(rows, GENERIC)


# --------------------------------------------------------------------------- round lists

ROUND_HEADER = ["STT", "Họ và tên", "Địa chỉ", "Điện thoại", "Số tiền (đồng)", "Ghi chú"]


@given(st.binary(max_size=1500))
@settings(max_examples=200, deadline=None)
def test_a_round_list_of_any_bytes_is_read_or_refused(data):
    try:
        lines = round_imports.lines_from_file(data)
    except FileRefused as refused:
        assert is_vietnamese(refused.message)
    else:
        assert all(isinstance(line, LineInput) for line in lines)


@given(
    header=st.lists(odd_text, max_size=7) | st.just(ROUND_HEADER),
    rows=st.lists(st.lists(cell, max_size=7), max_size=10),
)
@settings(max_examples=300, deadline=None)
def test_a_round_list_of_any_cells_is_read_or_refused(header, rows):
    """Cells as a workbook gives them, infinities and NaN of a crafted file included."""
    with mock.patch.object(round_imports, "read_rows", return_value=[header, *rows]):
        try:
            lines = round_imports.lines_from_file(b"ignored")
        except FileRefused as refused:
            assert is_vietnamese(refused.message)
        else:
            assert all(isinstance(line.amount_text, str) for line in lines)


@pytest.mark.django_db
@given(rows=st.lists(st.lists(cell, min_size=6, max_size=6), min_size=1, max_size=6))
@DB_SETTINGS
def test_a_round_grid_of_any_cells_is_saved_and_checked_or_refused(world, rows):
    """The grid (typed or uploaded) through the services: saved lines, then the check
    lists each bad line with a Vietnamese message; nothing else is raised."""
    from tests.factories import make_round

    staff = world.users["staff"]
    try:
        lines = round_imports.lines_from_file(_xlsx([ROUND_HEADER, *rows]))
    except FileRefused as refused:
        assert is_vietnamese(refused.message)
        return
    round = make_round(actor=staff, group=world.groups[1])
    try:
        round = services.round_save_lines(actor=staff, round=round, lines=lines)
    except services.DonationError as error:
        assert is_vietnamese(" ".join(error.messages))
        return
    check = services.round_check(round)
    for message in check.first_errors():
        assert is_vietnamese(message)


# --------------------------------------------------------------------------- the register

REGISTER_HEADER = [column.title for column in imports.COLUMNS]


@pytest.mark.django_db
@given(st.binary(max_size=1500))
@DB_SETTINGS
def test_a_register_file_of_any_bytes_gives_a_file_error(world, data):
    preview = imports.read_file(data)
    assert not preview.ok
    assert all(is_vietnamese(message) for message in preview.file_errors)


@pytest.mark.django_db
@given(
    header=st.lists(odd_text, max_size=8) | st.just(REGISTER_HEADER),
    rows=st.lists(st.lists(cell, max_size=len(REGISTER_HEADER)), max_size=8),
)
@DB_SETTINGS
def test_a_register_file_of_any_cells_gives_row_errors_not_a_crash(world, header, rows):
    preview = imports.read_file(_xlsx([header, *rows]))
    for message in preview.file_errors:
        assert is_vietnamese(message)
    for row in preview.rows:
        assert row.status in ("new", "existing", "error")
        for message in row.errors:
            assert is_vietnamese(message) or "“" in message


@pytest.mark.django_db
@given(values=st.fixed_dictionaries({c.key: cell for c in imports.COLUMNS}))
@DB_SETTINGS
def test_a_register_row_of_any_cell_values_is_checked(world, values):
    """Cell by cell, as openpyxl hands them over (a crafted file may hold inf or NaN)."""
    groups = {g.number: g for g in world.groups.values()}
    row = imports._check_row(imports.ImportRow(line=2, values=values), groups)
    assert row.status in ("new", "existing", "error")
    if row.status != "error":
        assert 1900 <= row.data["head_birth_year"] <= datetime.date.today().year


def _damaged_sheet(workbook_bytes: bytes) -> bytes:
    """A workbook that opens but whose sheet breaks off in the middle."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(workbook_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data[: len(data) // 2]
            target.writestr(item, data)
    return out.getvalue()


@pytest.mark.django_db
def test_a_register_file_broken_in_the_middle_gives_a_file_error(world):
    rows = [REGISTER_HEADER, *[["3", f"Nguyễn Văn {n}", 1950, "Số 1"] for n in range(50)]]
    preview = imports.read_file(_damaged_sheet(_xlsx(rows)))
    assert not preview.ok
    assert all(is_vietnamese(message) for message in preview.file_errors)


def test_a_round_list_broken_in_the_middle_is_refused():
    rows = [ROUND_HEADER, *[[n, f"Người {n}", "", "", 100_000, ""] for n in range(50)]]
    with pytest.raises(FileRefused) as refused:
        round_imports.lines_from_file(_damaged_sheet(_xlsx(rows)))
    assert is_vietnamese(refused.value.message)
