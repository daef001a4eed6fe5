"""Writes of the public app: the standing committee publishes a period's report."""

from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from donations.models import Donation, Fund
from donations.selectors import Movements, movements_by_fund
from donations.selectors.public import period_progress
from donations.selectors.reports import chain_heads
from donations.services import chain_heads_sign
from households.selectors.public import spending
from lddh.public.models import PublishedReport
from lddh.ward.access import access_for
from lddh.ward.audit import AuditAction, log_event
from lddh.ward.money import amount_in_words
from lddh.ward.pdf import document_context, render_pdf
from lddh.ward.roles import Role
from lddh.ward.vocab import DonorSource

MAX_PERIOD = datetime.timedelta(days=366 * 2)


def report_context(
    *, title: str, period_start: datetime.date, period_end: datetime.date, actor
) -> dict:
    """The public figures of a period: balances, money in by source and channel, paid
    support by category and group, direct support apart. No person is named."""
    progress = period_progress(period_start, period_end)
    paid = spending(start=period_start, end=period_end)
    movements = movements_by_fund(period_start, period_end)
    funds = [
        {"name": fund.name, "movements": movements.get(fund.pk) or Movements()}
        for fund in Fund.objects.order_by("order", "pk")
    ]
    now = timezone.localtime()
    return {
        **document_context(period_end),
        "title": title,
        "period_start": period_start,
        "period_end": period_end,
        "progress": progress,
        "total_words": amount_in_words(progress.total),
        "sources": [
            (label, progress.by_source.get(value, 0))
            for value, label in DonorSource.choices
            if progress.by_source.get(value)
        ],
        "channels": [
            (label, progress.by_channel.get(value, 0)) for value, label in Donation.Channel.choices
        ],
        "spending": paid,
        "funds": funds,
        "published_at": now,
        "publisher": actor.get_full_name() or actor.get_username(),
        # The ledger as it stands at publication: anyone holding the PDF can later ask
        # whether entry N of each fund still carries this hash.
        "chain_heads": chain_heads(),
    }


@transaction.atomic
def report_publish(
    *, actor, title: str, period_start: datetime.date, period_end: datetime.date
) -> PublishedReport:
    """Render the period's public summary as a PDF, fingerprint it with SHA-256 and keep
    it for good. Only the standing committee publishes."""
    if not access_for(actor).has(Role.COMMITTEE):
        raise PermissionDenied("Chỉ Ban Thường trực được công bố báo cáo công khai.")
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": ["Nhập tiêu đề báo cáo."]})
    if period_end < period_start:
        raise ValidationError({"period_end": ["Ngày kết thúc phải sau ngày bắt đầu."]})
    if period_end > timezone.localdate():
        raise ValidationError({"period_end": ["Chưa thể công khai số liệu của ngày chưa tới."]})
    if period_end - period_start > MAX_PERIOD:
        raise ValidationError({"period_start": ["Kỳ báo cáo dài tối đa hai năm."]})
    context = report_context(
        title=title, period_start=period_start, period_end=period_end, actor=actor
    )
    pdf = render_pdf("public/report_document.html", context)
    digest = hashlib.sha256(pdf).hexdigest()
    report = PublishedReport(
        title=title,
        period_start=period_start,
        period_end=period_end,
        size=len(pdf),
        sha256=digest,
        published_by=actor,
        chain_heads=[
            {"fund": head.fund_code, "sequence": head.sequence, "hash": head.hash}
            for head in context["chain_heads"]
        ],
    )
    report.file.save(f"{digest}.pdf", ContentFile(pdf), save=False)
    report.save()
    # The printed heads are signed too: rewriting the report's stored heads in the
    # database cannot then hide a rewritten ledger.
    chain_heads_sign(actor=actor)
    log_event(
        actor=actor,
        action=AuditAction.PUBLIC_REPORT_PUBLISH,
        obj=report,
        after={
            "title": title,
            "period_start": period_start.isoformat(),
            "period_end": period_end.isoformat(),
            "sha256": digest,
            "size": len(pdf),
            "chain_heads": report.chain_heads,
        },
    )
    return report
