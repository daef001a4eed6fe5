"""Support approved by someone other than who proposed it."""

from __future__ import annotations

from django.db.models import (
    F,
    Q,
)

from households.models import Support
from lddh.supervision.integrity.base import Finding, finding_from_rows, support_link


def check_approval() -> list[Finding]:
    decided = Support.objects.filter(status__in=[Support.Status.APPROVED, Support.Status.PAID])
    bad = (
        decided.filter(
            Q(decided_by__isnull=True)
            | Q(decided_by=F("proposed_by"))
            | Q(decided_by=F("edited_by"))
        )
        .order_by("pk")
        .values("pk")
    )
    findings = finding_from_rows(
        "approval",
        "Hỗ trợ được duyệt bởi chính người đề xuất (hoặc người sửa), hoặc không có người duyệt",
        "Người đề xuất hay người sửa gần nhất không được tự duyệt hỗ trợ.",
        bad,
        lambda rows: [support_link(r["pk"]) for r in rows],
    )
    self_paid = (
        decided.filter(status=Support.Status.PAID, paid_by=F("decided_by"))
        .order_by("pk")
        .values("pk")
    )
    findings += finding_from_rows(
        "approval",
        "Hỗ trợ do chính người duyệt chi",
        "Người duyệt không được tự chi; kế toán / thủ quỹ khác phải chi.",
        self_paid,
        lambda rows: [support_link(r["pk"]) for r in rows],
    )
    return findings
