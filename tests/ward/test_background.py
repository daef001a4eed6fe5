"""Background tasks: run inside the request under the tests' ImmediateBackend, stored with
the request's transaction and run by `manage.py db_worker` under the database backend."""

import json
import signal
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lddh.ward.background import progress_response, worker_is_late
from tests.ward.background_tasks import remember

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.urls("tests.ward.background_tasks")
def test_a_task_enqueued_in_a_request_has_run_when_the_response_comes(db, client):
    response = client.get("/enqueue/?value=đã chạy")
    assert response.content.decode() == TaskResultStatus.SUCCESSFUL
    assert cache.get("background-test") == "đã chạy"


def test_the_database_backend_stores_the_task_with_the_transaction(db, settings):
    settings.TASKS = DATABASE
    with transaction.atomic():
        kept = remember.enqueue("kept", "1")
    with pytest.raises(RuntimeError), transaction.atomic():
        remember.enqueue("lost", "1")
        raise RuntimeError("the request failed")
    stored = DBTaskResult.objects.get()
    assert str(stored.id) == kept.id and stored.status == TaskResultStatus.READY
    assert cache.get("kept") is None  # nothing runs it until a worker does


@pytest.fixture
def restore_signals():
    """db_worker installs its own Ctrl-C handler; give pytest its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def test_the_worker_runs_a_stored_task(transactional_db, settings, restore_signals):
    """The worker closes its database connections when it ends: a committed task, and no
    test transaction around it (which PostgreSQL could not reopen)."""
    settings.TASKS = DATABASE
    result = remember.enqueue("from-worker", "xong")
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert cache.get("from-worker") == "xong"


def test_health_says_tasks_are_late_when_no_worker_takes_them(db, settings, anon_client):
    assert worker_is_late() is None  # the tests' immediate backend has no worker
    assert "tasks" not in anon_client.get("/healthz").json()
    settings.TASKS = DATABASE
    assert anon_client.get("/healthz").json() == {"status": "ok", "database": "ok", "tasks": "ok"}
    result = remember.enqueue("waiting", "1")
    assert worker_is_late() is False
    DBTaskResult.objects.filter(id=result.id).update(
        enqueued_at=timezone.now() - timedelta(minutes=6)
    )
    response = anon_client.get("/healthz")
    assert response.status_code == 200  # the pages still answer
    assert response.json()["tasks"] == "late"


def test_progress_response_is_the_json_the_page_polls():
    response = progress_response(percent=142, text="Đang đọc dòng 10", done=False)
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content) == {
        "percent": 100,
        "text": "Đang đọc dòng 10",
        "done": False,
        "redirect": None,
    }
    done = progress_response(percent=None, text="", done=True, redirect="/x/")
    assert json.loads(done.content)["percent"] is None
