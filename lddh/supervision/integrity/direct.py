"""Direct support (a donor gives straight to a household) stays out of the fund balance."""

from __future__ import annotations

from django.db.models import (
    Q,
)

from donations.models import (
    Donation,
    LedgerEntry,
)
from households.models import Support, SupportSource
from lddh.supervision.integrity.base import (
    ENTRY_VALUES,
    Finding,
    donation_link,
    entry_links,
    finding_from_rows,
    support_link,
)


def check_direct() -> list[Finding]:
    in_ledger = (
        LedgerEntry.objects.filter(donation__purpose=Donation.Purpose.DIRECT)
        .order_by("fund_id", "sequence")
        .values(*ENTRY_VALUES)
    )
    findings = finding_from_rows(
        "direct",
        "Hỗ trợ trực tiếp bị ghi vào sổ quỹ",
        "Tiền hỗ trợ trực tiếp không đi qua Quỹ nên không được có bút toán.",
        in_ledger,
        entry_links,
    )
    direct_fund = Donation.objects.filter(purpose=Donation.Purpose.DIRECT).filter(
        Q(fund__isnull=False) | Q(account__isnull=False)
    )
    findings += finding_from_rows(
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
    findings += finding_from_rows(
        "direct",
        "Hỗ trợ không chi từ Quỹ nhưng có bút toán chi trong sổ quỹ",
        "Hỗ trợ trực tiếp hoặc từ chương trình khác không làm giảm số dư Quỹ.",
        supports,
        lambda rows: [support_link(r["pk"]) for r in rows],
    )
    return findings
