"""The hash chain of the fund ledger: every entry follows the one before, no number is
missing, and each stored hash is what its fields give. Recomputed in SQL on PostgreSQL,
by streaming the ledger in Python elsewhere (or when asked)."""

from __future__ import annotations

from django.db import connection

from donations.models import (
    Fund,
    LedgerEntry,
)
from donations.models.books import CHAIN_FIELDS, GENESIS_HASH, ledger_hash
from lddh.supervision.integrity.base import ERROR, Finding, entry_label, ledger_link


def _gap_finding(fund: Fund, expected: int, sequence: int, day) -> Finding:
    return Finding(
        "chain",
        ERROR,
        f"{fund.code}: sổ quỹ thiếu bút toán số {expected}"
        + (f"–{sequence - 1}" if sequence - 1 > expected else ""),
        "Số thứ tự bút toán phải liền nhau; bút toán bị xóa trực tiếp trong "
        f"cơ sở dữ liệu. Bút toán tiếp theo là số {sequence}.",
        [ledger_link(fund.pk, day=day, label=entry_label(fund.code, sequence))],
    )


def _hash_finding(fund: Fund, sequence: int, day, computed: str, stored: str) -> Finding:
    return Finding(
        "chain",
        ERROR,
        f"{fund.code}: chuỗi mã băm gãy tại {entry_label(fund.code, sequence)}",
        "Nội dung hoặc mã băm của bút toán này (hoặc bút toán liền trước) đã bị "
        "sửa trực tiếp trong cơ sở dữ liệu: mã băm tính lại "
        f"{computed[:12]}… khác mã đã lưu {stored[:12]}….",
        [ledger_link(fund.pk, day=day, label=entry_label(fund.code, sequence))],
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

    return chain_findings(funds, in_database=in_database) + check_anchors(funds)


def chain_findings(funds: dict[int, Fund], *, in_database: bool | None) -> list[Finding]:
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
