"""Fill a PostgreSQL database with 1.000.000 bank lines and time the queue's filters.

    DATABASE_URL=postgres://... python bench/queue_fill.py

Prints p50/p95 of each filter's page (the view, through the test client) in ms."""

import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lddh.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

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
        cur.execute(
            """
            INSERT INTO donations_statementline
              (account_id, statement_import_id, fingerprint, row, raw, date, reference,
               transaction_id, credit, debit, description, status)
            SELECT %s, %s, md5(i::text), i, '', DATE '2024-01-01' + (i %% 700),
                   'FT' || i, '', (1 + i %% 500) * 10000, 0,
                   CASE i %% 4
                     WHEN 0 THEN 'MBVCB.' || i || '.123.NGUYEN VAN ' || (i %% 997) || ' chuyen tien'
                     WHEN 1 THEN 'IBFT TRAN THI ' || (i %% 113) || ' ung ho quy vi nguoi ngheo'
                     WHEN 2 THEN 'R' || (i %% 90000) || ' Royal City CK'
                     ELSE 'CT tu 00110040' || i || ' LE VAN HUNG toi 0021000123456' END,
                   CASE WHEN i %% 10 < 8 THEN 'unmatched' ELSE 'ignored' END
            FROM generate_series(1, %s) AS i
            """,
            [account.pk, batch.pk, N],
        )
        cur.execute("ANALYZE donations_statementline")
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
        "amount": {"amount_min": "1.000.000", "amount_max": "1.200.000"},
        "text": {"q": "TRAN THI 42 "},
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
    for name, params in cases.items():
        times = []
        for _ in range(20):
            start = time.perf_counter()
            response = c.get("/quan-ly/ung-ho/sao-ke/dong/", params)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"{name:10} p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms")


if __name__ == "__main__":
    main()
