"""The integrity check: clean books pass; each direct tampering in the database makes it
fail and name the record."""

from __future__ import annotations

import datetime
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from donations import services as donation_services
from donations.models import Account, Donation, LedgerEntry, Receipt
from donations.models.books import GENESIS_HASH, ledger_hash
from households.models import Support, SupportAttachment
from lddh.supervision.integrity import ERROR, SKIPPED, WARNING, run_check
from lddh.supervision.selectors import chain_head
from lddh.ward.money import format_dong
from tests.factories import AccountFactory
from tests.households.support_helpers import Books, approve, pay, propose

TODAY = datetime.date(2024, 12, 1)  # a few days after the payments: no paperwork is late


class Scene:
    """Books with receipts, a void, a transfer, a direct donation and a paid support."""

    def __init__(self, world):
        self.world = world
        self.books = Books(world)
        self.donations = [self.books.give(amount) for amount in (1_000_000, 2_000_000, 3_000_000)]
        self.bank = AccountFactory(name="Tài khoản ngân hàng Quỹ", kind=Account.Kind.BANK)
        donation_services.account_transfer(
            actor=world.users["treasurer"],
            fund=self.books.fund,
            from_account=self.books.cash,
            to_account=self.bank,
            amount=500_000,
            date=datetime.date(2024, 10, 25),
            note="Nộp tiền mặt vào ngân hàng",
        )
        voided = self.books.give(700_000)
        void = donation_services.void_request(
            actor=world.users["staff"], donation=voided, reason="Nhập trùng khoản"
        )
        donation_services.void_approve(actor=world.users["committee"], void=void)
        self.voided = voided
        self.direct = self.books.direct(5_000_000)
        self.support = pay(world, approve(world, propose(world, self.books, amount=1_500_000)))

    @property
    def fund(self):
        return self.books.fund

    def entry(self, donation: Donation) -> LedgerEntry:
        return LedgerEntry.objects.get(donation=donation, kind=LedgerEntry.Kind.RECEIPT)


@pytest.fixture
def scene(world):
    return Scene(world)


