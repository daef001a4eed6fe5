"""SePay webhooks, as SePay documents them.

Sources (read when this adapter was written):

- https://developer.sepay.vn/en/sepay-webhooks (overview): an HTTP POST with the
  transaction's JSON to the configured URL for money in, money out or both; four ways to
  authenticate (HMAC-SHA256, API key, OAuth 2.0, none); automatic retries, up to 7 times
  at Fibonacci intervals (1, 1, 2, 3, 5, 8, 13 minutes: about 33 minutes in all) when the
  endpoint fails; delivery logs and manual re-sending in SePay's dashboard.
- https://developer.sepay.vn/en/sepay-webhooks/bat-dau-nhanh (quick start): the server
  answers ``{"success": true}``; SePay counts an HTTP 200 or 201 with that body as
  delivered, anything else (or no answer in time: integrations cite 5 seconds) as failed.
- https://developer.sepay.vn/en/sepay-webhooks/tich-hop-webhook and the API pages of
  https://developer.sepay.vn/vi/sepay-oauth2/api-webhook: the payload —
  ``id`` (SePay's transaction id: the key of idempotency), ``gateway`` (bank),
  ``transactionDate`` ("2023-03-25 14:02:37"), ``accountNumber``, ``code`` (a payment code
  SePay recognised, or null), ``content`` (the transfer note), ``transferType``
  ("in"/"out"), ``transferAmount`` (always positive), ``accumulated`` (balance),
  ``subAccount``, ``referenceCode`` (the bank's reference, e.g. "MBVCB.3278907687"),
  ``description`` (the bank's full text).
- https://developer.sepay.vn/en/sepay-webhooks/xac-thuc (authentication): with API key
  SePay sends ``Authorization: Apikey <key>`` and the server compares the part after
  "Apikey " with its key in constant time (401 otherwise). With HMAC-SHA256 SePay signs
  each request with the webhook's secret key (shown as ``whsec_…`` by its API).
- https://developer.sepay.vn/en/sepay-webhooks/bao-mat (security): HMAC requests carry
  ``X-SePay-Timestamp``; reject a timestamp more than 5 minutes from the server's clock
  (replays); deduplicate on the transaction id; check amount and account.

The signature: ``X-SePay-Signature: sha256=<hex>`` where hex is HMAC-SHA256(secret,
"<X-SePay-Timestamp>.<raw body>"), the timestamp in Unix seconds. The stored copy of the
authentication page did not let us read its HMAC section in full: the header names and the
five-minute rule are SePay's own words, the string signed and the ``sha256=`` prefix are
what integrations written against that page do. A bare hex value is accepted too. Before
going live, send a test from SePay's dashboard and read this feed's log: a refused
signature shows there with its reason.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac

from donations.feeds.base import (
    FeedMalformed,
    FeedTransaction,
    load_json,
    parse_date,
    text,
    transaction_key,
    whole_dong,
)

SIGNATURE_HEADER = "X-SePay-Signature"
TIMESTAMP_HEADER = "X-SePay-Timestamp"
TOLERANCE = datetime.timedelta(minutes=5)


def _signature(secret: str, timestamp: str, body: bytes) -> str:
    message = timestamp.encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify(*, auth: str, keys: list[str], headers, body: bytes, now: datetime.datetime) -> str:
    """'' when the request is SePay's, else why not (for the log; never a key)."""
    if auth == "api_key":
        given = headers.get("Authorization", "")
        if not given.startswith("Apikey "):
            return "Thiếu tiêu đề Authorization: Apikey …"
        presented = given[len("Apikey ") :].strip().encode("utf-8")
        ok = False
        for key in keys:  # every key compared, so the time says nothing of which matched
            ok |= hmac.compare_digest(presented, key.encode("utf-8"))
        return "" if ok else "Khóa API không đúng."
    signature = headers.get(SIGNATURE_HEADER, "").strip()
    timestamp = headers.get(TIMESTAMP_HEADER, "").strip()
    if not signature or not timestamp:
        return f"Thiếu tiêu đề {SIGNATURE_HEADER} hoặc {TIMESTAMP_HEADER}."
    if not timestamp.isdigit() or len(timestamp) > 12:
        return "Dấu thời gian không hợp lệ."
    sent = datetime.datetime.fromtimestamp(int(timestamp), tz=datetime.UTC)
    if abs(now - sent) > TOLERANCE:
        return "Dấu thời gian lệch quá 5 phút (có thể là gửi lại một yêu cầu cũ)."
    presented = signature.removeprefix("sha256=").strip().lower().encode("ascii", "replace")
    ok = False
    for key in keys:
        ok |= hmac.compare_digest(presented, _signature(key, timestamp, body).encode("ascii"))
    return "" if ok else "Chữ ký HMAC không đúng."


def sign(*, auth: str, secret: str, body: bytes, now: datetime.datetime) -> dict[str, str]:
    """The headers SePay would send with ``body`` (the simulator and the tests)."""
    headers = {"Content-Type": "application/json"}
    if auth == "api_key":
        headers["Authorization"] = f"Apikey {secret}"
        return headers
    timestamp = str(int(now.timestamp()))
    headers[TIMESTAMP_HEADER] = timestamp
    headers[SIGNATURE_HEADER] = f"sha256={_signature(secret, timestamp, body)}"
    return headers


def parse(body: bytes) -> FeedTransaction:
    data = load_json(body)
    if data.get("id") in (None, ""):
        raise FeedMalformed("Thiếu mã giao dịch (id).")
    kind = str(data.get("transferType", "")).lower()
    if kind not in ("in", "out"):
        raise FeedMalformed("transferType phải là “in” hoặc “out”.")
    amount = whole_dong(data.get("transferAmount"), "transferAmount")
    if amount <= 0:
        raise FeedMalformed("transferAmount phải lớn hơn 0.")
    balance = data.get("accumulated")
    note = text(data.get("content"), 1000) or text(data.get("description"), 1000)
    return FeedTransaction(
        provider_id=transaction_key(data.get("id"), "id"),
        date=parse_date(data.get("transactionDate")),
        credit=amount if kind == "in" else 0,
        debit=amount if kind == "out" else 0,
        description=note,
        bank_reference=text(data.get("referenceCode"), 100),
        account_number=text(data.get("accountNumber"), 30),
        balance=whole_dong(balance, "accumulated") if balance not in (None, "") else None,
    )


def payload(
    *, id: int, amount: int, content: str, when: datetime.datetime, reference: str,
    account_number: str, incoming: bool = True, balance: int = 0, gateway: str = "Vietcombank",
) -> dict:  # fmt: skip
    """A delivery as SePay shapes it (the simulator and the tests)."""
    return {
        "id": id,
        "gateway": gateway,
        "transactionDate": when.strftime("%Y-%m-%d %H:%M:%S"),
        "accountNumber": account_number,
        "code": None,
        "content": content,
        "transferType": "in" if incoming else "out",
        "transferAmount": amount,
        "accumulated": balance,
        "subAccount": None,
        "referenceCode": reference,
        "description": f"BankAPINotify {content}",
    }
