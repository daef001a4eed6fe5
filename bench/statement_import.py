"""Lines per second of the bank statement import (issue 5: 10.000 lines in seconds, and
re-importing them changes nothing). Not part of pytest.

    .venv/bin/python bench/statement_import.py                 # 10.000 lines, scratch SQLite
    .venv/bin/python bench/statement_import.py --lines 200000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lddh_bench \\
        .venv/bin/python bench/statement_import.py --xlsx

Without DATABASE_URL it migrates a fresh SQLite file in a temporary directory. With
DATABASE_URL (already migrated) everything runs inside one transaction that is rolled
back at the end: the database is left as it was. It generates a statement in the
generic layout (half the lines with a bank reference, half without), imports it through
``statement_import`` (parse, fingerprint, one query for the stored fingerprints, bulk
inserts), then imports the same file again (nothing new) and prints lines per second.
--json adds one line `BENCH_RESULT {...}` for bench/run.py (`make bench`).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lddh.settings")
SCRATCH = not os.environ.get("DATABASE_URL")
if SCRATCH:
    os.environ["LDDH_VAR_DIR"] = tempfile.mkdtemp(prefix="lddh-bench-")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from donations import services  # noqa: E402
from donations.models import Account, BankLayout, StatementLine  # noqa: E402
from donations.statements import MAX_FILE_BYTES  # noqa: E402

GENERIC = "Mẫu chung (Ngày, Số tham chiếu, Ghi nợ, Ghi có, Số dư, Nội dung)"


def statement(lines: int, *, xlsx: bool) -> bytes:
    start = datetime.date(2024, 1, 1)
    header = ["Ngày", "Số tham chiếu", "Ghi nợ", "Ghi có", "Số dư", "Nội dung"]
    balance = 1_000_000_000
    rows = []
    for n in range(lines):
        day = start + datetime.timedelta(days=n * 365 // lines)
        amount = 50_000 + (n * 7919) % 5_000_000
        debit = n % 10 == 9
        balance += -amount if debit else amount
        rows.append([
            f"{day:%d/%m/%Y}",
            f"FT{n:010d}" if n % 2 else "",
            f"{amount:,}".replace(",", ".") if debit else "",
            "" if debit else f"{amount:,}".replace(",", "."),
            f"{balance:,}".replace(",", "."),
            f"MBVCB.{n}.NGUYEN VAN {n} CHUYEN TIEN UNG HO QUY VNN R{n % 9999:04d}",
        ])  # fmt: skip
    if xlsx:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


class Rollback(Exception):
    pass


def run(lines: int, xlsx: bool) -> dict:
    data = statement(lines, xlsx=xlsx)
    kind = "XLSX" if xlsx else "CSV"
    count = f"{lines:,}".replace(",", ".")
    print(f"{count} dòng, tệp {kind} {len(data) / 1024 / 1024:.1f} MB")
    if len(data) > MAX_FILE_BYTES:
        print(
            f"  (lớn hơn giới hạn tải lên {MAX_FILE_BYTES // 1024 // 1024} MB: đo trực tiếp "
            "dịch vụ, trang web sẽ từ chối tệp này)"
        )
        import donations.statements.files as files

        files.MAX_FILE_BYTES = len(data) + 1
    user, _ = get_user_model().objects.get_or_create(username="bench-statement")
    account = Account.objects.create(name="TK bench", kind=Account.Kind.BANK)
    layout = BankLayout.objects.get(name=GENERIC)
    seconds = []
    for label in ("lần đầu", "nhập lại (không có gì mới)"):
        started = time.perf_counter()
        result = services.statement_import(
            actor=user, account=account, layout=layout, data=data, filename="bench.csv"
        )
        elapsed = time.perf_counter() - started
        seconds.append(elapsed)
        print(
            f"  {label:<28} {elapsed:7.2f} s  {lines / elapsed:10,.0f} dòng/giây  "
            f"({result.new_count} dòng mới)".replace(",", ".")
        )
    assert StatementLine.objects.filter(account=account).count() == lines
    return {
        "lines": lines,
        "format": kind,
        "seconds": seconds[0],
        "lines_per_s": lines / seconds[0],
        "again_seconds": seconds[1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--xlsx", action="store_true", help="an Excel file instead of CSV")
    parser.add_argument("--json", action="store_true", help="print one BENCH_RESULT line")
    args = parser.parse_args()
    if SCRATCH:
        call_command("migrate", verbosity=0)
        print(f"SQLite tạm: {os.environ['LDDH_VAR_DIR']}")
    try:
        with transaction.atomic():
            result = run(args.lines, args.xlsx)
            raise Rollback
    except Rollback:
        pass
    if args.json:
        import json

        print("BENCH_RESULT " + json.dumps(result))
    if SCRATCH:
        import shutil

        shutil.rmtree(os.environ["LDDH_VAR_DIR"], ignore_errors=True)


if __name__ == "__main__":
    main()
