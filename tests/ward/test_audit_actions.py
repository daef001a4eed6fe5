"""Audit actions are one enumeration with Vietnamese labels: every code written or
looked up anywhere in the sources is a member, every member has a label an inspector
can read, and log_event refuses a bare string."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from lddh.ward.audit import AuditAction, action_label, log_event

ROOT = Path(settings.BASE_DIR)
SOURCES = ("campaigns", "donations", "households", "lddh")
CODE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_]+$")
PREFIXES = {code.split(".")[0] for code in AuditAction.values}
VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]")


def _modules():
    for package in SOURCES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text(encoding="utf-8"))


def _is_model_label(text: str) -> bool:
    try:
        apps.get_model(text)
    except (LookupError, ValueError):
        return False
    return True


def test_every_code_in_the_sources_has_a_label():
    """A string that looks like an action code (its prefix is an action's noun) must be
    an action or the start of some (a prefix filter), or a model label."""
    unknown = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            text = node.value
            if not CODE.match(text) or text.split(".")[0] not in PREFIXES:
                continue
            if text in AuditAction.values or _is_model_label(text):
                continue
            if any(code.startswith(text) for code in AuditAction.values):
                continue
            unknown.append(f"{path.relative_to(ROOT)}:{node.lineno} {text}")
    assert not unknown, f"action codes without a label in AuditAction: {unknown}"


def _writes_an_event(call: ast.Call) -> bool:
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    if name in ("log_event", "_record"):
        return True
    # AuditEvent.objects.create(...)
    owner = getattr(func, "value", None)
    return name == "create" and "AuditEvent" in ast.unparse(owner) if owner else False


def test_every_event_written_names_its_action_by_the_enumeration():
    literal = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _writes_an_event(node):
                for keyword in node.keywords:
                    if keyword.arg == "action" and isinstance(keyword.value, ast.Constant):
                        literal.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not literal, f"audit events written with a bare string action: {literal}"


@pytest.mark.parametrize("action", list(AuditAction), ids=lambda a: a.value)
def test_every_action_has_a_vietnamese_label(action):
    assert action.label != action.name.replace("_", " ").title()  # not Django's default
    assert VIETNAMESE.search(action.label) or action.label.isascii() is False, action.label
    assert action_label(action.value) == action.label


def test_labels_are_distinct():
    labels = AuditAction.labels
    assert len(labels) == len(set(labels))


def test_log_event_refuses_a_bare_string(world):
    with transaction.atomic(), pytest.raises(TypeError, match="AuditAction"):
        log_event(actor=world.users["staff"], action="proposal.accept")


def test_audit_page_shows_the_label_not_the_code(world):
    with transaction.atomic():
        log_event(actor=world.users["staff"], action=AuditAction.PROPOSAL_ACCEPT)
        log_event(actor=world.users["staff"], action=AuditAction.PLAN_BLOCK_MOVE)
    page = world.client("supervisor").get(reverse("supervision:audit")).content.decode()
    assert "Phường chấp nhận đề xuất" in page
    assert "Đổi thứ tự mục kế hoạch" in page
    # The filter's choices are labelled too.
    form = world.client("supervisor").get(reverse("supervision:audit")).context["form"]
    assert ("proposal.accept", "Phường chấp nhận đề xuất") in form.fields["action"].choices
