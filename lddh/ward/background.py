"""Background work: what the pages and the health check need to know about it.

Tasks are Django's task API (`django_tasks.task`, `.enqueue()`); the TASKS setting
picks the backend (settings.py, TASKS_BACKEND). With the database backend, a task
enqueued inside a transaction is stored in it: it exists only if the transaction commits,
and the worker (`manage.py db_worker`) picks it up after that.

A page that waits for a task polls a view of its own that answers with
`progress_response(...)`; templates/includes/progress.html shows the same figures before
the first poll and without JavaScript, and static/js/app.js ([data-progress-url]) updates
them.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.http import JsonResponse
from django.utils import timezone

# A task that is ready to run but has waited longer than this means no worker is running
# (or every worker is stuck): the health check says so.
WORKER_LATE_AFTER = timedelta(minutes=5)


def progress_response(
    *, percent: int | None, text: str, done: bool, redirect: str | None = None
) -> JsonResponse:
    """The JSON that [data-progress-url] polls. `percent` 0–100, or None while the amount
    of work is not known yet (the bar then moves without a figure); `text` is the line
    shown under the bar; once `done`, the page goes to `redirect` (or reloads)."""
    if percent is not None:
        percent = max(0, min(100, int(percent)))
    response = JsonResponse(
        {"percent": percent, "text": text, "done": bool(done), "redirect": redirect}
    )
    response["Cache-Control"] = "no-store"
    return response


def worker_is_late(now=None) -> bool | None:
    """True when a task has waited for a worker longer than WORKER_LATE_AFTER; None when
    the backend runs no worker (immediate, dummy). One query on an indexed column."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult, get_date_max

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if not isinstance(backend, DatabaseBackend):
        return None
    cutoff = (now or timezone.now()) - WORKER_LATE_AFTER
    return (
        DBTaskResult.objects.ready()
        .filter(backend_name=backend.alias, enqueued_at__lt=cutoff)
        .filter(Q(run_after=get_date_max()) | Q(run_after__lt=cutoff))
        .exists()
    )
