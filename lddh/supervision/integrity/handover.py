"""The signed handover record of paid support is on file in time."""

from __future__ import annotations

import datetime

from django.db.models import (
    Exists,
    OuterRef,
    Q,
)

from households.models import Support, SupportAttachment, SupportForm
from lddh.supervision.integrity.base import (
    LIMIT,
    WARNING,
    Finding,
    finding_from_rows,
    handover_days,
    more_note,
    support_link,
)


def check_handover(today: datetime.date) -> list[Finding]:
    paid = Support.objects.filter(status=Support.Status.PAID)
    incomplete = (
        paid.filter(
            Q(handover_number="")
            | Q(receiver_name="")
            | Q(witness_name="")
            | Q(handover_date__isnull=True)
        )
        .order_by("pk")
        .values("pk")
    )
    findings = finding_from_rows(
        "handover",
        "Hỗ trợ đã chi thiếu biên bản bàn giao (số, người nhận, người chứng kiến)",
        "Hỗ trợ đã chi phải có biên bản bàn giao đánh số, ghi người nhận và người chứng kiến.",
        incomplete,
        lambda rows: [support_link(r["pk"]) for r in rows],
    )
    days = handover_days()
    overdue = (
        paid.filter(round__isnull=True, handover_date__lt=today - datetime.timedelta(days=days))
        .exclude(form=SupportForm.REFERRAL)
        .filter(~Exists(SupportAttachment.objects.filter(support_id=OuterRef("pk"))))
        .order_by("handover_date", "pk")
        .values("pk")
    )
    total = overdue.count()
    if total:
        findings.append(
            Finding(
                "handover",
                WARNING,
                f"Hỗ trợ đã chi quá {days} ngày chưa có bản chụp biên bản bàn giao đã ký: {total}",
                "Tải bản chụp biên bản đã ký (có chữ ký người nhận và người chứng kiến) lên "
                "trang hỗ trợ. Hỗ trợ theo đợt trao quà dùng danh sách ký nhận của đợt."
                + more_note(total),
                [support_link(r["pk"]) for r in overdue[:LIMIT]],
            )
        )
    return findings
