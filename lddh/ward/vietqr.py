"""VietQR (NAPAS bank-transfer QR on EMVCo) payloads: build, parse strictly, render as SVG.

Pure Python, no Django. A payload is a string of TLV fields, each ID (2 digits) + length
(2 digits, decimal) + value, ending in field 63: the CRC-16/CCITT-FALSE of everything before
it including "6304", as 4 upper-case hex digits.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import TypedDict

import segno

__all__ = [
    "BANK_BINS",
    "VietQRData",
    "VietQRError",
    "build_payload",
    "crc16_ccitt_false",
    "normalise_note",
    "parse_payload",
    "qr_svg",
]


class VietQRError(ValueError):
    """Invalid VietQR input or payload; the message is Vietnamese, fit to show to a user."""


BANK_BINS: dict[str, str] = {
    "Vietcombank": "970436",
    "VietinBank": "970415",
    "BIDV": "970418",
    "Agribank": "970405",
}

NAPAS_GUID = "A000000727"
SERVICE_ACCOUNT_TRANSFER = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
NOTE_MAX_LEN = 25
AMOUNT_MAX_DIGITS = 13
ACCOUNT_MAX_LEN = 19

_BIN_RE = re.compile(r"[0-9]{6}")
_ACCOUNT_RE = re.compile(r"[0-9A-Za-z]{1,19}")
_AMOUNT_RE = re.compile(r"[1-9][0-9]{0,12}")
_TWO_DIGITS_RE = re.compile(r"[0-9]{2}")
_NOTE_KEEP = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_D_STROKE = str.maketrans({"đ": "d", "Đ": "D"})


def _crc_table() -> tuple[int, ...]:
    """Table for CRC-16 with polynomial 0x1021, MSB first."""
    table = []
    for byte in range(256):
        crc = byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
        table.append(crc & 0xFFFF)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final xor."""
    crc = 0xFFFF
    for byte in data:
        crc = ((crc << 8) & 0xFFFF) ^ _CRC_TABLE[(crc >> 8) ^ byte]
    return crc


def _crc_hex(text: str) -> str:
    """CRC of a payload prefix (UTF-8 bytes) as 4 upper-case hex digits."""
    return f"{crc16_ccitt_false(text.encode('utf-8')):04X}"


def normalise_note(text: str, max_len: int = NOTE_MAX_LEN) -> str:
    """Transfer note that banks keep intact: ASCII letters, digits, single spaces, ≤ max_len.

    Diacritics are dropped ("Ủng hộ" -> "Ung ho", "đ" -> "d"); any other character becomes
    a space; runs of spaces collapse; the result is cut to max_len (put codes first).
    """
    if not isinstance(text, str):
        raise VietQRError("Nội dung chuyển khoản phải là chuỗi ký tự")
    if isinstance(max_len, bool) or not isinstance(max_len, int) or max_len < 1:
        raise VietQRError("Độ dài tối đa của nội dung chuyển khoản phải là số nguyên dương")
    decomposed = unicodedata.normalize("NFD", text.translate(_D_STROKE))
    kept = "".join(
        ch if ch in _NOTE_KEEP else " " for ch in decomposed if not unicodedata.combining(ch)
    )
    return " ".join(kept.split())[:max_len].rstrip()


def _tlv(tag: str, value: str) -> str:
    """One field: ID + 2-digit length + value."""
    if not 1 <= len(value) <= 99:
        raise VietQRError(f"Trường {tag} của mã QR phải dài từ 1 đến 99 ký tự")
    return f"{tag}{len(value):02d}{value}"


def _check_bin(bank_bin: object) -> str:
    if not isinstance(bank_bin, str) or not _BIN_RE.fullmatch(bank_bin):
        raise VietQRError("Mã BIN ngân hàng phải gồm 6 chữ số")
    return bank_bin


def _check_account(account: object) -> str:
    if not isinstance(account, str) or not _ACCOUNT_RE.fullmatch(account):
        raise VietQRError(
            "Số tài khoản phải gồm 1 đến 19 chữ số hoặc chữ cái không dấu, "
            "không có khoảng trắng hay ký tự khác"
        )
    return account


def _check_amount(amount: object) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise VietQRError("Số tiền phải là số nguyên đồng")
    if amount <= 0:
        raise VietQRError("Số tiền phải lớn hơn 0 đồng")
    if len(str(amount)) > AMOUNT_MAX_DIGITS:
        raise VietQRError("Số tiền không được quá 13 chữ số")
    return amount


def build_payload(
    *,
    bin: str,
    account: str,
    amount: int | None = None,
    note: str = "",
) -> str:
    """VietQR payload for a transfer to a bank account (service QRIBFTTA).

    With an amount the QR is dynamic (01="12"), without it static (01="11"). The note is
    passed through normalise_note (≤ 25 characters); field 62 is left out when that
    leaves nothing.
    """
    bank_bin = _check_bin(bin)
    account_no = _check_account(account)
    if amount is not None:
        amount = _check_amount(amount)
    clean_note = normalise_note(note)

    beneficiary = _tlv("00", bank_bin) + _tlv("01", account_no)
    merchant = (
        _tlv("00", NAPAS_GUID) + _tlv("01", beneficiary) + _tlv("02", SERVICE_ACCOUNT_TRANSFER)
    )
    parts = [
        _tlv("00", "01"),
        _tlv("01", "11" if amount is None else "12"),
        _tlv("38", merchant),
        _tlv("53", CURRENCY_VND),
    ]
    if amount is not None:
        parts.append(_tlv("54", str(amount)))
    parts.append(_tlv("58", COUNTRY_VN))
    if clean_note:
        parts.append(_tlv("62", _tlv("08", clean_note)))
    body = "".join(parts) + "6304"
    return body + _crc_hex(body)


