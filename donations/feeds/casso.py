"""Casso webhooks (version 2), as Casso documents them.

Sources (read when this adapter was written):

- https://developer.casso.vn/webhook/thiet-lap-webhook-thu-cong (manual webhook set-up,
  stable v2; English: https://developer.casso.vn/english-v2-new/webhook/thiet-lap-webhook-thu-cong):
  Casso POSTs each new transaction, money in or out, to the Webhook URL, which must be a
  public address; the "Key bảo mật" (checksum key) entered there is what the signature
  is made with; "Gọi thử" sends a test transaction (id 0); the endpoint answers with a
  2xx; Casso retries failures and the receiver deduplicates on the transaction id.
- https://developer.casso.vn/webhook/xu-ly-su-kien-webhook (handling webhook events) and
  Casso's published verification sample: the body is
  ``{"error": 0, "data": {"id", "reference", "description", "amount", "runningBalance",
  "transactionDateTime", "accountNumber", "bankName", "bankAbbreviation",
  "virtualAccountNumber", "virtualAccountName", "counterAccountName",
  "counterAccountNumber", "counterAccountBankId", "counterAccountBankName"}}``; money
  out has a negative ``amount``; ``reference`` is the bank's reference.
- The signature header is ``X-Casso-Signature: t=<timestamp in ms>,v1=<hex>``: hex is
  HMAC-SHA512(checksum key, "<t>.<JSON>") where JSON is the whole body with the keys of
  every object sorted, written without spaces (``sortObjDataByKey`` then
  ``JSON.stringify``). Checked against the sample's own vector (key, header and body),
  which ``tests/donations/test_feed.py`` keeps. Casso documents no timestamp tolerance,
  so none is applied: a replayed delivery is harmless, it adds nothing (idempotent on id).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import re

from donations.feeds.base import (
    FeedMalformed,
    FeedTransaction,
    load_json,
    parse_date,
    text,
    transaction_key,
    whole_dong,
)

SIGNATURE_HEADER = "X-Casso-Signature"
_HEADER = re.compile(r"^t=(\d{1,16}),v1=([0-9a-fA-F]{128})$")


def _sorted(value):
    """Objects with their keys sorted, all the way down (Casso's sortObjDataByKey)."""
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    return value


def canonical(data: dict) -> str:
    """The body as Casso signs it: sorted keys, no spaces, text as JavaScript writes it."""
    return json.dumps(_sorted(data), separators=(",", ":"), ensure_ascii=False)


def _signature(key: str, timestamp: str, data: dict) -> str:
    message = f"{timestamp}.{canonical(data)}".encode()
    return hmac.new(key.encode("utf-8"), message, hashlib.sha512).hexdigest()


def verify(*, auth: str, keys: list[str], headers, body: bytes, now: datetime.datetime) -> str:
    """'' when the request is Casso's, else why not. A body that is not JSON cannot be
    checked: FeedMalformed (400)."""
    found = _HEADER.match(headers.get(SIGNATURE_HEADER, "").strip())
    if not found:
        return f"Thiếu hoặc sai dạng tiêu đề {SIGNATURE_HEADER} (t=…,v1=…)."
    data = load_json(body)
    timestamp, presented = found.group(1), found.group(2).lower().encode("ascii")
    ok = False
    for key in keys:
        ok |= hmac.compare_digest(presented, _signature(key, timestamp, data).encode("ascii"))
    return "" if ok else "Chữ ký HMAC-SHA512 không đúng."


def sign(*, auth: str, secret: str, body: bytes, now: datetime.datetime) -> dict[str, str]:
    timestamp = str(int(now.timestamp() * 1000))
    signature = _signature(secret, timestamp, json.loads(body))
    return {"Content-Type": "application/json", SIGNATURE_HEADER: f"t={timestamp},v1={signature}"}


def parse(body: bytes) -> FeedTransaction:
    envelope = load_json(body)
    data = envelope.get("data")
    if not isinstance(data, dict):
        raise FeedMalformed("Thiếu đối tượng “data”.")
    if data.get("id") in (None, ""):
        raise FeedMalformed("Thiếu mã giao dịch (data.id).")
    amount = whole_dong(data.get("amount"), "amount")
    if amount == 0:
        raise FeedMalformed("Số tiền bằng 0.")
    balance = data.get("runningBalance")
    return FeedTransaction(
        provider_id=transaction_key(data.get("id"), "data.id"),
        date=parse_date(data.get("transactionDateTime")),
        credit=amount if amount > 0 else 0,
        debit=-amount if amount < 0 else 0,
        description=text(data.get("description"), 1000),
        bank_reference=text(data.get("reference"), 100),
        account_number=text(data.get("accountNumber"), 30),
        balance=whole_dong(balance, "runningBalance") if balance not in (None, "") else None,
        test=str(data.get("id")) == "0",
    )


def payload(
    *, id: int, amount: int, content: str, when: datetime.datetime, reference: str,
    account_number: str, incoming: bool = True, balance: int = 0, payer: str = "",
) -> dict:  # fmt: skip
    """A delivery as Casso shapes it (the simulator and the tests)."""
    return {
        "error": 0,
        "data": {
            "id": id,
            "reference": reference,
            "description": content,
            "amount": amount if incoming else -amount,
            "runningBalance": balance,
            "transactionDateTime": when.strftime("%Y-%m-%d %H:%M:%S"),
            "accountNumber": account_number,
            "bankName": "Vietcombank",
            "bankAbbreviation": "VCB",
            "virtualAccountNumber": "",
            "virtualAccountName": "",
            "counterAccountName": payer,
            "counterAccountNumber": "",
            "counterAccountBankId": "",
            "counterAccountBankName": "",
        },
    }
