"""The totals of the staff lists (row count and the sum of the valid rows): a sum over
the per-day totals when the viewer sees every row and the filter uses only the keys the
totals have (then also the rows of each day, with which a deep page of the list by date
starts its scan at its own day); otherwise one plain aggregate over the filtered rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from donations.models import DIRECT_SERIES, DayTotal, Donation, Fund
from lddh.ward.access import Access
from lddh.ward.compiled import model_rows, value_rows
from lddh.ward.figures import DIRECT

__all__ = [
    "ListPart",
    "donation_list_parts",
    "donation_list_totals",
    "receipt_list_totals",
    "receipt_series",
    "row_totals",
]

# Filter name → the per-day totals' lookup (a model value stands for its key).
DONATION_KEYS = {
    "campaign": "campaign_id",
    "date_from": "date__gte",
    "date_to": "date__lte",
    "source": "source",
    "channel": "channel",
    "purpose": "purpose",
    "group": "group_id",
    "organisation": "organisation_id",
    "status": "status",
}
RECEIPT_STATUS = {"issued": Donation.Status.VALID, "voided": Donation.Status.VOIDED}


def _used(data: dict | None) -> dict | None:
    """The filter's fields that hold a value (None: the filter was not valid)."""
    if data is None:
        return None
    return {name: value for name, value in data.items() if value not in (None, "", [])}


def _from_day_totals(lookups: dict) -> dict:
    totals = DayTotal.objects.filter(kind=DayTotal.Kind.DONATION, **lookups).aggregate(
        count=Coalesce(Sum("n"), 0),
        total=Coalesce(Sum("amount", filter=Q(status=Donation.Status.VALID)), 0),
    )
    return {"count": int(totals["count"]), "total": int(totals["total"])}


def _days_from_day_totals(lookups: dict) -> dict:
    """Count, valid total, ``days`` ({date: rows}) and ``parts`` (the valid sums per
    purpose and fund that ``donation_list_parts`` shows) in one GROUP BY: the page's
    total and its parts come from the same rows, in one query."""
    rows = value_rows(
        # Compiled once per filter (lddh/ward/compiled.py): the lookups are plain values.
        ("list_days", tuple(sorted(lookups.items()))),
        lambda: (
            DayTotal.objects.filter(kind=DayTotal.Kind.DONATION, **lookups)
            .values_list("date", "status", "purpose", "fund_id")
            .annotate(count=Coalesce(Sum("n"), 0), total=Coalesce(Sum("amount"), 0))
            .order_by()
        ),
    )
    days: dict = {}
    parts: dict[tuple[str, int | None], tuple[int, int]] = {}
    total = 0
    for day, status, purpose, fund_id, count, amount in rows:
        days[day] = days.get(day, 0) + int(count)
        if status == Donation.Status.VALID:
            total += int(amount)
            before = parts.get((purpose, fund_id), (0, 0))
            parts[(purpose, fund_id)] = (before[0] + int(amount), before[1] + int(count))
    return {"count": sum(days.values()), "total": total, "days": days, "parts": parts}


def row_totals(rows: QuerySet, *, valid: Q | None = None) -> dict:
    """Count (and with ``valid``, the sum of ``amount`` over the valid rows) in one
    aggregate."""
    aggregates = {"count": Count("pk")}
    if valid is not None:
        aggregates["total"] = Coalesce(Sum("amount", filter=valid), 0)
    return rows.order_by().aggregate(**aggregates)


def donation_list_totals(access: Access, data: dict | None, rows: QuerySet) -> dict:
    """The donation list's count and valid total; ``data`` is the filter form's cleaned
    data (None when unbound or invalid, then ``rows`` is the unfiltered scope). From the
    per-day totals it holds ``days`` too: {date: rows of the list on that date}."""
    used = _used(data) if data is not None else {}
    if access.reads_all and used is not None and set(used) <= set(DONATION_KEYS):
        lookups = {DONATION_KEYS[name]: getattr(v, "pk", v) for name, v in used.items()}
        return _days_from_day_totals(lookups)
    return row_totals(rows, valid=Q(status=Donation.Status.VALID))


@dataclass(frozen=True)
class ListPart:
    """One fund's (or direct support's) share of the donation list's valid total."""

    label: str
    amount: int
    count: int


