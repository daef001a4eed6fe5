"""Lines per second of the bank statement import (target: 10.000 lines in seconds, and
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

Subcommands setup / page / fill / rate / queue are the steps of `make bench`'s statement
section (bench/run.py runs them against a scratch PostgreSQL database it creates and
drops; see bench/README.md); `rate --profile FILE` writes a pyinstrument profile.
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
from donations.models import Account, BankLayout, StatementImport, StatementLine  # noqa: E402
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


# ------------------------------------------------------------- the `make bench` figures
#
# The three speed figures of the import (run by bench/run.py, section "statement"), each
# subcommand in its own process against a scratch database that run.py creates, migrates
# and drops: setup, page (an upload through the page), fill (1.000.000 stored lines by
# COPY), rate (lines per second of one import into an account) and queue (server time of
# the unmatched queue).

# The queue pages measured, as query strings after /quan-ly/ung-ho/sao-ke/dong/ ({account}:
# the account holding 1.000.000 lines). Parameters of both namings: trang-thai / tai-khoan
# (the queue before django-filter) and status / account / q / date_from / date_to /
# amount_min / amount_max (donations/filters.py StatementLineFilter); a page ignores the
# ones it does not know. Adjust here when the queue's parameters change.
QUEUE_QUERIES = {
    "unmatched, page 1": "",
    "unmatched, one account": "trang-thai=unmatched&tai-khoan={account}"
    "&status=unmatched&account={account}",
    "unmatched, page 500": "page=500",
    "text 'ung ho mien bac'": "status=unmatched&q=ung+ho+mien+bac",
    "text, a name": "status=unmatched&q=PHUONG+THAO",
    "dates, 3 days": "status=unmatched&date_from=10/06/2024&date_to=12/06/2024",
    "amount 500.000 – 2.000.000": "status=unmatched&amount_min=500.000&amount_max=2.000.000",
    "all filters": "status=unmatched&account={account}&q=ung+ho&date_from=01/06/2024"
    "&date_to=30/06/2024&amount_min=100.000&amount_max=1.000.000",
}
FILTER_PARAMS = ("q", "date_from", "date_to", "amount_min", "amount_max")
FILL_START = datetime.date(2024, 6, 1)
FILE_START = datetime.date(2024, 9, 1)
OPENING = 1_000_000_000
FILE_FIRST = 5_000_000  # the numbering of the measured files (other transfers than the fill)


def emit(result: dict) -> None:
    import json

    print("BENCH_RESULT " + json.dumps(result, default=str), flush=True)


def bench_layout() -> BankLayout:
    from bench import vcb

    values = dict(vcb.LAYOUT)
    layout, _ = BankLayout.objects.get_or_create(name=values.pop("name"), defaults=values)
    return layout


def cmd_setup(args) -> None:
    """The demo users (canbo signs in), the layout and three bank accounts: one for the
    upload through the page, one for the empty-table rate, one to hold 1.000.000 lines."""
    from django.conf import settings

    from bench.workers import logged_in_client
    from lddh.demo import ward as demo

    demo.seed(stdout=io.StringIO())
    layout = bench_layout()
    accounts = {}
    for key, name in (
        ("page", "TK bench – tải lên qua trang"),
        ("empty", "TK bench – bảng trống"),
        ("loaded", "TK bench – 1.000.000 dòng"),
    ):
        accounts[key] = Account.objects.create(name=name, kind=Account.Kind.BANK, order=50).pk
    client = logged_in_client()
    cookie = settings.SESSION_COOKIE_NAME
    emit(
        {
            "layout": layout.pk,
            "accounts": accounts,
            "cookie": f"{cookie}={client.cookies[cookie].value}",
        }
    )


def _continuation(account: Account) -> tuple[datetime.date, int]:
    """Where a new file for the account starts: the day after its last stored line, from
    the balance that line left (so the file follows on, no gap between files)."""
    last = (
        StatementLine.objects.filter(account=account)
        .order_by("-date", "-row", "-pk")
        .values_list("date", "balance")
        .first()
    )
    if last is None:
        return FILE_START, OPENING
    return last[0] + datetime.timedelta(days=1), last[1]


def cmd_rate(args) -> None:
    """One import of ``--lines`` fresh lines into the account, through the service the
    page's task runs (upload + read): its lines per second. Committed (scratch database)."""
    from bench import vcb

    account = Account.objects.get(pk=args.account)
    start, opening = _continuation(account)
    data = vcb.statement_csv(args.lines, start=start, opening=opening, first=FILE_FIRST)
    stored = StatementLine.objects.filter(account=account).count()
    total = StatementLine.objects.count()
    user = get_user_model().objects.get(username="canbo")
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.005)
        profiler.start()
    # Each run is rolled back, so every run meets the same table; the fastest counts (the
    # machine is shared: a slower run measures the other jobs, not the import).
    runs = []
    for _ in range(args.repeat):
        with transaction.atomic():
            started = time.perf_counter()
            batch = services.statement_import(
                actor=user,
                account=account,
                layout=bench_layout(),
                data=data,
                filename="vcb-bench.csv",
            )
            runs.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    seconds = min(runs)
    if profiler is not None:
        profiler.stop()
        Path(args.profile).write_text(profiler.output_text(unicode=True, color=False))
    emit(
        {
            "lines": args.lines,
            "stored_in_account": stored,
            "stored_in_table": total,
            "seconds": seconds,
            "runs": runs,
            "lines_per_s": args.lines / seconds,
            "status": batch.status,
            "new": batch.new_count,
            "refusal": batch.error[:300],
        }
    )


