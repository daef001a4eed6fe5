"""Vietnamese-aware text keys: search that ignores diacritics and case."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalise(text: str | None) -> str:
    """'  Nguyễn Văn  Ân ' → 'nguyen van an' (đ → d, marks removed, spaces folded)."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


def digits(text: str | None) -> str:
    """Only the digits of a phone number or tax code: '0912 345-678' → '0912345678'."""
    return "".join(ch for ch in (text or "") if ch.isdigit())
