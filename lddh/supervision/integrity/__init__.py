"""The integrity check of the fund's books: one pass over the database that
recomputes what the books must say from the documents and names every record that does
not fit. Read-only; SQL aggregates and set-based queries (no query per row) so that it
runs in seconds on a million donations; only the hash chain is recomputed in Python, by
streaming the ledger once.

Each check returns Findings; an ERROR means the books are wrong or were tampered with
(``manage.py check_fund`` exits 1), a WARNING is paperwork still missing (listed, exit 0
unless ``--strict``), a SKIPPED check says why it could not run.

One module per check. A check is a function of the books (funds, accounts, today) that
returns its findings; CHECKS lists them in the order they run and show, so a new check is
a new module and one line there.
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from donations.models import Account, Donation, Fund, LedgerEntry, Receipt, SignedChainHead
from households.models import Support
from lddh.supervision.integrity.approval import check_approval
from lddh.supervision.integrity.balance import check_balance
from lddh.supervision.integrity.bank import check_bank, statement_line_model
from lddh.supervision.integrity.base import (
    ERROR,
    LIMIT,
    SKIPPED,
    WARNING,
    CheckInfo,
    Finding,
    Link,
    donation_link,
    handover_days,
    ledger_link,
    receipt_link,
    support_link,
    void_link,
)
from lddh.supervision.integrity.chain import chain_findings, chain_in_database, check_chain
from lddh.supervision.integrity.day_totals import check_day_totals
from lddh.supervision.integrity.direct import check_direct
from lddh.supervision.integrity.documents import check_documents
from lddh.supervision.integrity.handover import check_handover
from lddh.supervision.integrity.pledges import check_pledges
from lddh.supervision.integrity.receipts import check_receipts
from lddh.supervision.integrity.repeats import check_repeats
from lddh.supervision.integrity.stock import check_stock

__all__ = [
    "CHECKS",
    "ERROR",
    "LIMIT",
    "SKIPPED",
    "WARNING",
    "Books",
    "Check",
    "CheckInfo",
    "Finding",
    "Link",
    "Report",
    "chain_findings",
    "chain_in_database",
    "check_approval",
    "check_balance",
    "check_bank",
    "check_chain",
    "check_day_totals",
    "check_direct",
    "check_documents",
    "check_handover",
    "check_pledges",
    "check_receipts",
    "check_repeats",
    "check_stock",
    "donation_link",
    "handover_days",
    "ledger_link",
    "receipt_link",
    "run_check",
    "statement_line_model",
    "support_link",
    "void_link",
]


@dataclass(frozen=True)
class Books:
    """What the checks read once and share."""

    funds: dict[int, Fund]
    accounts: dict[int, Account]
    today: datetime.date
    chain_in_python: bool = False


@dataclass(frozen=True)
class Check(CheckInfo):
    run: Callable[[Books], list[Finding]]


def _chain(books: Books) -> list[Finding]:
    # The signed chain heads are part of the chain's check (their findings say "chain").
    from lddh.supervision.anchors import check_signing

    in_database = False if books.chain_in_python else None
    return check_chain(books.funds, in_database=in_database) + check_signing(
        books.funds, books.today
    )


CHECKS: list[Check] = [
    Check("chain", "Chuỗi mã băm của sổ quỹ", _chain),
    Check(
        "balance",
        "Số dư theo quỹ và tài khoản khớp chứng từ",
        lambda books: check_balance(books.funds, books.accounts),
    ),
    Check("documents", "Bút toán và chứng từ khớp nhau", lambda books: check_documents()),
    Check(
        "receipts",
        "Sê-ri biên nhận không trống số, không trùng số",
        lambda books: check_receipts(),
    ),
    Check(
        "approval",
        "Hỗ trợ được duyệt bởi người khác người đề xuất",
        lambda books: check_approval(),
    ),
    Check(
        "handover",
        "Biên bản bàn giao của hỗ trợ đã chi",
        lambda books: check_handover(books.today),
    ),
    Check("repeats", "Hỗ trợ cùng loại hai lần có lý do", lambda books: check_repeats()),
    Check("direct", "Hỗ trợ trực tiếp không vào số dư Quỹ", lambda books: check_direct()),
    Check("bank", "Sao kê ngân hàng: mọi khoản có đã đối chiếu", lambda books: check_bank()),
    Check(
        "day_totals",
        "Tổng theo ngày khớp sổ quỹ và các khoản ủng hộ",
        lambda books: check_day_totals(),
    ),
    Check(
        "stock",
        "Sổ kho hiện vật khớp biên nhận, hỗ trợ đã trao và kiểm kê",
        lambda books: check_stock(),
    ),
    Check(
        "pledges",
        "Số đã nộp của mỗi cam kết ủng hộ bằng tổng các khoản nộp đã tính vào",
        lambda books: check_pledges(),
    ),
]


@dataclass
class Report:
    findings: list[Finding]
    checked_at: datetime.datetime
    seconds: float
    counts: dict[str, int]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def skipped(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == SKIPPED]

    @property
    def ok(self) -> bool:
        return not self.errors

    def by_check(self) -> list[tuple[CheckInfo, list[Finding]]]:
        return [(info, [f for f in self.findings if f.check == info.code]) for info in CHECKS]


@contextmanager
def _one_snapshot() -> Iterator[None]:
    """On PostgreSQL every check reads the same snapshot of the books (REPEATABLE READ,
    READ ONLY when the check opens the transaction): a donation recorded while the check
    runs cannot show up in one query and not in the next as a false finding. JIT
    compilation is off: it adds about a second to each big query and saves less."""
    if connection.vendor != "postgresql":
        yield
        return
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        with connection.cursor() as cursor:
            if outermost:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SET LOCAL jit = off")
            # Hash joins of a million rows in memory rather than in batches on disk.
            cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


def run_check(*, today: datetime.date | None = None, chain_in_python: bool = False) -> Report:
    """Every check, in order. ``chain_in_python`` recomputes the hash chain in Python
    even on PostgreSQL (slower; for a reader who would rather not trust the database's
    own sha256())."""
    with _one_snapshot():
        return _run_check(today=today, chain_in_python=chain_in_python)


def _run_check(*, today: datetime.date | None, chain_in_python: bool) -> Report:
    started = time.monotonic()
    books = Books(
        funds={f.pk: f for f in Fund.objects.all()},
        accounts={a.pk: a for a in Account.objects.all()},
        today=today or timezone.localdate(),
        chain_in_python=chain_in_python,
    )
    findings: list[Finding] = []
    for check in CHECKS:
        findings += check.run(books)
    counts = defaultdict(int)
    counts["entries"] = LedgerEntry.objects.count()
    counts["donations"] = Donation.objects.count()
    counts["receipts"] = Receipt.objects.count()
    counts["supports"] = Support.objects.filter(status=Support.Status.PAID).count()
    counts["signed_heads"] = SignedChainHead.objects.count()
    return Report(
        findings=findings,
        checked_at=timezone.now(),
        seconds=time.monotonic() - started,
        counts=dict(counts),
    )
