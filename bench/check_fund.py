"""Benchmark of the integrity check (manage.py check_fund) on many donations.

    .venv/bin/python bench/check_fund.py --donations 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lddh_h_scratch \\
        .venv/bin/python bench/check_fund.py --donations 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lddh_bench \\
        .venv/bin/python bench/check_fund.py --existing

Seeds N fund donations with their receipts and hash-chained ledger entries in bulk (plus
a few voids and paid supports), then times the check. Without DATABASE_URL it uses a
fresh SQLite file in a temporary directory. It refuses a database that already holds
donations (never run it on real books), unless --existing: then it seeds nothing and
only reads (the check runs in a read-only transaction on PostgreSQL). It prints the
time of each check, and of the hash chain recomputed in the database and in Python.
Not part of pytest.
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


def setup(keep: bool, *, migrate: bool = True) -> None:
    if not os.environ.get("DATABASE_URL"):
        var = tempfile.mkdtemp(prefix="lddh-bench-")
        os.environ["LDDH_VAR_DIR"] = var
        print(f"SQLite tạm: {var}/lddh.sqlite3" + (" (giữ lại)" if keep else ""))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lddh.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if migrate:
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
    from donations.services import rebuild_day_totals

    rebuild_day_totals()  # written past the services: the per-day totals afresh


def breakdown() -> None:
    """Each check on its own, and the chain both ways (PostgreSQL and Python)."""
    from django.db import connection
    from django.utils import timezone

    from donations.models import Account, Fund
    from lddh.supervision import integrity
    from lddh.supervision.integrity.day_totals import check_day_totals

    funds = {f.pk: f for f in Fund.objects.all()}
    accounts = {a.pk: a for a in Account.objects.all()}
    today = timezone.localdate()
    parts = [
        ("chuỗi mã băm (Python)", lambda: integrity.check_chain(funds, in_database=False)),
        ("số dư", lambda: integrity.check_balance(funds, accounts)),
        ("chứng từ", integrity.check_documents),
        ("sê-ri biên nhận", integrity.check_receipts),
        (
            "hỗ trợ, sao kê",
            lambda: (
                integrity.check_approval()
                + integrity.check_handover(today)
                + integrity.check_repeats()
                + integrity.check_direct()
                + integrity.check_bank()
            ),
        ),
        ("tổng theo ngày", check_day_totals),
    ]
    if connection.vendor == "postgresql":
        parts.insert(
            0,
            (
                "chuỗi mã băm (PostgreSQL)",
                lambda: integrity.check_chain(funds, in_database=True),
            ),
        )
    with integrity._one_snapshot():
        for label, run in parts:
            started = time.monotonic()
            findings = run()
            seconds = time.monotonic() - started
            print(f"  {label:<28} {seconds:6.2f} giây, {len(findings)} phát hiện")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--donations", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="giữ SQLite tạm sau khi chạy")
    parser.add_argument(
        "--existing", action="store_true", help="không tạo dữ liệu: đo trên cơ sở dữ liệu có sẵn"
    )
    args = parser.parse_args()
    setup(args.keep, migrate=not args.existing)
    from django.db import connection

    if not args.existing:
        print(f"Tạo {args.donations:,} khoản ủng hộ…".replace(",", "."))
        seed(args.donations)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # what autovacuum does a minute after a bulk load
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
    print("Từng phần:")
    breakdown()
    sys.exit(1 if report.errors else 0)


if __name__ == "__main__":
    main()
