"""Check: the per-day totals (every figure's source) equal the records they sum.

The stored rows are compared with the same GROUP BY computed afresh from the donations
and the ledger entries; every difference is named by its day and key."""

from __future__ import annotations

import datetime

from django.db import connection

from donations.models import Account, DayTotal, Donation, Fund, LedgerEntry
from donations.models.totals import KEY_FIELDS
from donations.services.totals import RECOMPUTED
from lddh.supervision.integrity import ERROR, LIMIT, Finding, ledger_link
from lddh.ward.money import format_dong
from lddh.ward.vocab import DonorSource

CODE = "day_totals"


def _key(row) -> tuple:
    key = list(row)
    if isinstance(key[1], str):  # SQLite returns a raw SELECT's dates as text
        key[1] = datetime.date.fromisoformat(key[1])
    return tuple(key)


def _recomputed() -> dict[tuple, tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(RECOMPUTED)
        return {_key(row[:-2]): (int(row[-2]), int(row[-1])) for row in cursor.fetchall()}


def _stored() -> dict[tuple, tuple[int, int]]:
    rows = DayTotal.objects.values_list(*KEY_FIELDS, "n", "amount")
    return {_key(row[:-2]): (row[-2], row[-1]) for row in rows if row[-2] or row[-1]}


def _label(value: str, choices) -> str:
    try:
        return choices(value).label
    except ValueError:
        return value


def _describe(key: tuple, funds: dict, accounts: dict) -> str:
    values = dict(zip(KEY_FIELDS, key, strict=True))
    ledger = values["kind"] == DayTotal.Kind.LEDGER
    parts = [
        "sổ quỹ" if ledger else "khoản ủng hộ",
        f"ngày {values['date']:%d/%m/%Y}",
        _label(values["status"], LedgerEntry.Kind if ledger else Donation.Status),
    ]
    if values["purpose"]:
        parts.append(_label(values["purpose"], Donation.Purpose))
    if values["fund_id"]:
        fund = funds.get(values["fund_id"])
        parts.append(f"quỹ {fund.code if fund else values['fund_id']}")
    if values["account_id"]:
        parts.append(str(accounts.get(values["account_id"], values["account_id"])))
    if values["channel"]:
        parts.append(_label(values["channel"], Donation.Channel))
    if values["source"]:
        parts.append(f"nguồn {_label(values['source'], DonorSource)}")
    for name, label in (
        ("campaign_id", "chiến dịch số"),
        ("group_id", "tổ dân phố số"),
        ("organisation_id", "tổ chức số"),
        ("board_member_id", "thành viên Ban vận động số"),
    ):
        if values[name]:
            parts.append(f"{label} {values[name]}")
    return ", ".join(parts)


def check_day_totals() -> list[Finding]:
    """One finding per day and key whose stored count or sum differs from the records."""
    stored, fresh = _stored(), _recomputed()
    keys = sorted(
        (k for k in set(stored) | set(fresh) if stored.get(k, (0, 0)) != fresh.get(k, (0, 0))),
        key=lambda k: (k[1], tuple(str(v) for v in k)),
    )
    if not keys:
        return []
    funds = {f.pk: f for f in Fund.objects.all()}
    accounts = {a.pk: a for a in Account.objects.all()}
    findings = []
    for key in keys[:LIMIT]:
        kept_n, kept = stored.get(key, (0, 0))
        real_n, real = fresh.get(key, (0, 0))
        fund_id, day = key[KEY_FIELDS.index("fund_id")], key[1]
        findings.append(
            Finding(
                CODE,
                ERROR,
                f"Tổng theo ngày sai: {_describe(key, funds, accounts)}",
                f"Bảng tổng theo ngày ghi {kept_n} bản ghi, {format_dong(kept)}; tính lại từ "
                f"các bản ghi được {real_n} bản ghi, {format_dong(real)}. Các số liệu (trang "
                "chủ, trang công khai, báo cáo) đọc từ bảng này: đã bị sửa trực tiếp trong cơ "
                "sở dữ liệu hoặc ghi ngoài nghiệp vụ.",
                [ledger_link(fund_id, day=day)] if fund_id else [],
            )
        )
    if len(keys) > LIMIT:
        findings.append(
            Finding(
                CODE,
                ERROR,
                f"Còn {len(keys) - LIMIT} dòng tổng theo ngày sai khác (tổng số {len(keys)})",
            )
        )
    return findings