@pytest.fixture(autouse=True)
def _leave_the_damage_unchecked(db):
    """The test's transaction is rolled back anyway; marking it so skips Django's
    end-of-test foreign key check, which would trip over the rows deleted on purpose."""
    yield
    transaction.set_rollback(True)


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@contextmanager
def check_constraint_off(model, name: str):
    """Let raw SQL break a CHECK constraint, as someone with database access could."""
    if connection.vendor == "sqlite":
        sql("PRAGMA ignore_check_constraints = ON")
        try:
            yield
        finally:
            sql("PRAGMA ignore_check_constraints = OFF")
    else:
        sql("SET CONSTRAINTS ALL IMMEDIATE")  # no pending trigger may block the ALTER
        sql(f"ALTER TABLE {table(model)} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        yield  # the test's transaction rolls the schema change back


def errors(report, check: str | None = None):
    return [f for f in report.errors if check is None or f.check == check]


def urls(findings) -> set[str]:
    return {link.url for finding in findings for link in finding.links}


def test_clean_books_pass(scene):
    report = run_check(today=TODAY)
    assert report.ok, [f.title for f in report.errors]
    assert not report.warnings
    assert report.counts["entries"] == LedgerEntry.objects.count() == 8


def test_chain_is_the_sha256_of_each_entry_after_the_previous(scene):
    previous = GENESIS_HASH
    for entry in LedgerEntry.objects.filter(fund=scene.fund).order_by("sequence"):
        assert entry.hash == ledger_hash(previous, entry.chain_values())
        previous = entry.hash
    head = chain_head(scene.fund)
    assert head.hash == previous
    assert head.sequence == LedgerEntry.objects.filter(fund=scene.fund).count()
    assert len(head.short) == 16


def test_ledger_amount_changed_in_the_database_is_named(scene):
    entry = scene.entry(scene.donations[1])
    sql(f"UPDATE {table(LedgerEntry)} SET amount = %s WHERE id = %s", [2_500_000, entry.pk])
    report = run_check(today=TODAY)
    assert not report.ok
    chain = errors(report, "chain")
    assert len(chain) == 1
    assert f"VNN-{entry.sequence}" in chain[0].title
    assert reverse("donations:detail", args=[scene.donations[1].pk]) in urls(
        errors(report, "documents")
    )
    assert errors(report, "balance")


def test_donation_amount_changed_in_the_database_is_named(scene):
    donation = scene.donations[0]
    sql(f"UPDATE {table(Donation)} SET amount = %s WHERE id = %s", [100_000, donation.pk])
    report = run_check(today=TODAY)
    assert not report.ok
    assert not errors(report, "chain")  # the ledger itself was not touched
    assert reverse("donations:detail", args=[donation.pk]) in urls(errors(report, "documents"))
    balance = errors(report, "balance")
    assert len(balance) == 1
    assert f"chênh lệch {format_dong(900_000)}" in balance[0].detail


def test_ledger_entry_deleted_in_the_database_is_named(scene):
    entry = scene.entry(scene.donations[1])
    sql(f"DELETE FROM {table(LedgerEntry)} WHERE id = %s", [entry.pk])
    report = run_check(today=TODAY)
    chain = errors(report, "chain")
    assert len(chain) == 1
    assert f"thiếu bút toán số {entry.sequence}" in chain[0].title
    missing = [f for f in errors(report, "documents") if "không có bút toán thu" in f.title]
    assert urls(missing) == {reverse("donations:detail", args=[scene.donations[1].pk])}


def test_last_ledger_entry_deleted_is_still_found(scene):
    last = LedgerEntry.objects.filter(fund=scene.fund).order_by("-sequence").first()
    assert last.kind == LedgerEntry.Kind.PAYMENT
    sql(f"DELETE FROM {table(LedgerEntry)} WHERE id = %s", [last.pk])
    report = run_check(today=TODAY)
    assert not report.ok
    # The chain up to the new last entry still fits; the paid support lacks its entry.
    assert reverse("households:support_detail", args=[scene.support.pk]) in urls(
        errors(report, "documents")
    )


def test_receipt_deleted_in_the_database_is_named(scene):
    receipt = scene.donations[1].receipt
    sql(f"DELETE FROM {table(Receipt)} WHERE id = %s", [receipt.pk])
    report = run_check(today=TODAY)
    gaps = errors(report, "receipts")
    assert len(gaps) == 1
    assert receipt.number in gaps[0].detail
    assert reverse("donations:detail", args=[scene.donations[1].pk]) in urls(
        [f for f in errors(report, "documents") if "không có biên nhận" in f.title]
    )


def test_last_receipt_deleted_shows_a_gap_against_the_counter(scene):
    receipt = scene.direct.receipt  # the only HTTT receipt: the series is now empty
    sql(f"DELETE FROM {table(Receipt)} WHERE id = %s", [receipt.pk])
    report = run_check(today=TODAY)
    assert any("không có biên nhận" in f.title for f in errors(report, "documents"))


def test_receipt_number_duplicated_in_the_database_is_named(scene):
    first, second = (d.receipt for d in scene.donations[:2])
    # Unique constraints refuse an exact copy; a look-alike (case) gets through them.
    sql(
        f"UPDATE {table(Receipt)} SET number = %s WHERE id = %s",
        [first.number.lower(), second.pk],
    )
    report = run_check(today=TODAY)
    found = errors(report, "receipts")
    assert any(first.number in f.title and "2 lần" in f.title for f in found)
    assert any("không khớp sê-ri" in f.title for f in found)


@pytest.mark.postgres
def test_receipt_number_duplicated_exactly_without_constraints_is_named(scene):
    first, second = (d.receipt for d in scene.donations[:2])
    sql("SET CONSTRAINTS ALL IMMEDIATE")  # no pending trigger may block the ALTER
    for constraint in ("receipt_number_unique",):
        sql(f"ALTER TABLE {table(Receipt)} DROP CONSTRAINT {constraint}")
    sql(
        f"""DO $$ DECLARE c text; BEGIN
            SELECT conname INTO c FROM pg_constraint
            WHERE conrelid = '{Receipt._meta.db_table}'::regclass AND contype = 'u'
              AND pg_get_constraintdef(oid) = 'UNIQUE (number)';
            EXECUTE 'ALTER TABLE {Receipt._meta.db_table} DROP CONSTRAINT ' || c; END $$;"""
    )
    sql(
        f"UPDATE {table(Receipt)} SET seq = %s, number = %s WHERE id = %s",
        [first.seq, first.number, second.pk],
    )
    report = run_check(today=TODAY)
    found = errors(report, "receipts")
    assert any("trùng số" in f.title and first.number in f.detail for f in found)
    assert any("thiếu 1 số" in f.title and second.number in f.detail for f in found)


def test_support_approver_set_to_proposer_in_the_database_is_named(scene):
    support = scene.support
    with check_constraint_off(Support, "support_approver_not_proposer"):
        sql(
            f"UPDATE {table(Support)} SET decided_by_id = proposed_by_id WHERE id = %s",
            [support.pk],
        )
    report = run_check(today=TODAY)
    found = errors(report, "approval")
    assert len(found) == 1
    assert urls(found) == {reverse("households:support_detail", args=[support.pk])}


def test_hash_altered_in_the_database_is_named(scene):
    entry = scene.entry(scene.donations[2])
    sql(f"UPDATE {table(LedgerEntry)} SET hash = %s WHERE id = %s", ["f" * 64, entry.pk])
    report = run_check(today=TODAY)
    assert [f.check for f in report.errors] == ["chain"]
    assert f"VNN-{entry.sequence}" in report.errors[0].title


def test_direct_donation_put_into_the_ledger_is_named(scene):
    entry = scene.entry(scene.donations[0])
    sql(
        f"UPDATE {table(LedgerEntry)} SET donation_id = %s WHERE id = %s",
        [scene.direct.pk, entry.pk],
    )
    report = run_check(today=TODAY)
    assert errors(report, "direct")


def test_repeat_without_reason_is_named(world, scene):
    target = scene.support.household
    second = approve(
        world,
        propose(world, scene.books, target, amount=1_000_000, repeat_reason="Mái nhà hỏng thêm"),
    )
    assert run_check(today=TODAY).ok
    sql(f"UPDATE {table(Support)} SET repeat_reason = '' WHERE id = %s", [second.pk])
    found = errors(run_check(today=TODAY), "repeats")
    assert urls(found) == {reverse("households:support_detail", args=[second.pk])}


def test_paid_support_without_signed_record_after_n_days_is_a_warning(scene, settings):
    settings.SUPERVISION_HANDOVER_DAYS = 5
    report = run_check(today=TODAY)
    assert report.ok
    warning = [f for f in report.warnings if f.check == "handover"]
    assert len(warning) == 1
    assert "quá 5 ngày" in warning[0].title
    assert urls(warning) == {reverse("households:support_detail", args=[scene.support.pk])}


def test_signed_record_on_file_clears_the_warning(world, scene, settings, tmp_path):
    from households import services as household_services
    from tests.households.support_helpers import PNG, upload

    settings.MEDIA_ROOT = tmp_path
    settings.SUPERVISION_HANDOVER_DAYS = 5
    household_services.support_attach(
        actor=world.users["treasurer"], support=scene.support, upload=upload(PNG, "bb.png")
    )
    assert SupportAttachment.objects.count() == 1
    assert not [f for f in run_check(today=TODAY).findings if f.severity == WARNING]


def test_bank_check_is_skipped_visibly_without_statements(scene):
    bank = [f for f in run_check(today=TODAY).findings if f.check == "bank"]
    assert [f.severity for f in bank] == [SKIPPED]
    assert "sao kê" in bank[0].title


def test_command_exits_1_and_names_the_tampering(scene, capsys):
    call_command("check_fund")  # clean: returns normally (exit status 0)
    entry = scene.entry(scene.donations[0])
    sql(f"UPDATE {table(LedgerEntry)} SET amount = %s WHERE id = %s", [9_000_000, entry.pk])
    with pytest.raises(SystemExit) as exit_info:
        call_command("check_fund")
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert f"chuỗi mã băm gãy tại bút toán VNN-{entry.sequence}" in out
    assert "[SAI]" in out


def test_check_page_lists_the_finding_with_links(scene, world):
    entry = scene.entry(scene.donations[0])
    sql(f"UPDATE {table(LedgerEntry)} SET amount = %s WHERE id = %s", [9_000_000, entry.pk])
    response = world.client("supervisor").get(reverse("supervision:check"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Phát hiện" in content
    assert reverse("donations:detail", args=[scene.donations[0].pk]) in content
    assert ERROR == "error"
