"""What a provider's delivery becomes before it is stored, and how one is refused."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

MAX_BODY = 64 * 1024
"""A delivery is one transaction of a few hundred bytes; anything larger is refused
before it is read (413)."""

MAX_AMOUNT = 10**13
"""A bound on any amount read from a delivery, balance included: 10.000 tỷ đồng, a
hundred times the largest single donation the books take. Larger numbers are a
provider's or a forger's error (and beyond 2^63 would overflow the integer columns)."""


class FeedMalformed(Exception):
    """The body is not the provider's documented payload (answered 400, logged)."""


@dataclass(frozen=True, slots=True)
class FeedTransaction:
    """One bank transaction as a provider reports it.

    ``provider_id`` is the provider's own id of the transaction (what makes a retry a
    retry); ``bank_reference`` is the bank's reference of the transfer, the value a
    statement of the same account carries in its transaction-id column, so the line is
    one line whichever way it arrives."""

    provider_id: str
    date: datetime.date
    credit: int
    debit: int
    description: str
    bank_reference: str
    account_number: str
    balance: int | None
    test: bool = False  # a provider's "send a test" delivery: logged, never stored

    @property
    def transaction_id(self) -> str:
        """The line's transaction id: the bank's reference, or the provider's id when the
        bank gave none (such a line cannot meet its statement twin, and says so)."""
        return self.bank_reference or f"{self.provider_id}"


def load_json(body: bytes) -> dict:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        # RecursionError: arrays nested thousands deep fit in MAX_BODY; Casso's signature
        # is checked on the parsed body, so this is reached before any authentication.
        raise FeedMalformed("Nội dung không phải JSON hợp lệ.") from None
    if not isinstance(data, dict):
        raise FeedMalformed("Nội dung JSON không phải một đối tượng.")
    return data


def parse_date(value) -> datetime.date:
    """'2024-10-03 15:06:37' (the providers' local time) → its day."""
    text = str(value or "").strip()
    for shape in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.datetime.strptime(text[:19], shape).date()
        except ValueError:
            continue
    raise FeedMalformed(f"Ngày giao dịch không đọc được: {text[:40]!r}.")


def whole_dong(value, field: str) -> int:
    """An amount in đồng: an integer (or an integral float/string), never a fraction."""
    if isinstance(value, bool):
        raise FeedMalformed(f"Số tiền {field} không hợp lệ.")
    number = None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
        digits = value.strip()
        number = int(digits) if len(digits) <= 20 else MAX_AMOUNT + 1
    if number is None:
        raise FeedMalformed(f"Số tiền {field} không hợp lệ: {str(value)[:30]!r}.")
    if abs(number) > MAX_AMOUNT:
        raise FeedMalformed(f"Số tiền {field} quá lớn.")
    return number


def transaction_key(value, field: str) -> str:
    """The provider's id of a transaction: a whole number or a short string, nothing
    else (a float, a list or an object would make ids that look alike but differ)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value.strip() and len(value.strip()) <= 100:
        return " ".join(value.split())
    raise FeedMalformed(f"Mã giao dịch ({field}) không hợp lệ.")


def text(value, limit: int) -> str:
    return "" if value is None else " ".join(str(value).split())[:limit]
