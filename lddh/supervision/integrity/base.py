"""What every check of the books shares: severities, findings and their links."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

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


def entry_label(code: str, sequence: int) -> str:
    return f"bút toán {code}-{sequence}"


def more_note(total: int) -> str:
    return f" (nêu {LIMIT} trên tổng số {total})" if total > LIMIT else ""


def entry_links(rows, with_donation=True) -> list[Link]:
    links = []
    for row in rows:
        links.append(
            ledger_link(
                row["fund_id"],
                day=row["date"],
                label=entry_label(row["fund__code"], row["sequence"]),
            )
        )
        if with_donation and row.get("donation_id"):
            links.append(donation_link(row["donation_id"]))
    return links


ENTRY_VALUES = ("pk", "fund_id", "fund__code", "sequence", "date", "donation_id")


def finding_from_rows(check, title, detail, queryset, link_rows) -> list[Finding]:
    total = queryset.count()
    if not total:
        return []
    rows = list(queryset[:LIMIT])
    return [Finding(check, ERROR, f"{title}: {total}", detail + more_note(total), link_rows(rows))]
