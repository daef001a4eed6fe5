"""Server time of the public pages with many donations (target: under 50 ms at the
server with 1.000.000 donations in PostgreSQL). Not part of pytest.

    # the shared 1M database (seed_demo --scale), its 2024 campaign, nothing written:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lddh_bench \\
        .venv/bin/python bench/public_pages.py --year 2024
    # or seed a closed campaign of year 2099 with N donations into a scratch database:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lddh_h_public \\
        .venv/bin/python bench/public_pages.py --donations 1000000

It migrates nothing: run `manage.py migrate` on that database first. With --year it
measures that year's campaign as it is, searching names and receipt numbers sampled
from its own donations. Without it, it adds once (re-runs top up to N) a closed campaign
of year 2099 with N donations (donors, donations and receipts made with bulk_create,
bypassing the services: no ledger entries, figures only). Then it measures in process
with Django's test client (p50/p95 in ms): the year page with the figures cached (what
residents get), the figures rebuilt from the database (what the first visitor after
money moved waits for), the donor list, donor searches by a name without diacritics
(kept per data version, and as the first visitor after money moved gets them) and by
receipt number. --explain prints the plan of the list query for the first name.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lddh.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402

settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from campaigns.models import Campaign  # noqa: E402
from donations.models import Account, Donation, Donor, Fund, Receipt  # noqa: E402
from donations.services import rebuild_day_totals  # noqa: E402
from lddh.ward.text import normalise  # noqa: E402
from lddh.ward.vocab import DonorSource  # noqa: E402

YEAR = 2099
SERIES = "BENCH"
BROAD = ["nguyen+van", "nguyen", "thi"]  # many thousands of donors each
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thu", "Đức", "Ngọc", "Quang"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hạnh",
    "Hoa",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vân",
    "Yến",
]


def _setup(n: int, batch: int = 5000) -> Campaign:
    user, _ = get_user_model().objects.get_or_create(username="bench")
    campaign, _ = Campaign.objects.get_or_create(
        year=YEAR,
        defaults={
            "name": "Chiến dịch đo hiệu năng",
            "start_date": datetime.date(YEAR, 1, 1),
            "end_date": datetime.date(YEAR, 12, 31),
            "status": Campaign.Status.CLOSED,
            "target": 10**12,
        },
    )
    fund = Fund.objects.order_by("pk").first() or Fund.objects.create(code="VNN", name="Quỹ")
    account = Account.objects.order_by("pk").first() or Account.objects.create(
        name="Két", kind=Account.Kind.CASH
    )
    have = Donation.objects.filter(campaign=campaign).count()
    rng = random.Random(have)
    start = time.perf_counter()
    while have < n:
        size = min(batch, n - have)
        with transaction.atomic():
            donors = Donor.objects.bulk_create(
                [
                    _donor(
                        rng,
                        f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)} {have + i}",
                    )
                    for i in range(size)
                ]
            )
            donations = Donation.objects.bulk_create(
                [
                    Donation(
                        donor=donor,
                        campaign=campaign,
                        date=datetime.date(YEAR, 1, 1)
                        + datetime.timedelta(days=rng.randrange(365)),
                        amount=rng.choice([50_000, 100_000, 200_000, 500_000, 1_000_000]),
                        channel=rng.choice(Donation.Channel.values),
                        purpose=Donation.Purpose.FUND,
                        fund=fund,
                        account=account,
                        entered_by=user,
                    )
                    for donor in donors
                ]
            )
            Receipt.objects.bulk_create(
                [
                    Receipt(
                        donation=d,
                        fund=fund,
                        series=SERIES,
                        year=YEAR,
                        seq=have + i + 1,
                        number=Receipt.format_number(SERIES, YEAR, have + i + 1),
                        token=secrets.token_urlsafe(18),
                        issued_by=user,
                        date=d.date,
                        amount=d.amount,
                        amount_words="(đo hiệu năng)",
                        donor_name=d.donor.name,
                        donor_display_name=d.donor.display_name,
                        purpose_label="Ủng hộ Quỹ",
                        channel_label=Donation.Channel(d.channel).label,
                        issuer_name="bench",
                    )
                    for i, d in enumerate(donations)
                ]
            )
        have += size
        print(f"\r  {have:,} donations ({time.perf_counter() - start:.0f} s)", end="", flush=True)
    print()
    rebuild_day_totals()  # bulk_create passes the services: the per-day totals afresh
    return campaign


def _donor(rng: random.Random, name: str) -> Donor:
    donor = Donor(source=DonorSource.RESIDENTS, name=name, anonymous=rng.random() < 0.05)
    donor.refresh_keys()
    return donor


def _not_kept(name, build, **kwargs):
    return build()


def _measure(
    label: str, urls: list[str], requests: int, *, cold: bool = False, first: bool = False
) -> None:
    """p50/p95 of the URLs in turn; ``cold`` clears the whole cache before each request,
    ``first`` only stops the view from keeping a search (each request is then the first
    visitor's after money moved: the figures stay cached, the look-up runs)."""
    from unittest import mock

    from lddh.public import views

    client = Client()
    assert client.get(urls[0]).status_code == 200, urls[0]  # warm up the process
    times = []
    patch = mock.patch.object(views, "cached", _not_kept) if first else contextlib.nullcontext()
    with patch:
        for i in range(requests):
            if cold:
                cache.clear()
            url = urls[i % len(urls)]
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    times.sort()
    p50 = statistics.median(times)
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"{label:<44} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")


