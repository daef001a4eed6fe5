"""The application's URLs plus `ok/`, a bare view answering "ok" through the same
middleware stack: the reference every page is compared with (bench settings only)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from lddh.urls import urlpatterns as app_urlpatterns


@login_not_required
def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("ok/", ok, name="bench_ok"), *app_urlpatterns]
