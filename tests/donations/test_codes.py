"""Codes in transfer notes: only the shapes this app prints, so apartment numbers and
bank references are never read as a round or a receipt."""

import pytest

from donations.models import CollectionRound, Receipt
from donations.statements.codes import (
    campaign_code,
    campaign_codes_in,
    campaign_note,
    donor_codes_in,
    donor_note,
    receipt_numbers_in,
    round_codes_in,
)

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


# ---------------------------------------------------------------- donors' personal codes


def test_donor_codes_are_unique_and_checked():
    from donations.models.donors import code_check, donor_code_for

    codes = [donor_code_for(pk) for pk in range(1, 20_001)]
    assert len(set(codes)) == len(codes)
    for code in codes[:500]:
        assert len(code) == 9 and code.startswith("UH")
        assert code_check(code[2:8]) == code[8]
        assert donor_codes_in(f"ck {code} ung ho") == {code}


def test_donor_codes_refuse_typos():
    """One mistyped character or two swapped neighbours is nobody's code (the weighted
    sum modulo 31 misses only 0 typed for Z or Z for 0)."""
    from donations.models.donors import CODE_ALPHABET, donor_code_for

    for pk in (1, 42, 99_999):
        code = donor_code_for(pk)
        for i in range(2, 9):
            for other in CODE_ALPHABET:
                if other == code[i] or {other, code[i]} == {"0", "Z"}:
                    continue
                assert donor_codes_in(code[:i] + other + code[i + 1 :]) == set()
        for i in range(2, 8):
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            if swapped != code and {code[i], code[i + 1]} != {"0", "Z"}:
                assert donor_codes_in(swapped) == set(), swapped


@pytest.mark.parametrize(
    ("template", "found"),
    [
        ("{code}", True),
        ("{lower} ung ho quy", True),
        ("MBVCB.5512.{code}.CT tu 0912", True),
        ("IBFT{code} ung ho", True),
        ("ND {code}", True),
        ("NGUYEN VAN A CHUYEN TIEN {code}", True),
        ("X{code}", False),  # glued to a word that is not a bank's prefix
        ("{code}7", False),  # glued to what follows
        ("{code}A", False),
        ("{short}", False),
    ],
)
def test_donor_code_shapes(template, found):
    from donations.models.donors import donor_code_for

    code = donor_code_for(7)
    note = template.format(code=code, lower=code.lower(), short=code[:-1])
    assert donor_codes_in(note) == ({code} if found else set())


@pytest.mark.django_db
def test_every_new_donor_gets_its_code(world):
    from donations.models import Donor
    from donations.services import donor_create

    donor = donor_create(actor=world.users["staff"], source="individual", name="Trần Thị Bình")
    assert donor.code and Donor.objects.get(pk=donor.pk).code == donor.code
    assert donor_codes_in(donor_note(donor)) == {donor.code}
    assert len(donor_note(donor)) <= 25 and donor_note(donor).isascii()
    plain = Donor.objects.create(source="individual", name="Lê Văn Cường")
    assert Donor.objects.get(pk=plain.pk).code == plain.code != donor.code


# ---------------------------------------------------------------- campaign codes


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("VNN C0003", {("VNN", 3)}),
        ("vnnc0003 ung ho", {("VNN", 3)}),
        ("MBVCB.1.VNN-C0012.CT", {("VNN", 12)}),
        ("QCT C0003", {("QCT", 3)}),
        ("C0003", set()),
        ("VNN R0003", set()),
        ("XVNN C0003", set()),
        ("VNN C003", set()),
        ("VNN C00031", set()),
    ],
)
def test_campaign_codes(note, expected):
    assert campaign_codes_in(note, FUNDS) == expected


@pytest.mark.django_db
def test_campaign_note_is_recognised():
    from tests.factories import CampaignFactory, FundFactory

    campaign, fund = CampaignFactory(), FundFactory()
    assert campaign_codes_in(campaign_note(campaign, fund), FUNDS) == {("VNN", campaign.pk)}
    assert campaign_code(campaign) == f"C{campaign.pk:04d}"
