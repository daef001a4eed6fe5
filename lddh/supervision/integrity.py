"""The integrity check of the fund's books: one pass over the database that
recomputes what the books must say from the documents and names every record that does
not fit. Read-only; SQL aggregates and set-based queries (no query per row) so that it
runs in seconds on a million donations; only the hash chain is recomputed in Python, by
streaming the ledger once.

Each check returns Findings; an ERROR means the books are wrong or were tampered with
(``manage.py check_fund`` exits 1), a WARNING is paperwork still missing (listed, exit 0
unless ``--strict``), a SKIPPED check says why it could not run.
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Concat, Greatest, Length, LPad, Trim, Upper
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from donations.models import (
    Account,
    Donation,
    Fund,
    LedgerEntry,
    Receipt,
    ReceiptCounter,
    SignedChainHead,
    VoidRequest,
)
from donations.models.books import CHAIN_FIELDS, GENESIS_HASH, ledger_hash
from households.models import Support, SupportAttachment, SupportForm, SupportSource
from households.services.support_rules import DOCUMENT_TYPE as SUPPORT_DOCUMENT
from lddh.ward.money import format_dong

ERROR = "error"
WARNING = "warning"
SKIPPED = "skipped"
LIMIT = 50
"""At most this many records are named per finding kind (the count is always exact)."""

RECEIPT_DOCUMENT = "donations.receipt"
VOID_DOCUMENT = "donations.voidrequest"
TRANSFER_DOCUMENT = "donations.transfer"


def handover_days() -> int:
    """Days after a handover by which the signed record must be on file (a setting)."""
    return settings.SUPERVISION_HANDOVER_DAYS


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass
class Finding:
    check: str  # the code of the check, e.g. "chain"
    severity: str
    title: str
    detail: str = ""
    links: list[Link] = field(default_factory=list)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


@dataclass(frozen=True)
class CheckInfo:
    code: str
    title: str


CHECKS = (
    CheckInfo("chain", "Chuỗi mã băm của sổ quỹ"),
    CheckInfo("balance", "Số dư theo quỹ và tài khoản khớp chứng từ"),
    CheckInfo("documents", "Bút toán và chứng từ khớp nhau"),
    CheckInfo("receipts", "Sê-ri biên nhận không trống số, không trùng số"),
    CheckInfo("approval", "Hỗ trợ được duyệt bởi người khác người đề xuất"),
    CheckInfo("handover", "Biên bản bàn giao của hỗ trợ đã chi"),
    CheckInfo("repeats", "Hỗ trợ cùng loại hai lần có lý do"),
    CheckInfo("direct", "Hỗ trợ trực tiếp không vào số dư Quỹ"),
    CheckInfo("bank", "Sao kê ngân hàng: mọi khoản có đã đối chiếu"),
)


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


# --------------------------------------------------------------------------- links


def donation_link(pk, label: str | None = None) -> Link:
    return Link(label or f"Khoản ủng hộ số {pk}", reverse("donations:detail", args=[pk]))


def support_link(pk) -> Link:
    return Link(f"Hỗ trợ số {pk}", reverse("households:support_detail", args=[pk]))


def receipt_link(number: str) -> Link:
    url = reverse("donations:receipt_register") + "?" + urlencode({"q": number})
    return Link(f"Biên nhận {number}", url)


def ledger_link(fund_id, account_id=None, day: datetime.date | None = None, label="") -> Link:
    query = {"fund": fund_id}
    if account_id:
        query["account"] = account_id
    if day:
        query["date_from"] = query["date_to"] = day.strftime("%d/%m/%Y")
    return Link(label or "Sổ quỹ", reverse("donations:ledger") + "?" + urlencode(query))


def void_link() -> Link:
    return Link("Đề nghị hủy", reverse("donations:void_list"))


def _entry_label(code: str, sequence: int) -> str:
    return f"bút toán {code}-{sequence}"


def _more(total: int) -> str:
    return f" (nêu {LIMIT} trên tổng số {total})" if total > LIMIT else ""


# --------------------------------------------------------------------------- checks


def _gap_finding(fund: Fund, expected: int, sequence: int, day) -> Finding:
    return Finding(
        "chain",
        ERROR,
        f"{fund.code}: sổ quỹ thiếu bút toán số {expected}"
        + (f"–{sequence - 1}" if sequence - 1 > expected else ""),
        "Số thứ tự bút toán phải liền nhau; bút toán bị xóa trực tiếp trong "
        f"cơ sở dữ liệu. Bút toán tiếp theo là số {sequence}.",
        [ledger_link(fund.pk, day=day, label=_entry_label(fund.code, sequence))],
    )


def _hash_finding(fund: Fund, sequence: int, day, computed: str, stored: str) -> Finding:
    return Finding(
        "chain",
        ERROR,
        f"{fund.code}: chuỗi mã băm gãy tại {_entry_label(fund.code, sequence)}",
        "Nội dung hoặc mã băm của bút toán này (hoặc bút toán liền trước) đã bị "
        "sửa trực tiếp trong cơ sở dữ liệu: mã băm tính lại "
        f"{computed[:12]}… khác mã đã lưu {stored[:12]}….",
        [ledger_link(fund.pk, day=day, label=_entry_label(fund.code, sequence))],
    )


def _sql_payload(alias: str) -> str:
    """ledger_hash()'s payload written in SQL over the columns of ``alias``: each
    CHAIN_FIELDS column as _canonical() writes it (None → n, int → i…, str → sN:…,
    date → d…, datetime → t + UTC ISO with microseconds), joined by commas.
    tests/supervision/test_chain_sql.py checks that both give the same hash."""

    def text(column: str) -> str:
        return f"coalesce('s' || char_length({alias}.{column}) || ':' || {alias}.{column}, 'n')"

    def number(column: str) -> str:
        return f"coalesce('i' || {alias}.{column}, 'n')"

    canonical = {
        "fund_id": number("fund_id"),
        "sequence": number("sequence"),
        "account_id": number("account_id"),
        "kind": text("kind"),
        "amount": number("amount"),
        "date": f"coalesce('d' || to_char({alias}.date, 'YYYY-MM-DD'), 'n')",
        "document_type": text("document_type"),
        "document_id": text("document_id"),
        "donation_id": number("donation_id"),
        "receipt_id": number("receipt_id"),
        "reverses_id": number("reverses_id"),
        "description": text("description"),
        "created_by_id": number("created_by_id"),
        "created_at": f"coalesce('t' || to_char({alias}.created_at AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS.US') || '+00:00', 'n')",
    }
    return " || ',' || ".join(canonical[name] for name in CHAIN_FIELDS)


def chain_in_database() -> bool:
    """PostgreSQL recomputes the chain itself (sha256() in SQL, about ten times faster
    than reading a million rows into Python); other databases stream it to Python."""
    return connection.vendor == "postgresql"


def _chain_breaks_sql() -> list[tuple]:
    """Per fund, the first entry that does not fit: (fund_id, sequence, expected
    sequence, date, stored hash, computed hash).

    Each entry is joined to the entry numbered one before it in its fund (a parallel
    hash join; no sort of a million wide rows): it must hash, over that entry's STORED
    hash (the genesis hash for entry 1), to its own stored hash, and an entry after 1
    without its predecessor marks deleted rows. Every link holding is exactly what the
    sequential recomputation in Python checks, so the first failing link is the entry
    Python would name."""
    table = connection.ops.quote_name(LedgerEntry._meta.db_table)
    # Only table names (quoted) and fixed SQL are formatted in; values are parameters.
    query = f"""
        SELECT DISTINCT ON (e.fund_id) e.fund_id, e.sequence, p.id IS NULL, e.date, e.hash,
               encode(sha256(convert_to(coalesce(p.hash, %s) || '|' || {_sql_payload("e")},
                                        'UTF8')), 'hex')
        FROM {table} e
        LEFT JOIN {table} p ON p.fund_id = e.fund_id AND p.sequence = e.sequence - 1
        WHERE (e.sequence <> 1 AND p.id IS NULL)
           OR encode(sha256(convert_to(coalesce(p.hash, %s) || '|' || {_sql_payload("e")},
                                       'UTF8')), 'hex') <> e.hash
        ORDER BY e.fund_id, e.sequence
    """  # noqa: S608
    breaks = []
    with connection.cursor() as cursor:
        cursor.execute(query, [GENESIS_HASH, GENESIS_HASH])
        for fund_id, sequence, orphan, day, stored, computed in cursor.fetchall():
            expected = sequence
            if sequence != 1 and orphan:
                # The entries before it are 1..k without a hole (it is the first break).
                cursor.execute(
                    f"SELECT coalesce(max(sequence), 0) + 1 FROM {table} "  # noqa: S608
                    "WHERE fund_id = %s AND sequence < %s",
                    [fund_id, sequence],
                )
                expected = cursor.fetchone()[0]
            breaks.append((fund_id, sequence, expected, day, stored, computed))
    return breaks


def check_chain(funds: dict[int, Fund], *, in_database: bool | None = None) -> list[Finding]:
    """Recompute each fund's chain in sequence order; name the first entry that breaks it
    (a changed value, a deleted or inserted row, an altered hash) and any sequence gap.

    Always the whole chain from entry 1: a stored "verified up to N" checkpoint would let
    a change to an old entry pass unseen, and the full recomputation takes seconds.

    A chain that holds may still have been rewritten and recomputed by someone with
    access to the database: the chain is then compared with every signed and published
    head (lddh.supervision.anchors), on both paths."""
    from lddh.supervision.anchors import check_anchors

    return _chain_findings(funds, in_database=in_database) + check_anchors(funds)


def _chain_findings(funds: dict[int, Fund], *, in_database: bool | None) -> list[Finding]:
    if in_database is None:
        in_database = chain_in_database()
    if in_database:
        findings = []
        for fund_id, sequence, expected, day, stored, computed in _chain_breaks_sql():
            fund = funds[fund_id]
            if sequence != expected:
                findings.append(_gap_finding(fund, expected, sequence, day))
            else:
                findings.append(_hash_finding(fund, sequence, day, computed, stored))
        return findings
    findings = []
    for fund in funds.values():
        previous = GENESIS_HASH
        expected_sequence = 1
        rows = (
            LedgerEntry.objects.filter(fund=fund)
            .order_by("sequence")
            .values_list("hash", *CHAIN_FIELDS)
            .iterator(chunk_size=20000)
        )
        for stored, *values in rows:
            sequence, day = values[1], values[5]
            if sequence != expected_sequence:
                findings.append(_gap_finding(fund, expected_sequence, sequence, day))
                break
            computed = ledger_hash(previous, values)
            if computed != stored:
                findings.append(_hash_finding(fund, sequence, day, computed, stored))
                break
            previous = stored
            expected_sequence += 1
    return findings


def _sums(queryset, amount: str = "amount") -> dict[tuple[int, int], int]:
    return {
        (row["fund_id"], row["account_id"]): row["total"]
        for row in queryset.values("fund_id", "account_id").annotate(total=Sum(amount))
    }


def check_balance(funds: dict[int, Fund], accounts: dict[int, Account]) -> list[Finding]:
    """Per fund and account: ledger balance = receipts − voids − payments ± transfers."""
    ledger = _sums(LedgerEntry.objects.all())
    fund_donations = Donation.objects.filter(purpose=Donation.Purpose.FUND)
    receipts = _sums(fund_donations)
    voids = _sums(fund_donations.filter(status=Donation.Status.VOIDED))
    payments = _sums(
        Support.objects.filter(
            status=Support.Status.PAID, source=SupportSource.FUND, amount__gt=0
        ).order_by()
    )
    transfers = _sums(
        LedgerEntry.objects.filter(
            kind__in=[LedgerEntry.Kind.TRANSFER_IN, LedgerEntry.Kind.TRANSFER_OUT]
        )
    )
    findings = []
    keys = set(ledger) | set(receipts) | set(voids) | set(payments) | set(transfers)
    for key in sorted(keys, key=lambda k: (k[0] or 0, k[1] or 0)):
        fund_id, account_id = key
        expected = (
            receipts.get(key, 0) - voids.get(key, 0) - payments.get(key, 0) + transfers.get(key, 0)
        )
        actual = ledger.get(key, 0)
        if expected != actual:
            fund = funds.get(fund_id)
            account = accounts.get(account_id)
            findings.append(
                Finding(
                    "balance",
                    ERROR,
                    f"{fund.code if fund else fund_id} – {account or account_id}: số dư sổ quỹ "
                    f"{format_dong(actual)} khác số tính từ chứng từ {format_dong(expected)}",
                    f"Thu {format_dong(receipts.get(key, 0))} − hủy "
                    f"{format_dong(voids.get(key, 0))} − chi hỗ trợ "
                    f"{format_dong(payments.get(key, 0))} ± chuyển "
                    f"{format_dong(transfers.get(key, 0))}; chênh lệch "
                    f"{format_dong(actual - expected)}.",
                    [ledger_link(fund_id, account_id)],
                )
            )
    # Transfers between accounts of one fund net to zero.
    bad_transfers = (
        LedgerEntry.objects.filter(document_type=TRANSFER_DOCUMENT)
        .values("document_id")
        .annotate(
            n=Count("id"),
            total=Sum("amount"),
            funds=Count("fund", distinct=True),
            fund_id=Min("fund_id"),
            day=Min("date"),
        )
        .exclude(n=2, total=0, funds=1)
        .order_by("document_id")
    )
    for row in bad_transfers[:LIMIT]:
        findings.append(
            Finding(
                "balance",
                ERROR,
                f"Lệnh chuyển nội bộ {row['document_id'][:12]}… không cân "
                f"({row['n']} bút toán, tổng {format_dong(row['total'])})",
                "Một lần chuyển giữa hai tài khoản phải có đúng một bút toán đi và một "
                "bút toán đến cùng số tiền.",
                [ledger_link(row["fund_id"], day=row["day"])],
            )
        )
    return findings


def _entry_links(rows, with_donation=True) -> list[Link]:
    links = []
    for row in rows:
        links.append(
            ledger_link(
                row["fund_id"],
                day=row["date"],
                label=_entry_label(row["fund__code"], row["sequence"]),
            )
        )
        if with_donation and row.get("donation_id"):
            links.append(donation_link(row["donation_id"]))
    return links


ENTRY_VALUES = ("pk", "fund_id", "fund__code", "sequence", "date", "donation_id")


def _finding_from_rows(check, title, detail, queryset, link_rows) -> list[Finding]:
    total = queryset.count()
    if not total:
        return []
    rows = list(queryset[:LIMIT])
    return [Finding(check, ERROR, f"{title}: {total}", detail + _more(total), link_rows(rows))]


DOCUMENT_SUSPECTS = ("entry", "no_entry", "no_receipt", "receipt")


def _document_suspects() -> dict[str, bool]:
    """On PostgreSQL, one pass over donations, their receipt entry and their receipt
    answers four questions at once (is any receipt entry off its donation, any fund
    donation without its entry, any donation without a receipt, any receipt off its
    donation?), instead of four joins of a million rows each. Each condition is at least
    as strict as the query that names the records, which then runs only for a yes.
    Elsewhere (SQLite: small books) every naming query simply runs."""
    if connection.vendor != "postgresql":
        return dict.fromkeys(DOCUMENT_SUSPECTS, True)
    donation = connection.ops.quote_name(Donation._meta.db_table)
    entry = connection.ops.quote_name(LedgerEntry._meta.db_table)
    receipt = connection.ops.quote_name(Receipt._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT
              bool_or(e.id IS NOT NULL AND (
                  e.amount <> d.amount
                  OR e.account_id IS DISTINCT FROM d.account_id
                  OR e.fund_id IS DISTINCT FROM d.fund_id
                  OR e.receipt_id IS DISTINCT FROM r.id
                  OR e.document_type <> %s
                  OR e.document_id IS DISTINCT FROM e.receipt_id::text)),
              bool_or(e.id IS NULL AND d.purpose = %s),
              bool_or(r.id IS NULL),
              bool_or(r.id IS NOT NULL AND (
                  r.amount <> d.amount
                  OR (r.status = %s AND d.status = %s)
                  OR (r.status = %s AND d.status = %s)))
            FROM {donation} d
            LEFT JOIN {entry} e ON e.donation_id = d.id AND e.kind = %s
            LEFT JOIN {receipt} r ON r.donation_id = d.id
            """,  # noqa: S608
            [
                RECEIPT_DOCUMENT,
                Donation.Purpose.FUND,
                Receipt.Status.VOIDED,
                Donation.Status.VALID,
                Receipt.Status.ISSUED,
                Donation.Status.VOIDED,
                LedgerEntry.Kind.RECEIPT,
            ],
        )
        row = cursor.fetchone()
        # A receipt entry without a donation never meets one in the join above.
        orphan = LedgerEntry.objects.filter(
            kind=LedgerEntry.Kind.RECEIPT, donation__isnull=True
        ).exists()
    suspects = {name: bool(value) for name, value in zip(DOCUMENT_SUSPECTS, row, strict=True)}
    suspects["entry"] = suspects["entry"] or orphan
    return suspects


