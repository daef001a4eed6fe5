"""Who the client is, and limits on what one client may try, counted in the database.

Behind the reverse proxy every request comes from the proxy's own address, so the
client's address is read from X-Forwarded-For, but only as far as the hops the proxies
named in TRUSTED_PROXIES appended: the rest of that header is written by the client.
Counts live in the database (ThrottleHit, sign-in failures as AuditEvents), so a limit
holds across every gunicorn worker and host, with or without a shared cache.
"""

from __future__ import annotations

import datetime
import ipaddress

from django.conf import settings
from django.utils import timezone

from lddh.ward.models import ThrottleHit

ADDRESS_LENGTH = 45  # the longest textual IPv6 address


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(p, strict=False) for p in settings.TRUSTED_PROXIES]


def _is_trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request) -> str:
    """The address of the person's device.

    REMOTE_ADDR, unless it is a trusted proxy: then X-Forwarded-For is read from the
    right (each proxy appends the address it saw) and the first hop that is not itself
    a trusted proxy is the client. A client that writes its own X-Forwarded-For only
    adds entries to the left of the one our proxy appends, so it cannot choose its
    address."""
    if request is None:
        return ""
    remote = (request.META.get("REMOTE_ADDR") or "").strip()
    networks = _networks()
    if not networks or not _is_trusted(remote, networks):
        return remote[:ADDRESS_LENGTH]
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    address = remote
    for hop in reversed(hops):
        address = hop
        if not _is_trusted(hop, networks):
            break
    return address[:ADDRESS_LENGTH]


def allow(request, scope: str, *, limit: int, window: datetime.timedelta) -> bool:
    """Count one attempt of this client; False once it made `limit` in the last window."""
    return claim(scope, client_address(request) or "unknown", limit=limit, window=window)


def claim(scope: str, key: str, *, limit: int, window: datetime.timedelta) -> bool:
    """Store one attempt under `key`; False (and nothing stored) once `limit` are stored
    in the last window.

    The count is read again after the attempt is stored, so that requests racing each
    other in several workers never let more than `limit` through: each sees the others'
    rows. A refused attempt is not stored, so a flood adds no rows."""
    now = timezone.now()
    recent = ThrottleHit.objects.filter(scope=scope, key=key, at__gt=now - window)
    if recent.count() >= limit:
        return False
    ThrottleHit.objects.filter(scope=scope, at__lte=now - window).delete()
    ThrottleHit.objects.create(scope=scope, key=key[:200], at=now)
    return recent.count() <= limit


def forget(scope: str, key: str) -> None:
    """Drop the attempts stored under `key` (a success ends what they counted)."""
    ThrottleHit.objects.filter(scope=scope, key=key).delete()
