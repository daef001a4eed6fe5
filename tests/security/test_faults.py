"""Faults: a request that fails halfway leaves no partial money
records, imports and posting are safe to retry, and the application survives a restart
of PostgreSQL without a restart of its own."""

from __future__ import annotations

import io
import os
import subprocess
import time
from unittest import mock

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from donations import services
from donations.models import (
    CollectionRound,
    Donation,
    Donor,
    LedgerEntry,
    Receipt,
    ReceiptCounter,
    StatementLine,
)
from donations.selectors import fund_balance
from households.models import Support
from lddh.ward.models import AuditEvent
from tests.donations.test_concurrency import run_together
from tests.donations.test_views import form_data
from tests.factories import make_round, statement_csv
from tests.households.support_helpers import Books as SupportBooks
from tests.households.support_helpers import approve, propose

SERVER_ERROR_TEXT = "Dữ liệu chưa lưu không bị ghi dở dang"


class Boom(RuntimeError):
    """A fault injected in the middle of a money write."""


def _failing_client(world, persona: str) -> Client:
    """A signed-in client that gets the 500 page instead of the exception, as a user would."""
    client = Client(raise_request_exception=False)
    client.force_login(world.users[persona])
    return client


def _money_rows() -> tuple[int, int, int]:
    return Donation.objects.count(), Receipt.objects.count(), LedgerEntry.objects.count()


# --------------------------------------------------------------------------- (b) halfway


def test_a_donation_failing_after_its_receipt_leaves_nothing_and_no_gap(world, books):
    client = _failing_client(world, "staff")
    data = form_data(client, books)
    counter_before = list(ReceiptCounter.objects.values_list("series", "year", "last"))
    with mock.patch("donations.services.receipts.ledger_write", side_effect=Boom("mất điện")):
        response = client.post(reverse("donations:create"), data)
    assert response.status_code == 500
    assert SERVER_ERROR_TEXT in response.content.decode()
    assert _money_rows() == (0, 0, 0)
    assert not AuditEvent.objects.filter(action="donation.record").exists()
    # The number taken inside the failed transaction was given back.
    assert list(ReceiptCounter.objects.values_list("series", "year", "last")) in (
        counter_before,
        [],
    )
    # The same form sent again (the person presses "Lưu" once more) gets number 1.
    response = client.post(reverse("donations:create"), data)
    assert response.status_code == 302
    receipt = Receipt.objects.get()
    assert receipt.seq == 1
    assert receipt.number.endswith("000001")
    assert fund_balance(books.vnn) == 1_500_000


def test_a_new_donor_with_a_failing_donation_leaves_no_orphan_donor(world, books):
    client = _failing_client(world, "staff")
    donors = Donor.objects.count()
    data = form_data(
        client,
        books,
        donor="",
        new_name="Trần Thị Mới",
        new_source="individual",
        new_phone="0911 222 333",
    )
    with mock.patch("donations.services.receipts.log_event", side_effect=Boom("hỏng giữa chừng")):
        response = client.post(reverse("donations:create"), data)
    assert response.status_code == 500
    assert Donor.objects.count() == donors
    assert _money_rows() == (0, 0, 0)


def test_a_round_posting_failing_at_the_end_posts_nothing(world, books):
    staff = world.users["staff"]
    round = make_round(
        actor=staff,
        group=world.groups[2],
        campaign=books.campaign,
        fund=books.vnn,
        account=books.cash,
        lines=[(f"Người {n}", "100.000") for n in range(5)],
    )
    client = _failing_client(world, "staff")
    url = reverse("donations:round_post", args=[round.pk])
    with mock.patch("donations.services.rounds.log_event", side_effect=Boom("mất kết nối")):
        response = client.post(url, {"revision": round.revision, "xac_nhan": "1"})
    assert response.status_code == 500
    assert SERVER_ERROR_TEXT in response.content.decode()
    round.refresh_from_db()
    assert round.status == CollectionRound.Status.DRAFT
    assert _money_rows() == (0, 0, 0)
    assert not round.lines.filter(donation__isnull=False).exists()
    # Posting again works and numbers start at 1: the failed attempt left no gap.
    response = client.post(url, {"revision": round.revision, "xac_nhan": "1"})
    assert response.status_code == 302
    assert sorted(Receipt.objects.values_list("seq", flat=True)) == [1, 2, 3, 4, 5]
    assert fund_balance(books.vnn) == 500_000