def check_documents() -> list[Finding]:
    """Every entry points to its document with the same amount and account, and every
    document that moves the fund has its entry."""
    findings: list[Finding] = []
    suspects = _document_suspects()
    entries = LedgerEntry.objects.order_by("fund_id", "sequence")

    # Receipt entries: the donation's amount, account, fund; the document id is the receipt.
    receipt_entries = entries.filter(kind=LedgerEntry.Kind.RECEIPT)
    if suspects["entry"]:
        wrong = receipt_entries.filter(
            ~Q(amount=F("donation__amount"))
            | ~Q(account_id=F("donation__account_id"))
            | ~Q(fund_id=F("donation__fund_id"))
            | ~Q(receipt__donation_id=F("donation_id"))
            | ~Q(document_type=RECEIPT_DOCUMENT)
            | ~Q(document_id=Cast("receipt_id", CharField()))
        ).values(*ENTRY_VALUES)
        findings += _finding_from_rows(
            "documents",
            "Bút toán thu không khớp khoản ủng hộ (số tiền, tài khoản hoặc biên nhận)",
            "Số tiền hoặc tài khoản trong sổ quỹ khác với khoản ủng hộ và biên nhận của nó.",
            wrong,
            _entry_links,
        )
    # Void entries: an approved void request of the same donation, the opposite amount.
    void_match = VoidRequest.objects.filter(
        status=VoidRequest.Status.APPROVED, donation_id=OuterRef("donation_id")
    ).annotate(key=Cast("pk", CharField()))
    wrong = (
        entries.filter(kind=LedgerEntry.Kind.VOID)
        .annotate(
            documented=Exists(void_match.filter(key=OuterRef("document_id"))),
        )
        .filter(
            Q(documented=False)
            | ~Q(amount=-F("donation__amount"))
            | ~Q(account_id=F("reverses__account_id"))
            | ~Q(document_type=VOID_DOCUMENT)
        )
        .values(*ENTRY_VALUES)
    )
    findings += _finding_from_rows(
        "documents",
        "Bút toán hủy không có đề nghị hủy đã duyệt tương ứng hoặc sai số tiền",
        "Một bút toán hủy phải dẫn chiếu đề nghị hủy đã được duyệt của đúng khoản ủng hộ "
        "và đảo đúng số tiền của bút toán thu.",
        wrong,
        _entry_links,
    )
    # Payment entries: a paid fund support points to this entry with the same amount.
    paid_support = Support.objects.filter(
        ledger_entry_id=OuterRef("pk"),
        status=Support.Status.PAID,
        source=SupportSource.FUND,
        amount=-OuterRef("amount"),
        fund_id=OuterRef("fund_id"),
        account_id=OuterRef("account_id"),
    ).annotate(key=Cast("pk", CharField()))
    wrong = (
        entries.filter(kind=LedgerEntry.Kind.PAYMENT)
        .annotate(documented=Exists(paid_support.filter(key=OuterRef("document_id"))))
        .filter(Q(documented=False) | ~Q(document_type=SUPPORT_DOCUMENT))
        .values(*ENTRY_VALUES)
    )
    findings += _finding_from_rows(
        "documents",
        "Bút toán chi không khớp một hỗ trợ đã chi",
        "Mỗi bút toán chi phải là khoản chi của đúng một hỗ trợ đã chi từ Quỹ, cùng số "
        "tiền, quỹ và tài khoản.",
        wrong,
        _entry_links,
    )

    # Documents without their entry.
    fund_donations = Donation.objects.filter(purpose=Donation.Purpose.FUND).order_by("pk")
    if suspects["no_entry"]:
        missing = fund_donations.filter(
            ~Exists(LedgerEntry.objects.filter(donation_id=OuterRef("pk"), kind="receipt"))
        ).values("pk")
        findings += _finding_from_rows(
            "documents",
            "Khoản ủng hộ Quỹ không có bút toán thu",
            "Khoản ủng hộ vào Quỹ đã ghi nhưng sổ quỹ không có bút toán thu của nó (bút toán bị "
            "xóa trực tiếp trong cơ sở dữ liệu).",
            missing,
            lambda rows: [donation_link(r["pk"]) for r in rows],
        )
    if suspects["no_receipt"]:
        missing = (
            Donation.objects.filter(receipt__isnull=True)
            .order_by("pk")
            .values("pk", "amount", "date")
        )
        findings += _finding_from_rows(
            "documents",
            "Khoản ủng hộ không có biên nhận",
            "Mỗi khoản ủng hộ có đúng một biên nhận đánh số; biên nhận đã bị xóa.",
            missing,
            lambda rows: [donation_link(r["pk"]) for r in rows],
        )
    if suspects["receipt"]:
        receipt_mismatch = (
            Receipt.objects.filter(
                ~Q(amount=F("donation__amount"))
                | Q(status=Receipt.Status.VOIDED, donation__status=Donation.Status.VALID)
                | Q(status=Receipt.Status.ISSUED, donation__status=Donation.Status.VOIDED)
            )
            .order_by("pk")
            .values("number", "donation_id")
        )
        findings += _finding_from_rows(
            "documents",
            "Biên nhận khác khoản ủng hộ (số tiền hoặc trạng thái hủy)",
            "Số tiền in trên biên nhận phải bằng số tiền khoản ủng hộ; hủy thì cả hai cùng hủy.",
            receipt_mismatch,
            lambda rows: [
                link
                for r in rows
                for link in (receipt_link(r["number"]), donation_link(r["donation_id"]))
            ],
        )
    voided = (
        fund_donations.filter(status=Donation.Status.VOIDED)
        .filter(~Exists(LedgerEntry.objects.filter(donation_id=OuterRef("pk"), kind="void")))
        .values("pk")
    )
    findings += _finding_from_rows(
        "documents",
        "Khoản ủng hộ đã hủy không có bút toán hủy",
        "Hủy một khoản ủng hộ Quỹ phải ghi bút toán đảo trong sổ quỹ.",
        voided,
        lambda rows: [donation_link(r["pk"]) for r in rows],
    )
    unapproved = (
        Donation.objects.filter(status=Donation.Status.VOIDED)
        .filter(
            ~Exists(
                VoidRequest.objects.filter(
                    donation_id=OuterRef("pk"), status=VoidRequest.Status.APPROVED
                )
            )
        )
        .order_by("pk")
        .values("pk")
    )
    findings += _finding_from_rows(
        "documents",
        "Khoản ủng hộ bị hủy mà không có đề nghị hủy được duyệt",
        "Chỉ Ban Thường trực hủy biên nhận, theo đề nghị hủy có lý do.",
        unapproved,
        lambda rows: [donation_link(r["pk"]) for r in rows],
    )
    unpaid = (
        Support.objects.filter(status=Support.Status.PAID, source=SupportSource.FUND, amount__gt=0)
        .filter(
            ~Exists(
                LedgerEntry.objects.filter(
                    pk=OuterRef("ledger_entry_id"), kind=LedgerEntry.Kind.PAYMENT
                )
            )
        )
        .order_by("pk")
        .values("pk")
    )
    findings += _finding_from_rows(
        "documents",
        "Hỗ trợ đã chi từ Quỹ không có bút toán chi",
        "Mỗi khoản chi hỗ trợ từ Quỹ phải có bút toán chi trong sổ quỹ.",
        unpaid,
        lambda rows: [support_link(r["pk"]) for r in rows],
    )
    return findings


