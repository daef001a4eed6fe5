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


# --------------------------------------------------------------------------- typed input

# Invisible characters that change how text is shown or compared but never what it
# means: every format character (Unicode category Cf: bidirectional embeddings,
# overrides and isolates, direction marks, zero-width spaces and joiners, word joiners,
# the byte-order mark, soft hyphens). Pasted from Word, Excel or a phone, or planted to
# make a name display differently from how it sorts and searches.
# C0 and C1 control characters, except the tab and the line breaks of a textarea.
_CONTROLS = {*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)} - {0x09, 0x0A, 0x0D}
_REMOVE = dict.fromkeys(_CONTROLS)
NUL = "\x00"


def clean_input(text: str) -> str:
    """What the application keeps of typed or imported text: NFC (one code point per
    Vietnamese letter, so "Nguyễn" typed on any keyboard is one string), without control
    characters and bidirectional or zero-width marks. Tabs and line breaks stay. A NUL is
    removed here too; at the door (lddh.ward.input) a request carrying one is refused."""
    if not text:
        return text
    if text.isascii() and text.isprintable():
        return text
    kept = "".join(ch for ch in text.translate(_REMOVE) if unicodedata.category(ch) != "Cf")
    return unicodedata.normalize("NFC", kept)


# --------------------------------------------------------------------------- identifiers

_PHONE_CHARS = re.compile(r"\+?[0-9 .\-()]+")


def check_phone(text: str, label: str = "Điện thoại") -> str:
    """A Vietnamese phone number as typed (spaces, dots, dashes allowed): 10 or 11 digits
    starting with 0 (or +84 / 84 instead of the 0), or a 1800 / 1900 number of 8 to 10
    digits. Returns the text with its spaces folded; raises ValueError with a message that
    names the field."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    wrong = (
        f"{label}: “{text}” không phải số điện thoại. Nhập 10 hoặc 11 chữ số, bắt đầu "
        "bằng 0 hoặc +84 (ví dụ 0912 345 678, 024 3976 1234)."
    )
    if not _PHONE_CHARS.fullmatch(text):
        raise ValueError(wrong)
    number = digits(text)
    if text.startswith("+") and not number.startswith("84"):
        raise ValueError(wrong)
    if number.startswith("84") and len(number) in (11, 12):
        number = "0" + number[2:]
    if number.startswith("0") and len(number) in (10, 11):
        return text
    if number[:4] in ("1800", "1900") and 8 <= len(number) <= 10:
        return text
    raise ValueError(wrong)


_TAX_CODE = re.compile(r"(\d{10})(?:-?(\d{3}))?", re.ASCII)


def check_tax_code(text: str, label: str = "Mã số thuế") -> str:
    """A tax code: 10 digits, or 10 digits, a dash and 3 digits for a branch
    ("0101234567-001"; typed without the dash it is written with it). Spaces and dots
    are ignored."""
    text = "".join((text or "").split()).replace(".", "")
    if not text:
        return ""
    match = _TAX_CODE.fullmatch(text)
    if match is None:
        raise ValueError(
            f"{label}: “{text}” không hợp lệ. Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, "
            "dấu gạch và 3 chữ số của đơn vị phụ thuộc (ví dụ 0101234567-001)."
        )
    return f"{match[1]}-{match[2]}" if match[2] else match[1]


def check_cccd(text: str, label: str = "Số CCCD") -> str:
    """A citizen identity card number (CCCD): exactly 12 digits; spaces and dots ignored."""
    text = "".join((text or "").split()).replace(".", "")
    if text and not (len(text) == 12 and text.isascii() and text.isdigit()):
        raise ValueError(f"{label}: phải gồm đúng 12 chữ số (đang có “{text}”).")
    return text
