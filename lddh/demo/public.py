"""Demo of the public pages: the standing committee has published the 2024 campaign's
report, so the list of publications, its SHA-256 fingerprint and the signed chain heads
(publishing signs them) show. Idempotent: once any report is published nothing is added
(published reports never change)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from campaigns.models import Campaign
from lddh.public.models import PublishedReport
from lddh.public.services import report_publish


def seed(*, stdout) -> None:
    if PublishedReport.objects.exists():
        return
    committee = get_user_model().objects.filter(username="thuongtruc").first()
    campaign = Campaign.objects.filter(year=2024).order_by("-start_date").first()
    if committee is None or campaign is None:
        return
    report = report_publish(
        actor=committee,
        title=f"Kết quả vận động và sử dụng Quỹ – {campaign.name}",
        period_start=campaign.start_date,
        period_end=campaign.end_date,
    )
    stdout.write(
        f"Công khai: đã công bố báo cáo {report.sha256[:12]}… "
        "(mã kiểm tra sổ quỹ in trên báo cáo đã được ký)"
    )
