"""A campaign's money in: fund donations (valid receipts only) and, apart, direct
support; a small sum over the per-day totals, whatever the number of donations."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import QuerySet

from campaigns.models import Campaign
from donations.models import DayTotal, Donation

__all__ = ["CampaignProgress", "campaign_progress", "period_progress", "progress_of"]


@dataclass
class CampaignProgress:
    """A campaign's money in: fund donations (valid receipts only) and, apart, direct
    support. Every ``by_*`` maps a key to whole đồng."""

    total: int = 0
    count: int = 0
    by_source: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    by_group: dict[int, int] = field(default_factory=dict)
    by_organisation: dict[int, int] = field(default_factory=dict)
    by_board_member: dict[int, int] = field(default_factory=dict)
    by_day: list[tuple[datetime.date, int]] = field(default_factory=list)
    direct_support_total: int = 0
    direct_support_count: int = 0


def valid_donation_totals() -> QuerySet[DayTotal]:
    return DayTotal.objects.filter(kind=DayTotal.Kind.DONATION, status=Donation.Status.VALID)


# The figures' groupings, each one branch of a single UNION ALL over the totals' rows:
# (tag, the column grouped by, its SQL type, only non-zero keys).
_FUND_GROUPS = (
    ("source", "source", "varchar(20)", False),
    ("channel", "channel", "varchar(10)", False),
    ("day", "day", "date", False),
    ("group", "grp", "bigint", True),
    ("organisation", "org", "bigint", True),
    ("board_member", "board", "bigint", True),
)
_KEY_COLUMNS = {"varchar(20)": 0, "varchar(10)": 0, "date": 1, "bigint": 2}


def _progress_sql(totals: QuerySet[DayTotal]) -> tuple[str, list]:
    """One statement for every figure of ``progress_of``: the totals' rows (those
    holding a count or an amount) as a common table, then one small GROUP BY per
    grouping, joined by UNION ALL. Plain SQL that SQLite and PostgreSQL both run, so
    the figures are the same on both; a few dozen rows come back instead of one per
    combination of the seven keys."""
    inner = (
        totals.exclude(n=0, amount=0)
        .order_by()
        .values_list(
            "purpose",
            "source",
            "channel",
            "date",
            "group_id",
            "organisation_id",
            "board_member_id",
            "n",
            "amount",
        )
    )
    inner_sql, inner_params = inner.query.sql_with_params()
    # Typed NULLs: PostgreSQL types a UNION's column from its first branches.
    nulls = ("CAST(NULL AS varchar(20))", "CAST(NULL AS date)", "CAST(NULL AS bigint)")

    def keys(column: str | None = None, sql_type: str | None = None) -> str:
        cells = list(nulls)
        if column is not None:
            cells[_KEY_COLUMNS[sql_type]] = column
        return ", ".join(cells)

    # Only the fixed names above go into the text; every value is a parameter.
    select = "SELECT '{tag}', {keys}, SUM(amount), SUM(n) FROM t WHERE purpose {op} %s{rest}"
    branches = [
        select.format(tag="direct", keys=keys(), op="=", rest=""),
        select.format(tag="fund", keys=keys(), op="<>", rest=""),
    ]
    for tag, column, sql_type, non_zero in _FUND_GROUPS:
        where = f" AND {column} <> 0" if non_zero else ""
        rest = f"{where} GROUP BY {column}"
        branches.append(select.format(tag=tag, keys=keys(column, sql_type), op="<>", rest=rest))
    sql = (
        "WITH t (purpose, source, channel, day, grp, org, board, n, amount) AS "
        f"({inner_sql}) " + " UNION ALL ".join(branches)
    )
    return sql, [*inner_params, *[Donation.Purpose.DIRECT] * len(branches)]


def progress_of(totals: QuerySet[DayTotal]) -> CampaignProgress:
    """The figures of these per-day totals of valid donations: fund donations (every
    purpose but direct support) summed by source, channel, day and credit, direct
    support apart; one statement (``_progress_sql``)."""
    progress = CampaignProgress()
    targets = {
        "source": progress.by_source,
        "channel": progress.by_channel,
        "group": progress.by_group,
        "organisation": progress.by_organisation,
        "board_member": progress.by_board_member,
    }
    by_day = []
    sql, params = _progress_sql(totals)
    with connections[totals.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for tag, text, day, number, amount, n in rows:
        amount, n = int(amount or 0), int(n or 0)
        if tag == "direct":
            progress.direct_support_total, progress.direct_support_count = amount, n
        elif tag == "fund":
            progress.total, progress.count = amount, n
        elif tag == "day":
            if amount:
                by_day.append((_date(day), amount))
        else:
            targets[tag][text if number is None else int(number)] = amount
    progress.by_day = sorted(by_day)
    return progress


def _date(value) -> datetime.date:
    """A date as the database driver gives it (SQLite: ISO text in a computed column)."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def campaign_progress(campaign: Campaign) -> CampaignProgress:
    """The campaign's figures: one query over its per-day totals."""
    return progress_of(valid_donation_totals().filter(campaign_id=campaign.pk))


def period_progress(start: datetime.date, end: datetime.date) -> CampaignProgress:
    """Money in between two dates, whatever the campaign (same rules: valid receipts
    only, direct support apart), for a published period report."""
    return progress_of(valid_donation_totals().filter(date__gte=start, date__lte=end))
