"""Bank statements: every credit line is matched, recorded or set aside."""

from __future__ import annotations

from django.apps import apps
from django.db import connection
from django.db.models import (
    F,
    Q,
    Sum,
)
from django.urls import NoReverseMatch, reverse

from donations.models import (
    Donation,
)
from lddh.supervision.integrity.base import (
    LIMIT,
    SKIPPED,
    WARNING,
    Finding,
    Link,
    donation_link,
    finding_from_rows,
    more_note,
)
from lddh.ward.money import format_dong


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
    findings += finding_from_rows(
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
                + more_note(total),
                [link] if link else [],
            )
        )
    return findings