def test_a_payout_failing_after_its_ledger_line_leaves_the_fund_untouched(world):
    support_books = SupportBooks(world, amount=50_000_000)
    support = approve(world, propose(world, support_books))
    entries = LedgerEntry.objects.count()
    client = _failing_client(world, "treasurer")
    url = reverse("households:support_pay", args=[support.pk])
    data = {
        "handover_date": "21/11/2024",
        "receiver_name": "Bà Hộ",
        "witness_name": "Ông Tổ",
        "xac_nhan": "1",
    }
    with mock.patch(
        "households.services.support._take_handover_number", side_effect=Boom("máy in kẹt")
    ):
        response = client.post(url, data)
    assert response.status_code == 500
    assert SERVER_ERROR_TEXT in response.content.decode()
    support.refresh_from_db()
    assert support.status == Support.Status.APPROVED
    assert support.ledger_entry_id is None
    assert LedgerEntry.objects.count() == entries
    assert fund_balance(support_books.fund) == 50_000_000
    assert not AuditEvent.objects.filter(action="support.pay").exists()
    # Once the fault is gone the payout goes through, once.
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 200  # refused: already paid
    assert fund_balance(support_books.fund) == 20_000_000


# --------------------------------------------------------------------------- (c) retries


def test_the_same_statement_file_twice_stores_its_lines_once(world, books):
    from donations.models import BankLayout

    layout = BankLayout.objects.get(name__startswith="Mẫu chung")
    rows = [
        ("20/10/2024", "FT1", "", "500.000", "", "UNG HO QUY"),
        ("20/10/2024", "FT2", "", "500.000", "", "UNG HO QUY"),  # same day, same amount
        ("21/10/2024", "", "22.000", "", "", "Phi"),
    ]
    client = world.client("staff")
    url = reverse("donations:statement_upload")
    for _ in range(2):
        upload = io.BytesIO(statement_csv(rows))
        upload.name = "sao-ke.csv"
        response = client.post(url, {"account": books.bank.pk, "layout": layout.pk, "file": upload})
        assert response.status_code in (200, 302)
    assert StatementLine.objects.count() == 3


def test_posting_a_round_twice_posts_it_once(world, books):
    staff = world.users["staff"]
    round = make_round(
        actor=staff,
        group=world.groups[3],
        campaign=books.campaign,
        lines=[("Người A", "50.000"), ("Người B", "70.000")],
    )
    client = world.client("staff")
    url = reverse("donations:round_post", args=[round.pk])
    first = client.post(url, {"revision": round.revision, "xac_nhan": "1"}, follow=True)
    second = client.post(url, {"revision": round.revision, "xac_nhan": "1"}, follow=True)
    assert "Đã ghi sổ đợt thu" in first.content.decode()
    assert "không ghi lần hai" in second.content.decode()
    assert Donation.objects.count() == 2
    assert services.round_post(actor=staff, round=round).pk == round.pk
    assert Donation.objects.count() == 2


def test_a_resubmitted_donation_form_makes_one_donation(world, books):
    client = world.client("staff")
    data = form_data(client, books)
    first = client.post(reverse("donations:create"), data)
    second = client.post(reverse("donations:create"), data, follow=True)
    assert first.status_code == 302
    assert "không lưu lần hai" in second.content.decode()
    assert _money_rows() == (1, 1, 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_form_sent_from_four_tabs_at_once_makes_one_donation(world, books):
    data = form_data(world.client("staff"), books)

    def submit(_i):
        client = Client()
        client.force_login(world.users["staff"])
        return client.post(reverse("donations:create"), data).status_code

    statuses = run_together(4, submit)
    assert statuses == [302] * 4, statuses
    assert _money_rows() == (1, 1, 1)
    assert Receipt.objects.get().seq == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_round_posted_from_two_pages_at_once_posts_once(world, books):
    staff = world.users["staff"]
    round = make_round(
        actor=staff,
        group=world.groups[4],
        campaign=books.campaign,
        lines=[(f"Người {n}", "20.000") for n in range(10)],
    )

    def submit(_i):
        client = Client()
        client.force_login(world.users["committee" if _i % 2 else "staff"])
        return client.post(
            reverse("donations:round_post", args=[round.pk]),
            {"revision": round.revision, "xac_nhan": "1"},
        ).status_code

    assert run_together(3, submit) == [302] * 3
    assert Donation.objects.count() == 10
    assert sorted(Receipt.objects.values_list("seq", flat=True)) == list(range(1, 11))


# --------------------------------------------------------------------------- (a) restart


def _wsgi(path: str, cookie: str = "") -> tuple[int, bytes]:
    """One request through Django's WSGI handler, as gunicorn sends it: the request
    signals run (so persistent connections are kept, checked and closed as in
    production), unlike the test client, which switches that off."""
    environ = RequestFactory()._base_environ(
        PATH_INFO=path, REQUEST_METHOD="GET", HTTP_COOKIE=cookie
    )
    status = {}

    def start_response(line, headers, exc_info=None):
        status["code"] = int(line.split()[0])

    result = WSGIHandler()(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        result.close()
    return status["code"], body


def _backend_pid() -> int | None:
    raw = connection.connection
    return raw.info.backend_pid if raw is not None and not raw.closed else None


def _admin_connection():
    import psycopg

    params = connection.settings_dict
    return psycopg.connect(
        dbname=params["NAME"],
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        autocommit=True,
        connect_timeout=5,
    )


def _kill_app_connections() -> int:
    """What a PostgreSQL restart looks like to the application: every server process
    of its database ends."""
    with _admin_connection() as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return len(rows)


@pytest.fixture
def persistent_connections(settings):
    """Production's connection settings (settings.py): kept for CONN_MAX_AGE seconds,
    checked before reuse."""
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    saved = {key: connection.settings_dict[key] for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    connection.close()
    connection.settings_dict.update(CONN_MAX_AGE=600, CONN_HEALTH_CHECKS=True)
    yield
    connection.close()
    connection.settings_dict.update(saved)


def _signed_in_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def _requests_work(cookie: str) -> None:
    status, body = _wsgi("/healthz")
    assert status == 200, body
    status, body = _wsgi(reverse("donations:list"), cookie)
    assert status == 200, body[:500]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_app_survives_its_database_connections_being_cut(world, persistent_connections):
    cookie = _signed_in_cookie(world.users["staff"])
    _requests_work(cookie)
    pid = _backend_pid()
    assert pid is not None, "the connection should be kept between requests"
    _requests_work(cookie)
    assert _backend_pid() == pid  # one persistent connection

    assert _kill_app_connections() >= 1
    # The very next requests succeed: the dead connection is noticed and replaced.
    _requests_work(cookie)
    assert _backend_pid() not in (None, pid)


@pytest.mark.postgres
@pytest.mark.serial
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not os.environ.get("LDDH_PG_RESTART_CMD"),
    reason="set LDDH_PG_RESTART_CMD (e.g. 'pg_ctlcluster 15 main restart') to restart "
    "PostgreSQL for real",
)
def test_the_app_survives_a_real_postgresql_restart(world, persistent_connections):
    cookie = _signed_in_cookie(world.users["staff"])
    _requests_work(cookie)
    pid = _backend_pid()
    subprocess.run(  # noqa: S602 - the command comes from the CI script, not from users
        os.environ["LDDH_PG_RESTART_CMD"], shell=True, check=True, timeout=120
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            _admin_connection().close()
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    _requests_work(cookie)
    assert _backend_pid() not in (None, pid)
    # And a write goes through on the new connection.
    refilled = SupportBooks(world, amount=1_000_000)
    assert fund_balance(refilled.fund) == 1_000_000
