"""Text-message gateways: ``send(to, text) -> SendResult``.

One interface, one adapter per provider, picked by the SMS_PROVIDER setting at call time.
A gateway never raises for a refusal or a network error: it says what happened in the
result, and whether trying again may help (``permanent``).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendResult:
    provider_id: str = ""
    error: str = ""
    permanent: bool = False  # trying again cannot help (wrong number, wrong key…)

    @property
    def ok(self) -> bool:
        return not self.error


class Gateway(Protocol):
    name: str

    def send(self, to: str, text: str, *, request_id: str = "") -> SendResult: ...


class ConsoleGateway:
    """Writes the message to the log instead of sending it (development and the demo)."""

    name = "console"

    def send(self, to: str, text: str, *, request_id: str = "") -> SendResult:
        logger.info("SMS to %s: %s", to, text)
        return SendResult(provider_id=f"console-{request_id or uuid.uuid4().hex[:12]}")


class EsmsGateway:
    """eSMS.vn (ViHAT) brand-name customer-care SMS, one request per message.

    Documentation: https://developers.esms.vn/en/esms-api/send-sms-api/send-otp-customer-care-message
    and the table of result codes: https://developers.esms.vn/en/esms-api/table-of-error-codes

    POST a JSON body to ``SendMultipleMessage_V4_post_json/`` with ApiKey, SecretKey,
    Phone, Content, Brandname, SmsType "2" (customer care), IsUnicode "0"/"1", Sandbox
    "0"/"1" and RequestId (eSMS refuses a second request with the same id for 24 hours,
    so a retry after a lost answer does not send twice). The answer is JSON:
    ``CodeResult`` "100" means accepted (``SMSID`` is the provider's message id; delivery
    to the handset is reported later by callback, not used here); any other code is a
    refusal with ``ErrorMessage``.
    """

    name = "esms"
    SMS_TYPE_CUSTOMER_CARE = "2"
    ACCEPTED = "100"
    # Codes that another try cannot fix: 99 number blocked, 101 wrong ApiKey/SecretKey,
    # 102 no price list, 104 brand name unknown, 108 malformed number, 118 unsupported
    # message type. Others (103 balance too low, server errors) may pass later.
    PERMANENT = frozenset({"99", "101", "102", "104", "108", "118"})

    def __init__(
        self,
        *,
        url: str,
        api_key: str,
        secret_key: str,
        brandname: str,
        unicode: bool,
        sandbox: bool = False,
        timeout: int = 10,
    ):
        if not (api_key and secret_key and brandname):
            raise ImproperlyConfigured(
                "SMS_PROVIDER=esms needs SMS_API_KEY, SMS_SECRET_KEY and SMS_BRANDNAME"
            )
        if not url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("SMS_API_URL must be an http(s) address")
        self.url, self.api_key, self.secret_key = url, api_key, secret_key
        self.brandname, self.unicode, self.sandbox, self.timeout = (
            brandname,
            unicode,
            sandbox,
            timeout,
        )

    def payload(self, to: str, text: str, request_id: str) -> dict:
        return {
            "ApiKey": self.api_key,
            "SecretKey": self.secret_key,
            "Phone": to,
            "Content": text,
            "Brandname": self.brandname,
            "SmsType": self.SMS_TYPE_CUSTOMER_CARE,
            "IsUnicode": "1" if self.unicode else "0",
            "Sandbox": "1" if self.sandbox else "0",
            "RequestId": request_id[:50],
        }

    def send(self, to: str, text: str, *, request_id: str = "") -> SendResult:
        body = json.dumps(self.payload(to, text, request_id or uuid.uuid4().hex)).encode()
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked in __init__)
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read(64_000)
        except urllib.error.HTTPError as error:
            return SendResult(error=f"eSMS trả lỗi HTTP {error.code}")
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            return SendResult(error=f"Không kết nối được eSMS: {reason}")
        try:
            answer = json.loads(raw)
            code = str(answer.get("CodeResult", "")).strip()
        except (ValueError, AttributeError):
            return SendResult(error="eSMS trả lời không đọc được")
        if code == self.ACCEPTED:
            return SendResult(provider_id=str(answer.get("SMSID") or "")[:100])
        message = str(answer.get("ErrorMessage") or "").strip()
        return SendResult(
            error=f"eSMS từ chối (mã {code or '?'}){': ' + message if message else ''}"[:500],
            permanent=code in self.PERMANENT,
        )


def sms_gateway() -> Gateway | None:
    """The configured gateway, or None when text messages are off (SMS_PROVIDER=none)."""
    provider = settings.SMS_PROVIDER
    if provider == "console":
        return ConsoleGateway()
    if provider == "esms":
        return EsmsGateway(
            url=settings.SMS_API_URL,
            api_key=settings.SMS_API_KEY,
            secret_key=settings.SMS_SECRET_KEY,
            brandname=settings.SMS_BRANDNAME,
            unicode=not settings.SMS_ASCII,
            sandbox=settings.SMS_SANDBOX,
            timeout=settings.SMS_TIMEOUT,
        )
    return None
