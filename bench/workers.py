"""The measurements bench/run.py (`make bench`) runs in their own processes, each
printing one line `BENCH_RESULT {json}`. Run by hand for one of them:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lddh_bench \\
        .venv/bin/python bench/workers.py discover|server-time|public-change|pdf|fund-report

They read the database and do not change the books (the login of the demo user writes
its session, sign-in records and audit events, as any login does; public-change voids
donations inside transactions that are rolled back). Not part of pytest.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

DEMO_USER, DEMO_PASSWORD = "canbo", "lddh2024"


def setup() -> None:
    """Django set up as in a server process (lddh.wsgi): the URLconf loaded and the
    heap frozen before the first request is measured."""
    import django

    django.setup()
    from lddh.startup import ready_to_serve

    ready_to_serve()


def emit(result: dict) -> None:
    print("BENCH_RESULT " + json.dumps(result, default=str), flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def logged_in_client():
    from django.test import Client

    client = Client(raise_request_exception=False)
    if not client.login(username=DEMO_USER, password=DEMO_PASSWORD):
        sys.exit(
            f"cannot log in as the demo user {DEMO_USER} / {DEMO_PASSWORD}: "
            "seed the database with manage.py seed_demo"
        )
    return client


def search_param() -> str:
    from lddh.public.forms import DonorSearchForm

    return "q" if "q" in DonorSearchForm.base_fields else "ten"


def discover(args) -> None:
    """The pages to measure, and a session cookie of the demo staff user for wrk."""
    from django.conf import settings

    from campaigns.models import Campaign
    from donations.models import Donation
    from lddh.public import selectors

    campaign = selectors.current_campaign() or Campaign.objects.order_by("-year").first()
    if campaign is None:
        sys.exit("no campaign in this database: run manage.py seed_demo")
    client = logged_in_client()
    cookie = settings.SESSION_COOKIE_NAME
    staff_list = f"/quan-ly/ung-ho/?campaign={campaign.pk}&status=valid"
    pages = {
        "ok": "/ok/",
        "home": "/",
        "search": f"/cong-khai/{campaign.year}/ung-ho/?{urlencode({search_param(): args.search})}",
        "list1": staff_list,
        "list1000": staff_list + "&page=1000",
        "dashboard": "/quan-ly/",
    }
    emit(
        {
            "pages": pages,
            "cookie": f"{cookie}={client.cookies[cookie].value}",
            "campaign": str(campaign),
            "year": campaign.year,
            "donations": Donation.objects.count(),
            "campaign_donations": Donation.objects.filter(campaign=campaign).count(),
        }
    )


def server_time(args) -> None:
    """p50/p95 of the time inside Django (the timing middleware's Server-Timing header),
    one request at a time through the test client: no network, no other load. The
    staff pages are asked as the demo staff user, the public ones anonymously."""
    from django.test import Client

    staff, anonymous = logged_in_client(), Client(raise_request_exception=False)
    pages = json.loads(args.pages)
    results = {}
    for name, url in pages.items():
        client = staff if name in args.staff.split(",") else anonymous
        for _ in range(3):  # warm: caches, first queries
            response = client.get(url)
        if response.status_code != 200:
            results[name] = {"error": f"HTTP {response.status_code}"}
            continue
        times = []
        began = time.perf_counter()
        while len(times) < args.requests and time.perf_counter() - began < args.seconds:
            response = client.get(url)
            times.append(float(response["Server-Timing"].split("dur=")[1]))
        results[name] = {
            "n": len(times),
            "p50": percentile(times, 50),
            "p95": percentile(times, 95),
            "max": max(times),
        }
    emit(results)


def public_change(args) -> None:
    """The public year page right after a change to existing rows: an old donation of
    the campaign is voided through the services (requested by the demo staff user,
    approved by another person), then the page is asked anonymously and its server
    time read (Server-Timing); each round is rolled back, so the books are unchanged
    and every round meets the same data. What the figures cost when money that was
    already summed moves (a void, a donor's new source), not only new rows."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.test import Client

    from campaigns.models import Campaign
    from donations import services
    from donations.models import Donation

    campaign = Campaign.objects.filter(year=args.year).first()
    if campaign is None:
        sys.exit(f"no campaign of {args.year}")
    url = f"/cong-khai/{campaign.year}/"
    users = get_user_model().objects.filter(is_active=True).order_by("pk")
    requester = users.get(username=DEMO_USER)
    olds = list(
        Donation.objects.filter(campaign=campaign, status=Donation.Status.VALID, fund__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)[: args.requests]
    )
    if not olds:
        sys.exit("no valid fund donation to void in this campaign")
    client = Client(raise_request_exception=False)
    response = client.get(url)  # warm the process (imports, plans)
    if response.status_code != 200:
        emit({"error": f"HTTP {response.status_code} {url}"})
        return
    times, voids = [], []
    for i in range(args.requests):
        with transaction.atomic():
            donation = Donation.objects.get(pk=olds[i % len(olds)])
            approver = (
                users.exclude(pk__in=[requester.pk, donation.entered_by_id])
                .filter(memberships__role="committee", memberships__active=True)[:1]
                .get()
            )
            began = time.perf_counter()
            void = services.void_request(actor=requester, donation=donation, reason="Bench: đo")
            services.void_approve(actor=approver, void=void)
            voids.append((time.perf_counter() - began) * 1000)
            response = client.get(url)
            if response.status_code != 200:
                transaction.set_rollback(True)
                emit({"error": f"HTTP {response.status_code} {url} after a void"})
                return
            times.append(float(response["Server-Timing"].split("dur=")[1]))
            transaction.set_rollback(True)
    emit(
        {
            "url": url,
            "n": len(times),
            "p50": percentile(times, 50),
            "p95": percentile(times, 95),
            "max": max(times),
            "void_p50": percentile(voids, 50),
        }
    )


def find_batch_function():
    """The batch receipt PDF (several receipts in one document) if donations has one."""
    import importlib
    import pkgutil

    import donations

    names = ["donations.documents"] + [
        f"donations.{m.name}" for m in pkgutil.iter_modules(donations.__path__)
    ]
    for module_name in dict.fromkeys(names):
        try:
            module = importlib.import_module(module_name)
        except Exception:  # noqa: S112 - a module that needs more setup is not the one
            continue
        for attr, value in vars(module).items():
            lower = attr.lower()
            if (
                callable(value)
                and lower.endswith("pdf")
                and "receipt" in lower
                and ("batch" in lower or "receipts" in lower)
                and getattr(value, "__module__", "").startswith("donations")
            ):
                return f"{value.__module__}.{attr}", value
    return None, None


def pdf(args) -> None:
    from donations.documents import receipt_pdf
    from donations.models import Receipt

    receipts = list(Receipt.objects.select_related("donation").order_by("pk")[: args.batch])
    if not receipts:
        sys.exit("no receipt in this database")
    began = time.perf_counter()
    size = len(receipt_pdf(receipts[0], copy=False))
    first = time.perf_counter() - began
    times = []

    def singles() -> None:
        for receipt in (receipts * 2)[: args.repeat]:
            began = time.perf_counter()
            receipt_pdf(receipt, copy=False)
            times.append(time.perf_counter() - began)

    singles()
    name, batch = find_batch_function()
    result = {"first_s": first, "bytes": size, "batch_function": name}
    if batch is not None:
        try:
            runs = []
            for _ in range(args.batch_repeat):
                began = time.perf_counter()
                try:
                    document = batch(receipts)
                except TypeError:
                    began = time.perf_counter()
                    document = batch(receipts, copy=False)
                runs.append(time.perf_counter() - began)
            # The singles again after the batches: on a shared machine the load moves,
            # and the ratio compares figures taken over the same stretch of time.
            singles()
            result["batch_s"] = statistics.median(runs)
            result["batch_runs"] = runs
            result["batch_n"] = len(receipts)
            result["batch_bytes"] = len(document) if isinstance(document, bytes) else None
        except Exception as exc:  # reported in the table, not fatal
            result["batch_error"] = f"{type(exc).__name__}: {exc}"[:200]
    result.update(p50_s=statistics.median(times), max_s=max(times), n=len(times))
    emit(result)


def fund_report(args) -> None:
    """The fund report (báo cáo Quỹ) of the campaign: Excel and PDF, as the report page
    builds them, without the download's audit event."""
    from campaigns.models import Campaign
    from donations.models import Donation, Fund
    from lddh.reports.documents import fund_report_pdf
    from lddh.reports.exports import Report, ReportContext, build_exports
    from lddh.reports.exports.render import write_report_xlsx
    from lddh.reports.periods import Preset, period_for
    from lddh.ward.models import WardProfile

    campaign = Campaign.objects.filter(year=args.year).first()
    if campaign is None:
        sys.exit(f"no campaign of {args.year}")
    fund = Fund.objects.order_by("order", "pk").first()
    period = period_for(Preset.CAMPAIGN, campaign=campaign)
    context = ReportContext(
        period=period,
        fund=fund,
        today=datetime.date.today(),
        ward=WardProfile.current(period.end),
        campaign=campaign,
    )
    result = {
        "campaign": str(campaign),
        "donations_in_period": Donation.objects.filter(
            fund=fund, date__gte=period.start, date__lte=period.end
        ).count(),
    }
    with tempfile.TemporaryFile() as target:
        began = time.perf_counter()
        write_report_xlsx(target, *build_exports(Report.FUND, context))
        result["xlsx_s"] = time.perf_counter() - began
    began = time.perf_counter()
    fund_report_pdf(context)
    result["pdf_s"] = time.perf_counter() - began
    result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    emit(result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("discover")
    p.add_argument("--search", default="nguyen van")
    p = sub.add_parser("server-time")
    p.add_argument("--pages", required=True, help='JSON {"name": "/url/"}')
    p.add_argument("--requests", type=int, default=100)
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("--staff", default="list1,list1000,dashboard", help="pages needing a login")
    p = sub.add_parser("pdf")
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--repeat", type=int, default=10, help="single receipts, before and after")
    p.add_argument("--batch-repeat", type=int, default=2)
    p = sub.add_parser("public-change")
    p.add_argument("--year", type=int, default=2024)
    p.add_argument("--requests", type=int, default=20)
    p = sub.add_parser("fund-report")
    p.add_argument("--year", type=int, default=2024)
    args = parser.parse_args()
    setup()
    {
        "discover": discover,
        "server-time": server_time,
        "pdf": pdf,
        "public-change": public_change,
        "fund-report": fund_report,
    }[args.command](args)


if __name__ == "__main__":
    main()
