"""Per-day totals of the money records: the one source of every figure (dashboard,
public pages, report totals, list totals, fund balances).

One row per day and combination of the keys the figures group by, holding how many
records and how many đồng. The services that write a donation or a ledger entry add to
these rows in the same transaction (``donations.services.totals``), so a figure is a
small sum over them, never a pass over the records; the supervision check
``day_totals`` proves they equal a fresh GROUP BY of the records.

Keys are plain values, never foreign keys (no join, no cascade), and never NULL: 0 or
"" means "none", so the unique constraint makes ``INSERT … ON CONFLICT … DO UPDATE``
add to the existing row on PostgreSQL and SQLite alike (NULLs never conflict).
"""

from __future__ import annotations

from django.db import models

KEY_FIELDS = (
    "kind",
    "date",
    "status",
    "purpose",
    "campaign_id",
    "fund_id",
    "account_id",
    "channel",
    "source",
    "group_id",
    "organisation_id",
    "board_member_id",
)
"""The columns that make a row's key, in the unique constraint's order."""


class DayTotal(models.Model):
    """Count and sum of the donations or ledger entries of one day and one key.

    Donation rows (``kind`` "donation", dated by the donation): ``status`` is the
    donation's status (a void moves its count and amount from "valid" to "voided"),
    ``source`` the donor's current source (a donor's new source moves them), the credits
    are the donation's. Ledger rows (``kind`` "ledger", dated by the entry): ``status``
    is the entry's kind, with the campaign and donor source of its donation for receipts
    and their reversals; the entries' amounts are signed as in the ledger."""

    class Kind(models.TextChoices):
        DONATION = "donation", "Khoản ủng hộ"
        LEDGER = "ledger", "Bút toán sổ quỹ"

    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    date = models.DateField("ngày")
    status = models.CharField("trạng thái / loại bút toán", max_length=15)
    purpose = models.CharField("mục đích", max_length=10, default="")
    campaign_id = models.PositiveBigIntegerField("chiến dịch", default=0)
    fund_id = models.PositiveBigIntegerField("quỹ", default=0)
    account_id = models.PositiveBigIntegerField("tài khoản", default=0)
    channel = models.CharField("hình thức", max_length=10, default="")
    source = models.CharField("nguồn", max_length=20, default="")
    group_id = models.PositiveBigIntegerField("tổ dân phố được ghi nhận", default=0)
    organisation_id = models.PositiveBigIntegerField("tổ chức được ghi nhận", default=0)
    board_member_id = models.PositiveBigIntegerField("thành viên Ban vận động", default=0)
    n = models.BigIntegerField("số bản ghi", default=0)
    amount = models.BigIntegerField("số tiền (đồng)", default=0)

    class Meta:
        verbose_name = "tổng theo ngày"
        verbose_name_plural = "tổng theo ngày"
        constraints = [models.UniqueConstraint(fields=KEY_FIELDS, name="day_total_key")]
        indexes = [
            # The dashboard and the public pages: one campaign's donations.
            models.Index(fields=["campaign_id", "kind", "status"], name="day_total_campaign_idx"),
            # Balances: a fund's ledger up to a day.
            models.Index(fields=["kind", "fund_id", "date"], name="day_total_fund_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.date:%d/%m/%Y} {self.status}: {self.n} / {self.amount}"

    def key(self) -> tuple:
        return tuple(getattr(self, name) for name in KEY_FIELDS)
