"""Pledges agree with the donations counted against them: what each pledge shows as
paid (the figure of its pages, the dashboard and the report) equals the sum of its
linked donations still valid, recomputed here from the links; each linked donation is
the pledge's donor's, in its campaign, for a fund; a pledge's instalments add up to
its amount; and no donation was counted against a pledge after it was cancelled."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Sum
from django.urls import reverse

from donations.models import Donation, Pledge, PledgePayment
from donations.selectors import pledges_with_progress
from lddh.supervision.integrity.base import ERROR, Finding, Link
from lddh.ward.money import format_dong


def _link(pledge_id: int, code: str) -> Link:
    return Link(code, reverse("donations:pledge_detail", args=[pledge_id]))


def check_pledges() -> list[Finding]:
    findings: list[Finding] = []
    recomputed: dict[int, int] = defaultdict(int)
    wrong: list[tuple[int, str]] = []
    late: list[tuple[int, str]] = []
    payments = PledgePayment.objects.values_list(
        "pledge_id",
        "pledge__donor_id",
        "pledge__campaign_id",
        "pledge__cancelled_at",
        "pledge__fund_id",
        "linked_at",
        "donation__donor_id",
        "donation__campaign_id",
        "donation__fund_id",
        "donation__status",
        "donation__amount",
    )
    for row in payments.iterator(chunk_size=5000):
        pledge_id, donor, campaign, cancelled_at, pledge_fund, linked_at = row[:6]
        d_donor, d_campaign, fund, status, amount = row[6:]
        if status == Donation.Status.VALID:
            recomputed[pledge_id] += amount
        if d_donor != donor or d_campaign != campaign or fund != pledge_fund:
            wrong.append((pledge_id, Pledge.format_code(pledge_id)))
        if cancelled_at is not None and linked_at > cancelled_at:
            late.append((pledge_id, Pledge.format_code(pledge_id)))
    shown = dict(pledges_with_progress(Pledge.objects.all()).values_list("pk", "paid"))
    differ = [pk for pk, paid in shown.items() if paid != recomputed.get(pk, 0)]
    if differ:
        findings.append(
            Finding(
                "pledges",
                ERROR,
                f"{len(differ)} cam kết có số đã nộp khác tổng các khoản nộp",
                "Số đã nộp của cam kết phải bằng tổng các khoản ủng hộ còn hiệu lực đã tính "
                "vào cam kết.",
                [_link(pk, Pledge.format_code(pk)) for pk in differ[:20]],
            )
        )
    if wrong:
        findings.append(
            Finding(
                "pledges",
                ERROR,
                f"{len(wrong)} khoản nộp không đúng người, chiến dịch hoặc quỹ của cam kết",
                "Khoản nộp theo cam kết phải là của người cam kết, trong chiến dịch của cam "
                "kết, ủng hộ Quỹ.",
                [_link(pk, code) for pk, code in wrong[:20]],
            )
        )
    if late:
        findings.append(
            Finding(
                "pledges",
                ERROR,
                f"{len(late)} khoản nộp được tính vào cam kết đã hủy",
                "Cam kết đã hủy không nhận thêm khoản nộp.",
                [_link(pk, code) for pk, code in late[:20]],
            )
        )
    parts = dict(
        Pledge.objects.annotate(parts=Sum("instalments__amount")).values_list("pk", "parts")
    )
    amounts = dict(Pledge.objects.values_list("pk", "amount"))
    uneven = [pk for pk, amount in amounts.items() if (parts.get(pk) or 0) != amount]
    if uneven:
        findings.append(
            Finding(
                "pledges",
                ERROR,
                f"{len(uneven)} cam kết có tổng các đợt nộp khác số cam kết",
                "Tổng các đợt nộp của một cam kết phải bằng số cam kết "
                f"(ví dụ {format_dong(amounts[uneven[0]])}).",
                [_link(pk, Pledge.format_code(pk)) for pk in uneven[:20]],
            )
        )
    return findings
