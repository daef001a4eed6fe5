"""A small per-client limit on receipt checks, kept in the shared cache, so that nobody
can walk the receipt numbers and amounts to learn who gave what."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

RECEIPT_CHECKS = 20
WINDOW = 600  # seconds


def client_ip(request) -> str:
    """The visitor's address. Behind our reverse proxy (SECURE_PROXY_SSL_HEADER set) the
    proxy appends the address it saw as the last X-Forwarded-For entry; anything before
    it was written by the client and cannot be trusted."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if forwarded:
            return forwarded[-1][:64]
    return request.META.get("REMOTE_ADDR", "")[:64] or "unknown"


def allow(request, scope: str, *, limit: int = RECEIPT_CHECKS, window: int = WINDOW) -> bool:
    """Count one attempt of this client; False once it made more than `limit` in the
    window (the window starts at the client's first attempt)."""
    key = f"public:throttle:{scope}:{client_ip(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit
