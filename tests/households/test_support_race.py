"""Two treasurers pay the last đồng of the fund at the same moment (PostgreSQL row locks):
exactly one payment goes through, the other is refused, and the books add up."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.db.models import Sum

from donations.models import LedgerEntry
from donations.selectors import fund_balance
from donations.services import InsufficientFundsError
from households.models import Support
from lddh.ward.models import Membership
from lddh.ward.roles import Role
from tests.conftest import World
from tests.factories import UserFactory
from tests.households.support_helpers import Books, approve, household, pay, propose


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_treasurers_paying_the_last_dong_at_once():
    world = World()
    second_treasurer = UserFactory(username="thuquy2")
    Membership.objects.create(user=second_treasurer, role=Role.TREASURER)
    world.users["treasurer2"] = second_treasurer
    books = Books(world, amount=10_000_000)
    first = approve(world, propose(world, books, household(world), amount=10_000_000))
    second = approve(world, propose(world, books, household(world), amount=10_000_000))

    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def run(persona: str, support: Support) -> None:
        try:
            barrier.wait(timeout=10)
            results[persona] = pay(world, support, actor=persona)
        except Exception as exc:
            results[persona] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=("treasurer", first)),
        threading.Thread(target=run, args=("treasurer2", second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    paid = [r for r in results.values() if isinstance(r, Support)]
    refused = [r for r in results.values() if isinstance(r, InsufficientFundsError)]
    assert len(paid) == 1, results
    assert len(refused) == 1, results
    assert "Không đủ số dư" in refused[0].messages[0]
    assert fund_balance(books.fund) == 0
    payments = LedgerEntry.objects.filter(kind="payment")
    assert payments.count() == 1
    assert payments.aggregate(s=Sum("amount"))["s"] == -10_000_000
    assert Support.objects.filter(status="paid").count() == 1
    assert Support.objects.filter(status="approved").count() == 1
    assert list(
        Support.objects.exclude(handover_number="").values_list("handover_number", flat=True)
    ) == ["BB-2024-0001"]
    sequences = list(LedgerEntry.objects.filter(fund=books.fund).values_list("sequence", flat=True))
    assert sequences == list(range(1, len(sequences) + 1))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_support_paid_twice_at_once_is_paid_once():
    world = World()
    second_treasurer = UserFactory(username="thuquy2")
    Membership.objects.create(user=second_treasurer, role=Role.TREASURER)
    world.users["treasurer2"] = second_treasurer
    books = Books(world, amount=30_000_000)
    support = approve(world, propose(world, books, household(world), amount=10_000_000))

    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def run(persona: str) -> None:
        try:
            barrier.wait(timeout=10)
            results[persona] = pay(world, support, actor=persona)
        except Exception as exc:
            results[persona] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(p,)) for p in ("treasurer", "treasurer2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(isinstance(r, Support) for r in results.values()) == 1, results
    assert fund_balance(books.fund) == 20_000_000
    assert LedgerEntry.objects.filter(kind="payment").count() == 1
