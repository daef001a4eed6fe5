"""Real concurrent posting and importing (PostgreSQL row locks)."""

import datetime

import pytest

from donations import services
from donations.models import BankLayout, Donation, Receipt, StatementLine
from donations.statements.presets import GENERIC_NAME
from tests.donations.test_concurrency import run_together
from tests.factories import CampaignFactory, make_round, statement_csv

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_round_posted_twice_at_once_posts_once(world):
    staff = world.users["staff"]
    round = make_round(
        actor=staff,
        group=world.groups[2],
        campaign=CampaignFactory(),
        lines=[(f"Người {n}", "100.000") for n in range(20)],
    )
    results = run_together(4, lambda i: services.round_post(actor=staff, round=round))
    assert all(getattr(r, "pk", None) == round.pk for r in results), results
    assert Donation.objects.count() == 20
    assert sorted(Receipt.objects.values_list("seq", flat=True)) == list(range(1, 21))


def test_the_same_statement_imported_twice_at_once_is_stored_once(world):
    from donations.models import Account

    account = Account.objects.create(name="TK", kind=Account.Kind.BANK)
    # The presets are restored for every test by tests/conftest.py (flushes remove them).
    layout = BankLayout.objects.get(name=GENERIC_NAME)
    data = statement_csv(
        [(f"{1 + n % 28:02d}/10/2024", "", "", "100.000", "", f"UNG HO {n}") for n in range(300)]
    )
    results = run_together(
        3,
        lambda i: services.statement_import(
            actor=world.users["staff"], account=account, layout=layout, data=data, filename="x"
        ),
    )
    assert sorted(r.new_count for r in results) == [0, 0, 300], results
    assert StatementLine.objects.count() == 300
    assert datetime.date(2024, 10, 1) == StatementLine.objects.order_by("date").first().date
