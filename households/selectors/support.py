"""Reads of support, scoped like the register: a leader reaches the supports of their own
group's households only (pages, PDFs and Excel share supports_for), everyone who reads
all sees all. Also the warnings the approver sees, and the household's support history."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from campaigns.models import Campaign
from donations.selectors import fund_balance
from households.models import (
    DistributionRound,
    FollowUp,
    Household,
    Need,
    Proposal,
    Support,
    SupportCategory,
    SupportLevel,
    SupportSource,
)
from households.selectors.register import TIMELINE_SOURCES, TimelineEntry
from lddh.ward.access import Access
from lddh.ward.money import format_dong
from lddh.ward.text import normalise

__all__ = [
    "SUPPORT_PAGE_SIZE",
    "SupportFilters",
    "Warning",
    "campaigns_for_support",
    "household_supports",
    "round_for",
    "round_rows",
    "round_summary",
    "rounds_for",
    "signed_list_rows",
    "support_for",
    "support_for_update",
    "support_list",
    "support_totals",
    "support_warnings",
    "supports_for",
]

SUPPORT_PAGE_SIZE = 25


# ---------------------------------------------------------------- scope


def supports_for(access: Access) -> QuerySet[Support]:
    if access.reads_all:
        return Support.objects.all()
    if access.is_leader:
        return Support.objects.filter(household__group_id__in=access.group_ids)
    return Support.objects.none()


def support_for(access: Access, pk: int) -> Support:
    return get_object_or_404(
        supports_for(access).select_related(
            "household__group",
            "group",
            "need",
            "campaign",
            "round",
            "fund",
            "account",
            "donation__donor",
            "proposed_by",
            "edited_by",
            "decided_by",
            "paid_by",
            "cancelled_by",
            "ledger_entry",
        ),
        pk=pk,
    )


def support_for_update(access: Access, pk: int) -> Support:
    """The support to change (edit, cancel, follow up): 404 outside scope, 403 unless the
    person may edit the household's group. Approving and paying are decided by role in the
    view and again in the service."""
    support = support_for(access, pk)
    if not access.can_edit_group(support.household.group_id):
        raise PermissionDenied
    return support


def rounds_for(access: Access) -> QuerySet[DistributionRound]:
    """A leader sees the rounds that reach their group, or that they made."""
    if access.reads_all:
        return DistributionRound.objects.all()
    if access.is_leader:
        return DistributionRound.objects.filter(
            Q(supports__household__group_id__in=access.group_ids) | Q(created_by=access.user_id)
        ).distinct()
    return DistributionRound.objects.none()


def round_for(access: Access, pk: int) -> DistributionRound:
    return get_object_or_404(
        rounds_for(access).select_related("campaign", "fund", "account", "created_by"), pk=pk
    )


# ---------------------------------------------------------------- the list


@dataclass
class SupportFilters:
    status: str = ""
    category: str = ""
    group: int | None = None
    source: str = ""
    campaign: int | None = None
    q: str = ""

    @classmethod
    def from_query(cls, params) -> SupportFilters:
        def as_int(value):
            try:
                return int(value)
            except (TypeError, ValueError):
                return None

        def choice(name, values):
            value = params.get(name, "")
            return value if value in values else ""

        return cls(
            status=choice("trang_thai", Support.Status.values),
            category=choice("loai", SupportCategory.values),
            group=as_int(params.get("to")),
            source=choice("nguon", SupportSource.values),
            campaign=as_int(params.get("chien_dich")),
            q=(params.get("q") or "").strip()[:100],
        )


def _filtered(access: Access, filters: SupportFilters) -> QuerySet[Support]:
    qs = supports_for(access)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.group:
        qs = qs.filter(household__group_id=filters.group)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.campaign:
        qs = qs.filter(campaign_id=filters.campaign)
    key = normalise(filters.q)
    if key:
        qs = qs.filter(household__search_key__icontains=key)
    return qs


def support_list(access: Access, filters: SupportFilters) -> QuerySet[Support]:
    """The rows of the list: one query for a page, however many rows."""
    return (
        _filtered(access, filters)
        .select_related("household__group", "campaign", "fund")
        .only(
            "pk",
            "category",
            "form",
            "amount",
            "status",
            "source",
            "programme_name",
            "description",
            "proposed_at",
            "handover_date",
            "handover_number",
            "decision_number",
            "household__id",
            "household__head_name",
            "household__group__name",
            "household__group__number",
            "campaign__year",
            "fund__short_name",
            "fund__name",
        )
        .order_by("-proposed_at", "-pk")
    )


def support_totals(access: Access, filters: SupportFilters) -> dict[str, int]:
    return _filtered(access, filters).aggregate(
        count=Count("pk"),
        total=Coalesce(Sum("amount"), 0),
        paid_total=Coalesce(Sum("amount", filter=Q(status=Support.Status.PAID)), 0),
    )


# ---------------------------------------------------------------- one household


def household_supports(household: Household) -> list[Support]:
    """Every support the household received or was proposed, from every source, each
    with its latest follow-up (``last_follow_up``) for the household page."""
    supports = list(
        household.supports.select_related("campaign", "fund", "donation__donor", "round")
        .prefetch_related("follow_ups")
        .order_by("-proposed_at", "-pk")
    )
    for support in supports:
        follow_ups = list(support.follow_ups.all())
        support.last_follow_up = follow_ups[-1] if follow_ups else None
    return supports


def _support_entries(household: Household) -> list[TimelineEntry]:
    """The household's history of support: each step of each support, each follow-up."""
    entries: list[TimelineEntry] = []

    def add(at, title: str, user, note: str = "") -> None:
        actor = user.get_username() if user else ""
        entries.append(TimelineEntry(at=at, kind="support", title=title, actor=actor, note=note))

    supports = household.supports.select_related(
        "proposed_by", "decided_by", "paid_by", "cancelled_by"
    )
    for s in supports:
        what = f"{s.get_category_display()} – {format_dong(s.amount)} ({s.source_label()})"
        add(s.proposed_at, f"Đề xuất hỗ trợ số {s.pk}", s.proposed_by, what)
        if s.decided_at and s.status == Support.Status.REJECTED:
            add(s.decided_at, f"Không duyệt hỗ trợ số {s.pk}", s.decided_by, s.reject_reason)
        elif s.decided_at:
            add(
                s.decided_at,
                f"Duyệt hỗ trợ số {s.pk}",
                s.decided_by,
                f"Quyết định số {s.decision_number}",
            )
        if s.paid_at:
            add(
                s.paid_at,
                f"Chi / bàn giao hỗ trợ số {s.pk}",
                s.paid_by,
                f"Biên bản số {s.handover_number}, người nhận {s.receiver_name}",
            )
        if s.cancelled_at:
            add(s.cancelled_at, f"Hủy hỗ trợ số {s.pk}", s.cancelled_by, s.cancel_reason)
    follow_ups = FollowUp.objects.filter(support__household=household).select_related("recorded_by")
    for f in follow_ups:
        add(
            f.recorded_at,
            f"Theo dõi hỗ trợ số {f.support_id} ngày {f.date:%d/%m/%Y}: "
            f"{f.get_status_display().lower()}",
            f.recorded_by,
            f.note,
        )
    return entries


