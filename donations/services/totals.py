"""The per-day totals' only writer (model ``DayTotal``): the services that write a
donation, a ledger entry, a void or a donor's source call it inside their own
transaction, so the totals move together with the records or not at all.

Every change is an upsert ``INSERT … ON CONFLICT (key) DO UPDATE SET n = n + …`` (the
same statement on PostgreSQL and SQLite): two transactions adding to the same day and
key both count, the second waiting for the first's row. A fund's rows are written under
its row lock (the ledger writers' lock, taken before any total of the fund is touched),
so two writers never wait for each other's rows in a cycle. After the commit the signal
``day_totals_changed`` tells the caches built on the figures (the public pages) that
they are stale."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.dispatch import Signal

from donations.models import Donation, Donor, Fund, LedgerEntry
from donations.models.totals import DayTotal

__all__ = [
    "RECOMPUTED",
    "day_totals_changed",
    "donation_added",
    "donation_voided",
    "donor_source_changed",
    "entry_added",
    "lock_funds_of",
    "rebuild_day_totals",
]

day_totals_changed = Signal()
"""Sent after the commit of any change of the per-day totals (sender: DayTotal)."""

VALID, VOIDED = Donation.Status.VALID, Donation.Status.VOIDED


def _donation_key(donation: Donation, *, status: str, source: str) -> tuple:
    return (
        DayTotal.Kind.DONATION,
        donation.date,
        status,
        donation.purpose,
        donation.campaign_id or 0,
        donation.fund_id or 0,
        donation.account_id or 0,
        donation.channel,
        source,
        donation.credited_group_id or 0,
        donation.credited_organisation_id or 0,
        donation.credited_board_member_id or 0,
    )


def _changed() -> None:
    transaction.on_commit(lambda: day_totals_changed.send(sender=DayTotal))


def _add(changes: Iterable[tuple[tuple, int, int]]) -> None:
    """Add (count, đồng) to the row of each key, creating it when missing. Keys are
    written in sorted order, so two transactions never wait for each other in a cycle."""
    merged: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for key, n, amount in changes:
        merged[key][0] += n
        merged[key][1] += amount
    rows = [(key, n, amount) for key, (n, amount) in sorted(merged.items()) if n or amount]
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(UPSERT, [(*key, n, amount) for key, n, amount in rows])
    _changed()


def _source_of(donation: Donation) -> str:
    """The donor's source, read under a lock that waits for a change of it in progress
    (and that a change waits for): the donation counts under the source that stays."""
    donors = Donor.objects.select_for_update(no_key=True).filter(pk=donation.donor_id)
    return donors.values_list("source", flat=True).get()


def donation_added(donation: Donation) -> None:
    """A new donation counts on its day as valid, under its donor's source."""
    source = _source_of(donation)
    _add([(_donation_key(donation, status=donation.status, source=source), 1, donation.amount)])


def donation_voided(donation: Donation) -> None:
    """A voided donation moves from "valid" to "voided" on its own day."""
    source = _source_of(donation)
    _add(
        [
            (_donation_key(donation, status=VALID, source=source), -1, -donation.amount),
            (_donation_key(donation, status=VOIDED, source=source), 1, donation.amount),
        ]
    )


def _entry_key(entry: LedgerEntry, *, campaign_id: int, source: str) -> tuple:
    return (
        DayTotal.Kind.LEDGER,
        entry.date,
        entry.kind,
        "",
        campaign_id,
        entry.fund_id,
        entry.account_id,
        "",
        source,
        0,
        0,
        0,
    )


def entry_added(entry: LedgerEntry) -> None:
    """A new ledger entry (receipt, void, payment, transfer) counts on its date; a
    receipt and its reversal carry the campaign and donor source of their donation."""
    campaign_id, source = 0, ""
    if entry.donation_id is not None:
        campaign_id, source = (
            Donation.objects.filter(pk=entry.donation_id)
            .values_list("campaign_id", "donor__source")
            .get()
        )
    _add([(_entry_key(entry, campaign_id=campaign_id or 0, source=source), 1, entry.amount)])


def lock_funds_of(donor: Donor) -> None:
    """Before a donor's source may change, the row locks of the funds they gave to, in
    the order every ledger writer takes them (fund, then the donor at its commit): a
    recording holding a fund then finishes first, and one that comes later waits."""
    fund_ids = Donation.objects.filter(donor=donor, fund__isnull=False).values("fund_id")
    list(Fund.objects.select_for_update().filter(pk__in=fund_ids).order_by("pk").values("pk"))


