"""Server time of the public pages with many donations (issue 9: under 50 ms at the
server with 1.000.000 donations in PostgreSQL). Not part of pytest.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lddh_bench \\
        .venv/bin/python bench/public_pages.py --donations 1000000

It migrates nothing: run `manage.py migrate` on that database first. It adds, once, a
closed campaign of year 2099 with N donations (donors, donations and receipts made with
bulk_create, bypassing the services: no ledger entries, figures only), then measures in
process with Django's test client, 200 requests each (p50/p95 in ms):
the year page with the figures cached (what residents get), the same page with the cache
cleared before every request (the worst case after money moved), and donor searches by a
name without diacritics, plus the unfiltered donor list.
"""

from __future__ import annotations

import argparse
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
from lddh.public.cache import bump_version  # noqa: E402
from lddh.ward.text import normalise  # noqa: E402
from lddh.ward.vocab import DonorSource  # noqa: E402

YEAR = 2099
SERIES = "BENCH"
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
    bump_version()  # bulk_create sends no signal
    return campaign


def _donor(rng: random.Random, name: str) -> Donor:
    donor = Donor(source=DonorSource.RESIDENTS, name=name, anonymous=rng.random() < 0.05)
    donor.refresh_keys()
    return donor


def _measure(label: str, urls: list[str], requests: int, *, cold: bool = False) -> None:
    client = Client()
    assert client.get(urls[0]).status_code == 200, urls[0]  # warm up the process
    times = []
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--donations", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--no-cold", action="store_true", help="skip the page rebuilt with an empty cache"
    )
    args = parser.parse_args()
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    campaign = _setup(args.donations)
    total = Donation.objects.filter(campaign=campaign).count()
    print(f"campaign {YEAR}: {total:,} donations; {args.requests} requests per line")
    base = f"/cong-khai/{YEAR}/"
    rng = random.Random(1)
    names = [
        f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}".lower() for _ in range(20)
    ]
    ascii_names = [normalise(n) for n in names]
    _measure("year page, figures cached", [base], args.requests)
    if not args.no_cold:
        cold_requests = max(args.requests // 10, 5)
        _measure("year page, cache cleared each time", [base], cold_requests, cold=True)
    _measure("donor list, page 1", [base + "ung-ho/"], args.requests)
    _measure(
        "donor search by name without diacritics",
        [base + "ung-ho/?ten=" + n.replace(" ", "+") for n in ascii_names],
        args.requests,
    )
    _measure(
        "donor search by receipt number",
        [
            base + f"ung-ho/?so={Receipt.format_number(SERIES, YEAR, rng.randint(1, total))}"
            for _ in range(20)
        ],
        args.requests,
    )


if __name__ == "__main__":
    main()