if _support_entries not in TIMELINE_SOURCES:
    TIMELINE_SOURCES.append(_support_entries)


# ---------------------------------------------------------------- warnings


@dataclass(frozen=True)
class Warning:
    text: str
    blocking: bool = False  # approval needs something more (the repeat reason)


def support_warnings(support: Support) -> list[Warning]:
    """What the approver must know before deciding: the same kind of support in this
    campaign (blocking once decided, unless a reason is given), a household that left or
    is proposed to leave, no official category, a need already met or withdrawn, an amount
    above the category's level, a fund whose balance cannot pay it yet."""
    warnings: list[Warning] = []
    household = support.household
    same = (
        Support.objects.filter(
            household=household, campaign=support.campaign_id, category=support.category
        )
        .filter(status__in=Support.STANDING)
        .exclude(pk=support.pk)
        .order_by("pk")
    )
    for other in same:
        blocking = other.status != Support.Status.PROPOSED and not support.repeat_reason
        warnings.append(
            Warning(
                f"Hộ đã có hỗ trợ cùng loại “{support.get_category_display()}” trong chiến dịch "
                f"này: số {other.pk}, {format_dong(other.amount)}, "
                f"{other.get_status_display().lower()}.",
                blocking=blocking,
            )
        )
    if not household.is_active:
        warnings.append(
            Warning(
                f"Hộ đã ra khỏi danh sách ngày {household.exit_date:%d/%m/%Y}: "
                f"{household.exit_reason}"
            )
        )
    if household.proposals.filter(kind=Proposal.Kind.EXIT, status=Proposal.Status.PENDING).exists():
        warnings.append(Warning("Hộ đang được đề xuất ra khỏi danh sách, chờ phường duyệt."))
    if household.category == "none" and not household.especially_difficult:
        warnings.append(Warning("Hộ chưa được công nhận phân loại chính thức."))
    need = support.need
    if need is not None and need.status in (Need.Status.MET, Need.Status.WITHDRAWN):
        warnings.append(
            Warning(f"Nhu cầu “{need.get_type_display()}” {need.get_status_display().lower()}.")
        )
    day = support.decision_date or support.proposed_at.date()
    level = SupportLevel.for_category(support.category, day)
    if level is not None and support.amount > level.max_amount:
        warnings.append(
            Warning(
                f"Số tiền {format_dong(support.amount)} vượt mức "
                f"{format_dong(level.max_amount)} của loại “{support.get_category_display()}” "
                f"(áp dụng từ {level.valid_from:%d/%m/%Y})."
            )
        )
    if support.source == SupportSource.FUND and support.fund_id and not support.is_paid:
        balance = fund_balance(support.fund)
        if balance < support.amount:
            warnings.append(
                Warning(
                    f"{support.fund} hiện còn {format_dong(balance)}, ít hơn số tiền hỗ trợ: "
                    "kế toán chưa chi được cho đến khi quỹ đủ tiền."
                )
            )
    return warnings


# ---------------------------------------------------------------- rounds


def round_rows(access: Access, round: DistributionRound) -> QuerySet[Support]:
    return (
        supports_for(access)
        .filter(round=round)
        .select_related("household__group", "paid_by")
        .order_by("household__group__number", "household__head_name", "pk")
    )


def round_summary(access: Access, round: DistributionRound) -> dict[str, int]:
    rows = supports_for(access).filter(round=round)
    summary = dict.fromkeys(Support.Status.values, 0)
    for status, n in rows.values_list("status").annotate(n=Count("pk")).order_by():
        summary[status] = n
    return summary


def signed_list_rows(access: Access, round: DistributionRound) -> list[Support]:
    """The danh sách ký nhận: the round's approved or paid supports the viewer may see."""
    return list(
        round_rows(access, round).filter(status__in=(Support.Status.APPROVED, Support.Status.PAID))
    )


def campaigns_for_support() -> QuerySet[Campaign]:
    return Campaign.objects.order_by("-start_date", "-pk")
