"""Benchmark of the integrity check (manage.py check_fund) on many donations.

    .venv/bin/python bench/check_fund.py --donations 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lddh_bench .venv/bin/python bench/check_fund.py

Seeds N fund donations with their receipts and hash-chained ledger entries in bulk (plus
a few voids and paid supports), then times the check. Without DATABASE_URL it uses a
fresh SQLite file in a temporary directory. It refuses a database that already holds
donations (never run it on real books). Not part of pytest.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup(keep: bool) -> None:
    if not os.environ.get("DATABASE_URL"):
        var = tempfile.mkdtemp(prefix="lddh-bench-")
        os.environ["LDDH_VAR_DIR"] = var
        print(f"SQLite tạm: {var}/lddh.sqlite3" + (" (giữ lại)" if keep else ""))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lddh.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(n: int, batch: int = 20000) -> None:
    import secrets

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from donations.models import (
        Account,
        Donation,
        Donor,
        Fund,
        LedgerEntry,
        Receipt,
        ReceiptCounter,
    )
    from donations.models.books import GENESIS_HASH, ledger_hash

    if Donation.objects.exists():
        sys.exit("Cơ sở dữ liệu đã có khoản ủng hộ: benchmark chỉ chạy trên cơ sở dữ liệu trống.")
    user = get_user_model().objects.create_user("bench", password=secrets.token_hex(8))
    fund = Fund.objects.create(code="VNN", name="Quỹ “Vì người nghèo”")
    cash = Account.objects.create(name="Quỹ tiền mặt", kind=Account.Kind.CASH)
    donors = Donor.objects.bulk_create(
        [Donor(source="individual", name=f"Người ủng hộ {i}") for i in range(1000)]
    )
    day = datetime.date(2024, 10, 20)
    now = timezone.now()
    previous = GENESIS_HASH
    started = time.monotonic()
    for start in range(0, n, batch):
        size = min(batch, n - start)
        with transaction.atomic():
            donations = Donation.objects.bulk_create(
                [
                    Donation(
                        donor=donors[(start + i) % len(donors)],
                        date=day,
                        amount=100_000 + (start + i) % 50 * 10_000,
                        channel=Donation.Channel.CASH,
                        purpose=Donation.Purpose.FUND,
                        fund=fund,
                        account=cash,
                        entered_by=user,
                    )
                    for i in range(size)
                ]
            )
            receipts = Receipt.objects.bulk_create(
                [
                    Receipt(
                        donation=d,
                        fund=fund,
                        series="VNN",
                        year=2024,
                        seq=start + i + 1,
                        number=Receipt.format_number("VNN", 2024, start + i + 1),
                        token=secrets.token_urlsafe(16),
                        issued_by=user,
                        date=day,
                        amount=d.amount,
                        amount_words="(benchmark)",
                        donor_name="Người ủng hộ",
                        donor_display_name="Người ủng hộ",
                        purpose_label="Ủng hộ Quỹ",
                        channel_label="Tiền mặt",
                        issuer_name="bench",
                    )
                    for i, d in enumerate(donations)
                ]
            )
            entries = []
            for i, (d, r) in enumerate(zip(donations, receipts, strict=True)):
                entry = LedgerEntry(
                    fund=fund,
                    sequence=start + i + 1,
                    account=cash,
                    amount=d.amount,
                    kind=LedgerEntry.Kind.RECEIPT,
                    date=day,
                    donation=d,
                    receipt=r,
                    document_type="donations.receipt",
                    document_id=str(r.pk),
                    description=f"Thu theo biên nhận {r.number}",
                    created_by=user,
                    created_at=now,
                )
                entry.hash = previous = ledger_hash(previous, entry.chain_values())
                entries.append(entry)
            LedgerEntry.objects.bulk_create(entries)
        done = start + size
        if done % (batch * 20) == 0 or done == n:
            print(f"  đã tạo {done} khoản ({time.monotonic() - started:.0f} giây)")
    ReceiptCounter.objects.create(series="VNN", year=2024, last=n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--donations", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="giữ SQLite tạm sau khi chạy")
    args = parser.parse_args()
    setup(args.keep)
    print(f"Tạo {args.donations:,} khoản ủng hộ…".replace(",", "."))
    seed(args.donations)
    from lddh.supervision.integrity import run_check
    from lddh.ward.money import format_number

    started = time.monotonic()
    report = run_check()
    seconds = time.monotonic() - started
    print(
        f"Kiểm tra sổ quỹ: {format_number(report.counts['entries'])} bút toán, "
        f"{len(report.errors)} sai lệch, {seconds:.2f} giây"
    )
    for finding in report.errors:
        print("  SAI:", finding.title)
    sys.exit(1 if report.errors else 0)


if __name__ == "__main__":
    main()
