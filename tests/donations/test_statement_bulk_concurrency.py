"""Two clerks record overlapping bank lines at the same moment (PostgreSQL row locks):
one batch wins, the other is refused whole, and the receipts of the winner are
consecutive with no number taken by the loser."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from donations import services
from donations.models import (
    Account,
    BankLayout,
    Donation,
    Fund,
    Receipt,
    StatementImport,
    StatementLine,
)
from tests.donations.test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _lines(count):
    user = get_user_model().objects.create(username="canbo")
    bank = Account.objects.create(name="TK Vietcombank", kind=Account.Kind.BANK)
    batch = StatementImport.objects.create(
        account=bank, layout=BankLayout.objects.create(name="x", date_column="d",
        credit_column="c", description_column="n"), filename="a.csv", sha256="0" * 64,
        size=1, imported_by=user,
    )  # fmt: skip
    lines = [
        StatementLine.objects.create(
            account=bank,
            statement_import=batch,
            fingerprint=str(i),
            credit=100_000 + i,
            date=datetime.date(2024, 10, 20),
            description=f"IBFT LE VAN HUNG {i} chuyen tien",
        )
        for i in range(count)
    ]
    return user, Fund.objects.create(code="VNN", name="Quỹ"), lines


def test_overlapping_batches_one_wins_the_other_records_nothing(db):
    user, fund, lines = _lines(6)
    batches = [lines[:4], lines[2:]]  # lines 2 and 3 in both

    def work(i):
        entries = [services.BulkEntry(line=line, name="Nhà hảo tâm") for line in batches[i]]
        return services.statement_lines_record(actor=user, entries=entries, fund=fund)

    results = run_together(2, work)
    won = [r for r in results if isinstance(r, list)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1
    assert isinstance(lost[0], services.StatementError)
    assert "vừa được người khác xử lý" in " ".join(lost[0].messages)
    assert Donation.objects.count() == 4
    assert sorted(Receipt.objects.values_list("seq", flat=True)) == [1, 2, 3, 4]
