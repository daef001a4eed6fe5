"""Demo data for watching money arrive (``seed_demo --campaign-today``, which `make run`
uses): a campaign running today, so that a transfer the bank feed records now (see
``manage.py simulate_bank_feed``) shows on the dashboard and the public page at once.

The demo's story is the 2024 peak month, and it stays as it is: its donations, receipts
and figures do not change. Only its status does, as the committee would have done long
ago: the 2024 campaign is closed (audited, through the campaign services) and the fund's
year-round campaign of the current year is created and activated, its dates computed from
today. Without the option nothing of this happens, so the seeded demo that the tests read
keeps the 2024 campaign active. Idempotent: once a campaign that is not closed contains
today, nothing is written.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from campaigns.models import Campaign
from campaigns.services import campaign_activate, campaign_close, campaign_create
from lddh.ward.dates import format_date

VNN = "“Vì người nghèo”"
TARGET = 300_000_000
CLOSE_NOTE = "Demo: kết thúc chiến dịch 2024 để thử nguồn tiền tự động với chiến dịch năm nay."


def _period(today: datetime.date) -> tuple[datetime.date, datetime.date] | None:
    """The current year, shortened so that it overlaps no other campaign; None when a
    campaign that contains today is closed (today belongs to it)."""
    start, end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    for other in Campaign.objects.filter(start_date__lte=end, end_date__gte=start):
        if other.contains(today):
            return None
        if other.end_date < today:
            start = max(start, other.end_date + datetime.timedelta(days=1))
        else:
            end = min(end, other.start_date - datetime.timedelta(days=1))
    return start, end


def seed(*, stdout, today: datetime.date | None = None) -> Campaign | None:
    """The campaign running today, made active; the one active before it is closed."""
    today = today or timezone.localdate()
    running = (
        Campaign.objects.exclude(status=Campaign.Status.CLOSED)
        .filter(start_date__lte=today, end_date__gte=today)
        .first()
    )
    if running is not None:
        return running
    committee = _committee()
    if committee is None:
        stdout.write("Chiến dịch hôm nay: chưa có tài khoản demo thuongtruc, bỏ qua.")
        return None
    period = _period(today)
    if period is None:
        stdout.write(
            f"Chiến dịch hôm nay: chiến dịch chứa ngày {format_date(today)} đã kết thúc, bỏ qua."
        )
        return None
    start, end = period
    campaign = campaign_create(
        actor=committee,
        data={
            "year": today.year,
            "name": f"Vận động Quỹ {VNN} năm {today.year}",
            "subtitle": f"Tiếp nhận ủng hộ Quỹ {VNN} phường Lê Đại Hành quanh năm {today.year}",
            "start_date": start,
            "end_date": end,
            "target": TARGET,
        },
    )
    active = Campaign.objects.filter(status=Campaign.Status.ACTIVE).first()
    if active is not None:
        campaign_close(actor=committee, campaign=active, note=CLOSE_NOTE)
    campaign_activate(actor=committee, campaign=campaign)
    closed = f"; đã kết thúc “{active.name}”" if active is not None else ""
    stdout.write(
        f"Chiến dịch hôm nay: {campaign.name} ({format_date(start)} – {format_date(end)}), "
        f"đang triển khai{closed}. Chuyển khoản thử (simulate_bank_feed) ghi vào chiến dịch này."
    )
    return campaign


def _committee():
    return get_user_model().objects.filter(username="thuongtruc").first()