def cmd_fill(args) -> None:
    """``--lines`` stored lines in the account by COPY (as if imported earlier): the
    fingerprint computed as the import computes it, credits unmatched, debits ignored;
    then VACUUM ANALYZE, as autovacuum would long have done on lines stored over months
    (without it, autovacuum starts in the middle of the measurements that follow)."""
    import hashlib

    from django.db import connection

    from bench import vcb

    account = Account.objects.get(pk=args.account)
    user = get_user_model().objects.get(username="canbo")
    batch = StatementImport.objects.create(
        account=account,
        layout=bench_layout(),
        status=StatementImport.Status.DONE,
        filename="vcb-fill.csv",
        sha256="0" * 64,
        size=0,
        row_count=args.lines,
        line_count=args.lines,
        new_count=args.lines,
        imported_by=user,
    )
    columns = (
        "account_id, statement_import_id, fingerprint, row, raw, date, reference, "
        "transaction_id, credit, debit, balance, description, status"
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY donations_statementline ({columns}) FROM STDIN") as copy:
            for line in vcb.lines_of(args.lines, start=FILL_START, opening=OPENING):
                way, amount = ("C", line.credit) if line.credit else ("D", line.debit)
                base = (
                    f"{line.date.isoformat()}|{line.reference}|{way}|{amount}|"
                    f"{line.description}|{line.balance}"
                )
                key = hashlib.sha256(f"line|{base}|1".encode()).hexdigest()
                raw = ",".join(
                    (str(line.number), f"{line.date:%d/%m/%Y}", line.reference,
                     vcb.dots(line.debit), vcb.dots(line.credit), vcb.dots(line.balance),
                     line.description)
                )  # fmt: skip
                copy.write_row(
                    (account.pk, batch.pk, key, line.number + 8, raw, line.date, line.reference,
                     "", line.credit, line.debit, line.balance, line.description,
                     "unmatched" if line.credit else "ignored")
                )  # fmt: skip
        copied = time.perf_counter() - started
        cursor.execute("VACUUM ANALYZE donations_statementline")
    emit({"lines": args.lines, "copy_s": copied, "seconds": time.perf_counter() - started})


def cmd_page(args) -> None:
    """One upload through the page, as a browser sends it: a multipart POST streamed to
    /quan-ly/ung-ho/sao-ke/ on the running server, signed in as canbo; timed from the
    first byte sent until the import page says the import is done (with no task worker
    the POST itself returns when it is; with one, its progress is polled)."""
    import http.client
    import json
    import re
    import uuid
    from urllib.parse import urlsplit

    from bench import vcb

    account = Account.objects.get(pk=args.account)
    start, opening = _continuation(account)
    data = vcb.statement_csv(args.lines, start=start, opening=opening, first=FILE_FIRST)
    target = urlsplit(args.base)

    def request(method, path, body=None, headers=None):
        conn = http.client.HTTPConnection(target.hostname, target.port, timeout=900)
        try:
            conn.request(method, path, body=body, headers={"Cookie": cookie, **(headers or {})})
            response = conn.getresponse()
            return response, response.read()
        finally:
            conn.close()

    cookie = args.cookie
    response, page = request("GET", "/quan-ly/ung-ho/sao-ke/")
    if response.status != 200:
        sys.exit(f"upload page: HTTP {response.status}")
    # The CSRF cookie is Secure (DEBUG off): sent back by hand, as wrk sends the session.
    found = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "") or "")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if found:
        cookie += f"; csrftoken={found.group(1)}"
    boundary = uuid.uuid4().hex
    fields = {
        "csrfmiddlewaretoken": token.group(1).decode() if token else "",
        "account": str(account.pk),
        "layout": str(bench_layout().pk),
    }
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="VCB_saoke_{start:%Y%m%d}.csv"\r\nContent-Type: text/csv\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    size = len(head) + len(data) + len(tail)

    def body():
        yield head
        view = memoryview(data)
        for offset in range(0, len(data), 64 * 1024):
            yield bytes(view[offset : offset + 64 * 1024])
        yield tail

    headers = {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(size),
    }
    started = time.perf_counter()
    response, _ = request("POST", "/quan-ly/ung-ho/sao-ke/", body=body(), headers=headers)
    posted = time.perf_counter() - started
    location = response.getheader("Location", "")
    match = re.search(r"/sao-ke/nhap/(\d+)/", location)
    if response.status != 302 or not match:
        sys.exit(f"upload: HTTP {response.status} {location}")
    pk = int(match.group(1))
    polls = 0
    while True:
        response, progress = request("GET", f"/quan-ly/ung-ho/sao-ke/nhap/{pk}/tien-do/")
        polls += 1
        if response.status != 200:
            sys.exit(f"progress: HTTP {response.status}")
        if json.loads(progress)["done"]:
            break
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    batch = StatementImport.objects.get(pk=pk)
    emit(
        {
            "lines": args.lines,
            "bytes": size,
            "seconds": seconds,
            "post_s": posted,
            "polls": polls,
            "lines_per_s": args.lines / seconds,
            "status": batch.status,
            "new": batch.new_count,
            "rows": batch.row_count,
            "skipped": batch.skipped_count,
            "refusal": batch.error[:300],
        }
    )


