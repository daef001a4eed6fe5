"""Every write leaves its trace: each write URL of the permission matrix, posted through
its page by a persona allowed to write with valid data, records exactly the expected
audit event (action, object, and the values before and after the change).

A write URL of the matrix (some signed-in persona's POST answers 200 or 302) must be
listed in WRITES (walked here) or in NOT_WALKED with the reason; a new write URL fails
test_every_write_url_is_walked_or_excused until it is added. The matrix's own cases
give the objects (kwargs); this module only adds the data and the expected event."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.forms import BaseFormSet
from django.urls import reverse
from openpyxl import Workbook

from campaigns.models import Activity, BoardMember, Campaign, PlanBlock
from donations.models import (
    Account,
    BalanceGap,
    BankFeed,
    BankLayout,
    CollectionRound,
    Donation,
    Donor,
    FeedDelivery,
    Fund,
    Message,
    Pledge,
    Receipt,
    StatementImport,
    StatementLine,
    StockCount,
    StockItem,
    VoidRequest,
)
from households.models import (
    DistributionRound,
    Household,
    Objection,
    Posting,
    Proposal,
    RedactedScan,
    ReviewMeeting,
    ReviewRound,
    Support,
)
from households.services import household_exit, review_record
from lddh.public.models import PublishedReport
from lddh.reports.models import CommendationRule
from lddh.supervision import services as supervision_services
from lddh.supervision.models import Feedback, Inspection, Sample
from lddh.ward.audit import AuditAction
from lddh.ward.models import AuditEvent
from tests.factories import (
    AccountFactory,
    CampaignFactory,
    DonorFactory,
    FundFactory,
    HouseholdFactory,
    record_donation,
    statement_csv,
)
from tests.households.test_excel import _row, _xlsx
from tests.permissions.donations import _line_kwargs
from tests.permissions.feedback import answered as answered_feedback
from tests.permissions.households import _books as permission_books
from tests.permissions.messages import _message
from tests.permissions.pledges import make_pledge
from tests.permissions.stock import _rice
from tests.test_permission_matrix import CASES

MATRIX = {case.url_name: case for case in CASES}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Attachments and published reports are written to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _form_value(field, value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple):
        return [_form_value(field, v) for v in value]
    return str(value)


def form_data(client, url: str, *, form_name: str = "form", **changes) -> dict:
    """What the page's form would send back unchanged (as a person sees it filled in),
    with `changes` typed over it."""
    context = client.get(url).context
    form = context[form_name]
    forms = [form]
    keys = context.keys()  # a ContextList iterates over contexts, not names
    formsets = {id(context[k]): context[k] for k in keys}
    for formset in formsets.values():
        if isinstance(formset, BaseFormSet):
            forms += [formset.management_form, *formset.forms]
    data = {}
    for each in forms:
        for name, bound in each._bound_items():
            value = _form_value(bound.field, bound.value())
            if value not in ("", []):
                data[each.add_prefix(name)] = value
    data.update({form.add_prefix(k): v for k, v in changes.items()})
    return data


@dataclass
class Write:
    url_name: str
    persona: str
    action: AuditAction
    # (kwargs) -> the object the event names; a model: its newest row after the write
    target: Callable | type[models.Model]
    data: Callable  # (client, url, kwargs) -> POST data
    before: dict | None = None  # expected subset of the event's "before"
    after: dict | None = None  # expected subset of the event's "after"
    also: tuple[AuditAction, ...] = ()  # further events the same write records
    kwargs: Callable | None = None  # (world) -> URL kwargs, when the matrix's do not fit
    status: int = 302  # the answer of a write that succeeded

    def __str__(self) -> str:
        return self.url_name


def edit(**changes) -> Callable:
    return lambda client, url, kwargs: form_data(client, url, **changes)


def matrix_data(client, url, kwargs) -> dict:
    """The valid data the permission matrix posts (or none: a button)."""
    return {}


def row(model, key: str = "pk") -> Callable:
    return lambda kwargs: model.objects.get(pk=kwargs[key])


def household_of(key: str = "pk") -> Callable:
    return lambda kwargs: Household.objects.get(pk=kwargs[key])


WRITES = [
    # ---------------------------------------------------------------- households
    Write(
        "households:member_edit",
        "leader2",
        AuditAction.HOUSEHOLD_MEMBER_UPDATE,
        household_of(),
        edit(school="Trường THCS Lê Đại Hành", is_student="on"),
        after={"school": "Trường THCS Lê Đại Hành"},
    ),
    Write(
        "households:need_edit",
        "leader2",
        AuditAction.HOUSEHOLD_NEED_UPDATE,
        household_of(),
        edit(description="Mái tôn dột nặng, cần thay trước mùa mưa"),
        after={"description": "Mái tôn dột nặng, cần thay trước mùa mưa"},
    ),
    Write(
        "households:plan_edit",
        "staff",
        AuditAction.HOUSEHOLD_PLAN_UPDATE,
        household_of(),
        edit(responsible="Chi hội Phụ nữ tổ 2"),
        after={"responsible": "Chi hội Phụ nữ tổ 2"},
    ),
    Write(
        "households:member_add",
        "leader2",
        AuditAction.HOUSEHOLD_MEMBER_ADD,
        household_of(),
        edit(full_name="Trần Văn Minh", birth_year="2010", relation="child", gender="male"),
        after={"full_name": "Trần Văn Minh", "birth_year": 2010},
    ),
    Write(
        "households:member_delete",
        "leader2",
        AuditAction.HOUSEHOLD_MEMBER_REMOVE,
        household_of(),
        lambda client, url, kwargs: {},
        before={"member": None},  # filled in by the test from the URL
    ),
    Write(
        "households:need_add",
        "leader2",
        AuditAction.HOUSEHOLD_NEED_ADD,
        household_of(),
        edit(type="loan", description="Vay vốn nuôi lợn", estimated_cost="15.000.000"),
        after={"type": "loan", "estimated_cost": 15_000_000},
    ),
    Write(
        "households:plan_add",
        "leader2",
        AuditAction.HOUSEHOLD_PLAN_ADD,
        household_of(),
        edit(action="Vận động sửa nhà", responsible="Tổ trưởng tổ 2"),
        after={"action": "Vận động sửa nhà", "responsible": "Tổ trưởng tổ 2"},
    ),
    # ---------------------------------------------------------------- campaigns
    Write(
        "campaigns:edit",
        "staff",
        AuditAction.CAMPAIGN_UPDATE,
        lambda kwargs: Campaign.objects.get(pk=kwargs["pk"]),
        edit(name="Tháng cao điểm Vì người nghèo 2024 (sửa)"),
        after={"name": "Tháng cao điểm Vì người nghèo 2024 (sửa)"},
    ),
    Write(
        "campaigns:block_edit",
        "staff",
        AuditAction.PLAN_BLOCK_UPDATE,
        lambda kwargs: PlanBlock.objects.get(pk=kwargs["block_pk"]),
        edit(text="Rà soát hộ nghèo theo chuẩn mới"),
        after={"text": "Rà soát hộ nghèo theo chuẩn mới"},
    ),
    Write(
        "campaigns:board_edit",
        "committee",
        AuditAction.BOARD_MEMBER_UPDATE,
        lambda kwargs: BoardMember.objects.get(pk=kwargs["member_pk"]),
        edit(position="Phó Chủ tịch UB MTTQ phường"),
        after={"position": "Phó Chủ tịch UB MTTQ phường"},
    ),
    Write(
        "campaigns:activity_edit",
        "staff",
        AuditAction.ACTIVITY_UPDATE,
        lambda kwargs: Activity.objects.get(pk=kwargs["activity_pk"]),
        edit(place="Nhà văn hóa tổ 2"),
        after={"place": "Nhà văn hóa tổ 2"},
    ),
    # ---------------------------------------------------------------- donations
    Write(
        "donations:donor_update",
        "staff",
        AuditAction.DONOR_UPDATE,
        lambda kwargs: Donor.objects.get(pk=kwargs["pk"]),
        edit(address="12 phố Lê Đại Hành"),
        after={"address": "12 phố Lê Đại Hành"},
    ),
    Write(
        "donations:message_resend",
        "staff",
        AuditAction.MESSAGE_RESEND,
        Message,
        matrix_data,
        after={"channel": "email", "address": "ba.hai@example.vn"},
        kwargs=lambda world: _given_up_message(world),
    ),
    # ---------------------------------------------------------------- buttons, and pages
    # posting the matrix's own valid data
    Write(
        "campaigns:activate",
        "committee",
        AuditAction.CAMPAIGN_ACTIVATE,
        row(Campaign),
        matrix_data,
        after={"status": "active"},
    ),
    Write(
        "campaigns:close",
        "committee",
        AuditAction.CAMPAIGN_CLOSE,
        row(Campaign),
        matrix_data,
        after={"status": "closed"},
    ),
    Write(
        "campaigns:reopen",
        "committee",
        AuditAction.CAMPAIGN_REOPEN,
        row(Campaign),
        lambda client, url, kwargs: {"reason": "Bổ sung khoản nộp muộn"},
        after={"status": "active"},
    ),
    Write(
        "campaigns:block_move",
        "staff",
        AuditAction.PLAN_BLOCK_MOVE,
        row(PlanBlock, "block_pk"),
        lambda client, url, kwargs: {"huong": "xuong"},
    ),
    Write(
        "campaigns:block_delete",
        "staff",
        AuditAction.PLAN_BLOCK_DELETE,
        row(PlanBlock, "block_pk"),
        matrix_data,
    ),
    Write(
        "campaigns:board_delete",
        "staff",
        AuditAction.BOARD_MEMBER_DELETE,
        row(BoardMember, "member_pk"),
        matrix_data,
    ),
    Write(
        "campaigns:activity_delete",
        "staff",
        AuditAction.ACTIVITY_DELETE,
        row(Activity, "activity_pk"),
        matrix_data,
    ),
    Write(
        "households:proposal_return",
        "staff",
        AuditAction.PROPOSAL_RETURN,
        row(Proposal),
        matrix_data,
    ),
    Write(
        "households:review_record",
        "leader2",
        AuditAction.HOUSEHOLD_REVIEW,
        household_of("household_pk"),
        matrix_data,
        after={"outcome": "confirmed"},
    ),
    Write(
        "households:consent",
        "leader2",
        AuditAction.HOUSEHOLD_CONSENT,
        household_of(),
        matrix_data,
        after={"public_consent": True},
    ),
    Write(
        "households:support_approve",
        "committee",
        AuditAction.SUPPORT_APPROVE,
        row(Support),
        matrix_data,
    ),
    Write(
        "households:support_reject",
        "committee",
        AuditAction.SUPPORT_REJECT,
        row(Support),
        matrix_data,
    ),
    Write(
        "households:support_pay",
        "treasurer",
        AuditAction.SUPPORT_PAY,
        row(Support),
        matrix_data,
        also=(AuditAction.FUND_PAY_OUT,),  # the fund's side of the same payment
    ),
    Write(
        "households:support_cancel",
        "leader2",
        AuditAction.SUPPORT_CANCEL,
        row(Support),
        matrix_data,
    ),
    Write(
        "households:support_follow_up",
        "leader2",
        AuditAction.SUPPORT_FOLLOW_UP,
        row(Support),
        matrix_data,
    ),
    Write(
        "households:support_attach",
        "treasurer",
        AuditAction.SUPPORT_ATTACH,
        row(Support),
        matrix_data,
    ),
    Write(
        "households:scan_upload",
        "committee",
        AuditAction.REDACTED_SCAN_UPLOAD,
        RedactedScan,
        matrix_data,
        after={"state": "Chờ người thứ hai duyệt"},
    ),
    Write(
        "households:scan_approve",
        "supervisor",
        AuditAction.REDACTED_SCAN_APPROVE,
        row(RedactedScan, "scan_pk"),
        matrix_data,
        before={"state": "Chờ người thứ hai duyệt"},
        after={"state": "Đã duyệt, công khai"},
    ),
    Write(
        "households:scan_reject",
        "committee",
        AuditAction.REDACTED_SCAN_REJECT,
        row(RedactedScan, "scan_pk"),
        matrix_data,
        before={"state": "Chờ người thứ hai duyệt"},
        after={"state": "Không duyệt"},
    ),
    Write(
        "households:scan_withdraw",
        "committee",
        AuditAction.REDACTED_SCAN_WITHDRAW,
        row(RedactedScan, "scan_pk"),
        matrix_data,
        before={"state": "Đã duyệt, công khai"},
        after={"state": "Đã thôi công khai"},
    ),
    Write(
        "households:round_approve",
        "committee",
        AuditAction.ROUND_APPROVE,
        row(DistributionRound),
        matrix_data,
        also=(AuditAction.SUPPORT_APPROVE,) * 2,  # one per household of the round
    ),
    Write(
        "households:round_pay",
        "treasurer",
        AuditAction.ROUND_PAY,
        row(DistributionRound),
        matrix_data,
        also=(AuditAction.SUPPORT_PAY, AuditAction.FUND_PAY_OUT) * 2,
    ),
    Write(
        "donations:void_approve",
        "committee",
        AuditAction.DONATION_VOID_APPROVE,
        lambda kwargs: VoidRequest.objects.get(pk=kwargs["pk"]).donation,
        matrix_data,
        before={"status": "valid"},
        after={"status": "voided"},
        also=(AuditAction.RECEIPT_VOID,),
    ),
    Write(
        "donations:void_reject",
        "committee",
        AuditAction.DONATION_VOID_REJECT,
        lambda kwargs: VoidRequest.objects.get(pk=kwargs["pk"]).donation,
        lambda client, url, kwargs: {"reason": "Số tiền đúng với sổ quỹ"},
    ),
    Write(
        "donations:stock_count",
        "treasurer",
        AuditAction.STOCK_COUNT_RECORD,
        StockCount,
        lambda client, url, kwargs: {
            "item": StockItem.objects.get().pk,
            "date": "20/11/2024",
            "counted": "97,5",
            "note": "Đếm tại kho Ủy ban",
        },
        after={"counted": "97.5", "book": "100"},
        kwargs=lambda world: _rice(world) and {},
    ),
    Write(
        "donations:stock_count_approve",
        "committee",
        AuditAction.STOCK_COUNT_APPROVE,
        row(StockCount),
        lambda client, url, kwargs: {"reason": "Hao hụt khi chia bao"},
        before={"status": "pending"},
        after={"status": "approved", "difference": "-2"},
    ),
    Write(
        "donations:stock_count_reject",
        "committee",
        AuditAction.STOCK_COUNT_REJECT,
        row(StockCount),
        lambda client, url, kwargs: {"reason": "Đếm lại cả kho"},
        after={"status": "rejected"},
    ),
    Write(
        "donations:void_request",
        "staff",
        AuditAction.DONATION_VOID_REQUEST,
        row(Donation),
        lambda client, url, kwargs: {"reason": "Nhập trùng biên nhận"},
        after={"reason": "Nhập trùng biên nhận"},
    ),
    # ---------------------------------------------------------------- edit pages bound
    # to initial= (plain forms)
    Write(
        "households:edit",
        "leader2",
        AuditAction.HOUSEHOLD_UPDATE,
        household_of(),
        edit(address="Số 5 ngõ 12 phố Lê Đại Hành"),
        after={"address": "Số 5 ngõ 12 phố Lê Đại Hành"},
    ),
    Write(
        "households:exit",
        "staff",
        AuditAction.HOUSEHOLD_EXIT,
        household_of(),
        edit(exit_date="15/11/2024", exit_reason="Hộ đã thoát nghèo"),
    ),
    Write(
        "households:reactivate",
        "committee",
        AuditAction.HOUSEHOLD_REACTIVATE,
        household_of(),
        lambda client, url, kwargs: {"note": "Hộ lại rơi vào khó khăn"},
        kwargs=lambda world: {"pk": _exited_household(world).pk},
    ),
    Write(
        "households:support_edit",
        "leader2",
        AuditAction.SUPPORT_UPDATE,
        row(Support),
        edit(description="Hỗ trợ sửa mái nhà và tường bếp"),
        after={"description": "Hỗ trợ sửa mái nhà và tường bếp"},
    ),
    Write(
        "donations:round_update",
        "leader2",
        AuditAction.ROUND_UPDATE,
        row(CollectionRound),
        edit(collector="Nguyễn Thị Hoa"),
        after={"collector": "Nguyễn Thị Hoa"},
    ),
    Write(
        "supervision:inspection_edit",
        "supervisor",
        AuditAction.INSPECTION_UPDATE,
        row(Inspection),
        edit(title="Kiểm tra tổ 2 (bổ sung)"),
        after={"title": "Kiểm tra tổ 2 (bổ sung)"},
    ),
    # ---------------------------------------------------------------- create pages: the
    # event names the new record (the newest row of its model after the write)
    Write(
        "campaigns:create",
        "staff",
        AuditAction.CAMPAIGN_CREATE,
        Campaign,
        edit(
            year="2031",
            name="Tháng cao điểm Vì người nghèo 2031",
            start_date="17/10/2031",
            end_date="18/11/2031",
        ),
    ),
    Write(
        "campaigns:block_create",
        "staff",
        AuditAction.PLAN_BLOCK_CREATE,
        PlanBlock,
        edit(section="contents", text="Thăm hỏi hộ cận nghèo"),
    ),
    Write(
        "campaigns:board_create",
        "committee",
        AuditAction.BOARD_MEMBER_CREATE,
        BoardMember,
        edit(full_name="Lê Thị Mai", position="Ủy viên", order="5"),
    ),
    Write(
        "campaigns:activity_create",
        "staff",
        AuditAction.ACTIVITY_CREATE,
        Activity,
        edit(kind="propaganda", title="Tuyên truyền trên loa phường", date="25/10/2024"),
    ),
    Write(
        "donations:pledge_create",
        "staff",
        AuditAction.PLEDGE_CREATE,
        Pledge,
        edit(
            donor_name="Công ty TNHH Bình Minh",
            source="business",
            amount="5.000.000",
            due_date="15/11/2024",
            pledged_on="17/10/2024",
        ),
        after={"amount": 5_000_000, "kind": "money"},
        also=(AuditAction.DONOR_CREATE,),
        kwargs=lambda world: CampaignFactory() and FundFactory() and {},
    ),
    Write(
        "donations:pledge_quick",
        "committee",
        AuditAction.PLEDGE_CREATE,
        Pledge,
        lambda client, url, kwargs: {
            **form_data(client, url, form_name="header", pledged_on="17/10/2024"),
            "dong-TOTAL_FORMS": "2",
            "dong-INITIAL_FORMS": "0",
            "dong-0-donor_name": "Ngân hàng TMCP Ngoại thương chi nhánh Hai Bà Trưng",
            "dong-0-source": "business",
            "dong-0-amount": "50.000.000",
            "dong-0-due_date": "30/11/2024",
            "dong-0-channel": "bank",
        },
        after={"amount": 50_000_000},
        also=(AuditAction.DONOR_CREATE,),
        kwargs=lambda world: CampaignFactory() and FundFactory() and {},
    ),
    Write(
        "donations:pledge_cancel",
        "committee",
        AuditAction.PLEDGE_CANCEL,
        row(Pledge),
        lambda client, url, kwargs: {"reason": "Ghi trùng với cam kết khác"},
        before={"status": "open"},
        after={"status": "cancelled"},
    ),
    Write(
        "donations:pledge_link",
        "staff",
        AuditAction.PLEDGE_PAYMENT,
        row(Pledge),
        lambda client, url, kwargs: {
            "donation": Donation.objects.get(donor__pledges__pk=kwargs["pk"]).pk
        },
        after={"amount": 500_000},
        kwargs=lambda world: _pledge_with_donation(world),
    ),
    Write(
        "donations:donor_create",
        "staff",
        AuditAction.DONOR_CREATE,
        Donor,
        edit(source="individual", name="Phạm Văn Đức"),
    ),
    Write(
        "households:create",
        "staff",  # a leader's new household is a proposal to the ward instead
        AuditAction.HOUSEHOLD_CREATE,
        Household,
        edit(
            group=None,  # filled in by the test: the leader's own group
            head_name="Đỗ Thị Lan",
            head_birth_year="1950",
            address="Số 3 ngõ 8 phố Lê Đại Hành",
            note="Tổ rà soát tháng 10",
            especially_difficult="on",
            difficulty_reasons=["elderly_alone"],
        ),
    ),
    # ---------------------------------------------------------------- supervision, and
    # more buttons
    Write(
        "supervision:inspection_create",
        "supervisor",
        AuditAction.INSPECTION_CREATE,
        Inspection,
        edit(
            date="15/11/2024",
            title="Kiểm tra việc chi hỗ trợ",
            team="Ban TTND",
            scope="group",
            group=None,
            findings="Hồ sơ chi đủ chữ ký",
        ),
    ),
    Write(
        "supervision:inspection_status",
        "committee",
        AuditAction.INSPECTION_STATUS,
        row(Inspection),
        lambda client, url, kwargs: {"status": "in_progress", "note": "Đang bổ sung chứng từ"},
        after={"status": "in_progress"},
    ),
    Write(
        "supervision:inspection_attach",
        "supervisor",
        AuditAction.INSPECTION_ATTACH,
        row(Inspection),
        lambda client, url, kwargs: {
            "attachment": SimpleUploadedFile("bb.pdf", b"%PDF-1.4\n" + b"0" * 40)
        },
    ),
    Write(
        "supervision:sample_record",
        "supervisor",
        AuditAction.SAMPLE_RECORD,
        row(Sample),
        lambda client, url, kwargs: {"result": "confirmed", "checked_on": "20/11/2024"},
    ),
    Write(
        "campaigns:copy",
        "staff",
        AuditAction.CAMPAIGN_COPY,
        Campaign,
        matrix_data,
    ),
    Write(
        "donations:round_delete",
        "leader2",
        AuditAction.ROUND_DELETE,
        row(CollectionRound),
        matrix_data,
    ),
    Write(
        "donations:receipt_batch",
        "staff",
        AuditAction.RECEIPT_PRINT,
        Receipt,
        matrix_data,
        status=200,  # the PDF itself
        after={"copy": False, "status": "issued"},
    ),
    Write(
        "households:proposal_accept",
        "committee",
        AuditAction.PROPOSAL_ACCEPT,
        row(Proposal),
        matrix_data,
        also=(AuditAction.HOUSEHOLD_CLASSIFY,),  # the accepted change, on the household
    ),
    Write(
        "households:classify",
        "staff",
        AuditAction.HOUSEHOLD_CLASSIFY,
        household_of(),
        edit(decision_number="12/QĐ-UBND"),
        after={"decision_number": "12/QĐ-UBND"},
    ),
    # ---------------------------------------------------------------- bank lines, reviews
    Write(
        "donations:statement_ignore",
        "treasurer",
        AuditAction.STATEMENT_IGNORE,
        row(StatementLine),
        lambda client, url, kwargs: {"reason": "Lãi tiền gửi, không phải ủng hộ"},
    ),
    # ---------------------------------------------------------------- bank feeds
    Write(
        "feeds:list",
        "committee",
        AuditAction.FEED_CREATE,
        BankFeed,
        lambda client, url, kwargs: {
            "account": str(Account.objects.get(name="TK Techcombank").pk),
            "provider": "sepay",
            "auth": "hmac",
            "fund": str(FundFactory().pk),
        },
        after={"provider": "sepay", "auth": "hmac", "fund": "VNN"},
        kwargs=lambda world: (
            Account.objects.create(name="TK Techcombank", kind=Account.Kind.BANK) and {}
        ),
        status=200,  # the page that shows the key once
    ),
    Write(
        "feeds:rules",
        "committee",
        AuditAction.FEED_RULES,
        row(BankFeed),
        lambda client, url, kwargs: {"active": "on", "auto_rounds": "on"},
        before={"auto_receipts": True, "auto_donor_codes": True},
        after={"auto_receipts": False, "auto_rounds": True, "auto_donor_codes": False},
    ),
    Write(
        "feeds:rotate",
        "committee",
        AuditAction.FEED_KEY_ROTATE,
        row(BankFeed),
        matrix_data,
        after={"given": False},
        status=200,  # the page that shows the new key once
    ),
    Write(
        "feeds:replay",
        "staff",
        AuditAction.FEED_REPLAY,
        row(FeedDelivery),
        matrix_data,
        after={"provider_id": "77"},
    ),
    Write(
        "households:review_complete",
        "leader2",
        AuditAction.REVIEW_ROUND_COMPLETE,
        ReviewRound,
        matrix_data,
        kwargs=lambda world: _reviewed_group(world),
    ),
    Write(
        "campaigns:targets",
        "staff",
        AuditAction.CAMPAIGN_TARGETS,
        row(Campaign),
        lambda client, url, kwargs: form_data(client, url, **_group_2_target(client, url)),
    ),
    Write(
        "public:publish",
        "committee",
        AuditAction.PUBLIC_REPORT_PUBLISH,
        PublishedReport,
        edit(
            title="Báo cáo công khai tháng 11/2024",
            period_start="01/11/2024",
            period_end="30/11/2024",
        ),
    ),
    Write(
        "donations:layout_create",
        "treasurer",
        AuditAction.BANK_LAYOUT_CREATE,
        BankLayout,
        lambda client, url, kwargs: _layout_from_sample(client, url),
        after={"name": "Mẫu MB của phường", "credit_column": "Phát sinh có/ Credit"},
    ),
    Write(
        "donations:layout_edit",
        "treasurer",
        AuditAction.BANK_LAYOUT_UPDATE,
        row(BankLayout),
        edit(name="Mẫu đã sửa", confirm="on"),
        before={"name": "Mẫu văn phòng lập"},
        after={"name": "Mẫu đã sửa"},
    ),
    Write(
        "donations:statement_upload",
        "treasurer",
        AuditAction.STATEMENT_UPLOAD,
        StatementImport,
        lambda client, url, kwargs: _statement_upload(),
        also=(AuditAction.STATEMENT_IMPORT,),  # read at once by the tests' task backend
    ),
    Write(
        "donations:statement_import_decide",
        "treasurer",
        AuditAction.STATEMENT_ACCEPT,
        lambda kwargs: StatementImport.objects.get(pk=kwargs["pk"]),
        lambda client, url, kwargs: {"action": "accept", "reason": "Ngân hàng xác nhận bổ sung"},
        also=(AuditAction.STATEMENT_IMPORT,),
        after={"breaks": 1},
    ),
    Write(
        "donations:balance_gap_explain",
        "committee",
        AuditAction.STATEMENT_GAP_EXPLAIN,
        lambda kwargs: BalanceGap.objects.get(pk=kwargs["pk"]),
        lambda client, url, kwargs: {"explanation": "Phí chuyển khoản ngân hàng thu bù"},
    ),
    Write(
        "supervision:sample_create",
        "supervisor",
        AuditAction.SAMPLE_DRAW,
        Sample,
        edit(kind="households", size="1"),
        kwargs=lambda world: _household_to_sample(world),
    ),
    Write(
        "households:import_apply",
        "staff",
        AuditAction.HOUSEHOLD_CREATE,
        Household,
        lambda client, url, kwargs: _previewed_import(client),
    ),
    Write(
        "donations:round_import",
        "leader2",
        AuditAction.ROUND_LINES,
        row(CollectionRound),
        lambda client, url, kwargs: {"file": _round_list()},
    ),
    Write(
        "donations:create",
        "staff",
        AuditAction.DONATION_RECORD,
        Donation,
        lambda client, url, kwargs: _donation_form(client, url),
        after={"amount": 1_500_000},
    ),
    Write(
        "donations:statement_match",
        "treasurer",
        AuditAction.STATEMENT_MATCH,
        row(StatementLine),
        lambda client, url, kwargs: {"donation": str(_donation_for_line(kwargs).pk)},
        after={"amount": 500_000},
    ),
    Write(
        "households:support_create",
        "leader2",
        AuditAction.SUPPORT_PROPOSE,
        Support,
        lambda client, url, kwargs: _support_form(client, url),
        after={"amount": 20_000_000},
    ),
    # ---------------------------------------------------------------- review meetings
    Write(
        "households:meeting_create",
        "leader2",
        AuditAction.MEETING_PREPARE,
        ReviewMeeting,
        lambda client, url, kwargs: _meeting_form(client.world),
        after={"place": "Nhà văn hóa tổ 2", "invited_count": 15},
    ),
    Write(
        "households:meeting_attendee_add",
        "leader2",
        AuditAction.MEETING_ATTENDEE_ADD,
        row(ReviewMeeting),
        matrix_data,
        after={"attendee": "Ngô Văn Bí", "attendee_role": "Bí thư chi bộ"},
    ),
    Write(
        "households:meeting_item_add",
        "leader2",
        AuditAction.MEETING_ITEM_ADD,
        row(ReviewMeeting),
        matrix_data,
        after={"kind": "Đề nghị hỗ trợ"},
    ),
    Write(
        "households:meeting_votes",
        "staff",
        AuditAction.MEETING_VOTES,
        row(ReviewMeeting),
        matrix_data,
        before={"status": "preparing", "present_count": None},
        after={"status": "held", "present_count": 12},
    ),
    Write(
        "households:meeting_close",
        "staff",
        AuditAction.MEETING_CLOSE,
        row(ReviewMeeting),
        matrix_data,
        after={"status": "closed"},
    ),
    Write(
        "households:meeting_scan",
        "leader2",
        AuditAction.MEETING_SCAN,
        row(ReviewMeeting),
        matrix_data,
        after={"name": "bien-ban.jpg"},
    ),
    Write(
        "households:posting_open",
        "staff",
        AuditAction.POSTING_OPEN,
        Posting,
        matrix_data,
        after={"start_date": "2024-10-06", "end_date": "2024-10-12"},
    ),
    Write(
        "households:objection_record",
        "leader2",
        AuditAction.OBJECTION_RECORD,
        Objection,
        matrix_data,
        after={"sender": "Người dân tổ 2", "status": "open"},
    ),
    Write(
        "households:objection_answer",
        "committee",
        AuditAction.OBJECTION_ANSWER,
        row(Objection, "objection_pk"),
        matrix_data,
        before={"status": "open"},
        after={"status": "closed", "answer": "Giữ nguyên đề nghị."},
    ),
    Write(
        "households:round_create",
        "leader2",
        AuditAction.ROUND_CREATE,
        DistributionRound,
        lambda client, url, kwargs: _distribution_form(client, url),
        also=(AuditAction.SUPPORT_PROPOSE,),  # one support per household of the round
    ),
    Write(
        "donations:round_detail",
        "leader2",
        AuditAction.ROUND_LINES,
        row(CollectionRound),
        lambda client, url, kwargs: _grid_data(client, url),
    ),
    Write(
        "donations:round_post",
        "staff",
        AuditAction.ROUND_POST,
        row(CollectionRound),
        lambda client, url, kwargs: {
            "revision": str(CollectionRound.objects.get(pk=kwargs["pk"]).revision),
            "xac_nhan": "1",  # past the review step
        },
        # Each line becomes a donor (new here) and a donation with its receipt.
        also=(AuditAction.DONOR_CREATE, AuditAction.DONATION_RECORD) * 2,
    ),
    Write(
        "households:anonymise",
        "committee",
        AuditAction.HOUSEHOLD_ANONYMISE,
        Household,
        lambda client, url, kwargs: {"xac_nhan": "1"},
        kwargs=lambda world: _long_exited_household(world),
    ),
    Write(
        "supervision:sample_inspection",
        "supervisor",
        AuditAction.INSPECTION_CREATE,
        Inspection,
        lambda client, url, kwargs: {
            "date": "25/11/2024",
            "team": "Ban Thanh tra nhân dân",
            "recommendations": "Bổ sung chữ ký người nhận",
            "follow_up_by": "Ban Thường trực",
        },
        kwargs=lambda world: _verified_sample(world),
    ),
    Write(
        "donations:round_create",
        "leader2",
        AuditAction.ROUND_CREATE,
        CollectionRound,
        lambda client, url, kwargs: _collection_round_form(client, url),
        after={"collector": "Vũ Văn Bình"},
    ),
    Write(
        "donations:statement_bulk",
        "staff",
        AuditAction.STATEMENT_BULK_RECORD,
        Fund,
        lambda client, url, kwargs: _bulk_lines(client, url),
        after={"count": 1, "total": 500_000},
        kwargs=lambda world: (_line_kwargs(world), {})[1],
        also=(
            AuditAction.DONOR_CREATE,
            AuditAction.DONATION_RECORD,
            AuditAction.STATEMENT_RECORD,
        ),
    ),
    Write(
        "donations:statement_record",
        "staff",
        AuditAction.STATEMENT_RECORD,
        row(StatementLine),
        lambda client, url, kwargs: _statement_record_form(client, url),
        # The donation it records, with its donor (new here) and receipt.
        also=(AuditAction.DONOR_CREATE, AuditAction.DONATION_RECORD),
    ),
    # ---------------------------------------------------------------- residents' feedback
    Write(
        "supervision:feedback_assign",
        "supervisor",
        AuditAction.FEEDBACK_ASSIGN,
        row(Feedback),
        lambda client, url, kwargs: {
            "assignee": str(client.world.users["supervisor"].pk),
            "note": "Xác minh tại tổ 2",
        },
        before={"status": "received", "assignee": None},
        after={"status": "in_progress"},
    ),
    Write(
        "supervision:feedback_answer",
        "supervisor",
        AuditAction.FEEDBACK_ANSWER,
        row(Feedback),
        edit(answer="Đã xác minh: hộ đã nhận quà, có chữ ký trong danh sách."),
        before={"status": "received", "answered": False},
        after={"status": "answered", "answered": True},
    ),
    Write(
        "supervision:feedback_close",
        "committee",
        AuditAction.FEEDBACK_CLOSE,
        row(Feedback),
        lambda client, url, kwargs: {"note": "Người gửi đã được gọi điện"},
        before={"status": "answered"},
        after={"status": "closed"},
    ),
    Write(
        "supervision:feedback_publish",
        "committee",
        AuditAction.FEEDBACK_PUBLISH,
        row(Feedback),
        edit(public_question="Một hộ ở tổ 2 chưa nhận được quà Tết."),
        before={"published": False},
        after={"published": True},
        kwargs=lambda world: {"pk": answered_feedback(world).pk},
    ),
    Write(
        "supervision:feedback_unpublish",
        "committee",
        AuditAction.FEEDBACK_UNPUBLISH,
        row(Feedback),
        lambda client, url, kwargs: {"reason": "Nội dung còn nhận ra người gửi"},
        before={"published": True},
        after={"published": False},
    ),
    # ---------------------------------------------------------------- reports
    Write(
        "reports:commendation",
        "committee",
        AuditAction.COMMENDATION_RULE_UPDATE,
        CommendationRule,
        edit(individual_min="3.000.000", organisation_form="Bằng khen của UB MTTQ quận"),
        before={"individual_min": 5_000_000},
        after={"individual_min": 3_000_000, "organisation_form": "Bằng khen của UB MTTQ quận"},
    ),
]


def _bulk_lines(client, url) -> dict:
    """Two open credits of the statement, ticked in the queue; the preview's names kept,
    one of them typed over."""
    line = StatementLine.objects.get()
    fund = FundFactory()
    data = {"dong": [str(line.pk)], "fund": str(fund.pk), f"ten-{line.pk}": "Lê Thị Hoa"}
    assert client.get(url, {"dong": line.pk}).status_code == 200
    return data


def _collection_round_form(client, url) -> dict:
    fund = FundFactory()
    cash = AccountFactory(name="Két tiền mặt", kind="cash")
    return form_data(
        client,
        url,
        group=str(client.world.groups[2].pk),
        collector="Vũ Văn Bình",
        date="25/10/2024",
        expected_count="2",
        expected_total="300.000",
        fund=str(fund.pk),
        account=str(cash.pk),
    )


def _statement_record_form(client, url) -> dict:
    fund = FundFactory()
    return form_data(
        client,
        url,
        form_name="record_form",
        new_name="Công ty TNHH An Phát",
        new_source="business",
        fund=str(fund.pk),
    )


def _verified_sample(world) -> dict:
    """A sample whose every item was checked, one of them found wrong."""
    HouseholdFactory(group=world.groups[2])
    sample = supervision_services.sample_draw(
        actor=world.users["supervisor"], kind=Sample.Kind.HOUSEHOLDS, size=1, seed=7
    )
    supervision_services.sample_record(
        actor=world.users["supervisor"],
        item=sample.items.get(),
        result="discrepancy",
        note="Hộ đã chuyển đi",
        checked_on=datetime.date(2024, 11, 20),
    )
    return {"pk": sample.pk}


def _long_exited_household(world) -> dict:
    """A household that left the register long enough ago to be anonymised."""
    household = HouseholdFactory(group=world.groups[2])
    household_exit(
        actor=world.users["staff"],
        household=household,
        exit_date=datetime.date(2015, 1, 1),
        reason="Chuyển đi nơi khác",
    )
    return {}


def _grid_data(client, url) -> dict:
    """The round's grid as the leader sees it, with the first line's name corrected."""
    grid = client.get(url).context["grid"]
    data = {}
    for form in [grid.management_form, *grid.forms]:
        for name, bound in form._bound_items():
            value = _form_value(bound.field, bound.value())
            if value not in ("", []):
                data[form.add_prefix(name)] = value
    data[grid.forms[0].add_prefix("name")] = "Nguyễn Văn Ân"
    return data


def _distribution_form(client, url) -> dict:
    household = HouseholdFactory(group=client.world.groups[2])
    fund, cash, campaign = permission_books(client.world)
    return form_data(
        client,
        url,
        name="Trao quà Tết Ất Tỵ 2025",
        campaign=str(campaign.pk),
        category="gift",
        form="cash",
        amount="500.000",
        source="fund",
        fund=str(fund.pk),
        account=str(cash.pk),
        households=[str(household.pk)],
    )


def _support_form(client, url) -> dict:
    fund, cash, campaign = permission_books(client.world)
    return form_data(
        client,
        url,
        campaign=str(campaign.pk),
        category="house_repair",
        form="cash",
        amount="20.000.000",
        description="Hỗ trợ sửa mái nhà",
        source="fund",
        fund=str(fund.pk),
        account=str(cash.pk),
    )


def _donation_for_line(kwargs) -> Donation:
    """The recorded donation the bank line confirms: same account, same amount."""
    line = StatementLine.objects.get(pk=kwargs["pk"])
    return record_donation(
        actor=line.statement_import.imported_by,
        account=line.account,
        amount=line.credit,
        channel="bank",
    )


def _donation_form(client, url) -> dict:
    fund, campaign = FundFactory(), CampaignFactory(status=Campaign.Status.ACTIVE)
    AccountFactory(name="Két tiền mặt", kind="cash")
    return form_data(
        client,
        url,
        donor=str(DonorFactory(name="Nguyễn Văn An").pk),
        amount="1.500.000",
        channel="cash",
        date="20/10/2024",
        purpose="fund",
        fund=str(fund.pk),
        campaign=str(campaign.pk),
    )


def _previewed_import(client) -> dict:
    """The person uploads the register file first; the apply step posts its digest."""
    preview = client.post(reverse("households:import"), {"file": _xlsx([_row()])})
    return {"digest": preview.context["digest"]}


def _round_list() -> io.BytesIO:
    workbook = Workbook()
    workbook.active.append(["Họ và tên", "Số tiền (đồng)"])
    workbook.active.append(["Ngô Thị Thu", 200_000])
    upload = io.BytesIO()
    workbook.save(upload)
    upload.seek(0)
    upload.name = "danh-sach.xlsx"
    return upload


def _household_to_sample(world) -> dict:
    """A household for the sample to draw from; the URL takes no id."""
    HouseholdFactory(group=world.groups[2])
    return {}


def _layout_from_sample(client, url) -> dict:
    """Read a sample bank file on the page, then send the proposed layout with a name."""
    sample = Path(__file__).parent / "donations/statement_samples/mbbank_sao_ke.xlsx"
    upload = io.BytesIO(sample.read_bytes())
    upload.name = sample.name
    form = client.post(url, {"file": upload}).context["form"]
    data = {f.html_name: f.value() for f in form if f.value() not in (None, False)}
    return data | {"name": "Mẫu MB của phường"}


def _statement_upload() -> dict:
    account = AccountFactory(name="TK Vietcombank", kind="bank")
    upload = io.BytesIO(statement_csv([("20/10/2024", "FT1", "", "500.000", "", "UNG HO")]))
    upload.name = "sao-ke.csv"
    layout = BankLayout.objects.get(name__startswith="Mẫu chung")
    return {"account": account.pk, "layout": layout.pk, "file": upload}


def _group_2_target(client, url) -> dict:
    groups = client.get(url).context["form"].groups
    return {f"group_{g.pk}": "50.000.000" for g in groups if g.number == 2}


def _reviewed_group(world) -> dict:
    """A campaign in which every household of group 2 has been reviewed."""
    household = HouseholdFactory(group=world.groups[2])
    campaign = CampaignFactory()
    review_record(
        actor=world.users["leader2"], campaign=campaign, household=household, outcome="confirmed"
    )
    return {"campaign_pk": campaign.pk, "group_pk": world.groups[2].pk}


def _meeting_form(world) -> dict:
    return {
        "group": str(world.groups[2].pk),
        "campaign": str(CampaignFactory().pk),
        "date": "05/10/2024",
        "time": "19:30",
        "place": "Nhà văn hóa tổ 2",
        "chair": "Lê Văn Chủ",
        "secretary": "Trần Thị Thư",
        "invited_count": "15",
    }


def _exited_household(world) -> Household:
    household = HouseholdFactory(group=world.groups[2])
    return household_exit(
        actor=world.users["staff"],
        household=household,
        exit_date=datetime.date(2024, 11, 1),
        reason="Chuyển đi nơi khác",
    )


def _pledge_with_donation(world) -> dict:
    """A pledge and a donation of its donor in its campaign, recorded without it (a
    collection round's): the page counts it against the pledge."""
    pledge = make_pledge(world)
    record_donation(actor=world.users["staff"], donor=pledge.donor, campaign=pledge.campaign)
    return {"pk": pledge.pk}


def _given_up_message(world) -> dict:
    """A message whose tries are over: "Gửi lại" queues a new one."""
    message = _message(world)
    Message.objects.filter(pk=message.pk).update(status=Message.Status.GAVE_UP)
    return {"pk": message.pk}


NOT_WALKED = {
    # Not writes of the ward's records: signing in and out, the password, two-factor
    # set-up, the residents' receipt check, the import preview (writes nothing).
    "login": "sign-in events: tests/ward/test_signin.py",
    "logout": "sign-in events: tests/ward/test_signin.py",
    "password_change": "Django's own view; no ward record changes",
    "two_factor_setup": "auth.2fa_enabled: tests/ward/test_two_factor.py",
    "two_factor_verify": "auth.2fa_failed: tests/ward/test_two_factor.py",
    "public:receipt_check": "a look-up, writes nothing",
    "public:feedback_track": "a look-up, writes nothing",
    "public:feedback": "a resident's feedback, no signed-in actor: "
    "tests/supervision/test_feedback.py",
    "households:import": "a preview, writes nothing",
    "donations_public:opt_out": "the donor's own opt-out, no signed-in actor: "
    "tests/donations/test_messages.py",
}


def _write_urls() -> set[str]:
    return {
        case.url_name
        for case in CASES
        if case.post and any(status in (200, 302) for p, status in case.post.items() if p != "anon")
    }


def test_every_write_url_is_walked_or_excused():
    walked = {write.url_name for write in WRITES}
    listed = walked | set(NOT_WALKED)
    assert not sorted(_write_urls() - listed), "write URLs missing from tests/test_write_audit.py"
    assert not sorted(listed - _write_urls()), "listed URLs that are not write URLs"
    assert not walked & set(NOT_WALKED)


def _subset(expected: dict | None, actual: dict | None, what: str) -> None:
    if expected is None:
        return
    actual = actual or {}
    assert {k: actual.get(k) for k in expected} == expected, f"{what}: {actual}"


@pytest.mark.parametrize("write", WRITES, ids=str)
def test_a_write_through_its_page_records_its_event(world, write):
    case = MATRIX[write.url_name]
    assert case.post[write.persona] in (200, 302), "the persona must be allowed to write"
    make_kwargs = write.kwargs or case.kwargs
    kwargs = make_kwargs(world) if make_kwargs else {}
    url = reverse(write.url_name, kwargs=kwargs)
    client = world.client(write.persona)
    client.world = world  # for data that needs the ward's books
    data = write.data(client, url, kwargs)
    if "group" in data and data["group"] is None:
        data["group"] = str(world.groups[2].pk)
    if write.data is matrix_data and case.post_data:
        data = case.post_data(world)
    creates = isinstance(write.target, type)
    target = None if creates else write.target(kwargs)
    before = write.before
    if before == {"member": None}:
        before = {"member": kwargs["member_pk"]}
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    response = client.post(url, data)

    assert response.status_code == write.status, (
        response.context["form"].errors if response.context else response.status_code
    )
    if creates:
        target = write.target.objects.latest("pk")
    events = list(AuditEvent.objects.filter(pk__gt=last).order_by("pk"))
    expected = sorted([write.action.value, *(a.value for a in write.also)])
    assert sorted(e.action for e in events) == expected
    event = next(e for e in events if e.action == write.action.value)
    assert event.actor == world.users[write.persona]
    assert (event.object_type, event.object_id) == (target._meta.label_lower, str(target.pk))
    _subset(before, event.before, "before")
    _subset(write.after, event.after, "after")
    if write.after and event.before is not None and write.action.value.endswith("update"):
        # An edit records what it replaced: every changed key has its old value.
        assert set(write.after) <= set(event.before)
        assert all(event.before[k] != event.after[k] for k in write.after)
