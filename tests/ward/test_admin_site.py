"""The admin site speaks Vietnamese on every page an administrator can open, looks like
the app, and shows only what an administrator manages."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from donations.models import (
    Message,
    ReceiptCounter,
    ReceiptPrint,
    SignedChainHead,
    StatementImport,
    StatementLine,
)
from households.models import HandoverCounter
from lddh.supervision.models import Inspection, Sample
from lddh.ward.audit import AuditAction
from lddh.ward.models import AuditEvent
from tests.public.conftest import Ward

# Words of Django's and its packages' English screens, as they would show when a string
# has no Vietnamese translation, and names of the machinery that must not show.
ENGLISH = [
    "Add",
    "Change",
    "Delete",
    "Save",
    "Search",
    "History",
    "Filter",
    "Home",
    "View site",
    "View",
    "Log out",
    "Welcome",
    "Password",
    "Username",
    "Permissions",
    "Groups",
    "Model",
    "Models",
    "Skip to main content",
    "Show counts",
    "Hide counts",
    "Enabled",
    "Disabled",
    "Hold down",
    "Command",
    "Control",
    "Raw passwords",
    "Reset password",
    "Toggle theme",
    "Recent actions",
    "My actions",
    "None available",
    "TOTP",
    "OTP",
    "Otp_Totp",
    "device",
    "devices",
    "Task",
    "Django",
    "administration",
    "Select",
    "to change",
    "Yes",
    "No",
    "Unknown",
    "All",
    "Any date",
    "Today",
    "Go",
    "selected",
    "Action",
    "Run",
    "results",
    "Close",
    "chain head",
    "Counter",
    "Sequence",
    "Campaign",
    "Donation",
    "Receipt",
    "Household",
    "Whether",
    "DifficultyReason",
    "Sign",
    "Single",
    "Identity",
    "Timestamps",
    "Configuration",
    "Throttling",
    "Ward",
    "superuser",
]
# A field name or a key of stored JSON (head_name, group_number) shown as it is.
IDENTIFIER = r"[a-z]+_[a-z_]+"
ENGLISH_PATTERN = re.compile(
    r"(?<![\w-])(" + "|".join([*map(re.escape, ENGLISH), IDENTIFIER]) + r")(?![\w-])"
)

UNREGISTERED = [
    Group,
    DBTaskResult,
    ReceiptCounter,
    ReceiptPrint,
    SignedChainHead,
    StatementImport,
    StatementLine,
    Message,
    HandoverCounter,
    Inspection,
    Sample,
    AuditEvent,
]


def visible_text(html: str) -> str:
    """What a person reads: the text, the titles and the button labels, not the markup."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    attributes = " ".join(
        re.findall(r'(?:title|placeholder|aria-label)="([^"]*)"', html)
        + re.findall(r'<input[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"', html)
    )
    text = re.sub(r"(?s)<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", f"{text} {attributes}")


def english_in(html: str) -> list[str]:
    text = visible_text(html)
    return [text[max(m.start() - 40, 0) : m.end() + 40] for m in ENGLISH_PATTERN.finditer(text)]


def _admin_urls() -> list[str]:
    """The index, each app's page, and each registered model's list, add, first object's
    page and its history, as far as the admin offers them."""
    urls = ["/admin/", "/admin/password_change/"]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse("admin:app_list", args=[opts.app_label]))
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            for view in ("change", "history", "delete"):
                name = f"admin:{opts.app_label}_{opts.model_name}_{view}"
                urls.append(reverse(name, args=[first.pk]))
    return list(dict.fromkeys(urls))


@pytest.fixture
def root_client(world, client, django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    Ward(world)  # money in and out, households, receipts, ledger entries
    root = django_user_model.objects.create_superuser("root", password="x" * 12)
    # A device of another person (root's own would send the test to the code step).
    TOTPDevice.objects.create(user=world.users["supervisor"], name="Điện thoại", confirmed=True)
    client.force_login(root)
    return client


def test_every_admin_page_is_in_vietnamese(root_client):
    opened = 0
    for url in _admin_urls():
        response = root_client.get(url)
        if response.status_code == 403:  # a read-only record: no add, change or delete
            continue
        assert response.status_code == 200, url
        assert english_in(response.content.decode()) == [], url
        opened += 1
    assert opened > 40


def test_the_list_of_english_words_catches_django_s_own_strings():
    found = english_in("<a>Add</a> <button>Log out</button> <p>TOTP devices</p>")
    assert len(found) == 4  # Add, Log out, TOTP, devices
    assert len(english_in('<input type="submit" value="Save"> <td>{"head_name": 1}</td>')) == 2
    assert english_in("<p>Thêm tài khoản, quỹ Vì người nghèo</p>") == []


def test_the_machinery_is_not_in_the_admin(root_client):
    index = root_client.get("/admin/").content.decode()
    for model in UNREGISTERED:
        assert not admin.site.is_registered(model), model
        opts = model._meta
        assert f"/admin/{opts.app_label}/{opts.model_name}/" not in index
        assert root_client.get(f"/admin/{opts.app_label}/{opts.model_name}/").status_code == 404
    for hidden in ("Task", "bộ đếm", "Nhóm", "nhật ký thao tác", "mã kiểm tra sổ quỹ"):
        assert hidden not in visible_text(index), hidden


def test_two_step_devices_are_named_in_vietnamese_and_removable(root_client, world):
    device = TOTPDevice.objects.create(user=world.users["staff"], name="Máy cũ", confirmed=True)
    index = visible_text(root_client.get("/admin/").content.decode())
    assert "Xác thực hai bước" in index and "Thiết bị xác thực hai bước" in index
    listing = root_client.get("/admin/otp_totp/totpdevice/").content.decode()
    assert "Máy cũ" in listing and device.key not in listing
    page = root_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in page
    assert root_client.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    response = root_client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.AUTH_2FA_DISABLED)
    assert event.actor_name and event.object_id == str(world.users["staff"].pk)


def test_the_admin_wears_the_app_s_colours_and_links_back(root_client):
    html = root_client.get("/admin/").content.decode()
    assert "/static/css/admin.css" in html and "favicon" in html
    assert "Quỹ “Vì người nghèo” · P. Lê Đại Hành" in html
    assert 'href="/quan-ly/"' in html and "Về trang quản lý" in html
    assert "dark_mode.css" not in html


def test_accounts_show_no_django_groups_or_permissions(root_client, world):
    user = world.users["staff"]
    page = root_client.get(f"/admin/auth/user/{user.pk}/change/").content.decode()
    assert 'name="groups"' not in page and 'name="user_permissions"' not in page
    assert 'name="is_superuser"' in page


def test_every_model_and_app_in_the_admin_has_a_vietnamese_name():
    from django.utils.text import camel_case_to_spaces

    for model in admin.site._registry:
        opts = model._meta
        assert opts.app_config.verbose_name != opts.app_label.title(), opts.app_label
        assert opts.verbose_name != camel_case_to_spaces(model.__name__), model
        assert opts.verbose_name_plural != f"{opts.verbose_name}s", model
