"""Benchmark of the donor book export (sổ theo dõi ủng hộ, lddh/reports): rows per
second and memory for 100.000 donations, or 1.000.000 with --million.

    .venv/bin/python bench/export_donor_list.py             # 100.000 rows, temp SQLite
    .venv/bin/python bench/export_donor_list.py --million   # 1.000.000 rows
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lddh_h_scratch \\
        .venv/bin/python bench/export_donor_list.py

The database named by DATABASE_URL (or a temporary SQLite file) is migrated and filled
with bulk inserts of Donor, Donation, Receipt and LedgerEntry rows: use a scratch
database, never a real one. Not part of the test suite.

With --existing nothing is migrated or inserted: it exports the donations already in
DATABASE_URL (e.g. lddh_bench, made by `seed_demo --scale 1000000`), over a period that
holds at least --rows of them, and --writer chooses what writes the cells:

    app           the report (lddh/reports, DonorList through write_report_xlsx)
    xlsxwriter    a plain loop writing the same 8 cells per row, xlsxwriter constant_memory
    pyexcelerate  the same loop with pyexcelerate (keeps the whole sheet in memory)

The plain loops read the same rows with the same query (donor_rows), so the ratio
app / plain is the cost of the report's own work on top of reading and writing cells.
--json prints one line `BENCH_RESULT {...}` (rows, seconds, rows_per_s, max_rss_mb);
bench/run.py runs each writer in its own process so that ru_maxrss is that writer's.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import secrets
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup() -> str | None:
    """Django on DATABASE_URL, or on a temporary SQLite file (its folder is returned)."""
    folder = None
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="lddh-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ.setdefault("LDDH_VAR_DIR", folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lddh.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return folder


def fill(rows: int, batch: int = 5000) -> None:
    from django.db import connection, transaction

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a scratch file: no need to survive a crash
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA journal_mode=MEMORY")
    with transaction.atomic():
        _fill(rows, batch)


def _fill(rows: int, batch: int) -> None:
    from django.contrib.auth import get_user_model

    from donations.models import Account, Donation, Donor, Fund, LedgerEntry, Receipt
    from lddh.ward.vocab import DonorSource

    fund, _ = Fund.objects.get_or_create(code="VNN", defaults={"name": "Quỹ Vì người nghèo"})
    if Donation.objects.filter(fund=fund).count() >= rows:
        print(f"{rows:,} donations already there: reusing them")
        return
    user, _ = get_user_model().objects.get_or_create(username="bench")
    account, _ = Account.objects.get_or_create(name="Quỹ tiền mặt", kind=Account.Kind.CASH)
    sources = DonorSource.values
    donors = Donor.objects.bulk_create(
        [
            Donor(source=sources[i % len(sources)], name=f"Nguyễn Văn Bench {i}", created_by=user)
            for i in range(2000)
        ]
    )
    for donor in donors:
        donor.refresh_keys()
    start = datetime.date(2024, 1, 1)
    done = 0
    began = time.perf_counter()
    while done < rows:
        size = min(batch, rows - done)
        donations = Donation.objects.bulk_create(
            [
                Donation(
                    donor=donors[(done + i) % len(donors)],
                    date=start + datetime.timedelta(days=(done + i) % 366),
                    amount=50_000 + ((done + i) % 40) * 25_000,
                    channel=Donation.Channel.CASH,
                    purpose=Donation.Purpose.FUND,
                    fund=fund,
                    account=account,
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
                    seq=done + i + 1,
                    number=Receipt.format_number("VNN", 2024, done + i + 1),
                    token=secrets.token_urlsafe(16),
                    issued_by=user,
                    date=d.date,
                    amount=d.amount,
                    amount_words="(bench)",
                    donor_name=d.donor.name,
                    donor_display_name=d.donor.name,
                    purpose_label="Ủng hộ Quỹ",
                    channel_label="Tiền mặt",
                    issuer_name="bench",
                )
                for i, d in enumerate(donations)
            ]
        )
        LedgerEntry.objects.bulk_create(
            [
                LedgerEntry(
                    fund=fund,
                    sequence=done + i + 1,
                    account=account,
                    amount=d.amount,
                    kind=LedgerEntry.Kind.RECEIPT,
                    date=d.date,
                    donation=d,
                    receipt=r,
                    document_type="donations.receipt",
                    document_id=str(r.pk),
                    created_by=user,
                )
                for i, (d, r) in enumerate(zip(donations, receipts, strict=True))
            ]
        )
        done += size
    from donations.services import rebuild_day_totals

    rebuild_day_totals()  # written past the services: the per-day totals afresh
    print(f"  inserted {done:,} donations in {time.perf_counter() - began:.1f} s")


def export(trace: bool) -> None:
    from django.db.models import Sum

    from donations.models import Donation, Fund
    from lddh.reports.exports.base import ReportContext
    from lddh.reports.exports.books import DonorList
    from lddh.reports.exports.render import write_report_xlsx
    from lddh.reports.periods import Period

    fund = Fund.objects.get(code="VNN")
    period = Period(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), "Năm 2024")
    context = ReportContext(period=period, fund=fund, today=datetime.date.today())
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    began = time.perf_counter()
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as target:
        summary = write_report_xlsx(target, DonorList(context))[0]
        target.flush()
        size = os.path.getsize(target.name)
    elapsed = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    if trace:
        tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    expected = Donation.objects.filter(fund=fund, status="valid").aggregate(s=Sum("amount"))["s"]
    assert summary.totals["Số tiền (đồng)"] == expected, "the export's total is wrong"
    print(f"  rows written   {summary.rows:,} ({size / 1e6:.1f} MB xlsx)")
    print(f"  time           {elapsed:.1f} s → {summary.rows / elapsed:,.0f} rows/s")
    if peak is not None:
        print(f"  peak Python memory (tracemalloc) {peak / 1e6:.1f} MB (tracemalloc slows it)")
    print(
        f"  max RSS        {rss_before / 1024:.0f} MB before, {rss_after / 1024:.0f} MB after "
        "(the process peak, inserts included)"
    )


# --------------------------------------------------------------- on an existing database


def bench_period(rows: int):
    """The report's fund and a period from the first fund donation to the date of the
    rows-th one (every donation of that last day included): at least `rows` rows when
    the database has them, all of them otherwise."""
    from donations.models import Donation, Fund
    from lddh.reports.periods import Period

    fund = Fund.objects.order_by("order", "pk").first()
    if fund is None:
        sys.exit("no fund in this database: seed it first (manage.py seed_demo --scale ...)")
    dates = (
        Donation.objects.filter(fund=fund, purpose=Donation.Purpose.FUND)
        .order_by("date")
        .values_list("date", flat=True)
    )
    first = dates.first()
    if first is None:
        sys.exit("no fund donation in this database: seed it first")
    last = dates[rows - 1 : rows].first() or dates.last()
    return fund, Period(first, last, f"Bench {first:%d/%m/%Y}–{last:%d/%m/%Y}")


def _plain_rows(fund, period):
    """The 8 cells of each donor book row, straight from the report's query."""
    from donations.selectors.reports import donor_rows

    for number, row in enumerate(donor_rows(fund, period.start, period.end), start=1):
        receipt, day, name, _rep, _source, channel, amount, _status, reason, group, _anon = row
        yield (number, receipt or "", day, name, group or "", channel, amount, reason or "")


