"""Support of the same kind twice to one household carries a reason."""

from __future__ import annotations

from django.db.models import (
    Exists,
    OuterRef,
)

from households.models import Support
from lddh.supervision.integrity.base import Finding, finding_from_rows, support_link


def check_repeats() -> list[Finding]:
    """A household supported twice in one category and campaign needs a recorded reason
    on every support after the first."""
    standing = Support.objects.filter(status__in=[Support.Status.APPROVED, Support.Status.PAID])
    earlier = standing.filter(
        household_id=OuterRef("household_id"),
        campaign_id=OuterRef("campaign_id"),
        category=OuterRef("category"),
        pk__lt=OuterRef("pk"),
    )
    bad = (
        standing.filter(repeat_reason="")
        .filter(Exists(earlier))
        .order_by("pk")
        .values("pk", "household_id")
    )
    return finding_from_rows(
        "repeats",
        "Hộ được hỗ trợ cùng loại lần nữa trong chiến dịch mà không ghi lý do",
        "Hỗ trợ lần thứ hai cùng loại trong một chiến dịch phải ghi lý do.",
        bad,
        lambda rows: [support_link(r["pk"]) for r in rows],
    )