def donor_source_changed(donor: Donor, old: str, new: str) -> None:
    """The donor's donations and their ledger entries move from the old source's rows
    to the new one's (two GROUP BY over this donor's records, by index). The caller
    took lock_funds_of(donor) and then the donor's row lock."""
    if old == new:
        return
    changes = []
    for row in (
        Donation.objects.filter(donor=donor)
        .values(
            "date",
            "status",
            "purpose",
            "campaign_id",
            "fund_id",
            "account_id",
            "channel",
            "credited_group_id",
            "credited_organisation_id",
            "credited_board_member_id",
        )
        .annotate(n=_count(), s=_sum())
        .order_by()
    ):
        donation = Donation(
            date=row["date"],
            purpose=row["purpose"],
            campaign_id=row["campaign_id"],
            fund_id=row["fund_id"],
            account_id=row["account_id"],
            channel=row["channel"],
            credited_group_id=row["credited_group_id"],
            credited_organisation_id=row["credited_organisation_id"],
            credited_board_member_id=row["credited_board_member_id"],
        )
        n, amount = row["n"], int(row["s"])
        changes.append((_donation_key(donation, status=row["status"], source=old), -n, -amount))
        changes.append((_donation_key(donation, status=row["status"], source=new), n, amount))
    for row in (
        LedgerEntry.objects.filter(donation__donor=donor)
        .values("date", "kind", "fund_id", "account_id", "donation__campaign_id")
        .annotate(n=_count(), s=_sum())
        .order_by()
    ):
        entry = LedgerEntry(
            date=row["date"], kind=row["kind"], fund_id=row["fund_id"], account_id=row["account_id"]
        )
        campaign_id = row["donation__campaign_id"] or 0
        n, amount = row["n"], int(row["s"])
        changes.append((_entry_key(entry, campaign_id=campaign_id, source=old), -n, -amount))
        changes.append((_entry_key(entry, campaign_id=campaign_id, source=new), n, amount))
    _add(changes)


def _count() -> Count:
    return Count("pk")


def _sum() -> Sum:
    return Sum("amount")


# --------------------------------------------------------------------------- in bulk


RECOMPUTED = """
    SELECT 'donation' AS kind, d.date, d.status, d.purpose, COALESCE(d.campaign_id, 0),
           COALESCE(d.fund_id, 0), COALESCE(d.account_id, 0), d.channel, o.source,
           COALESCE(d.credited_group_id, 0), COALESCE(d.credited_organisation_id, 0),
           COALESCE(d.credited_board_member_id, 0), COUNT(*), SUM(d.amount)
    FROM donations_donation d JOIN donations_donor o ON o.id = d.donor_id
    GROUP BY d.date, d.status, d.purpose, d.campaign_id, d.fund_id, d.account_id, d.channel,
             o.source, d.credited_group_id, d.credited_organisation_id,
             d.credited_board_member_id
    UNION ALL
    SELECT 'ledger' AS kind, e.date, e.kind, '', COALESCE(d.campaign_id, 0), e.fund_id,
           e.account_id, '', COALESCE(o.source, ''), 0, 0, 0, COUNT(*), SUM(e.amount)
    FROM donations_ledgerentry e
    LEFT JOIN donations_donation d ON d.id = e.donation_id
    LEFT JOIN donations_donor o ON o.id = d.donor_id
    GROUP BY e.date, e.kind, d.campaign_id, e.fund_id, e.account_id, o.source
"""
"""Every per-day total computed afresh from the records, in the columns of KEY_FIELDS
then n and amount: one GROUP BY per kind, a missing key as 0 or ""."""

COLUMNS = (
    "kind, date, status, purpose, campaign_id, fund_id, account_id, channel, source, "
    "group_id, organisation_id, board_member_id, n, amount"
)
UPSERT = (
    "INSERT INTO donations_daytotal (" + COLUMNS + ") "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (kind, date, status, purpose, campaign_id, fund_id, account_id, channel, "
    "source, group_id, organisation_id, board_member_id) "
    "DO UPDATE SET n = donations_daytotal.n + excluded.n, "
    "amount = donations_daytotal.amount + excluded.amount"
)
REBUILD = "INSERT INTO donations_daytotal (" + COLUMNS + ") " + RECOMPUTED


@transaction.atomic
def rebuild_day_totals() -> int:
    """Replace every per-day total by a fresh GROUP BY of the records (one INSERT …
    SELECT): for writers that add records in bulk, inside their transaction, and to
    repair totals the supervision check found wrong. Returns the number of rows."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM donations_daytotal")
        cursor.execute(REBUILD)
        count = cursor.rowcount
    _changed()
    return count
