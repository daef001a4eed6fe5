"""A small per-client limit on receipt checks, so that nobody can walk the receipt
numbers and amounts to learn who gave what. Counted in the database (lddh.ward.throttle):
every gunicorn worker and host sees the same count."""

from __future__ import annotations

import datetime

from lddh.ward import throttle

RECEIPT_CHECKS = 20
WINDOW = datetime.timedelta(minutes=10)


def allow(request, scope: str, *, limit: int = RECEIPT_CHECKS, window=WINDOW) -> bool:
    """Count one attempt of this client; False once it made `limit` in the window."""
    return throttle.allow(request, f"public:{scope}", limit=limit, window=window)
