"""The donations' work waiting in the inbox (lddh/ward/inbox.py): void requests for the
standing committee, collection rounds not yet posted to the books and pledges due or
overdue for the office, and
money in on the bank accounts not yet matched (statement files and bank feeds alike) for
the office and the treasurer."""

from __future__ import annotations

from django.urls import reverse

from donations.models import CollectionRound, VoidRequest
from donations.selectors import (
    STATEMENT_ROLES,
    pledges_due_soon,
    rounds_for,
    unmatched_credits,
    void_requests_for,
)
from lddh.ward.access import Access
from lddh.ward.inbox import InboxContext, InboxItem
from lddh.ward.roles import Role


def inbox_items(access: Access, context: InboxContext) -> list[InboxItem]:
    items: list[InboxItem] = []
    # A reader of everything sees every round (rounds_for): the count's SQL is kept.
    everything = ("all",) if access.reads_all else None
    if access.has(Role.COMMITTEE):
        items.append(
            InboxItem(
                key="voids_to_approve",
                label="Đề nghị hủy biên nhận chờ duyệt",
                hint="Ban Thường trực duyệt hoặc từ chối; người đề nghị không tự duyệt.",
                url=reverse("donations:void_list"),
                rows=void_requests_for(access).filter(status=VoidRequest.Status.PENDING),
                nav="donations:void_list",
                order=15,
            )
        )
    if access.is_office:
        items.append(
            InboxItem(
                key="rounds_to_post",
                label="Đợt thu chưa ghi sổ",
                hint="Danh sách thu của tổ, tổ chức đã nhập mà chưa kiểm tra và ghi sổ.",
                url=reverse("donations:round_list") + "?trang-thai=draft",
                rows=lambda: rounds_for(access).filter(status=CollectionRound.Status.DRAFT),
                rows_key=everything,
                nav="donations:round_list",
                order=45,
            )
        )
    if access.is_office:
        items.append(
            InboxItem(
                key="pledges_due",
                label="Cam kết ủng hộ đến hạn và quá hạn",
                hint="Cam kết chưa nộp đủ có đợt đã quá hạn hoặc đến hạn trong 7 ngày: nhắc "
                "người cam kết.",
                url=reverse("donations:pledge_list") + "?han=den-han",
                rows=lambda: pledges_due_soon(access, today=context.today),
                rows_key=(context.today,) if access.reads_all else None,
                nav="donations:pledge_list",
                order=55,
            )
        )
    if access.has(*STATEMENT_ROLES):
        items.append(
            InboxItem(
                key="bank_lines_unmatched",
                label="Tiền vào tài khoản chưa khớp",
                hint="Dòng sao kê và tiền báo về tự động chưa ghi thành khoản ủng hộ.",
                url=reverse("donations:statement_queue"),
                rows=lambda: unmatched_credits(access),
                rows_key=("all",),  # every bank line for the statement roles
                nav="donations:statement_queue",
                order=50,
            )
        )
    return items
