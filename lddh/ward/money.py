"""Money as whole đồng: formatting, parsing user input, and the amount in words.

Pure Python on purpose (no Django import): forms, templates, PDFs and exports all use it,
and it must be testable without settings. The rules of the amount in words: docs/domain.md §7.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "MAX_AMOUNT",
    "MoneyError",
    "amount_in_words",
    "format_dong",
    "format_number",
    "parse_dong",
]

MAX_AMOUNT = 999_999_999_999_999
"""Largest amount we accept or read in words (999.999 tỷ đồng and change)."""

NBSP = "\u00a0"
"""No-break space between the figure and "đ", so "1.500.000 đ" never wraps apart."""


class MoneyError(ValueError):
    """An amount the user typed (or a caller passed) is not acceptable.

    ``message`` is Vietnamese and safe to show to the user as is; ``code`` is a short
    stable identifier (``empty``, ``invalid``, ``negative``, ``fraction``, ``grouping``,
    ``mixed``, ``shorthand``, ``too_large``) for form error codes and tests.
    """

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


_MSG_EMPTY = "Chưa nhập số tiền"
_MSG_INVALID = "Số tiền không hợp lệ: chỉ nhập chữ số, ví dụ 1.500.000"
_MSG_NEGATIVE = "Số tiền không hợp lệ: số tiền không được là số âm"
_MSG_FRACTION = (
    "Số tiền không hợp lệ: tiền đồng không có phần thập phân; dấu chấm hoặc dấu phẩy "
    "chỉ dùng để tách nhóm ba chữ số, ví dụ 1.500.000"
)
_MSG_GROUPING = (
    "Số tiền không hợp lệ: chữ số phải được tách thành từng nhóm ba chữ số, ví dụ 1.500.000"
)
_MSG_SHORTHAND = (
    "Số tiền không hợp lệ: hãy gõ đủ chữ số, ví dụ 1.500.000 thay cho “1,5 triệu” hoặc “1tr5”"
)
_SHORTHAND_RE = re.compile(
    r"\d\s*(?:tỷ|ty|triệu|trieu|tr|nghìn|nghin|ngàn|ngan|k|m)\b|\d(?:tr|k)\d"
)
_MSG_MIXED = (
    "Số tiền không hợp lệ: chỉ dùng một loại dấu tách hàng nghìn (dấu chấm, dấu phẩy "
    "hoặc dấu cách), ví dụ 1.500.000"
)


def _too_large(max_amount: int) -> MoneyError:
    return MoneyError(f"Số tiền quá lớn: tối đa {format_dong(max_amount)}", "too_large")


def _require_int(n: object) -> int:
    # bool is an int subclass, but True is never an amount of money.
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"amount must be an int number of đồng, not {type(n).__name__}")
    return n


# --------------------------------------------------------------------------- formatting


def format_number(n: int) -> str:
    """Group thousands with ".": 1500000 -> "1.500.000", -1500000 -> "-1.500.000"."""
    n = _require_int(n)
    return f"{n:,}".replace(",", ".")


def format_dong(n: int | None) -> str:
    """Format an amount for display: "1.500.000 đ" (no-break space before "đ"); None -> ""."""
    if n is None:
        return ""
    return f"{format_number(n)}{NBSP}đ"


# --------------------------------------------------------------------------- parsing

# Matched on lower-cased NFC text; longer spellings first so "đồng" is not read as "đ".
_SUFFIX_RE = re.compile(r"\s*(?:đồng|dong|vnđ|vnd|đ|₫)\s*\Z")
_BODY_RE = re.compile(r"[0-9., ]+")
_SEPARATOR_RE = re.compile(r"[., ]")
_MINUS_SIGNS = ("-", "\u2212", "\u2013")  # hyphen-minus, minus sign, en dash


def _check_range(value: int, max_amount: int) -> int:
    if value < 0:
        raise MoneyError(_MSG_NEGATIVE, "negative")
    if value > max_amount:
        raise _too_large(max_amount)
    return value


def _digits_of(body: str) -> str:
    """Return the digits of ``body`` after checking its thousands separators."""
    separators = _SEPARATOR_RE.findall(body)
    if not separators:
        return body
    groups = _SEPARATOR_RE.split(body)
    last = separators[-1]
    looks_decimal = last in ".," and 1 <= len(groups[-1]) <= 2
    if len(set(separators)) > 1:
        # "1.500.000,00" / "1,500,000.50": a decimal part after thousands separators.
        if looks_decimal and last not in separators[:-1]:
            raise MoneyError(_MSG_FRACTION, "fraction")
        raise MoneyError(_MSG_MIXED, "mixed")
    if "" in groups or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
        if looks_decimal and len(groups) == 2:  # "1.5", "1,5", "15.00"
            raise MoneyError(_MSG_FRACTION, "fraction")
        raise MoneyError(_MSG_GROUPING, "grouping")
    return "".join(groups)


def parse_dong(text: str | int, *, max_amount: int = MAX_AMOUNT) -> int:
    """Parse an amount of whole đồng typed by a user; raise MoneyError with the reason.

    Accepts "1500000", "1.500.000", "1,500,000", "1 500 000" (also with no-break spaces),
    optionally followed by "đ", "₫", "đồng", "VND", "VNĐ" (any case). Separators must be of
    one kind and split the digits into groups of three. Returns an int in 0..max_amount;
    whether 0 is acceptable is the caller's decision. An int is validated and returned.
    """
    if isinstance(text, bool) or not isinstance(text, (str, int)):
        raise TypeError(f"amount must be str or int, not {type(text).__name__}")
    if isinstance(text, int):
        return _check_range(text, max_amount)

    # \s also matches no-break and thin spaces; NFC so a decomposed "đồng" still matches.
    cleaned = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().lower()
    if not cleaned:
        raise MoneyError(_MSG_EMPTY, "empty")
    body = _SUFFIX_RE.sub("", cleaned)
    if body.startswith(_MINUS_SIGNS):
        raise MoneyError(_MSG_NEGATIVE, "negative")
    if not _BODY_RE.fullmatch(body):
        if _SHORTHAND_RE.search(body):
            raise MoneyError(_MSG_SHORTHAND, "shorthand")
        raise MoneyError(_MSG_INVALID, "invalid")

    digits = _digits_of(body)
    # Compare lengths first: int() of a very long string is slow or refused outright.
    if len(digits.lstrip("0")) > len(str(max_amount)):
        raise _too_large(max_amount)
    return _check_range(int(digits), max_amount)


# --------------------------------------------------------------------------- in words

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_SCALES = ("", "nghìn", "triệu")  # below tỷ; tỷ itself is handled by _words
_BILLION = 1_000_000_000


def _group_words(value: int, *, first: bool) -> list[str]:
    """Read one group of three digits (1..999).

    ``first`` is the leftmost group of the whole amount: only there is a zero hundreds
    digit left unread (15 -> "mười lăm", but 1.015 -> "một nghìn không trăm mười lăm").
    """
    hundreds, tens, units = value // 100, value // 10 % 10, value % 10
    words: list[str] = []
    if hundreds or not first:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("lẻ")
            words.append(_DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 4 and tens >= 2:
        words.append("tư")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return words


def _words(n: int, *, first: bool = True) -> list[str]:
    """Read 1..MAX_AMOUNT as words; ``first`` is False for the part after "tỷ"."""
    if n >= _BILLION:
        # Above 999 tỷ this gives "nghìn tỷ": the count of tỷ is read as a number.
        billions = [*_words(n // _BILLION, first=first), "tỷ"]
        remainder = n % _BILLION
        return billions + _words(remainder, first=False) if remainder else billions
    words: list[str] = []
    for scale_index in range(len(_SCALES) - 1, -1, -1):
        group = n // 1000**scale_index % 1000
        if group == 0:
            continue  # a group of 000 is skipped
        words += _group_words(group, first=first)
        if _SCALES[scale_index]:
            words.append(_SCALES[scale_index])
        first = False
    return words


def amount_in_words(n: int) -> str:
    """The amount in words for "Bằng chữ": 2015000 -> "Hai triệu không trăm mười lăm nghìn đồng".

    Raises MoneyError for a negative amount or one above MAX_AMOUNT.
    """
    n = _check_range(_require_int(n), MAX_AMOUNT)
    text = " ".join([*(_words(n) if n else ["không"]), "đồng"])
    return text[0].upper() + text[1:]


@dataclass(frozen=True)
class Amount:
    """An amount as a person checks it before confirming: in figures and in words."""

    label: str
    amount: int

    @property
    def figure(self) -> str:
        return format_dong(self.amount)

    @property
    def words(self) -> str:
        return amount_in_words(self.amount)
