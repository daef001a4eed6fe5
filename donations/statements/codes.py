"""Codes a payer writes in a transfer note, found anywhere in a bank's description.

Banks add their own prefixes and suffixes ("MBVCB.5512.VNN R0042.CT tu 0123..."), glue
words together or drop dashes, so a code is searched inside the text, case-insensitively,
never compared with the whole text (DOMAIN.md §7)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from donations.models.rounds import ROUND_CODE_PREFIX

_ROUND_RE = re.compile(rf"(?<![0-9]){ROUND_CODE_PREFIX}(\d{{4,7}})(?![0-9])")
_RECEIPT_RE = re.compile(r"([A-Z]{1,20})[-. _]?(20\d\d)[-. _]?(\d{6})(?![0-9])")


def _ascii_upper(text: str) -> str:
    from lddh.ward.text import normalise

    return normalise(text).upper()


def round_codes_in(description: str, fund_codes: Iterable[str] = ()) -> set[str]:
    """Round codes (R0042) in a description. The R must start a word, or follow a fund
    code glued to it (VNNR0042)."""
    text = _ascii_upper(description)
    codes = tuple(fund_codes)
    found = set()
    for match in _ROUND_RE.finditer(text):
        before = text[: match.start()]
        if before and before[-1].isalpha() and not any(before.endswith(c) for c in codes):
            continue
        found.add(f"{ROUND_CODE_PREFIX}{int(match.group(1)):04d}")
    return found


def receipt_numbers_in(description: str, series: Iterable[str]) -> set[str]:
    """Receipt numbers (VNN-2024-000123, also VNN2024000123 or IBFTVNN-2024-000123)."""
    text = _ascii_upper(description)
    codes = tuple(series)
    found = set()
    for match in _RECEIPT_RE.finditer(text):
        letters = match.group(1)
        for code in codes:
            if letters.endswith(code):
                found.add(f"{code}-{match.group(2)}-{match.group(3)}")
    return found
