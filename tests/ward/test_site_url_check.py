"""SITE_URL is printed in every receipt's QR code: start-up says when it leads nowhere."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import ERROR, WARNING

from lddh.ward.checks import check_site_url, site_url_problems

ROOT = Path(__file__).resolve().parents[2]


def _ids(problems) -> list[str]:
    return [problem.id for problem in problems]


@pytest.mark.parametrize(
    ("site_url", "hosts", "debug"),
    [
        ("https://quy.example.vn", ["quy.example.vn"], False),
        ("https://quy.example.vn", [".example.vn"], False),
        ("https://quy.example.vn:8443", ["quy.example.vn"], False),
        ("http://127.0.0.1:8000", [], True),  # DEBUG with no ALLOWED_HOSTS: loopback only
        ("http://localhost:8001", ["127.0.0.1", "localhost", "[::1]"], True),
        ("http://192.168.1.20:8000", ["192.168.1.20"], True),
    ],
)
def test_an_address_the_server_answers_on_passes(site_url, hosts, debug):
    assert site_url_problems(site_url, hosts, debug) == []


def test_a_host_missing_from_allowed_hosts_is_an_error():
    problems = site_url_problems("https://quy.example.vn", ["lddh.example.vn"], False)
    assert _ids(problems) == ["lddh.E002"]
    assert problems[0].level == ERROR
    assert "quy.example.vn" in problems[0].msg and "ALLOWED_HOSTS" in problems[0].msg


def test_a_phone_on_the_office_network_needs_the_host_allowed_in_development_too():
    problems = site_url_problems("http://192.168.1.20:8000", ["127.0.0.1", "localhost"], True)
    assert _ids(problems) == ["lddh.E002"]


@pytest.mark.parametrize("site_url", ["quy.example.vn", "ftp://quy.example.vn", "https://", ""])
def test_what_is_no_address_is_an_error(site_url):
    problems = site_url_problems(site_url, ["quy.example.vn"], False)
    assert _ids(problems) == ["lddh.E001"]


@pytest.mark.parametrize(
    "site_url",
    ["https://127.0.0.1", "https://localhost", "https://[::1]:8443", "https://a.localhost"],
)
def test_a_loopback_address_in_production_is_flagged(site_url):
    host = re.sub(r"^https://|:\d+$", "", site_url)
    problems = site_url_problems(site_url, [host], False)
    assert _ids(problems) == ["lddh.W003"]
    assert problems[0].level == WARNING


def test_plain_http_in_production_is_flagged():
    problems = site_url_problems("http://quy.example.vn", ["quy.example.vn"], False)
    assert _ids(problems) == ["lddh.W004"]


def test_the_registered_check_reads_the_settings(settings):
    settings.SITE_URL = "https://quy.example.vn"
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    assert _ids(check_site_url()) == ["lddh.E002"]
    settings.ALLOWED_HOSTS = ["quy.example.vn"]
    assert check_site_url() == []


def _env(**values) -> dict:
    unset = {"DATABASE_URL", "DATABASE_PREPARED_STATEMENTS", "DEBUG"}
    environ = {k: v for k, v in os.environ.items() if k not in unset}
    environ.update(values)
    return environ


def python_process(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Python run in a fresh process from the project's root with these settings."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_manage_py_check_stops_on_a_site_url_the_server_refuses():
    result = python_process(
        "manage.py", "check", SITE_URL="https://quy.example.vn", ALLOWED_HOSTS="127.0.0.1"
    )
    assert result.returncode != 0
    assert "lddh.E002" in result.stderr and "SITE_URL" in result.stderr


def test_the_wsgi_start_up_stops_on_a_site_url_the_server_refuses():
    code = "import lddh.wsgi"
    refused = python_process(
        "-c", code, SITE_URL="https://quy.example.vn", ALLOWED_HOSTS="127.0.0.1"
    )
    assert refused.returncode == 2
    assert refused.stderr.startswith("Configuration error: SITE_URL: its host 'quy.example.vn'")
    served = python_process("-c", code, SITE_URL="http://127.0.0.1:8001")
    assert served.returncode == 0, served.stderr


def test_the_wsgi_start_up_loads_the_urls_and_freezes_what_it_loaded():
    code = (
        "import gc, sys; import lddh.wsgi; print(gc.get_freeze_count(), 'lddh.urls' in sys.modules)"
    )
    served = python_process("-c", code, SITE_URL="http://127.0.0.1:8001")
    assert served.returncode == 0, served.stderr
    frozen, loaded = served.stdout.split()
    assert int(frozen) > 50_000
    assert loaded == "True"


def test_make_run_serves_the_address_it_prints_in_qr_codes():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert (
        "SITE_URL=http://127.0.0.1:$(PORT) $(BIN)/python manage.py run_all 127.0.0.1:$(PORT)" in run
    )
