"""Optional two-factor sign-in with a TOTP app (django-otp).

A person may turn it on for themselves; with TWO_FACTOR_REQUIRED the standing committee
and the treasurer must. Whether a signed-in session still owes a code is decided once,
at sign-in, and kept in the session, so pages cost no extra query.
"""

from __future__ import annotations

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from lddh.ward.access import access_for
from lddh.ward.audit import AuditAction, log_event
from lddh.ward.forms import WardForm
from lddh.ward.roles import Role

SESSION_KEY = "lddh_2fa"  # "verify": enter a code; "setup": must set up a device
REQUIRED_ROLES = (Role.COMMITTEE, Role.TREASURER)
GUARDED_PREFIXES = ("/quan-ly/", "/admin/")


def is_required(user) -> bool:
    required = settings.TWO_FACTOR_REQUIRED
    return bool(required) and access_for(user).has(*REQUIRED_ROLES)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if confirmed_device(user):
        request.session[SESSION_KEY] = "verify"
    elif is_required(user):
        request.session[SESSION_KEY] = "setup"
    else:
        request.session.pop(SESSION_KEY, None)


class TwoFactorMiddleware:
    """Sends a session that still owes a code (or a device) to the page that takes it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if state and request.path.startswith(GUARDED_PREFIXES):
            target = reverse("two_factor_verify" if state == "verify" else "two_factor_setup")
            allowed = {target, reverse("logout")}
            if request.path not in allowed:
                return redirect(f"{target}?next={request.get_full_path()}")
        return self.get_response(request)


class CodeForm(WardForm):
    code = forms.CharField(
        label="Mã 6 chữ số trên ứng dụng xác thực",
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not (code.isdigit() and self.device.verify_token(code)):
            raise forms.ValidationError("Mã không đúng hoặc đã hết hạn; hãy nhập mã mới nhất.")
        return code


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def two_factor_verify(request):
    device = confirmed_device(request.user)
    if device is None or request.session.get(SESSION_KEY) != "verify":
        return redirect("dashboard:home")
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST":
        if form.is_valid():
            otp_login(request, device)
            request.session.pop(SESSION_KEY, None)
            return redirect(_next_url(request, reverse("dashboard:home")))
        with transaction.atomic():
            log_event(actor=request.user, action=AuditAction.AUTH_2FA_FAILED, obj=request.user)
    return render(
        request, "ward/two_factor_verify.html", {"form": form, "next": _next_url(request, "")}
    )


def two_factor_setup(request):
    user = request.user
    device = confirmed_device(user)
    if device is not None:
        return _manage(request, device)
    pending, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Ứng dụng xác thực"}
    )
    form = CodeForm(request.POST or None, device=pending)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            pending.confirmed = True
            pending.save(update_fields=["confirmed"])
            log_event(actor=user, action=AuditAction.AUTH_2FA_ENABLED, obj=user)
        otp_login(request, pending)
        request.session.pop(SESSION_KEY, None)
        messages.success(request, "Đã bật xác thực hai bước cho tài khoản của bạn.")
        return redirect(_next_url(request, reverse("dashboard:home")))
    qr = segno.make(pending.config_url, error="m").svg_inline(scale=4)
    return render(
        request,
        "ward/two_factor_setup.html",
        {
            "form": form,
            "qr": mark_safe(qr),  # segno's own SVG, no user text in it
            "secret": _b32(pending),
            "required": is_required(user),
        },
    )


def _manage(request, device: TOTPDevice):
    """A device is set up: show it, and let the person turn it off with a current code."""
    form = CodeForm(request.POST or None, device=device)
    required = is_required(request.user)
    if request.method == "POST" and not required and form.is_valid():
        with transaction.atomic():
            TOTPDevice.objects.filter(user=request.user).delete()
            log_event(actor=request.user, action=AuditAction.AUTH_2FA_DISABLED, obj=request.user)
        messages.success(request, "Đã tắt xác thực hai bước.")
        return redirect("two_factor_setup")
    return render(request, "ward/two_factor_manage.html", {"form": form, "required": required})


def _b32(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
