"""Public reads of money in, for the residents' disclosure pages (docs/domain.md §6).

Only what may be published leaves this module: date, amount, channel, receipt number,
the public name (the receipt's snapshot, or "Nhà hảo tâm giấu tên" when the donor is
anonymous now or was when the receipt was issued), and the donor's residential group or
member organisation. Never a phone, address, tax code, note or bank description: the
queries select only the columns shown, so nothing else can reach a template by mistake.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from django.db.models import Q, QuerySet

from campaigns.models import Campaign
from donations.models import Donation, Donor, Fund, Receipt
from donations.models.constants import ANONYMOUS_NAME, DIRECT_SERIES
from donations.selectors import period_progress
from donations.selectors.receipts import public_receipts
from lddh.ward.text import normalise

__all__ = [
    "DonorFilters",
    "PublicDonation",
    "ReceiptNumberQuery",
    "parse_receipt_number",
    "period_progress",
    "public_donation_rows",
    "public_donations",
    "public_donations_in",
    "public_keys_by_name",
    "receipt_check",
    "receipt_series",
]

PUBLIC_COLUMNS = (
    "pk",
    "date",
    "amount",
    "channel",
    "purpose",
    "receipt__number",
    "receipt__donor_display_name",
    "donor__anonymous",
    "donor__group__number",
    "donor__organisation__name",
    "donor__organisation__short_name",
)


@dataclass(frozen=True)
class DonorFilters:
    """What a resident searches by; every field already checked by the form."""

    name: str = ""
    number: str = ""
    amount: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    direct: bool = False  # the direct-support list instead of the fund's

    @property
    def narrowed(self) -> bool:
        return bool(self.name or self.number or self.amount or self.date_from or self.date_to)


@dataclass(frozen=True)
class PublicDonation:
    """One public line of the donor list (also a row of the download)."""

    date: datetime.date
    number: str
    name: str
    affiliation: str
    channel: str
    amount: int


def _not_anonymous() -> Q:
    return Q(donor__anonymous=False) & ~Q(receipt__donor_display_name=ANONYMOUS_NAME)


def public_donations(campaign: Campaign, filters: DonorFilters = DonorFilters()) -> QuerySet:
    """The valid donations of a campaign a resident may see, newest first, as dicts.

    Voided receipts are not listed (the totals leave them out too; /tra-cuu/ tells a
    donor that a receipt was voided). Direct support is a list of its own."""
    purpose = Donation.Purpose.DIRECT if filters.direct else Donation.Purpose.FUND
    qs = Donation.objects.filter(campaign=campaign, status=Donation.Status.VALID, purpose=purpose)
    key = normalise(filters.name)
    if key:
        # The name key, never search_key (it holds phone and tax code digits); anonymous
        # donors never match a name, or a search would reveal who gave.
        # LIKE '%key%': served on PostgreSQL by the trigram index of migration public 0003.
        qs = qs.filter(_not_anonymous(), donor__name_key__contains=key)
    if filters.number:
        qs = qs.filter(receipt__number=filters.number.strip().upper())
    if filters.amount:
        qs = qs.filter(amount=filters.amount)
    if filters.date_from:
        qs = qs.filter(date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(date__lte=filters.date_to)
    return qs.values(*PUBLIC_COLUMNS).order_by("-date", "-pk")


NAME_DONOR_CAP = 5_000
"""A name search matching at most this many donors is answered from their keys."""


def public_keys_by_name(campaign: Campaign, filters: DonorFilters) -> list[int] | None:
    """The keys of every row of a name search, newest first, when the name is narrow
    (at most NAME_DONOR_CAP donors); None when there is no name or it is broad: then the
    caller pages public_donations() as usual.

    One trigram look-up of the donors (unordered, so it stops at the cap), then the
    (date, key) of their donations through the donor index, sorted here: the count is
    the length and a page is a slice, and only the page's rows are read with their
    joins (public_donations_in). An ORDER BY with a LIMIT in the database would tempt
    the planner to walk the whole list index and filter by donor."""
    key = normalise(filters.name)
    if not key:
        return None
    donors = list(
        Donor.objects.filter(anonymous=False, name_key__contains=key)
        .order_by()
        .values_list("pk", flat=True)[: NAME_DONOR_CAP + 1]
    )
    if len(donors) > NAME_DONOR_CAP:
        return None
    if not donors:
        return []
    narrowed = replace(filters, name="")  # the donors stand for the name
    # The donors are not anonymous (above): only a receipt issued anonymously is left out.
    rows = (
        public_donations(campaign, narrowed)
        .filter(~Q(receipt__donor_display_name=ANONYMOUS_NAME), donor_id__in=donors)
        .order_by()
        .values_list("date", "pk")
    )
    return [pk for _, pk in sorted(rows, reverse=True)]


def public_donations_in(keys: Sequence[int]) -> list[dict]:
    """The public columns of these donations of a name search, in the order of the keys
    (a donor who chose anonymity since the keys were found is left out)."""
    found = Donation.objects.filter(_not_anonymous(), pk__in=keys).values(*PUBLIC_COLUMNS)
    rows = {row["pk"]: row for row in found}
    return [rows[key] for key in keys if key in rows]


def public_line(row: dict) -> PublicDonation:
    anonymous = row["donor__anonymous"] or row["receipt__donor_display_name"] == ANONYMOUS_NAME
    if anonymous:
        affiliation = ""
    elif row["donor__group__number"] is not None:
        affiliation = f"Tổ {row['donor__group__number']}"
    else:
        affiliation = (
            row["donor__organisation__short_name"] or row["donor__organisation__name"] or ""
        )
    return PublicDonation(
        date=row["date"],
        number=row["receipt__number"] or "",
        name=ANONYMOUS_NAME if anonymous else (row["receipt__donor_display_name"] or ""),
        affiliation=affiliation,
        channel=Donation.Channel(row["channel"]).label,
        amount=row["amount"],
    )


def public_donation_rows(rows) -> list[PublicDonation]:
    return [public_line(row) for row in rows]


_RECEIPT_SEPARATORS = re.compile(r"[\s\-._/]+")
_SEPARATED = re.compile(r"([A-Z0-9]{1,8})[\s\-._/]+(\d{4})[\s\-._/]+(\d{1,7})")
_SERIES_YEAR_SEQ = re.compile(r"([A-Z]{1,8})(\d{4})(\d{1,7})")
_AFTER_SERIES = re.compile(r"(\d{4})(\d{1,7})")
_YEAR_SEQ = re.compile(r"(\d{4})(\d{4,7})")
_SEQ = re.compile(r"\d{1,7}")


@dataclass(frozen=True)
class ReceiptNumberQuery:
    """A receipt number as a resident typed it: the series and year when given."""

    seq: int
    series: str | None = None
    year: int | None = None


def receipt_series() -> list[str]:
    """Every series a receipt number may start with: the funds' codes and the direct
    support series."""
    return [*Fund.objects.values_list("code", flat=True), DIRECT_SERIES]


def parse_receipt_number(text: str, series: Collection[str] = ()) -> ReceiptNumberQuery | None:
    """What a resident may type for VNN-2024-000690, in any case, with spaces, dashes,
    dots or nothing between the parts: "VNN 2024 000690", "vnn-2024-690",
    "VNN2024000690"; the year and number without the series ("2024-000690"); or the bare
    sequence number ("690", "000690"). None when it is none of these.

    A fund code may hold digits ("Q1"): typed with separators its parts are plain; typed
    all together ("Q12024000690") it is read with the known ``series`` codes, longest
    first, so the digits of the code are never taken for the year."""
    upper = (text or "").strip().upper()
    if match := _SEPARATED.fullmatch(upper):
        code, year, seq = match.group(1), int(match.group(2)), int(match.group(3))
        return ReceiptNumberQuery(seq=seq, series=code, year=year) if seq else None
    compact = _RECEIPT_SEPARATORS.sub("", upper)
    if not compact or len(compact) > 30:
        return None
    for code in sorted(series, key=len, reverse=True):
        match = _AFTER_SERIES.fullmatch(compact[len(code) :]) if compact.startswith(code) else None
        if match and 2000 <= int(match.group(1)) <= 2099:
            seq = int(match.group(2))
            return (
                ReceiptNumberQuery(seq=seq, series=code, year=int(match.group(1))) if seq else None
            )
    if match := _SERIES_YEAR_SEQ.fullmatch(compact):
        series, year, seq = match.group(1), int(match.group(2)), int(match.group(3))
        return ReceiptNumberQuery(seq=seq, series=series, year=year) if seq else None
    if _SEQ.fullmatch(compact):
        return ReceiptNumberQuery(seq=int(compact)) if int(compact) else None
    if match := _YEAR_SEQ.fullmatch(compact):
        seq = int(match.group(2))
        return ReceiptNumberQuery(seq=seq, year=int(match.group(1))) if seq else None
    return None


def receipt_check(
    query: ReceiptNumberQuery | None, amount: int, *, default_year: int
) -> Receipt | None:
    """The receipt with this number AND this amount (both needed: a number alone must
    not reveal a stranger's gift), with only its public columns; None otherwise.

    A number without a year is looked for in ``default_year`` (the year of the campaign
    on the public pages), one without a series in every series; when two receipts fit
    (two funds' receipts with the same number and amount) the answer is None, like a
    missing receipt, so the person types the whole number."""
    if query is None or not amount:
        return None
    receipts = public_receipts().filter(
        seq=query.seq, year=query.year or default_year, amount=amount
    )
    if query.series:
        receipts = receipts.filter(series=query.series)
    found = list(receipts[:2])
    return found[0] if len(found) == 1 else None
