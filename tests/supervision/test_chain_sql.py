"""On PostgreSQL the hash chain is recomputed by the database (sha256() in SQL) rather
than streamed into Python: both must name the same first broken entry for every kind of
tampering, and agree that untouched books (odd text, nulls, microseconds) are intact."""

from __future__ import annotations

import datetime

import pytest

from donations.models import LedgerEntry
from donations.models.books import ledger_hash
from lddh.supervision.integrity import chain_in_database, check_chain
from tests.supervision.test_integrity import Scene, sql, table

pytestmark = pytest.mark.postgres


@pytest.fixture
def scene(world):
    return Scene(world)


@pytest.fixture(autouse=True)
def _leave_the_damage_unchecked(db):
    from django.db import transaction

    yield
    transaction.set_rollback(True)


def both(scene) -> tuple[list[str], list[str]]:
    funds = {scene.fund.pk: scene.fund}
    in_sql = check_chain(funds, in_database=True)
    in_python = check_chain(funds, in_database=False)
    return [f.title for f in in_sql], [f.title for f in in_python]


def entries(scene):
    return list(LedgerEntry.objects.filter(fund=scene.fund).order_by("sequence"))


def test_postgresql_checks_the_chain_in_the_database(scene):
    assert chain_in_database()
    in_sql, in_python = both(scene)
    assert in_sql == in_python == []


def test_odd_text_nulls_and_microseconds_hash_the_same_in_sql(scene, world):
    """Entries written with every kind of value _canonical() handles: a description with
    separators, quotes, a pipe, diacritics, emoji and a newline; null references; a
    timestamp with microseconds in another time zone."""
    last = entries(scene)[-1]
    previous = last.hash
    odd = [
        "Thu, chi | ghi chú: “Quỹ” 's' — Ủy ban 😀\nxuống dòng",
        "",
        "n",
        "s3:abc",
    ]
    new = []
    for i, text in enumerate(odd, start=1):
        entry = LedgerEntry(
            fund=scene.fund,
            sequence=last.sequence + i,
            account=last.account,
            amount=123_456_789 * i,
            kind=LedgerEntry.Kind.TRANSFER_IN,
            date=datetime.date(1999 + i, 2, 28),
            document_type="donations.transfer",
            document_id=f"tài-liệu,{i}",
            description=text,
            created_by=world.users["treasurer"],
            created_at=datetime.datetime(
                2024,
                12,
                31,
                23,
                59,
                59,
                10**i,
                tzinfo=datetime.timezone(datetime.timedelta(hours=7)),
            ),
        )
        entry.hash = previous = ledger_hash(previous, entry.chain_values())
        new.append(entry)
    LedgerEntry.objects.bulk_create(new)
    in_sql, in_python = both(scene)
    assert in_sql == in_python == []


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE {t} SET amount = amount + 1 WHERE id = {id}",
        "UPDATE {t} SET description = description || ' ' WHERE id = {id}",
        "UPDATE {t} SET created_at = created_at + interval '1 microsecond' WHERE id = {id}",
        "UPDATE {t} SET date = date - 1 WHERE id = {id}",
        "UPDATE {t} SET hash = repeat('a', 64) WHERE id = {id}",
        "UPDATE {t} SET receipt_id = NULL, document_id = document_id || '0' WHERE id = {id}",
        "DELETE FROM {t} WHERE id = {id}",
        "UPDATE {t} SET sequence = sequence + 100 WHERE sequence >= {sequence}",
    ],
)
@pytest.mark.parametrize("position", [0, 3, -1])
def test_sql_and_python_name_the_same_first_break(scene, tamper, position):
    target = entries(scene)[position]
    sql("SET CONSTRAINTS ALL IMMEDIATE")
    sql(f"ALTER TABLE {table(LedgerEntry)} DROP CONSTRAINT IF EXISTS ledger_receipt_has_document")
    sql("SET CONSTRAINTS ALL DEFERRED")  # a deleted row's references are not checked
    sql(tamper.format(t=table(LedgerEntry), id=target.pk, sequence=target.sequence))
    in_sql, in_python = both(scene)
    assert in_sql == in_python
    if "DELETE" in tamper and position == -1:
        assert in_sql == []  # the tail: what a printed chain head is for
    else:
        assert len(in_sql) == 1


def test_a_break_in_one_fund_leaves_the_others_checked(scene, world):
    from tests.factories import FundFactory, record_donation

    other = FundFactory(code="KHAC", name="Quỹ khác")
    gift = record_donation(actor=world.users["staff"], fund=other)
    sql(f"UPDATE {table(LedgerEntry)} SET amount = 1 WHERE donation_id = %s", [gift.pk])
    funds = {f.pk: f for f in (scene.fund, other)}
    in_sql = [f.title for f in check_chain(funds, in_database=True)]
    assert in_sql == [f.title for f in check_chain(funds, in_database=False)]
    assert in_sql == ["KHAC: chuỗi mã băm gãy tại bút toán KHAC-1"]
