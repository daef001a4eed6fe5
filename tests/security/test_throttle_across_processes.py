"""The limits hold across worker processes: two gunicorn servers, one database.

Production runs several gunicorn workers (and hosts). A limit counted in a process's
memory gives each worker its own allowance: /tra-cuu/ let 76 of 120 tries through with
a limit of 20. Here two servers on loopback share one SQLite file and no cache."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from lddh.public.throttle import RECEIPT_CHECKS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(url: str, data: dict | None = None, cookie: str = "") -> tuple[int, str, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Cookie": cookie})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read().decode(), response.headers.get("Set-Cookie", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), ""


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    var = tmp_path_factory.mktemp("two-workers")
    env = {
        **os.environ,
        "DEBUG": "true",
        "LDDH_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'shared.sqlite3'}",
    }
    env.pop("CACHE_URL", None)  # each process keeps its own memory cache
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    ports = [_free_port(), _free_port()]
    # One process each, with threads: requests sent together really overlap.
    gunicorn = [sys.executable, "-m", "gunicorn", "lddh.wsgi", "-w", "1", "--threads", "8"]
    processes = [
        subprocess.Popen(
            [*gunicorn, "-b", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        deadline = time.monotonic() + 60
        for base in bases:
            while True:
                try:
                    if _request(base + "/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"{base} did not start")
                time.sleep(0.3)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def _csrf(base: str, path: str) -> tuple[str, str]:
    """(cookie, form token) from a GET of the form; valid on both servers (one key)."""
    _, html, set_cookie = _request(base + path)
    cookie = set_cookie.split(";", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return cookie, token


def test_the_receipt_check_limit_holds_across_two_workers(servers):
    cookie, token = _csrf(servers[0], "/tra-cuu/")
    statuses = []
    for attempt in range(3 * RECEIPT_CHECKS):
        base = servers[attempt % 2]
        form = {"csrfmiddlewaretoken": token, "so": "VNN-2024-999999", "tien": "1"}
        statuses.append(_request(base + "/tra-cuu/", form, cookie)[0])
    assert statuses.count(200) == RECEIPT_CHECKS, statuses
    assert statuses[RECEIPT_CHECKS:] == [429] * (2 * RECEIPT_CHECKS)


def test_the_sign_in_lock_holds_across_two_workers(servers):
    cookie, token = _csrf(servers[0], "/dang-nhap/")
    pages = []
    for attempt in range(6):
        form = {"csrfmiddlewaretoken": token, "username": "hai-tien-trinh", "password": "sai"}
        pages.append(_request(servers[attempt % 2] + "/dang-nhap/", form, cookie)[1])
    assert not any("tạm bị khóa" in page for page in pages[:5])
    assert "tạm bị khóa" in pages[5]


def test_a_burst_of_guesses_sent_together_gets_no_more_tries(servers):
    """Failures are recorded only after the password is checked; without the tries
    claimed first, guesses sent at the same moment would all pass the count."""
    cookie, token = _csrf(servers[0], "/dang-nhap/")
    form = {"csrfmiddlewaretoken": token, "username": "dong-loat", "password": "sai"}

    def guess(attempt: int) -> str:
        return _request(servers[attempt % 2] + "/dang-nhap/", form, cookie)[1]

    with ThreadPoolExecutor(max_workers=16) as pool:
        pages = list(pool.map(guess, range(32)))
    checked = [page for page in pages if "tạm bị khóa" not in page]
    assert len(checked) <= 5, len(checked)
