"""Handover record numbers reserved in a block (bulk writers) come from the counter the
payment service uses: no gap, no number given twice, a rolled-back block given back."""

import pytest
from django.db import transaction

from households.models import HandoverCounter
from households.services.support import handover_numbers_reserve
from tests.households.support_helpers import Books, approve, pay, propose


@pytest.fixture
def books(world):
    return Books(world, amount=10_000_000)


def test_a_reserved_block_is_skipped_by_the_next_payment(world, books):
    first = pay(world, approve(world, propose(world, books, amount=1_000_000)))
    with transaction.atomic():
        block = handover_numbers_reserve(year=2024, count=3)
    assert block == ["BB-2024-0002", "BB-2024-0003", "BB-2024-0004"]
    after = pay(world, approve(world, propose(world, books, amount=1_000_000)))
    assert [first.handover_number, after.handover_number] == ["BB-2024-0001", "BB-2024-0005"]
    assert HandoverCounter.objects.get(year=2024).last == 5


def test_a_rolled_back_block_gives_its_numbers_back(db):
    with pytest.raises(RuntimeError, match="rollback"), transaction.atomic():
        handover_numbers_reserve(year=2024, count=10)
        raise RuntimeError("rollback")
    with transaction.atomic():
        assert handover_numbers_reserve(year=2024, count=1) == ["BB-2024-0001"]


@pytest.mark.parametrize("count", [0, -2, False])
def test_a_block_has_at_least_one_number(db, count):
    with pytest.raises(ValueError), transaction.atomic():
        handover_numbers_reserve(year=2024, count=count)


@pytest.mark.django_db(transaction=True)
def test_a_block_needs_the_callers_transaction():
    with pytest.raises(RuntimeError, match="transaction"):
        handover_numbers_reserve(year=2024, count=1)