def write_xlsxwriter(path: str, fund, period) -> int:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = workbook.add_worksheet("Sổ theo dõi ủng hộ")
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ("STT", "Số biên nhận", "Ngày", "Người ủng hộ", "Tổ dân phố",
                           "Hình thức", "Số tiền (đồng)", "Ghi chú"))  # fmt: skip
    n = 0
    for n, cells in enumerate(_plain_rows(fund, period), start=1):
        sheet.write_number(n, 0, cells[0])
        sheet.write_string(n, 1, cells[1])
        sheet.write_datetime(n, 2, datetime.datetime.combine(cells[2], datetime.time()),
                             date_format)  # fmt: skip
        sheet.write_string(n, 3, cells[3])
        sheet.write_string(n, 4, cells[4])
        sheet.write_string(n, 5, cells[5])
        sheet.write_number(n, 6, cells[6])
        sheet.write_string(n, 7, cells[7])
    workbook.close()
    return n


def write_pyexcelerate(path: str, fund, period) -> int:
    from pyexcelerate import Workbook as FastWorkbook

    data = [["STT", "Số biên nhận", "Ngày", "Người ủng hộ", "Tổ dân phố", "Hình thức",
             "Số tiền (đồng)", "Ghi chú"]]  # fmt: skip
    data.extend(list(cells) for cells in _plain_rows(fund, period))
    workbook = FastWorkbook()
    workbook.new_sheet("Sổ theo dõi ủng hộ", data=data)
    workbook.save(path)
    return len(data) - 1