class VietQRData(TypedDict):
    """What parse_payload reads from a VietQR payload."""

    bin: str
    account: str
    amount: int | None
    note: str
    static: bool


def _parse_tlv(text: str, prefix: str = "") -> list[tuple[str, str]]:
    """Split a TLV string into (ID, value) pairs; reject any malformed or duplicated field.

    prefix names the enclosing field in messages, e.g. "38." for the fields inside 38.
    """
    fields: list[tuple[str, str]] = []
    seen: set[str] = set()
    pos = 0
    while pos < len(text):
        if len(text) - pos < 4:
            inside = f" trong trường {prefix[:-1]}" if prefix else ""
            raise VietQRError(f"Mã QR sai cấu trúc: dữ liệu bị cắt cụt{inside}")
        tag, length = text[pos : pos + 2], text[pos + 2 : pos + 4]
        if not _TWO_DIGITS_RE.fullmatch(tag):
            raise VietQRError(f"Mã QR sai cấu trúc: mã trường {prefix}{tag!r} không phải 2 chữ số")
        label = prefix + tag
        if not _TWO_DIGITS_RE.fullmatch(length):
            raise VietQRError(f"Mã QR sai cấu trúc: độ dài trường {label} không phải 2 chữ số")
        size = int(length)
        if size == 0:
            raise VietQRError(f"Mã QR sai cấu trúc: trường {label} rỗng")
        start = pos + 4
        if start + size > len(text):
            raise VietQRError(f"Mã QR sai cấu trúc: trường {label} bị cắt cụt")
        if tag in seen:
            raise VietQRError(f"Mã QR sai cấu trúc: trường {label} bị lặp lại")
        seen.add(tag)
        fields.append((tag, text[start : start + size]))
        pos = start + size
    return fields


def _require(fields: dict[str, str], tag: str, label: str, what: str) -> str:
    try:
        return fields[tag]
    except KeyError:
        raise VietQRError(f"Mã QR thiếu trường {label} ({what})") from None


def parse_payload(payload: str) -> VietQRData:
    """Read a VietQR account-transfer payload, checking CRC, structure and every value.

    Fields this module does not use (merchant name, city, …) are allowed if well formed.
    Raises VietQRError, and nothing else, for any malformed input.
    """
    if not isinstance(payload, str):
        raise VietQRError("Mã QR phải là chuỗi ký tự")
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise VietQRError("Mã QR thiếu mã kiểm tra (trường 63) ở cuối")
    try:
        expected = _crc_hex(payload[:-4])
    except UnicodeEncodeError:
        raise VietQRError("Mã QR chứa ký tự không hợp lệ") from None
    if payload[-4:] != expected:
        raise VietQRError("Mã QR bị sai mã kiểm tra (CRC)")

    pairs = _parse_tlv(payload)
    if pairs[0] != ("00", "01"):
        raise VietQRError("Mã QR phải bắt đầu bằng trường 00 có giá trị '01'")
    if pairs[-1][0] != "63":
        raise VietQRError("Mã kiểm tra (trường 63) phải nằm cuối mã QR")
    top = dict(pairs)

    method = _require(top, "01", "01", "phương thức khởi tạo")
    if method not in ("11", "12"):
        raise VietQRError("Phương thức khởi tạo (trường 01) phải là '11' hoặc '12'")

    merchant = dict(_parse_tlv(_require(top, "38", "38", "thông tin tài khoản nhận"), "38."))
    if _require(merchant, "00", "38.00", "mã định danh NAPAS") != NAPAS_GUID:
        raise VietQRError("Mã QR không phải VietQR của NAPAS (trường 38.00)")
    beneficiary = dict(
        _parse_tlv(_require(merchant, "01", "38.01", "ngân hàng và tài khoản"), "38.01.")
    )
    service = _require(merchant, "02", "38.02", "mã dịch vụ")
    if service != SERVICE_ACCOUNT_TRANSFER:
        raise VietQRError("Chỉ hỗ trợ mã QR chuyển khoản đến số tài khoản (QRIBFTTA)")
    bank_bin = _check_bin(_require(beneficiary, "00", "38.01.00", "mã BIN ngân hàng"))
    account = _check_account(_require(beneficiary, "01", "38.01.01", "số tài khoản"))

    if _require(top, "53", "53", "đơn vị tiền tệ") != CURRENCY_VND:
        raise VietQRError("Mã QR không dùng đồng Việt Nam (trường 53 phải là '704')")
    if _require(top, "58", "58", "quốc gia") != COUNTRY_VN:
        raise VietQRError("Mã QR không phải của Việt Nam (trường 58 phải là 'VN')")

    amount: int | None = None
    if "54" in top:
        if not _AMOUNT_RE.fullmatch(top["54"]):
            raise VietQRError("Số tiền trong mã QR (trường 54) phải là số nguyên đồng dương")
        amount = int(top["54"])

    note = ""
    if "62" in top:
        note = dict(_parse_tlv(top["62"], "62.")).get("08", "")

    return {
        "bin": bank_bin,
        "account": account,
        "amount": amount,
        "note": note,
        "static": method == "11",
    }


def qr_svg(payload: str, *, scale: int = 4, title: str = "") -> str:
    """Inline SVG (no XML declaration, with xmlns) of a valid VietQR payload, error level M."""
    parse_payload(payload)
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 1:
        raise VietQRError("Tỷ lệ phóng to mã QR phải là số nguyên dương")
    qr = segno.make_qr(payload, error="m", boost_error=False)
    out = io.BytesIO()
    qr.save(
        out,
        kind="svg",
        xmldecl=False,
        svgns=True,
        nl=False,
        scale=scale,
        title=title or None,
        encoding="utf-8",
    )
    return out.getvalue().decode("utf-8")
