"""Server time of the staff pages on a large database (targets: p95 under 50 ms with
1.000.000 donations on PostgreSQL; one receipt PDF under 150 ms; 100 receipts in one
PDF document under 10 s). Not part of pytest; it changes nothing in the database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lddh_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lddh_bench \\
        .venv/bin/python bench/staff_pages.py [--requests 100] [--user canbo] [--no-pdf]

In process with Django's test client (no network, no gunicorn), signed in as a ward
staff account. For every page: the first request with an empty cache ("cold": counts
and totals are computed and cached until money moves), then N requests (p50 and p95).
Page 1000 is asked for on every list that has that many pages (otherwise its last
page). PDFs are printed through the real views inside a transaction that is rolled
back, so no print is logged.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lddh.settings")
# Production settings by default (DEBUG off: persistent connections CONN_MAX_AGE=600 with
# health checks, cached templates, no query log); --debug measures the development ones.
if "--debug" not in sys.argv:
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(60))
    os.environ.setdefault("LEDGER_SIGNING_KEY", secrets.token_urlsafe(40))
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.conf import settings  # noqa: E402

settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
# No collectstatic needed to measure: plain static storage (pages only build URLs).
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from donations.models import Donation, Receipt  # noqa: E402
from lddh.ward.roles import Role  # noqa: E402

BASE = "/quan-ly/ung-ho/"


class Rollback(Exception):
    pass


def _client(username: str) -> Client:
    users = get_user_model().objects
    user = users.filter(username=username).first()
    if user is None:
        user = users.filter(memberships__role=Role.STAFF).order_by("pk").first()
    if user is None:
        sys.exit(f"no user {username!r} and no ward staff account")
    client = Client()
    client.force_login(user)
    return client


def _pages(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    found = re.search(r"Trang \d+ / (\d+)", response.content.decode())
    return int(found.group(1)) if found else 1


class _DbTimer:
    """Execute wrapper: time spent in the database during one request."""

    def __init__(self):
        self.total = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.total += time.perf_counter() - start


def _measure(client: Client, label: str, url: str, requests: int) -> tuple[float, float]:
    cache.clear()
    start = time.perf_counter()
    response = client.get(url)
    cold = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    times, db_times = [], []
    for _ in range(requests):
        timer = _DbTimer()
        with connection.execute_wrapper(timer):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        db_times.append(timer.total * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    p50 = statistics.median(times)
    p95 = times[max(int(len(times) * 0.95) - 1, 0)]
    db = statistics.median(db_times)
    flag = "" if p95 < 50 else "  > 50 ms"
    print(
        f"{label:<42} cold {cold:7.1f}  p50 {p50:6.1f}  p95 {p95:6.1f}  (db p50 {db:5.1f}) ms{flag}"
    )
    return p50, p95


def _deep(client: Client, url: str, page: int = 1000) -> str:
    last = _pages(client, url)
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}page={min(page, last)}"


def _time_in_rollback(client: Client, method: str, url: str, **kwargs) -> float:
    """One request inside a transaction that is rolled back (prints are not logged)."""
    elapsed = 0.0
    try:
        with transaction.atomic():
            start = time.perf_counter()
            response = getattr(client, method)(url, **kwargs)
            elapsed = time.perf_counter() - start
            assert response.status_code == 200, (url, response.status_code)
            assert response["Content-Type"] == "application/pdf", response["Content-Type"]
            raise Rollback
    except Rollback:
        pass
    return elapsed


def _after_new_donation(client: Client, times: int) -> None:
    """The dashboard right after money moved: a donation is added (and rolled back) before
    each request, so the cached figures are stale and the donations after the kept base
    are summed again."""
    client.get("/quan-ly/")  # the base is built and kept
    template = Donation.objects.filter(purpose="fund", campaign__isnull=False).latest("pk")
    elapsed = []
    for _ in range(times):
        try:
            with transaction.atomic():
                template.pk = None
                template.form_token = None
                template._state.adding = True
                template.save()
                start = time.perf_counter()
                response = client.get("/quan-ly/")
                elapsed.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200
                raise Rollback
        except Rollback:
            pass
    elapsed.sort()
    print(
        f"{'dashboard right after a new donation':<42} p50 {statistics.median(elapsed):6.1f}  "
        f"max {elapsed[-1]:6.1f} ms ({times} times)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--user", default="canbo")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF measurements")
    parser.add_argument("--debug", action="store_true", help="development settings (DEBUG on)")
    args = parser.parse_args()
    db = connection.settings_dict
    print(
        f"database: {connection.vendor} {db['NAME']}; DEBUG={settings.DEBUG}, "
        f"CONN_MAX_AGE={db['CONN_MAX_AGE']}, CONN_HEALTH_CHECKS={db['CONN_HEALTH_CHECKS']}"
    )
    print(
        f"{Donation.objects.count():,} donations, {Receipt.objects.count():,} receipts; "
        f"{args.requests} requests per line (in process, ms)"
    )
    client = _client(args.user)
    day = (
        Donation.objects.values("date").annotate(n=Count("pk")).order_by("-n").first() or {}
    ).get("date")
    day_filter = f"?date_from={day:%d/%m/%Y}&date_to={day:%d/%m/%Y}" if day else "?status=valid"
    series = Receipt.objects.values("series", "year").annotate(n=Count("pk")).order_by("-n").first()
    register_filter = f"?series={series['series']}&year={series['year']}" if series else ""
    register = BASE + "bien-nhan/"
    lists = [
        ("reference: /healthz (no template)", "/healthz"),
        ("reference: password page (base template)", "/quan-ly/mat-khau/"),
        ("dashboard /quan-ly/", "/quan-ly/"),
        ("donations, page 1", BASE),
        ("donations, page 1000", _deep(client, BASE)),
        ("donations, one day, page 1", BASE + day_filter),
        ("donations, one day, deep page", _deep(client, BASE + day_filter)),
        ("donations, bank transfers, page 1000", _deep(client, BASE + "?channel=bank")),
        ("donations, by amount, page 1000", _deep(client, BASE + "?sap_xep=-so_tien")),
        ("receipt register, page 1", register),
        ("receipt register, page 1000", _deep(client, register)),
        ("receipt register, one series, page 1000", _deep(client, register + register_filter)),
        ("donor list, page 1", BASE + "nguoi-ung-ho/"),
        ("donor list, page 1000", _deep(client, BASE + "nguoi-ung-ho/")),
    ]
    for label, url in lists:
        _measure(client, label, url, args.requests)
    _after_new_donation(client, 20)
    if args.no_pdf:
        return
    receipts = list(Receipt.objects.order_by("-pk").values_list("pk", flat=True)[:20])
    if not receipts:
        return
    times = sorted(
        _time_in_rollback(client, "get", f"{BASE}bien-nhan/{pk}/in/") * 1000 for pk in receipts
    )
    print(
        f"{'one receipt PDF (view, 20 receipts)':<46} first {times[-1]:6.0f}   "
        f"p50 {statistics.median(times):6.0f}   p95 {times[-2]:6.0f} ms"
    )
    last = Receipt.objects.order_by("-series", "-year", "-seq").first()
    batch = f"{BASE}bien-nhan/in-hang-loat/?series={last.series}&year={last.year}"
    batch += f"&seq_from={max(last.seq - 99, 1)}&seq_to={last.seq}"
    seconds = _time_in_rollback(client, "post", batch)
    print(f"{'100 receipts in one PDF (view)':<46} {seconds:6.1f} s")


if __name__ == "__main__":
    main()
