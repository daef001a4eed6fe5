"""`manage.py run_all [addr:port]`: the development web server and the task worker together.

`make run` uses it. Both run as child processes, each in its own process group (with its
autoreloader's child), so that stopping this command stops everything it started:
Ctrl-C or SIGTERM here stops both; when either ends by itself (a port already taken, a
crash), the other is stopped too and this command exits non-zero. A child that does not
stop within STOP_SECONDS of the request is killed, so no worker is ever left behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

# Seconds a child has to stop after SIGTERM before it is killed. A task that was running
# is interrupted either way (the autoreloader ends its child at once): it stays marked
# as running, and whoever owns the task's work shows it as interrupted.
STOP_SECONDS = 10
POLL_SECONDS = 0.2


class Command(BaseCommand):
    help = "Run the development web server and the background task worker; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport", nargs="?", default="127.0.0.1:8000", help="address:port of the server"
        )
        parser.add_argument(
            "--noreload",
            action="store_true",
            help="neither the server nor the worker restarts on code changes",
        )

    def handle(self, *args, addrport: str, noreload: bool, **options):
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        reload_flag = ["--noreload"] if noreload else []
        commands = {
            "web server": [*manage, "runserver", addrport, *reload_flag],
            "task worker": [
                *manage,
                "db_worker",
                "--no-reload" if noreload else "--reload",
            ],
        }
        stopping = False

        def request_stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)

        children: dict[str, subprocess.Popen] = {}
        try:
            for name, command in commands.items():
                # A process group of its own: the terminal's Ctrl-C reaches only this
                # command, which stops each group whole (autoreloader parent and child).
                children[name] = subprocess.Popen(command, start_new_session=True)  # noqa: S603
                self.stdout.write(f"Started the {name} (pid {children[name].pid}).")
            self.stdout.write("Ctrl-C stops both.")
            ended = None
            while not stopping and ended is None:
                time.sleep(POLL_SECONDS)
                ended = next((n for n, p in children.items() if p.poll() is not None), None)
            if ended is not None:
                self.stderr.write(
                    f"The {ended} stopped (exit code {children[ended].returncode}); "
                    "stopping the rest."
                )
        finally:
            _stop_all(children.values())
        if ended is not None:
            sys.exit(1)


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


def _stop_all(processes) -> None:
    processes = list(processes)
    for process in processes:
        _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        # The group may outlive its leader (an autoreloader's child): kill what is left.
        _signal_group(process, signal.SIGKILL)
        process.wait()
