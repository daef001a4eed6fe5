"""The bank feed under load: acknowledgement time, and nothing lost or doubled.

Steps of `make bench`'s feed section (bench/run.py runs them against a scratch
PostgreSQL database it creates, migrates and drops, with gunicorn and the task worker):

    feed.py setup                       # a bank account, its SePay feed, a donor
    feed.py load --base URL --token T --secret S --rate 100 --seconds 60
    feed.py count --expect N            # after the worker has worked through the queue

``load`` sends signed SePay deliveries at a fixed rate (open loop: each request is
scheduled at start + i/rate, whatever the answers), one in ten a repeat of an earlier
one (a provider's retry), a third of them with the donor's code (recorded by the worker),
and measures each acknowledgement from the request's first byte to the answer's last.
``load --reference`` GETs the bench's bare "ok" view at the same pace instead: what the
same machine, at that moment, answers through the middleware alone.
``count`` says how many distinct transactions were stored, how many deliveries and lines
exist, and how many donations the codes made: lost = sent − stored, doubled = lines
beyond one per transaction, doubled donations = donations beyond one per recorded
delivery. Run once right after the load (the lines are stored before each answer), and
again once the worker has worked through the queue. Each step prints ``BENCH_RESULT {json}``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lddh.settings")

import django

django.setup()

from django.utils import timezone  # noqa: E402

from donations.feeds import sepay  # noqa: E402


def result(data: dict) -> None:
    print("BENCH_RESULT " + json.dumps(data, default=str), flush=True)


def setup(args) -> None:
    from django.contrib.auth import get_user_model

    from campaigns.models import Campaign
    from donations.models import Account, Fund
    from donations.services import donor_create
    from donations.services.feeds import feed_create

    committee = get_user_model().objects.create_user("bench-committee")
    fund, _ = Fund.objects.get_or_create(code="VNN", defaults={"name": "Quỹ Vì người nghèo"})
    account = Account.objects.create(name="TK bench", kind=Account.Kind.BANK)
    today = timezone.localdate()
    Campaign.objects.create(
        year=today.year,
        name="Bench",
        start_date=today.replace(day=1),
        end_date=today.replace(month=12, day=31),
        status=Campaign.Status.ACTIVE,
    )
    feed = feed_create(actor=committee, account=account, provider="sepay", auth="hmac", fund=fund)
    donor = donor_create(actor=committee, source="individual", name="Nguyễn Văn Bench")
    result({"token": feed.token, "secret": feed.secret, "donor_code": donor.code})


def load(args) -> None:
    target = urlsplit(args.base)
    path = f"/nhan-tien/sepay/{args.token}/"
    reference = args.reference  # GET the bare "ok" view at the same pace, for comparison
    total = int(args.rate * args.seconds)
    base_id = int(time.time()) * 1000
    lock = threading.Lock()
    state = {"next": 0}
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors: list[str] = []

    def body_for(i: int) -> bytes:
        # every tenth request repeats the one five before it (a provider's retry)
        n = i - 5 if i % 10 == 9 else i
        note = f"{args.donor_code} UNG HO" if n % 3 == 0 else f"NGUYEN VAN AN chuyen tien {n}"
        data = sepay.payload(
            id=base_id + n,
            amount=10_000 + n,
            content=note,
            when=timezone.localtime(),
            reference=f"FT{base_id + n}",
            account_number="0011000000000",
        )
        return json.dumps(data).encode()

    # Every body is built before the clock starts: the load generator shares the machine
    # with the server, and must not spend its CPU while measuring. Each is signed when
    # sent (a few microseconds): SePay's timestamps are refused after five minutes.
    requests = [body_for(i) for i in range(total)]
    started = time.perf_counter() + 0.5

    def worker() -> None:
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        while True:
            with lock:
                i = state["next"]
                state["next"] += 1
            if i >= total:
                break
            body = requests[i]
            delay = started + i / args.rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            headers = sepay.sign(auth="hmac", secret=args.secret, body=body, now=timezone.now())
            began = time.perf_counter()
            try:
                if reference:
                    connection.request("GET", "/ok/")
                else:
                    connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                status = 0
                with lock:
                    errors.append(str(error)[:100])
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(args.threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)

    def pct(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    unique = len({i - 5 if i % 10 == 9 else i for i in range(total)})
    result(
        {
            "sent": total,
            "unique": unique,
            "statuses": statuses,
            "errors": errors[:5],
            "p50_ms": pct(0.50),
            "p99_ms": pct(0.99),
            "max_ms": ordered[-1],
            "rate": total / wall,
            "wall_s": wall,
        }
    )


def count(args) -> None:
    from django.db.models import Count

    from donations.models import Donation, FeedDelivery, StatementLine

    deliveries = FeedDelivery.objects.filter(verified=True)
    firsts = deliveries.filter(duplicate_of=None).exclude(provider_id="")
    distinct = firsts.values("provider_id").distinct().count()
    lines = StatementLine.objects.count()
    doubled_lines = (
        StatementLine.objects.values("account", "fingerprint")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    recorded = firsts.filter(status=FeedDelivery.Status.RECORDED).count()
    donations = Donation.objects.count()
    result(
        {
            "deliveries": deliveries.count(),
            "repeats": deliveries.exclude(duplicate_of=None).count(),
            "stored": distinct,
            "lines": lines,
            "donations": donations,
            "recorded": recorded,
            "pending": firsts.filter(processed_at=None).count(),
            "lost": max(0, args.expect - distinct),
            "doubled": (firsts.count() - distinct) + doubled_lines + max(0, lines - distinct),
            "doubled_donations": max(0, donations - recorded),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="step", required=True)
    sub.add_parser("setup")
    run = sub.add_parser("load")
    run.add_argument("--base", required=True)
    run.add_argument("--token", required=True)
    run.add_argument("--secret", required=True)
    run.add_argument("--donor-code", required=True)
    run.add_argument("--rate", type=float, default=100)
    run.add_argument("--seconds", type=float, default=60)
    run.add_argument("--threads", type=int, default=16)
    run.add_argument("--reference", action="store_true", help='GET the bare "ok" view instead')
    counting = sub.add_parser("count")
    counting.add_argument("--expect", type=int, default=0)
    args = parser.parse_args()
    {"setup": setup, "load": load, "count": count}[args.step](args)


if __name__ == "__main__":
    main()
