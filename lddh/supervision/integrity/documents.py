"""Ledger entries and documents match: every receipt, void, support payment and transfer
has its entry, and every entry its document."""

from __future__ import annotations

from django.db import connection
from django.db.models import (
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
)
from django.db.models.functions import Cast

from donations.models import (
    Donation,
    LedgerEntry,
    Receipt,
    VoidRequest,
)
from households.models import Support, SupportSource
from households.services.support_rules import DOCUMENT_TYPE as SUPPORT_DOCUMENT
from lddh.supervision.integrity.base import (
    ENTRY_VALUES,
    RECEIPT_DOCUMENT,
    VOID_DOCUMENT,
    Finding,
    donation_link,
    entry_links,
    finding_from_rows,
    receipt_link,
    support_link,
)

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
        findings += finding_from_rows(
            "documents",
            "Bút toán thu không khớp khoản ủng hộ (số tiền, tài khoản hoặc biên nhận)",
            "Số tiền hoặc tài khoản trong sổ quỹ khác với khoản ủng hộ và biên nhận của nó.",
            wrong,
            entry_links,
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
    findings += finding_from_rows(
        "documents",
        "Bút toán hủy không có đề nghị hủy đã duyệt tương ứng hoặc sai số tiền",
        "Một bút toán hủy phải dẫn chiếu đề nghị hủy đã được duyệt của đúng khoản ủng hộ "
        "và đảo đúng số tiền của bút toán thu.",
        wrong,
        entry_links,
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
    findings += finding_from_rows(
        "documents",
        "Bút toán chi không khớp một hỗ trợ đã chi",
        "Mỗi bút toán chi phải là khoản chi của đúng một hỗ trợ đã chi từ Quỹ, cùng số "
        "tiền, quỹ và tài khoản.",
        wrong,
        entry_links,
    )

    # Documents without their entry.
    fund_donations = Donation.objects.filter(purpose=Donation.Purpose.FUND).order_by("pk")
    if suspects["no_entry"]:
        missing = fund_donations.filter(
            ~Exists(LedgerEntry.objects.filter(donation_id=OuterRef("pk"), kind="receipt"))
        ).values("pk")
        findings += finding_from_rows(
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
        findings += finding_from_rows(
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
        findings += finding_from_rows(
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
    findings += finding_from_rows(
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
    findings += finding_from_rows(
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
    findings += finding_from_rows(
        "documents",
        "Hỗ trợ đã chi từ Quỹ không có bút toán chi",
        "Mỗi khoản chi hỗ trợ từ Quỹ phải có bút toán chi trong sổ quỹ.",
        unpaid,
        lambda rows: [support_link(r["pk"]) for r in rows],
    )
    return findings
