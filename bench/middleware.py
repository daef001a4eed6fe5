"""Server time of each request, measured inside Django (bench settings only).

Adds a `Server-Timing: app;dur=<ms>` header and, when BENCH_TIMING_DIR is set, appends
"<ms>\t<path>" to <dir>/timing-<pid>.tsv (one file per gunicorn worker), which
bench/run.py reads after each load run.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

_DIR = os.environ.get("BENCH_TIMING_DIR")


class ServerTiming:
    def __init__(self, get_response):
        self.get_response = get_response
        self._file = None
        self._pid = None

    def _out(self):
        pid = os.getpid()
        if self._pid != pid:  # opened lazily in each worker (after gunicorn's fork)
            self._file = (Path(_DIR) / f"timing-{pid}.tsv").open("a", buffering=1)
            self._pid = pid
        return self._file

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        ms = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f"app;dur={ms:.2f}"
        if _DIR:
            self._out().write(f"{ms:.3f}\t{request.path}\n")
        return response
