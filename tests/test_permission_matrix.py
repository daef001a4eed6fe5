"""Walks every named URL of the URL configuration for every persona, asserting the exact status."""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.permissions as permissions_pkg
from tests.permissions import PERSONAS, statuses

READ_ONLY_POST = statuses(405)

SKIPPED_NAMESPACES = {"admin"}  # Django's admin has its own is_staff gate, tested apart


def _collect_cases():
    cases = []
    for module_info in pkgutil.iter_modules(permissions_pkg.__path__):
        module = importlib.import_module(f"tests.permissions.{module_info.name}")
        cases.extend(getattr(module, "CASES", []))
    return cases


CASES = _collect_cases()


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_has_an_expectation():
    expected = {case.url_name for case in CASES}
    missing = sorted(set(_url_names(get_resolver().url_patterns)) - expected)
    assert not missing, f"URLs without a permission case in tests/permissions/: {missing}"


def test_no_case_names_a_missing_url():
    names = set(_url_names(get_resolver().url_patterns))
    assert not [case.url_name for case in CASES if case.url_name not in names]


def _params():
    for case in CASES:
        for method in ("get", "post"):
            if method == "get" and case.get is None:
                continue
            for persona in PERSONAS:
                yield pytest.param(case, method, persona, id=f"{case}-{method}-{persona}")


@pytest.mark.parametrize(("case", "method", "persona"), list(_params()))
def test_status(world, case, method, persona):
    kwargs = case.kwargs(world) if case.kwargs else {}
    url = reverse(case.url_name, kwargs=kwargs)
    client = world.client(persona)
    if method == "get":
        response = client.get(url)
    else:
        data = case.post_data(world) if case.post_data else {}
        response = client.post(url, data)
    table = getattr(case, method)
    expected = (READ_ONLY_POST if table is None else table)[persona]
    assert response.status_code == expected, (
        f"{method.upper()} {url} as {persona}: {response.status_code}, expected {expected}"
    )
    if expected == 302 and persona == "anon":
        assert response["Location"].startswith(reverse("login"))
    if persona != "anon":
        # Signed-in pages and downloads (CCCD, the register workbook, receipt PDFs) are
        # never kept by a browser or proxy cache.
        cache_control = response.get("Cache-Control", "")
        assert "no-store" in cache_control and "private" in cache_control, (
            f"{method.upper()} {url} as {persona}: Cache-Control {cache_control!r}"
        )


def test_admin_is_for_superusers_only(world):
    response = world.client("staff").get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
