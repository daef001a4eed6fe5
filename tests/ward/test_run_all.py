"""`make run` (manage.py run_all): the web server and the task worker start together, the
worker runs what is enqueued, and Ctrl-C or the end of either one leaves no process."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.serial


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def environ(tmp_path_factory):
    """A fresh SQLite file with the task tables, and the database backend as deployed."""
    var = tmp_path_factory.mktemp("var")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TASKS_BACKEND"}}
    env.update(LDDH_VAR_DIR=str(var), DEBUG="true")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "django_tasks_database", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return env


def _start(env, port, log):
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_all", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _children(log_path) -> list[int]:
    return [int(pid) for pid in re.findall(r"\(pid (\d+)\)", log_path.read_text())]


def _alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def _wait(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _healthz(port) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def test_ctrl_c_stops_the_server_and_the_worker_after_it_ran_a_task(environ, tmp_path):
    port, log_path, marker = _free_port(), tmp_path / "run.log", tmp_path / "ran.txt"
    with log_path.open("w") as log:
        launcher = _start(environ, port, log)
        try:
            assert _wait(lambda: _healthz(port), 30), log_path.read_text()
            subprocess.run(
                [
                    sys.executable,
                    "manage.py",
                    "shell",
                    "-c",
                    "from tests.ward.background_tasks import write_file; "
                    f"write_file.enqueue({str(marker)!r}, 'đã chạy')",
                ],
                cwd=ROOT,
                env=environ,
                check=True,
                capture_output=True,
                timeout=30,
            )
            assert _wait(marker.exists, 15), log_path.read_text()
            groups = _children(log_path)
            assert len(groups) == 2 and all(_alive(g) for g in groups)
            launcher.send_signal(signal.SIGINT)  # what the terminal sends on Ctrl-C
            assert launcher.wait(timeout=15) == 0
        finally:
            if launcher.poll() is None:
                os.killpg(launcher.pid, signal.SIGKILL)
    assert marker.read_text(encoding="utf-8") == "đã chạy"
    assert not any(_alive(g) for g in groups), log_path.read_text()
    assert not _healthz(port)


def test_a_server_that_cannot_start_stops_the_worker_too(environ, tmp_path):
    log_path = tmp_path / "run.log"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with log_path.open("w") as log:
            launcher = _start(environ, port, log)
            try:
                assert launcher.wait(timeout=30) == 1
            finally:
                if launcher.poll() is None:
                    os.killpg(launcher.pid, signal.SIGKILL)
    text = log_path.read_text()
    assert "The web server stopped" in text, text
    assert not any(_alive(g) for g in _children(log_path)), text
