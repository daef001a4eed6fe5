"""The receipt series: no number missing, none twice."""

from __future__ import annotations

from django.db import connection
from django.db.models import (
    CharField,
    Count,
    F,
    Max,
    Min,
    Value,
)
from django.db.models.functions import Cast, Concat, Greatest, Length, LPad, Trim, Upper

from donations.models import (
    Receipt,
    ReceiptCounter,
)
from lddh.supervision.integrity.base import (
    ERROR,
    LIMIT,
    Finding,
    donation_link,
    finding_from_rows,
    more_note,
    receipt_link,
)


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
                    + more_note(len(gaps))
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
    findings += finding_from_rows(
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
