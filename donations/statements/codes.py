"""Codes a payer writes in a transfer note, found anywhere in a bank's description.

Only the exact shapes this app prints are recognised:

- a receipt number ``<series>-<year>-<6 digits>`` (``Receipt.format_number``), also with
  the dashes dropped or turned into dots or spaces (VNN2024000123, VNN.2024.000123);
- a round code as the round's transfer note prints it: the fund code, then
  ``R`` and the round number in at least four digits (``VNN R0042``,
  ``CollectionRound.transfer_note``), also glued (VNNR0042) or joined by a dash or dot.

- a donor's personal code (``Donor.code``): ``UH``, six characters of Crockford's base 32
  and a check character (UH7K3M9QX, ``donor_code_for``), standing alone: never glued to a
  letter or a digit after it, and never one whose check character is wrong (a mistyped
  code is nobody's, so a typo never credits another donor);
- a campaign code as its transfer note prints it (``campaign_note``): the fund code, then
  ``C`` and the campaign's number in at least four digits (``VNN C0003``), also glued
  (VNNC0003) or joined by a dash or dot, like a round code;
- a pledge code as its transfer note prints it (``Pledge.transfer_note``): the fund code,
  then ``P`` and the pledge's number in at least four digits (``VNN P0007``), also glued
  (VNNP0007) or joined by a dash or dot. A bare ``P1234`` is never a pledge code.

A code may be glued to a prefix only when the prefix is one the banks are known to glue
(IBFTVNN-2024-000123, MBVCBVNNR0042). A bare ``R51118`` (an apartment of Royal City) or
``P R1203`` is never a round code: the fund code in front of it is what makes it ours.
Banks add their own prefixes and suffixes and change case, so a code is searched inside
the text, never compared with the whole text."""

from __future__ import annotations

import re
from collections.abc import Iterable

from donations.models.donors import (
    CODE_ALPHABET,
    DONOR_CODE_BODY,
    DONOR_CODE_PREFIX,
    code_check,
)
from donations.models.pledges import PLEDGE_CODE_PREFIX
from donations.models.rounds import ROUND_CODE_PREFIX

CAMPAIGN_CODE_PREFIX = "C"

# Words banks glue in front of what the payer typed.
BANK_PREFIXES = ("IBFT", "MBVCB", "IBVCB", "ND", "CK", "CT", "QR", "TT", "NOIDUNG")
_PREFIX = "(?:" + "|".join(BANK_PREFIXES) + ")?"
_SEP = r"[-. _]?"


def _ascii_upper(text: str) -> str:
    from lddh.ward.text import normalise

    return normalise(text).upper()


def _alternatives(codes: Iterable[str]) -> str | None:
    cleaned = sorted({c.strip().upper() for c in codes if c and c.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    return "|".join(re.escape(code) for code in cleaned)


def _issued_number(digits: str) -> bool:
    """R + the number with at least four digits: R0042, R12345, never R012345."""
    return len(digits) == 4 or (len(digits) > 4 and digits[0] != "0")


def round_codes_in(description: str, fund_codes: Iterable[str] = ()) -> set[str]:
    """Round codes (R0042) written after a fund code, as the round's transfer note says."""
    funds = _alternatives(fund_codes)
    if funds is None:
        return set()
    pattern = re.compile(
        rf"(?<![A-Z0-9]){_PREFIX}(?:{funds}){_SEP}{ROUND_CODE_PREFIX}(\d{{4,7}})(?![0-9])"
    )
    text = _ascii_upper(description)
    return {
        f"{ROUND_CODE_PREFIX}{int(match.group(1)):04d}"
        for match in pattern.finditer(text)
        if _issued_number(match.group(1))
    }


def receipt_numbers_in(description: str, series: Iterable[str]) -> set[str]:
    """Receipt numbers (VNN-2024-000123, also VNN2024000123 or IBFTVNN-2024-000123)."""
    codes = _alternatives(series)
    if codes is None:
        return set()
    pattern = re.compile(rf"(?<![A-Z0-9]){_PREFIX}({codes}){_SEP}(20\d\d){_SEP}(\d{{6}})(?![0-9])")
    text = _ascii_upper(description)
    return {f"{m.group(1)}-{m.group(2)}-{m.group(3)}" for m in pattern.finditer(text)}


_DONOR_CODE = re.compile(
    rf"(?<![A-Z0-9]){_PREFIX}{DONOR_CODE_PREFIX}([{CODE_ALPHABET}]{{{DONOR_CODE_BODY}}})"
    rf"([{CODE_ALPHABET}])(?![A-Z0-9])"
)


def donor_codes_in(description: str) -> set[str]:
    """Donors' personal codes (UH7K3M9QX), only with a right check character."""
    text = _ascii_upper(description)
    return {
        f"{DONOR_CODE_PREFIX}{m.group(1)}{m.group(2)}"
        for m in _DONOR_CODE.finditer(text)
        if code_check(m.group(1)) == m.group(2)
    }


def donor_note(donor) -> str:
    """The transfer note a donor types (or their personal VietQR carries): their code
    and two words, ASCII, well under the 25 characters of a VietQR note."""
    return f"{donor.code} UNG HO"


def campaign_code(campaign) -> str:
    """A campaign's code: C and its number in at least four digits (C0003)."""
    return f"{CAMPAIGN_CODE_PREFIX}{campaign.pk:04d}"


def campaign_note(campaign, fund) -> str:
    """What a payer writes to give to a campaign: fund code and campaign code (VNN C0003)."""
    return f"{fund.code} {campaign_code(campaign)}"


def campaign_codes_in(description: str, fund_codes: Iterable[str] = ()) -> set[tuple[str, int]]:
    """(fund code, campaign number) for each campaign code written after a fund code."""
    funds = _alternatives(fund_codes)
    if funds is None:
        return set()
    pattern = re.compile(
        rf"(?<![A-Z0-9]){_PREFIX}({funds}){_SEP}{CAMPAIGN_CODE_PREFIX}(\d{{4,7}})(?![0-9])"
    )
    text = _ascii_upper(description)
    return {
        (match.group(1), int(match.group(2)))
        for match in pattern.finditer(text)
        if _issued_number(match.group(2))
    }


def pledge_codes_in(description: str, fund_codes: Iterable[str] = ()) -> set[tuple[str, int]]:
    """(fund code, pledge number) for each pledge code written after a fund code."""
    funds = _alternatives(fund_codes)
    if funds is None:
        return set()
    pattern = re.compile(
        rf"(?<![A-Z0-9]){_PREFIX}({funds}){_SEP}{PLEDGE_CODE_PREFIX}(\d{{4,7}})(?![0-9])"
    )
    text = _ascii_upper(description)
    return {
        (match.group(1), int(match.group(2)))
        for match in pattern.finditer(text)
        if _issued_number(match.group(2))
    }
