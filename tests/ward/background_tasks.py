"""Tasks and a URLconf used only by the background-work tests (never in the app's URLs)."""

from pathlib import Path

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import path
from django_tasks import task


@task()
def remember(key: str, value: str) -> str:
    cache.set(key, value)
    return value


@task()
def write_file(name: str, text: str) -> None:
    Path(name).write_text(text, encoding="utf-8")


@login_not_required
def enqueue_remember(request):
    result = remember.enqueue("background-test", request.GET["value"])
    return HttpResponse(f"{result.status}")


urlpatterns = [path("enqueue/", enqueue_remember)]
