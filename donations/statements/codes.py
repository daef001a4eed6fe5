"""Codes a payer writes in a transfer note, found anywhere in a bank's description.

Only the exact shapes this app prints are recognised:

- a receipt number ``<series>-<year>-<6 digits>`` (``Receipt.format_number``), also with
  the dashes dropped or turned into dots or spaces (VNN2024000123, VNN.2024.000123);
- a round code as the round's transfer note prints it: the fund code, then
  ``R`` and the round number in at least four digits (``VNN R0042``,
  ``CollectionRound.transfer_note``), also glued (VNNR0042) or joined by a dash or dot.

A code may be glued to a prefix only when the prefix is one the banks are known to glue
(IBFTVNN-2024-000123, MBVCBVNNR0042). A bare ``R51118`` (an apartment of Royal City) or
``P R1203`` is never a round code: the fund code in front of it is what makes it ours.
Banks add their own prefixes and suffixes and change case, so a code is searched inside
the text, never compared with the whole text."""

from __future__ import annotations

import re
from collections.abc import Iterable

from donations.models.rounds import ROUND_CODE_PREFIX

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


def _issued_round_number(digits: str) -> bool:
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
        if _issued_round_number(match.group(1))
    }


def receipt_numbers_in(description: str, series: Iterable[str]) -> set[str]:
    """Receipt numbers (VNN-2024-000123, also VNN2024000123 or IBFTVNN-2024-000123)."""
    codes = _alternatives(series)
    if codes is None:
        return set()
    pattern = re.compile(rf"(?<![A-Z0-9]){_PREFIX}({codes}){_SEP}(20\d\d){_SEP}(\d{{6}})(?![0-9])")
    text = _ascii_upper(description)
    return {f"{m.group(1)}-{m.group(2)}-{m.group(3)}" for m in pattern.finditer(text)}