def donation_list_parts(
    access: Access, data: dict | None, rows: QuerySet, totals: dict | None = None
) -> list[ListPart]:
    """What the donation list's valid total adds: one part per fund in the funds' order,
    then direct support; from the per-day totals when the list's totals come from them
    (same rule as donation_list_totals; given its ``totals``, from the sums it read
    along), else one grouped aggregate over the rows."""
    used = _used(data) if data is not None else {}
    if totals is not None and "parts" in totals:
        grouped = [
            (purpose, fund_id, *sums) for (purpose, fund_id), sums in totals["parts"].items()
        ]
    elif access.reads_all and used is not None and set(used) <= set(DONATION_KEYS):
        lookups = {DONATION_KEYS[name]: getattr(v, "pk", v) for name, v in used.items()}
        grouped = (
            DayTotal.objects.filter(kind=DayTotal.Kind.DONATION, **lookups)
            .filter(status=Donation.Status.VALID)
            .values_list("purpose", "fund_id")
            .annotate(s=Coalesce(Sum("amount"), 0), n=Coalesce(Sum("n"), 0))
        )
    else:
        grouped = (
            rows.filter(status=Donation.Status.VALID)
            .values_list("purpose", "fund_id")
            .annotate(s=Coalesce(Sum("amount"), 0), n=Count("pk"))
        )
    sums: dict[tuple[str, int], tuple[int, int]] = {}
    if not isinstance(grouped, list):
        grouped = grouped.order_by()
    for purpose, fund_id, amount, n in grouped:
        if not n:
            continue
        key = (purpose, 0 if purpose == Donation.Purpose.DIRECT else fund_id or 0)
        before = sums.get(key, (0, 0))
        sums[key] = (before[0] + int(amount), before[1] + int(n))
    if not sums:
        return []
    parts = []
    fund_ids = {fund_id for purpose, fund_id in sums if purpose == Donation.Purpose.FUND}
    funds = model_rows(
        ("list_part_funds", tuple(sorted(fund_ids))),
        lambda: Fund.objects.filter(pk__in=fund_ids).order_by("order", "pk"),
    )
    for fund in funds:
        amount, n = sums[(Donation.Purpose.FUND, fund.pk)]
        parts.append(ListPart(fund.short_name or fund.name, amount, n))
    direct = sums.get((Donation.Purpose.DIRECT, 0))
    if direct:
        parts.append(ListPart(DIRECT.name.lower(), *direct))
    return parts


def receipt_list_totals(access: Access, data: dict | None, rows: QuerySet) -> dict:
    """The receipt register's count (a receipt per donation, of the donation's date
    and status; its series is the fund's code or the direct-support series)."""
    used = _used(data) if data is not None else {}
    if (
        access.reads_all
        and used is not None
        and set(used)
        <= {
            "series",
            "year",
            "status",
            "date_from",
            "date_to",
        }
    ):
        lookups: dict = {}
        if "status" in used:
            lookups["status"] = RECEIPT_STATUS[used["status"]]
        if "date_from" in used:
            lookups["date__gte"] = used["date_from"]
        if "date_to" in used:
            lookups["date__lte"] = used["date_to"]
        if "year" in used:
            lookups["date__year"] = int(used["year"])
        if "series" in used:
            if used["series"] == DIRECT_SERIES:
                lookups["purpose"] = Donation.Purpose.DIRECT
            else:
                fund = Fund.objects.filter(code=used["series"]).values_list("pk", flat=True)
                lookups["fund_id"] = fund.first() or -1
                lookups["purpose"] = Donation.Purpose.FUND
        return {"count": _from_day_totals(lookups)["count"]}
    return row_totals(rows)


def receipt_series() -> list[str]:
    """The series in use, for the register's filter: the funds that received a
    donation, and the direct-support series once one was recorded."""
    totals = DayTotal.objects.filter(kind=DayTotal.Kind.DONATION, n__gt=0)
    fund_ids = totals.exclude(fund_id=0).values("fund_id").distinct()
    series = set(Fund.objects.filter(pk__in=fund_ids).values_list("code", flat=True))
    if totals.filter(purpose=Donation.Purpose.DIRECT).exists():
        series.add(DIRECT_SERIES)
    return sorted(series)
