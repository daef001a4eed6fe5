"""Codes in transfer notes: only the shapes this app prints, so apartment numbers and
bank references are never read as a round or a receipt."""

import pytest

from donations.models import CollectionRound, Receipt
from donations.statements.codes import receipt_numbers_in, round_codes_in

FUNDS = ["VNN", "QCT"]
SERIES = [*FUNDS, "HTTT"]


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("VNN R0042", {"R0042"}),
        ("vnn r0042 to 7 nop tien", {"R0042"}),
        ("VNNR0042", {"R0042"}),
        ("VNN-R0042", {"R0042"}),
        ("MBVCB.77.vnn r0042.CT tu 0912", {"R0042"}),
        ("IBFTVNNR0042 ung ho", {"R0042"}),
        ("VNN R12345", {"R12345"}),
        ("VNN R0042 VNN R0043", {"R0042", "R0043"}),
        ("Đợt thu VNN R0042", {"R0042"}),
        # apartments, shop codes, bank references: never a round
        ("R51118 Royal City ung ho", set()),
        ("P R1203 TAM TRINH", set()),
        ("CAN HO R2-1508 TIMES CITY", set()),
        ("R0042", set()),
        ("CTR0042 TR0042 R00421234567", set()),
        ("XVNN R0042", set()),
        ("VNN R012345", set()),  # printed codes never pad beyond four digits
        ("VNN R004", set()),
        ("VNN R00421", set()),
        ("", set()),
    ],
)
def test_round_codes(note, expected):
    assert round_codes_in(note, FUNDS) == expected


def test_round_codes_need_a_fund_code():
    assert round_codes_in("VNN R0042", []) == set()


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("VNN-2024-000123", {"VNN-2024-000123"}),
        ("MBVCB.5512.vnn-2024-000123.CT tu", {"VNN-2024-000123"}),
        ("IBFTVNN2024000123 ung ho", {"VNN-2024-000123"}),
        ("IBFTVNN-2024-000123", {"VNN-2024-000123"}),
        ("VNN.2024.000123", {"VNN-2024-000123"}),
        ("HTTT-2024-000007 ho tro truc tiep", {"HTTT-2024-000007"}),
        ("ABC-2024-000123", set()),
        ("XYZVNN-2024-000123", set()),  # glued to a word that is not a bank's prefix
        ("VNN-2024-0001234", set()),
        ("VNN-1999-000123", set()),
        ("FT24253123456789", set()),
        ("R51118 Royal City", set()),
    ],
)
def test_receipt_numbers(note, expected):
    assert receipt_numbers_in(note, SERIES) == expected


def test_the_shapes_the_app_prints_are_recognised():
    number = Receipt.format_number("VNN", 2024, 123)
    assert receipt_numbers_in(f"ung ho {number}", SERIES) == {number}
    code = CollectionRound.format_code(42)
    assert round_codes_in(f"VNN {code}", FUNDS) == {code}
    assert round_codes_in(f"VNN {CollectionRound.format_code(51118)}", FUNDS) == {"R51118"}
