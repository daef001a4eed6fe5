"""Sign-in records and throttling.

Every sign-in, failure, lock-out and sign-out is an AuditEvent, so a person can review
their recent sign-ins and a supervisor can see attacks. Counting failures in the
database (not a per-process cache) makes the lock-out hold across every gunicorn
worker and host.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from lddh.ward.audit import AuditAction
from lddh.ward.models import AuditEvent
from lddh.ward.text import normalise

LOGIN, FAILED, LOCKED, LOGOUT = (
    AuditAction.AUTH_LOGIN,
    AuditAction.AUTH_LOGIN_FAILED,
    AuditAction.AUTH_LOCKED,
    AuditAction.AUTH_LOGOUT,
)


def limits() -> tuple[int, int, datetime.timedelta]:
    """(failures per username, failures per address, window): settings, with defaults."""
    return (
        getattr(settings, "LOGIN_FAILURES_PER_USER", 5),
        getattr(settings, "LOGIN_FAILURES_PER_ADDRESS", 30),
        datetime.timedelta(minutes=getattr(settings, "LOGIN_LOCKOUT_MINUTES", 15)),
    )


def client_address(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "")[:45] if request is not None else ""


def _username_key(username: str | None) -> str:
    return normalise(username or "")[:64]


def is_locked_out(username: str | None, address: str) -> bool:
    per_user, per_address, window = limits()
    recent = AuditEvent.objects.filter(action=FAILED, at__gte=timezone.now() - window)
    if recent.filter(object_id=_username_key(username)).count() >= per_user:
        return True
    return bool(address) and recent.filter(object_repr=address).count() >= per_address


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
    _record(LOGIN, user=user, request=request)


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