def cmd_queue(args) -> None:
    """p50/p95 server time of the unmatched queue pages (the timing middleware's
    Server-Timing header), one request at a time through the test client as canbo."""
    from bench.workers import logged_in_client, percentile

    account = Account.objects.get(pk=args.account)
    try:
        from donations.filters import StatementLineFilter

        known = set(StatementLineFilter.base_filters)
    except ImportError:
        known = set()
    client = logged_in_client()
    results = {}
    for name, query in QUEUE_QUERIES.items():
        query = query.format(account=account.pk)
        url = "/quan-ly/ung-ho/sao-ke/dong/" + (f"?{query}" if query else "")
        params = {part.split("=")[0] for part in query.split("&") if part}
        ignored = sorted((params & set(FILTER_PARAMS)) - known)
        for _ in range(3):
            response = client.get(url)
        if response.status_code != 200:
            results[name] = {"url": url, "error": f"HTTP {response.status_code}"}
            continue
        times = []
        began = time.perf_counter()
        while len(times) < args.requests and time.perf_counter() - began < args.seconds:
            response = client.get(url)
            times.append(float(response["Server-Timing"].split("dur=")[1]))
        results[name] = {
            "url": url,
            "n": len(times),
            "p50": percentile(times, 50),
            "p95": percentile(times, 95),
            "ignored": ignored,
        }
    emit({"pages": results, "lines": StatementLine.objects.count()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--xlsx", action="store_true", help="an Excel file instead of CSV")
    parser.add_argument("--json", action="store_true", help="print one BENCH_RESULT line")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("setup")
    p = sub.add_parser("rate")
    p.add_argument("--account", type=int, required=True)
    p.add_argument("--lines", type=int, default=100_000)
    p.add_argument("--profile", default="", help="write a pyinstrument profile to this file")
    p.add_argument("--repeat", type=int, default=3, help="runs, each rolled back; the fastest")
    p = sub.add_parser("fill")
    p.add_argument("--account", type=int, required=True)
    p.add_argument("--lines", type=int, default=1_000_000)
    p = sub.add_parser("page")
    p.add_argument("--account", type=int, required=True)
    p.add_argument("--lines", type=int, default=200_000)
    p.add_argument("--base", required=True, help="http://127.0.0.1:PORT")
    p.add_argument("--cookie", required=True, help="the session cookie (name=value)")
    p = sub.add_parser("queue")
    p.add_argument("--account", type=int, required=True)
    p.add_argument("--requests", type=int, default=100)
    p.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    if args.command:
        if SCRATCH:
            sys.exit("these measurements need DATABASE_URL (a scratch PostgreSQL database)")
        {
            "setup": cmd_setup,
            "rate": cmd_rate,
            "fill": cmd_fill,
            "page": cmd_page,
            "queue": cmd_queue,
        }[args.command](args)
        return
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
        emit(result)
    if SCRATCH:
        import shutil

        shutil.rmtree(os.environ["LDDH_VAR_DIR"], ignore_errors=True)


if __name__ == "__main__":
    main()
