"""Sign-in records and throttling.

Every sign-in, failure, lock-out and sign-out is an AuditEvent, so a person can review
their recent sign-ins and a supervisor can see attacks. Counting failures in the
database (not a per-process cache) makes the lock-out hold across every gunicorn
worker and host.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from lddh.ward.audit import AuditAction
from lddh.ward.models import AuditEvent
from lddh.ward.text import normalise
from lddh.ward.throttle import claim, client_address, forget

LOGIN, FAILED, LOCKED, LOGOUT = (
    AuditAction.AUTH_LOGIN,
    AuditAction.AUTH_LOGIN_FAILED,
    AuditAction.AUTH_LOCKED,
    AuditAction.AUTH_LOGOUT,
)


def limits() -> tuple[int, int, datetime.timedelta]:
    """(failures of one username from one address, failures from one address, window)."""
    return (
        settings.LOGIN_FAILURES_PER_USER,
        settings.LOGIN_FAILURES_PER_ADDRESS,
        datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES),
    )


def slowdown() -> tuple[int, int]:
    """(failures of a username from anywhere before it is slowed down, longest delay s)."""
    return (
        settings.LOGIN_SLOWDOWN_AFTER,
        settings.LOGIN_SLOWDOWN_MAX_SECONDS,
    )


def _username_key(username: str | None) -> str:
    return normalise(username or "")[:64]


@dataclass(frozen=True)
class Refusal:
    """Why an attempt is refused before its password is even checked, and for how long."""

    seconds: int
    locked: bool  # True: this address is locked out; False: the username is slowed down


def _wait(since: datetime.datetime, length: datetime.timedelta, now) -> int:
    return max(1, math.ceil((since + length - now).total_seconds()))


def refusal(username: str | None, address: str) -> Refusal | None:
    """None when this username may be tried from this address now.

    - One address that failed LOGIN_FAILURES_PER_USER times with one username in the
      window is locked out for that username; one that failed LOGIN_FAILURES_PER_ADDRESS
      times with any usernames is locked out for all. Nobody else is: five wrong
      passwords from a stranger's device do not lock the owner out of the office.
    - A username that failed LOGIN_SLOWDOWN_AFTER times from anywhere is slowed down:
      an address that already failed with it waits a delay that doubles with every
      further failure (at most LOGIN_SLOWDOWN_MAX_SECONDS) after its own last failure.
      An address that has not failed with it is never slowed down, so the right
      password from the office still works during an attack.
    """
    per_user, per_address, window = limits()
    now = timezone.now()
    recent = AuditEvent.objects.filter(
        action=FAILED, object_type="auth.user", at__gt=now - window
    ).order_by("-at")
    key = _username_key(username)
    mine = list(recent.filter(object_id=key, object_repr=address).values_list("at", flat=True))
    if len(mine) >= per_user:
        return Refusal(_wait(mine[per_user - 1], window, now), locked=True)
    if address:
        from_address = recent.filter(object_repr=address).values_list("at", flat=True)
        times = list(from_address[:per_address])
        if len(times) >= per_address:
            return Refusal(_wait(times[-1], window, now), locked=True)
    if not mine:
        return None
    after, longest = slowdown()
    failures = recent.filter(object_id=key).count()
    if failures < after:
        return None
    delay = min(2 ** min(failures - after, 30), longest)
    if mine[0] + datetime.timedelta(seconds=delay) > now:
        return Refusal(_wait(mine[0], datetime.timedelta(seconds=delay), now), locked=False)
    return None


def is_locked_out(username: str | None, address: str) -> bool:
    return refusal(username, address) is not None


ATTEMPTS = "signin"


def _attempt_key(username: str | None, address: str) -> str:
    return f"{_username_key(username)}|{address}"


def claim_attempt(username: str | None, address: str) -> bool:
    """Hold one of the pair's LOGIN_FAILURES_PER_USER tries before the password is
    checked; False when they are all taken.

    refusal() counts failures already recorded, so a burst of requests sent together
    would all pass it before any failure is written. The tries are claimed in the
    database first (lddh.ward.throttle.claim), which bounds a burst across every worker.
    A successful sign-in gives the pair's tries back."""
    per_user, _, window = limits()
    return claim(ATTEMPTS, _attempt_key(username, address), limit=per_user, window=window)


def _record(action: AuditAction, *, user=None, username: str = "", request=None) -> None:
    agent = request.META.get("HTTP_USER_AGENT", "")[:200] if request is not None else ""
    with transaction.atomic():
        AuditEvent.objects.create(
            actor=user,
            actor_name=user.get_username() if user else "",
            action=action.value,
            object_type="auth.user",
            object_id=str(user.pk) if user else _username_key(username),
            object_repr=client_address(request),
            note=agent,
        )


def record_lockout(username: str, request) -> None:
    _record(LOCKED, username=username, request=request)


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs):
    if request is not None:
        forget(ATTEMPTS, _attempt_key(user.get_username(), client_address(request)))
        _tell_failures_since_last_sign_in(request, user)
    _record(LOGIN, user=user, request=request)


def failures_since_last_sign_in(user) -> tuple[int, list[str]]:
    """(how many, from which addresses): failed attempts with the person's username since
    their previous sign-in (all that are recorded, before a first sign-in)."""
    failures = AuditEvent.objects.filter(
        action=FAILED, object_type="auth.user", object_id=_username_key(user.get_username())
    )
    last = AuditEvent.objects.filter(action=LOGIN, actor=user).order_by("-at").values("at").first()
    if last is not None:
        failures = failures.filter(at__gt=last["at"])
    count = failures.count()
    if not count:
        return 0, []
    addresses = failures.order_by().values_list("object_repr", flat=True).distinct()
    return count, sorted(a or "không rõ" for a in addresses[: MAX_ADDRESSES_SHOWN + 1])


MAX_ADDRESSES_SHOWN = 5


def _tell_failures_since_last_sign_in(request, user) -> None:
    from django.contrib import messages

    count, addresses = failures_since_last_sign_in(user)
    if not count:
        return
    shown = ", ".join(addresses[:MAX_ADDRESSES_SHOWN])
    if len(addresses) > MAX_ADDRESSES_SHOWN:
        shown += " và các địa chỉ khác"
    messages.warning(
        request,
        f"{count} lần đăng nhập sai từ {shown} kể từ lần đăng nhập trước. Nếu không phải "
        "bạn, hãy đổi mật khẩu và báo cán bộ Mặt trận phường (xem Lịch sử đăng nhập).",
        fail_silently=True,
    )


@receiver(user_login_failed)
def _on_failure(sender, credentials, request=None, **kwargs):
    _record(FAILED, username=credentials.get("username", ""), request=request)


@receiver(user_logged_out)
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        _record(LOGOUT, user=user, request=request)


def recent_sign_ins(user, limit: int = 30):
    """The person's own sign-ins and the failed attempts made with their username."""
    from django.db.models import Q

    return AuditEvent.objects.filter(
        Q(action__in=[LOGIN, LOGOUT], actor=user)
        | Q(action__in=[FAILED, LOCKED], object_id=_username_key(user.get_username()))
    ).order_by("-at", "-pk")[:limit]
