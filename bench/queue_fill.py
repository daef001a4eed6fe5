# ruff: noqa: E501 (the fill is one SQL statement, easier to read unwrapped)
"""Fill a PostgreSQL database with 1.000.000 bank lines and time the queue's filters.

    DATABASE_URL=postgres://... python bench/queue_fill.py

Prints p50/p95 of each filter's page in ms: the server time (the Server-Timing header of
the bench settings) of 50 requests after 5 warm-ups, and the bare "ok" view of the bench
URLs as the reference measured in the same run (the machine is shared)."""

import json
import os
import re
import statistics

import django

# Measured as production serves pages: the bench settings (DEBUG off, the Server-Timing
# middleware), one request at a time through the test client, like bench/run.py does.
from bench.run import BENCH_ENV

for _key, _value in BENCH_ENV.items():
    os.environ.setdefault(_key, _value)
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from donations.models import Account, BankLayout, StatementImport, StatementLine  # noqa: E402
from lddh.ward.models import Membership  # noqa: E402
from lddh.ward.roles import Role  # noqa: E402

N = int(os.environ.get("LINES", "1000000"))


def fill():
    account, _ = Account.objects.get_or_create(name="TK bench", kind="bank")
    if StatementLine.objects.count() >= N:
        return account
    user, _ = get_user_model().objects.get_or_create(username="bench")
    layout = BankLayout.objects.first()
    batch = StatementImport.objects.create(
        account=account, layout=layout, filename="bench.csv", sha256="0" * 64, size=0,
        imported_by=user,
    )  # fmt: skip
    with connection.cursor() as cur:
        # Realistic spreads, independent of each other: dates over two years, amounts
        # from the common gift sizes, notes in the banks' shapes with varied names,
        # four lines in five still open.
        cur.execute("SELECT setseed(0.19)")
        cur.execute(
            """
            INSERT INTO donations_statementline
              (account_id, statement_import_id, fingerprint, row, raw, date, reference,
               transaction_id, credit, debit, description, status)
            SELECT %s, %s, md5(i::text), i, '', DATE '2023-01-01' + floor(r1 * 730)::int,
                   'FT' || i, '',
                   (ARRAY[50000, 100000, 100000, 200000, 200000, 300000, 500000, 500000,
                          1000000, 2000000, 5000000, 10000000])[1 + floor(r2 * 12)::int]
                     + floor(r3 * 3)::int * 1000,
                   0,
                   CASE floor(r4 * 6)::int
                     WHEN 0 THEN 'MBVCB.' || i || '.' || (i %% 99991) || '.'
                                 || (ARRAY['NGUYEN','TRAN','LE','PHAM','HOANG','VU'])[1 + floor(r5 * 6)::int]
                                 || ' VAN ' || md5(i::text)::varchar(4) || ' chuyen tien.CT tu 0011004'
                                 || (i %% 1000000) || ' toi 0021000123456'
                     WHEN 1 THEN 'IBFT ' || (ARRAY['DO THI','BUI VAN','DANG MINH','NGO THI'])[1 + floor(r5 * 4)::int]
                                 || ' ' || md5((i * 7)::text)::varchar(5) || ' ung ho quy vi nguoi ngheo'
                     WHEN 2 THEN 'R' || (10000 + floor(r5 * 80000)::int) || ' Royal City CK'
                     WHEN 3 THEN lpad(i::text, 6, '0') || '.' || to_char(DATE '2023-01-01' + floor(r1 * 730)::int, 'DDMMYY')
                                 || '.093012.TRINH THI ' || md5((i * 3)::text)::varchar(4) || ' ung ho'
                     WHEN 4 THEN 'VNN R' || lpad((i %% 9000)::text, 4, '0') || ' TO ' || (i %% 9 + 1) || ' NOP TIEN'
                     ELSE 'TKThe :0123' || i || ', tai VCB. LY VAN ' || md5((i * 5)::text)::varchar(4) || ' chuyen tien'
                   END,
                   CASE WHEN r6 < 0.8 THEN 'unmatched' ELSE 'ignored' END
            FROM (SELECT i, random() r1, random() r2, random() r3, random() r4, random() r5,
                         random() r6 FROM generate_series(1, %s) AS i) g
            """,
            [account.pk, batch.pk, N],
        )
        cur.execute("VACUUM ANALYZE donations_statementline")
    return account


def client():
    user, _ = get_user_model().objects.get_or_create(username="bench-staff")
    Membership.objects.get_or_create(user=user, role=Role.STAFF, defaults={"active": True})
    c = Client(HTTP_HOST="localhost")
    c.force_login(user)
    return c


def main():
    account = fill()
    c = client()
    cases = {
        "no filter": {},
        "account": {"account": account.pk},
        "dates": {"date_from": "01/03/2024", "date_to": "31/03/2024"},
        "amount": {"amount_min": "1.000.000", "amount_max": "2.000.000"},
        "amount rare": {"amount_min": "10.002.000", "amount_max": "10.002.000"},
        "text": {"q": "NGUYEN VAN 3f"},
        "text rare": {"q": "khong co dong nao"},
        "text common": {"q": "royal city"},
        "all": {
            "account": account.pk,
            "date_from": "01/03/2024",
            "date_to": "30/06/2024",
            "amount_min": "500.000",
            "amount_max": "2.000.000",
            "q": "royal",
        },
        "matched": {"status": "matched"},
    }
    print(f"{StatementLine.objects.count()} lines stored")
    print(f"{'reference: ok':18} {_line(_times(c, '/ok/', {}))}")
    for name, params in cases.items():
        sql = _explained(c, params)
        print(f"{name:18} {_line(_times(c, '/quan-ly/ung-ho/sao-ke/dong/', params))}  SQL {sql}")


def _explained(c, params):
    """The lines' queries of one page, each run again under EXPLAIN ANALYZE: their
    execution times in the database (ms) and the index each one used."""
    with CaptureQueriesContext(connection) as captured:
        c.get("/quan-ly/ung-ho/sao-ke/dong/", params)
    out = []
    for query in captured.captured_queries:
        if "donations_statementline" not in query["sql"]:
            continue
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
            plan = cur.fetchone()[0][0]
        indexes = sorted(set(re.findall(r'"Index Name": "([^"]+)"', json.dumps(plan))))
        out.append(f"{plan['Execution Time']:.1f} ms ({', '.join(indexes) or 'no index'})")
    return " + ".join(out)


def _times(c, path, params, runs=50):
    for _ in range(5):
        c.get(path, params)
    times = []
    for _ in range(runs):
        response = c.get(path, params)
        assert response.status_code == 200, response.status_code
        times.append(float(response["Server-Timing"].split("dur=")[1]))
    return sorted(times)


def _line(times):
    p95 = times[int(len(times) * 0.95) - 1]
    return f"p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms"


if __name__ == "__main__":
    main()