def _unique_enforced(model, columns: tuple[str, ...]) -> bool:
    """True when PostgreSQL holds a valid unique index on exactly these columns of the
    model's table (then no two rows can share them, whatever was done to the rows).
    Someone who drops the constraint to write a duplicate makes this False, and the
    check counts distinct values instead."""
    if connection.vendor != "postgresql":
        return False
    names = [model._meta.get_field(c).column for c in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT 1 FROM pg_index i
            WHERE i.indrelid = %s::regclass AND i.indisunique AND i.indisvalid
              AND i.indpred IS NULL AND i.indexprs IS NULL
              AND i.indnkeyatts = %s
              AND ARRAY(
                  SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
                  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                  WHERE k.n <= i.indnkeyatts ORDER BY a.attname
              ) = %s::text[]
            """,
            [model._meta.db_table, len(names), sorted(names)],
        )
        return cursor.fetchone() is not None


def check_receipts() -> list[Finding]:
    """Every series and year runs 1..n with no gap and no duplicate; each number reads
    as its series, year and sequence."""
    findings: list[Finding] = []
    series = (
        Receipt.objects.order_by()
        .values("series", "year")
        .annotate(n=Count("id"), lo=Min("seq"), hi=Max("seq"))
    )
    if _unique_enforced(Receipt, ("series", "year", "seq")):
        # The database itself refuses a second (series, year, seq): n is the number of
        # distinct sequences, without sorting a million of them for COUNT(DISTINCT).
        series = series.annotate(distinct=Count("id"))
    else:
        series = series.annotate(distinct=Count("seq", distinct=True))
    counters = {(c.series, c.year): c.last for c in ReceiptCounter.objects.all()}
    for row in sorted(series, key=lambda r: (r["series"], r["year"])):
        key = (row["series"], row["year"])
        last = max(row["hi"], counters.get(key, 0))
        label = f"{row['series']}-{row['year']}"
        if row["distinct"] != row["n"]:
            dupes = list(
                Receipt.objects.filter(series=row["series"], year=row["year"])
                .values("seq")
                .annotate(c=Count("id"))
                .filter(c__gt=1)
                .order_by("seq")
                .values_list("seq", flat=True)[:LIMIT]
            )
            findings.append(
                Finding(
                    "receipts",
                    ERROR,
                    f"Sê-ri {label}: trùng số biên nhận",
                    "Các số cấp hai lần: "
                    + ", ".join(Receipt.format_number(*key, s) for s in dupes)
                    + ".",
                    [receipt_link(Receipt.format_number(*key, s)) for s in dupes],
                )
            )
        if row["distinct"] != last or row["lo"] != 1:
            present = set(
                Receipt.objects.filter(series=row["series"], year=row["year"]).values_list(
                    "seq", flat=True
                )
            )
            gaps = [s for s in range(1, last + 1) if s not in present]
            shown = gaps[:LIMIT]
            findings.append(
                Finding(
                    "receipts",
                    ERROR,
                    f"Sê-ri {label}: thiếu {len(gaps)} số biên nhận",
                    "Các số đã cấp nhưng không còn biên nhận (bị xóa trực tiếp): "
                    + ", ".join(Receipt.format_number(*key, s) for s in shown)
                    + _more(len(gaps))
                    + ".",
                    [receipt_link(label)],
                )
            )
    formatted = Concat(
        "series",
        Value("-"),
        Cast("year", CharField()),
        Value("-"),
        # At least six digits (LPad alone would cut a seventh: VNN-2024-1000000).
        LPad(
            Cast("seq", CharField()),
            Greatest(Value(6), Length(Cast("seq", CharField()))),
            Value("0"),
        ),
        output_field=CharField(),
    )
    forged = (
        Receipt.objects.annotate(expected=formatted)
        .exclude(number=F("expected"))
        .order_by("pk")
        .values("number", "expected", "donation_id")
    )
    findings += _finding_from_rows(
        "receipts",
        "Số biên nhận không khớp sê-ri, năm và số thứ tự",
        "Số in trên biên nhận đã bị sửa trực tiếp trong cơ sở dữ liệu.",
        forged,
        lambda rows: [
            link
            for r in rows
            for link in (
                receipt_link(r["expected"]),
                donation_link(r["donation_id"], f"Khoản ủng hộ của biên nhận {r['number']}"),
            )
        ],
    )
    # Two numbers that read the same (case, spaces). Only possible when a number is
    # not its series-year-sequence (found just above) or a sequence is taken twice:
    # otherwise every number is the canonical form of a distinct (series, year, seq),
    # so the GROUP BY over every receipt number is skipped on sound books.
    if not any(f.check == "receipts" for f in findings):
        return findings
    same = (
        Receipt.objects.annotate(key=Upper(Trim("number")))
        .values("key")
        .annotate(c=Count("id"))
        .filter(c__gt=1)
        .order_by("key")
    )
    for row in same[:LIMIT]:
        findings.append(
            Finding(
                "receipts",
                ERROR,
                f"Số biên nhận {row['key']} xuất hiện {row['c']} lần",
                "Hai biên nhận mang cùng một số (khác nhau chỉ ở chữ hoa, chữ thường hoặc "
                "khoảng trắng).",
                [receipt_link(row["key"])],
            )
        )
    return findings


def check_approval() -> list[Finding]:
    decided = Support.objects.filter(status__in=[Support.Status.APPROVED, Support.Status.PAID])
    bad = (
        decided.filter(
            Q(decided_by__isnull=True)
            | Q(decided_by=F("proposed_by"))
            | Q(decided_by=F("edited_by"))
        )
        .order_by("pk")
        .values("pk")
    )
    findings = _finding_from_rows(
        "approval",
        "Hỗ trợ được duyệt bởi chính người đề xuất (hoặc người sửa), hoặc không có người duyệt",
        "Người đề xuất hay người sửa gần nhất không được tự duyệt hỗ trợ.",
        bad,
        lambda rows: [support_link(r["pk"]) for r in rows],
    )
    self_paid = (
        decided.filter(status=Support.Status.PAID, paid_by=F("decided_by"))
        .order_by("pk")
        .values("pk")
    )
    findings += _finding_from_rows(
        "approval",
        "Hỗ trợ do chính người duyệt chi",
        "Người duyệt không được tự chi; kế toán / thủ quỹ khác phải chi.",
        self_paid,
        lambda rows: [support_link(r["pk"]) for r in rows],
    )
    return findings


def check_handover(today: datetime.date) -> list[Finding]:
    paid = Support.objects.filter(status=Support.Status.PAID)
    incomplete = (
        paid.filter(
            Q(handover_number="")
            | Q(receiver_name="")
            | Q(witness_name="")
            | Q(handover_date__isnull=True)
        )
        .order_by("pk")
        .values("pk")
    )
    findings = _finding_from_rows(
        "handover",
        "Hỗ trợ đã chi thiếu biên bản bàn giao (số, người nhận, người chứng kiến)",
        "Hỗ trợ đã chi phải có biên bản bàn giao đánh số, ghi người nhận và người chứng kiến.",
        incomplete,
        lambda rows: [support_link(r["pk"]) for r in rows],
    )
    days = handover_days()
    overdue = (
        paid.filter(round__isnull=True, handover_date__lt=today - datetime.timedelta(days=days))
        .exclude(form=SupportForm.REFERRAL)
        .filter(~Exists(SupportAttachment.objects.filter(support_id=OuterRef("pk"))))
        .order_by("handover_date", "pk")
        .values("pk")
    )
    total = overdue.count()
    if total:
        findings.append(
            Finding(
                "handover",
                WARNING,
                f"Hỗ trợ đã chi quá {days} ngày chưa có bản chụp biên bản bàn giao đã ký: {total}",
                "Tải bản chụp biên bản đã ký (có chữ ký người nhận và người chứng kiến) lên "
                "trang hỗ trợ. Hỗ trợ theo đợt trao quà dùng danh sách ký nhận của đợt."
                + _more(total),
                [support_link(r["pk"]) for r in overdue[:LIMIT]],
            )
        )
    return findings


def check_repeats() -> list[Finding]:
    """A household supported twice in one category and campaign needs a recorded reason
    on every support after the first."""
    standing = Support.objects.filter(status__in=[Support.Status.APPROVED, Support.Status.PAID])
    earlier = standing.filter(
        household_id=OuterRef("household_id"),
        campaign_id=OuterRef("campaign_id"),
        category=OuterRef("category"),
        pk__lt=OuterRef("pk"),
    )
    bad = (
        standing.filter(repeat_reason="")
        .filter(Exists(earlier))
        .order_by("pk")
        .values("pk", "household_id")
    )
    return _finding_from_rows(
        "repeats",
        "Hộ được hỗ trợ cùng loại lần nữa trong chiến dịch mà không ghi lý do",
        "Hỗ trợ lần thứ hai cùng loại trong một chiến dịch phải ghi lý do.",
        bad,
        lambda rows: [support_link(r["pk"]) for r in rows],
    )


def check_direct() -> list[Finding]:
    in_ledger = (
        LedgerEntry.objects.filter(donation__purpose=Donation.Purpose.DIRECT)
        .order_by("fund_id", "sequence")
        .values(*ENTRY_VALUES)
    )
    findings = _finding_from_rows(
        "direct",
        "Hỗ trợ trực tiếp bị ghi vào sổ quỹ",
        "Tiền hỗ trợ trực tiếp không đi qua Quỹ nên không được có bút toán.",
        in_ledger,
        _entry_links,
    )
    direct_fund = Donation.objects.filter(purpose=Donation.Purpose.DIRECT).filter(
        Q(fund__isnull=False) | Q(account__isnull=False)
    )
    findings += _finding_from_rows(
        "direct",
        "Khoản hỗ trợ trực tiếp được gắn vào quỹ hoặc tài khoản của Quỹ",
        "Hỗ trợ trực tiếp không thuộc quỹ nào.",
        direct_fund.order_by("pk").values("pk"),
        lambda rows: [donation_link(r["pk"]) for r in rows],
    )
    supports = (
        Support.objects.exclude(source=SupportSource.FUND)
        .filter(ledger_entry__isnull=False)
        .order_by("pk")
        .values("pk")
    )
    findings += _finding_from_rows(
        "direct",
        "Hỗ trợ không chi từ Quỹ nhưng có bút toán chi trong sổ quỹ",
        "Hỗ trợ trực tiếp hoặc từ chương trình khác không làm giảm số dư Quỹ.",
        supports,
        lambda rows: [support_link(r["pk"]) for r in rows],
    )
    return findings


def statement_line_model():
    """The bank statement line model of donations, when it exists and its table is
    migrated (it was built in parallel with this check)."""
    try:
        model = apps.get_model("donations", "StatementLine")
    except LookupError:
        return None
    if model._meta.db_table not in connection.introspection.table_names():
        return None
    return model


def _statement_link() -> Link | None:
    for name in ("donations:statement_queue", "donations:reconciliation"):
        try:
            return Link("Đối chiếu sao kê", reverse(name))
        except NoReverseMatch:
            continue
    return None


def check_bank() -> list[Finding]:
    """Every credit line of an imported statement is matched to a donation (or a
    collection round) of the same amount on the same account, or listed as unmatched."""
    model = statement_line_model()
    if model is None:
        return [
            Finding(
                "bank",
                SKIPPED,
                "Chưa có sao kê ngân hàng để đối chiếu",
                "Chưa có sao kê nào được nhập vào phần mềm; khi có, mọi khoản ghi có của sao "
                "kê được kiểm tra đã khớp một khoản ủng hộ hoặc được liệt kê là chưa khớp.",
            )
        ]
    credits = model.objects.filter(credit__gt=0)
    if not credits.exists():
        return [Finding("bank", SKIPPED, "Chưa có sao kê ngân hàng để đối chiếu")]
    findings: list[Finding] = []
    link = _statement_link()
    wrong = (
        credits.filter(status="matched", donation__isnull=False)
        .filter(
            ~Q(donation__amount=F("credit"))
            | ~Q(donation__account_id=F("account_id"))
            | Q(donation__status=Donation.Status.VOIDED)
        )
        .order_by("pk")
        .values("pk", "donation_id")
    )
    findings += _finding_from_rows(
        "bank",
        "Dòng sao kê được đối chiếu với khoản ủng hộ khác số tiền, khác tài khoản hoặc đã hủy",
        "Khoản có trên sao kê phải khớp đúng số tiền và tài khoản của khoản ủng hộ.",
        wrong,
        lambda rows: [donation_link(r["donation_id"]) for r in rows],
    )
    unmatched = credits.filter(status="unmatched")
    total = unmatched.count()
    if total:
        amount = unmatched.aggregate(s=Sum("credit"))["s"] or 0
        rows = list(unmatched.order_by("date", "pk").values("date", "credit")[:LIMIT])
        findings.append(
            Finding(
                "bank",
                WARNING,
                f"Khoản có trên sao kê chưa đối chiếu: {total} dòng, {format_dong(amount)}",
                "; ".join(f"{r['date']:%d/%m/%Y} {format_dong(r['credit'])}" for r in rows)
                + _more(total),
                [link] if link else [],
            )
        )
    return findings


# --------------------------------------------------------------------------- run


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
    from lddh.supervision.anchors import check_signing

    started = time.monotonic()
    today = today or timezone.localdate()
    funds = {f.pk: f for f in Fund.objects.all()}
    accounts = {a.pk: a for a in Account.objects.all()}
    findings: list[Finding] = []
    findings += check_chain(funds, in_database=False if chain_in_python else None)
    findings += check_signing(funds, today)
    findings += check_balance(funds, accounts)
    findings += check_documents()
    findings += check_receipts()
    findings += check_approval()
    findings += check_handover(today)
    findings += check_repeats()
    findings += check_direct()
    findings += check_bank()
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