def _samples(campaign: Campaign, rng: random.Random) -> tuple[list[str], list[str]]:
    """Twenty name searches (the first three words of real donors' names, typed without
    diacritics) and twenty receipt numbers, from the campaign's valid fund donations."""
    ids = list(
        Donation.objects.filter(
            campaign=campaign, status=Donation.Status.VALID, purpose=Donation.Purpose.FUND
        )
        .order_by("-pk")
        .values_list("pk", flat=True)[:20000]
    )
    chosen = rng.sample(ids, min(len(ids), 400))
    rows = Donation.objects.filter(pk__in=chosen).values_list(
        "donor__name_key", "donor__anonymous", "receipt__number"
    )
    names = [" ".join(key.split()[:3]) for key, anonymous, _ in rows if not anonymous]
    numbers = [number for _, _, number in rows if number]
    return names[:20], numbers[:20]


def _explain(campaign: Campaign, name: str) -> None:
    from django.db import connection

    from donations.selectors.public import DonorFilters, public_donations

    qs = public_donations(campaign, DonorFilters(name=name))[:50]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        print("\n".join(row[0] for row in cursor.fetchall()))


def _rebuild(campaign: Campaign, times: int) -> None:
    """The figures built straight from the database (what the cache hides)."""
    from lddh.public.selectors import build_disclosure

    build_disclosure(campaign)  # warm the process (imports, plans)
    spent = []
    for _ in range(times):
        start = time.perf_counter()
        build_disclosure(campaign)
        spent.append((time.perf_counter() - start) * 1000)
    spent.sort()
    print(
        f"{'figures built (sums over per-day totals)':<44} p50 {statistics.median(spent):7.1f} ms"
        f"   max {spent[-1]:7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--year", type=int, help="measure this year's campaign, seed nothing")
    parser.add_argument("--donations", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--no-cold", action="store_true", help="skip the page rebuilt with an empty cache"
    )
    parser.add_argument("--explain", action="store_true", help="print the name search's plan")
    args = parser.parse_args()
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    rng = random.Random(1)
    if args.year:
        campaign = Campaign.objects.exclude(status=Campaign.Status.DRAFT).get(year=args.year)
        names, numbers = _samples(campaign, rng)
    else:
        campaign = _setup(args.donations)
        names = [
            f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}" for _ in range(20)
        ]
        total = Donation.objects.filter(campaign=campaign).count()
        numbers = [Receipt.format_number(SERIES, YEAR, rng.randint(1, total)) for _ in range(20)]
    year = campaign.year
    total = Donation.objects.filter(campaign=campaign).count()
    print(f"campaign {year}: {total:,} donations; {args.requests} requests per line")
    base = f"/cong-khai/{year}/"
    ascii_names = [normalise(n) for n in names]
    print("name searches:", ", ".join(ascii_names[:5]), "…")
    if args.explain:
        _explain(campaign, ascii_names[0])
    _measure("year page, figures cached", [base], args.requests)
    if not args.no_cold:
        cold_requests = max(args.requests // 10, 5)
        _rebuild(campaign, cold_requests)
        _measure("year page, cache cleared each time", [base], cold_requests, cold=True)
    _measure("donor list, page 1", [base + "ung-ho/"], args.requests)
    searches = [base + "ung-ho/?ten=" + n.replace(" ", "+") for n in ascii_names]
    _measure("donor search by name without diacritics", searches, args.requests)
    _measure("  the same, first visitor (search not kept)", searches, args.requests, first=True)
    broad = [base + "ung-ho/?ten=" + n for n in BROAD]
    _measure("broad names (nguyen van, nguyen, thi)", broad, args.requests)
    _measure("  the same, first visitor (search not kept)", broad, args.requests, first=True)
    _measure(
        "donor search by receipt number",
        [base + f"ung-ho/?so={number}" for number in numbers],
        args.requests,
    )


if __name__ == "__main__":
    main()