def write_app(path: str, fund, period) -> int:
    from lddh.reports.exports.base import ReportContext
    from lddh.reports.exports.books import DonorList
    from lddh.reports.exports.render import write_report_xlsx
    from lddh.ward.models import WardProfile

    context = ReportContext(
        period=period,
        fund=fund,
        today=datetime.date.today(),
        ward=WardProfile.current(period.end),
    )
    with open(path, "wb") as target:
        return write_report_xlsx(target, DonorList(context))[0].rows


WRITERS = {"app": write_app, "xlsxwriter": write_xlsxwriter, "pyexcelerate": write_pyexcelerate}


def existing(rows: int, writer: str, as_json: bool) -> None:
    import json

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lddh.settings")
    import django

    django.setup()
    fund, period = bench_period(rows)
    folder = tempfile.mkdtemp(prefix="lddh-bench-xlsx-")
    path = os.path.join(folder, f"{writer}.xlsx")
    try:
        began, cpu_began = time.perf_counter(), time.process_time()
        written = WRITERS[writer](path, fund, period)
        elapsed = time.perf_counter() - began
        cpu = time.process_time() - cpu_began
        size = os.path.getsize(path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "writer": writer,
        "rows": written,
        "seconds": elapsed,
        "rows_per_s": written / elapsed,
        "cpu_s": cpu,
        "rows_per_cpu_s": written / cpu,
        "max_rss_mb": rss,
        "xlsx_mb": size / 1e6,
        "period": period.dates,
    }
    if as_json:
        print("BENCH_RESULT " + json.dumps(result))
    else:
        print(
            f"{writer}: {written:,} rows in {elapsed:.1f} s → {written / elapsed:,.0f} rows/s "
            f"({cpu:.1f} s of CPU → {written / cpu:,.0f} rows/CPU s), max RSS {rss:.0f} MB, "
            f"{size / 1e6:.1f} MB xlsx ({period.dates})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--million", action="store_true", help="1.000.000 rows")
    parser.add_argument("--trace", action="store_true", help="measure with tracemalloc")
    parser.add_argument("--keep", action="store_true", help="(SQLite) keep the temp file")
    parser.add_argument(
        "--existing", action="store_true", help="export the rows already in DATABASE_URL"
    )
    parser.add_argument("--writer", choices=sorted(WRITERS), default="app")
    parser.add_argument("--json", action="store_true", help="print one BENCH_RESULT line")
    args = parser.parse_args()
    rows = 1_000_000 if args.million else args.rows
    if args.existing:
        if not os.environ.get("DATABASE_URL"):
            sys.exit("--existing needs DATABASE_URL")
        existing(rows, args.writer, args.json)
        return
    folder = setup()
    print(f"database: {os.environ['DATABASE_URL']}")
    try:
        fill(rows)
        print(f"donor book export of {rows:,} donations:")
        export(trace=args.trace)
    finally:
        if folder and not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
