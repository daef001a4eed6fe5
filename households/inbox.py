"""The register's and support's work waiting in the inbox (lddh/ward/inbox.py): supports
to approve (committee) and to pay (treasurer), proposals waiting for the office, a
leader's proposals returned lately, a leader's review of the active campaign and its
review meeting to prepare, and the objections to a posted list waiting for the office."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.urls import reverse

from campaigns.inbox import current_campaign
from households.models import Household, Proposal, ReviewRound, Support
from households.selectors import (
    RETURNED_RECENT_DAYS,
    TO_PREPARE,
    ProposalFilters,
    groups_to_prepare,
    open_objections_for,
    proposal_rows,
    scans_to_review,
    supports_for,
    unreviewed_households,
)
from lddh.ward.access import Access
from lddh.ward.inbox import InboxContext, InboxItem
from lddh.ward.models import ResidentialGroup
from lddh.ward.roles import Role


def _proposals(access: Access, context: InboxContext, filters: ProposalFilters) -> tuple:
    """The list's address, its rows (a function) and their key: for a reader of
    everything without the filters that name the viewer or the time, the status only."""
    url = f"{reverse('households:proposals')}?{urlencode(filters.query())}"
    key = (
        ("all", filters.status)
        if access.reads_all and not filters.mine and not filters.days
        else None
    )
    return url, lambda: proposal_rows(access, filters, now=context.now), key


def inbox_items(access: Access, context: InboxContext) -> list[InboxItem]:
    items: list[InboxItem] = []
    if access.has(Role.COMMITTEE):
        items.append(
            InboxItem(
                key="supports_to_approve",
                label="Hỗ trợ chờ duyệt",
                hint="Đề xuất hỗ trợ hộ gia đình chờ Ban Thường trực duyệt.",
                url=reverse("households:support_to_approve"),
                rows=supports_for(access).filter(status=Support.Status.PROPOSED),
                nav="households:support_to_approve",
                order=10,
            )
        )
    if access.has(Role.COMMITTEE, Role.SUPERVISOR):
        items.append(
            InboxItem(
                key="scans_to_review",
                label="Bản chụp chờ duyệt công khai",
                hint="Bản chụp biên bản bàn giao đã che thông tin, chờ người thứ hai duyệt.",
                url=f"{reverse('households:scan_list')}?cho_duyet=1",
                rows=scans_to_review(access),
                nav="households:scan_list",
                order=15,
            )
        )
    if access.has(Role.TREASURER):
        items.append(
            InboxItem(
                key="supports_to_pay",
                label="Hỗ trợ chờ chi",
                hint="Đã duyệt, chờ kế toán chi và lập biên bản bàn giao.",
                url=reverse("households:support_to_pay"),
                rows=supports_for(access).filter(status=Support.Status.APPROVED),
                nav="households:support_to_pay",
                order=20,
            )
        )
    if access.is_office:
        url, rows, key = _proposals(
            access, context, ProposalFilters(status=Proposal.Status.PENDING)
        )
        items.append(
            InboxItem(
                key="proposals_waiting",
                label="Đề xuất của các tổ chờ duyệt",
                hint="Hộ mới, đổi phân loại, đưa hộ ra khỏi danh sách: chấp nhận hoặc trả lại.",
                url=url,
                rows=rows,
                rows_key=key,
                nav="households:proposals",
                order=30,
            )
        )
    if access.is_leader:
        filters = ProposalFilters(
            status=Proposal.Status.RETURNED, mine=True, days=RETURNED_RECENT_DAYS
        )
        url, rows, key = _proposals(access, context, filters)
        items.append(
            InboxItem(
                key="proposals_returned",
                label="Đề xuất của bạn bị trả lại",
                hint=f"Trong {RETURNED_RECENT_DAYS} ngày qua: xem lý do, sửa và đề xuất lại.",
                url=url,
                rows=rows,
                rows_key=key,
                nav="households:proposals",
                order=35,
            )
        )
        items.extend(_reviews(access, context))
        items.extend(_meetings(access, context))
    if access.is_office:
        items.append(
            InboxItem(
                key="objections_open",
                label="Kiến nghị về danh sách niêm yết chưa xử lý",
                hint="Ghi cách xử lý và trả lời người kiến nghị; hỗ trợ của hộ chờ đến khi xong.",
                url=reverse("households:meeting_list"),
                rows=lambda: open_objections_for(access),
                # A reader of everything: every meeting's objections (meetings_for).
                rows_key=("all",) if access.reads_all else None,
                nav="households:meeting_list",
                order=32,
            )
        )
    return items


def _meetings(access: Access, context: InboxContext) -> list[InboxItem]:
    """The leader's groups whose review meeting of the active campaign is not held yet
    (none at all, or one still being prepared)."""
    campaign = current_campaign(context)
    if campaign is None:
        return []
    return [
        InboxItem(
            key="meetings_to_prepare",
            label="Cuộc họp bình xét cần chuẩn bị",
            hint=f"Rà soát năm {campaign.year}: lập cuộc họp, mời thành phần, ghi nội dung.",
            url=f"{reverse('households:meeting_list')}?{TO_PREPARE}=1",
            rows=groups_to_prepare(access, campaign),
            nav="households:meeting_list",
            order=42,
        )
    ]


def _reviews(access: Access, context: InboxContext) -> list[InboxItem]:
    """Per group of the leader, while the active campaign's review is not confirmed
    complete: the households not yet reviewed, or, once all are, the confirmation."""
    campaign = current_campaign(context)
    if campaign is None:
        return []
    groups = ResidentialGroup.objects.filter(pk__in=access.group_ids).order_by("number")
    items = []
    for group in context.memo("leader_groups", lambda: list(groups)):
        page = reverse("households:review_group", args=[campaign.pk, group.pk])
        completed = ReviewRound.objects.filter(
            campaign=campaign, group=group, completed_at__isnull=False
        )
        left = unreviewed_households(group.pk, campaign)
        items.append(
            InboxItem(
                key=f"reviews_due_{group.pk}",
                label=f"Hộ chưa rà soát ở {group.name}",
                hint=f"Rà soát năm {campaign.year}: ghi kết quả từng hộ.",
                url=f"{page}?chua_ra_soat=1",
                rows=left.exclude(Exists(completed)),
                nav="households:reviews",
                order=40,
            )
        )
        items.append(
            InboxItem(
                key=f"review_to_confirm_{group.pk}",
                label=f"Xác nhận hoàn thành rà soát {group.name}",
                hint="Mọi hộ đã được rà soát: xác nhận để phường tổng hợp.",
                url=page,
                rows=ResidentialGroup.objects.filter(pk=group.pk)
                .filter(Exists(Household.objects.active().filter(group=OuterRef("pk"))))
                .exclude(Exists(left))
                .exclude(Exists(completed)),
                nav="households:reviews",
                order=41,
            )
        )
    return items
