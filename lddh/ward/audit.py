"""The audit helper that every service calls inside its own transaction."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from lddh.ward.models import AuditEvent


class AuditAction(models.TextChoices):
    """Every kind of audit event, with what an inspector reads. An event's ``action``
    column holds the code; a code written anywhere must be listed here (a test reads the
    sources and fails on a code without a label)."""

    # Signing in (lddh.ward.signin, lddh.ward.twofactor)
    AUTH_LOGIN = "auth.login", "Đăng nhập"
    AUTH_LOGOUT = "auth.logout", "Đăng xuất"
    AUTH_LOGIN_FAILED = "auth.login_failed", "Đăng nhập không thành công"
    AUTH_LOCKED = "auth.locked", "Tạm khóa đăng nhập"
    AUTH_2FA_ENABLED = "auth.2fa_enabled", "Bật xác thực hai bước"
    AUTH_2FA_DISABLED = "auth.2fa_disabled", "Tắt xác thực hai bước"
    AUTH_2FA_FAILED = "auth.2fa_failed", "Nhập sai mã xác thực hai bước"
    # Campaigns
    CAMPAIGN_CREATE = "campaign.create", "Tạo chiến dịch"
    CAMPAIGN_UPDATE = "campaign.update", "Sửa chiến dịch"
    CAMPAIGN_ACTIVATE = "campaign.activate", "Triển khai chiến dịch"
    CAMPAIGN_CLOSE = "campaign.close", "Kết thúc chiến dịch"
    CAMPAIGN_REOPEN = "campaign.reopen", "Mở lại chiến dịch"
    CAMPAIGN_COPY = "campaign.copy", "Tạo chiến dịch từ kế hoạch năm trước"
    CAMPAIGN_TARGETS = "campaign.targets", "Sửa chỉ tiêu chiến dịch"
    PLAN_BLOCK_CREATE = "plan_block.create", "Thêm mục kế hoạch"
    PLAN_BLOCK_UPDATE = "plan_block.update", "Sửa mục kế hoạch"
    PLAN_BLOCK_MOVE = "plan_block.move", "Đổi thứ tự mục kế hoạch"
    PLAN_BLOCK_DELETE = "plan_block.delete", "Xóa mục kế hoạch"
    BOARD_MEMBER_CREATE = "board_member.create", "Thêm thành viên Ban vận động"
    BOARD_MEMBER_UPDATE = "board_member.update", "Sửa thành viên Ban vận động"
    BOARD_MEMBER_DELETE = "board_member.delete", "Bớt thành viên Ban vận động"
    ACTIVITY_CREATE = "activity.create", "Thêm hoạt động"
    ACTIVITY_UPDATE = "activity.update", "Sửa hoạt động"
    ACTIVITY_DELETE = "activity.delete", "Xóa hoạt động"
    # Donations, receipts, the fund
    DONOR_CREATE = "donor.create", "Thêm người ủng hộ"
    DONOR_UPDATE = "donor.update", "Sửa người ủng hộ"
    DONOR_OPT_OUT = "donor.opt_out", "Người ủng hộ từ chối nhận tin (qua đường dẫn trong tin)"
    MESSAGE_RESEND = "message.resend", "Gửi lại biên nhận cho người ủng hộ"
    DONATION_RECORD = "donation.record", "Ghi khoản ủng hộ"
    DONATION_VOID_REQUEST = "donation.void_request", "Đề nghị hủy khoản ủng hộ"
    DONATION_VOID_APPROVE = "donation.void_approve", "Duyệt hủy khoản ủng hộ"
    DONATION_VOID_REJECT = "donation.void_reject", "Từ chối hủy khoản ủng hộ"
    STOCK_COUNT_RECORD = "stock.count_record", "Ghi kiểm kê kho hiện vật"
    STOCK_COUNT_APPROVE = "stock.count_approve", "Duyệt chênh lệch kiểm kê kho"
    STOCK_COUNT_REJECT = "stock.count_reject", "Từ chối chênh lệch kiểm kê kho"
    DONATION_LATE_ENTRY = "donation.late_entry", "Nhập muộn vào chiến dịch đã hết thời gian"
    PLEDGE_CREATE = "pledge.create", "Ghi cam kết ủng hộ"
    PLEDGE_CANCEL = "pledge.cancel", "Hủy cam kết ủng hộ"
    PLEDGE_PAYMENT = "pledge.payment", "Tính khoản ủng hộ vào cam kết"
    RECEIPT_PRINT = "receipt.print", "In biên nhận"
    RECEIPT_VOID = "receipt.void", "Hủy biên nhận"
    FUND_PAY_OUT = "fund.pay_out", "Chi từ Quỹ"
    FUND_TRANSFER = "fund.transfer", "Chuyển tiền giữa tài khoản"
    STATEMENT_UPLOAD = "statement.upload", "Tải lên tệp sao kê ngân hàng"
    STATEMENT_IMPORT = "statement.import", "Nhập sao kê ngân hàng"
    STATEMENT_ACCEPT = "statement.accept", "Vẫn nhập sao kê khi số dư không liên tục"
    STATEMENT_CANCEL = "statement.cancel", "Hủy lần nhập sao kê chờ quyết định"
    STATEMENT_RETRY = "statement.retry", "Đọc lại lần nhập sao kê bị ngắt"
    STATEMENT_GAP_EXPLAIN = "statement.gap_explain", "Giải trình chỗ số dư không liên tục"
    STATEMENT_MATCH = "statement.match", "Đối chiếu dòng sao kê với khoản ủng hộ"
    STATEMENT_RECORD = "statement.record", "Ghi khoản ủng hộ từ dòng sao kê"
    STATEMENT_IGNORE = "statement.ignore", "Bỏ qua dòng sao kê"
    BANK_LAYOUT_CREATE = "bank_layout.create", "Tạo mẫu sao kê từ tệp"
    BANK_LAYOUT_UPDATE = "bank_layout.update", "Sửa mẫu sao kê"
    STATEMENT_BULK_RECORD = "statement.bulk_record", "Ghi nhiều khoản ủng hộ từ dòng sao kê"
    # Bank feeds (donations.feeds): a provider pushing each transaction of an account
    FEED_CREATE = "feed.create", "Thiết lập nguồn tiền tự động"
    FEED_RULES = "feed.rules", "Sửa quy tắc ghi tự động của nguồn tiền"
    FEED_KEY_ROTATE = "feed.key_rotate", "Đổi khóa bí mật của nguồn tiền"
    FEED_MATCH = "feed.match", "Nguồn tiền tự khớp dòng sao kê theo mã"
    FEED_RECORD = "feed.record", "Nguồn tiền tự ghi khoản ủng hộ theo mã"
    FEED_REPLAY = "feed.replay", "Xử lý lại một lần nhận từ nguồn tiền"
    # "round.*" names both a collection round (donations) and a distribution round
    # (households); the event's object type tells them apart.
    ROUND_CREATE = "round.create", "Lập đợt thu / đợt hỗ trợ"
    ROUND_UPDATE = "round.update", "Sửa đợt thu"
    ROUND_LINES = "round.lines", "Sửa danh sách đợt thu"
    ROUND_DELETE = "round.delete", "Xóa đợt thu"
    ROUND_POST = "round.post", "Ghi sổ đợt thu"
    ROUND_LATE_ENTRY = "round.late_entry", "Ghi sổ đợt thu muộn vào chiến dịch đã hết thời gian"
    ROUND_APPROVE = "round.approve", "Duyệt đợt hỗ trợ"
    ROUND_PAY = "round.pay", "Chi / bàn giao đợt hỗ trợ"
    # Households, support
    HOUSEHOLD_CREATE = "household.create", "Đưa hộ vào danh sách"
    HOUSEHOLD_UPDATE = "household.update", "Sửa thông tin hộ"
    HOUSEHOLD_CLASSIFY = "household.classify", "Thay đổi phân loại"
    HOUSEHOLD_EXIT = "household.exit", "Hộ ra khỏi danh sách"
    HOUSEHOLD_REACTIVATE = "household.reactivate", "Hộ trở lại danh sách"
    HOUSEHOLD_MEMBER_ADD = "household.member_add", "Thêm thành viên của hộ"
    HOUSEHOLD_MEMBER_UPDATE = "household.member_update", "Sửa thông tin thành viên của hộ"
    HOUSEHOLD_MEMBER_REMOVE = "household.member_remove", "Bớt thành viên của hộ"
    HOUSEHOLD_NEED_ADD = "household.need_add", "Ghi nhận nhu cầu của hộ"
    HOUSEHOLD_NEED_UPDATE = "household.need_update", "Cập nhật nhu cầu của hộ"
    HOUSEHOLD_PLAN_ADD = "household.plan_add", "Thêm bước trong kế hoạch hỗ trợ hộ"
    HOUSEHOLD_PLAN_UPDATE = "household.plan_update", "Cập nhật kế hoạch hỗ trợ hộ"
    HOUSEHOLD_REVIEW = "household.review", "Rà soát hộ"
    HOUSEHOLD_CONSENT = "household.consent", "Đồng ý công khai"
    HOUSEHOLD_VIEW_SENSITIVE = "household.view_sensitive", "Xem thông tin nhạy cảm của hộ"
    HOUSEHOLD_EXPORT_SENSITIVE = "household.export_sensitive", "Xuất thông tin nhạy cảm"
    HOUSEHOLD_ANONYMISE = "household.anonymise", "Xóa danh tính hộ (ẩn danh hóa)"
    REVIEW_ROUND_COMPLETE = "review_round.complete", "Hoàn thành đợt rà soát"
    PROPOSAL_SUBMIT = "proposal.submit", "Gửi đề xuất"
    PROPOSAL_ACCEPT = "proposal.accept", "Phường chấp nhận đề xuất"
    PROPOSAL_RETURN = "proposal.return", "Phường trả lại đề xuất"
    SUPPORT_PROPOSE = "support.propose", "Đề xuất hỗ trợ"
    SUPPORT_UPDATE = "support.update", "Sửa hỗ trợ"
    SUPPORT_APPROVE = "support.approve", "Duyệt hỗ trợ"
    SUPPORT_REJECT = "support.reject", "Không duyệt hỗ trợ"
    SUPPORT_PAY = "support.pay", "Chi / bàn giao hỗ trợ"
    SUPPORT_CANCEL = "support.cancel", "Hủy hỗ trợ"
    SUPPORT_FOLLOW_UP = "support.follow_up", "Theo dõi sau hỗ trợ"
    SUPPORT_ATTACH = "support.attach", "Đính kèm tệp hỗ trợ"
    REDACTED_SCAN_UPLOAD = "redacted_scan.upload", "Tải lên bản chụp biên bản đã che thông tin"
    REDACTED_SCAN_APPROVE = "redacted_scan.approve", "Duyệt công khai bản chụp biên bản đã che"
    REDACTED_SCAN_REJECT = "redacted_scan.reject", "Không duyệt bản chụp biên bản đã che"
    MEETING_PREPARE = "meeting.prepare", "Chuẩn bị cuộc họp bình xét"
    MEETING_ATTENDEE_ADD = "meeting.attendee_add", "Thêm thành phần dự họp bình xét"
    MEETING_ITEM_ADD = "meeting.item_add", "Thêm nội dung bình xét"
    MEETING_VOTES = "meeting.votes", "Ghi biểu quyết họp bình xét"
    MEETING_CLOSE = "meeting.close", "Kết thúc cuộc họp bình xét"
    MEETING_SCAN = "meeting.scan", "Đính kèm bản quét biên bản họp bình xét"
    POSTING_OPEN = "posting.open", "Niêm yết danh sách bình xét"
    OBJECTION_RECORD = "objection.record", "Ghi kiến nghị về danh sách niêm yết"
    OBJECTION_ANSWER = "objection.answer", "Xử lý, trả lời kiến nghị"
    REDACTED_SCAN_WITHDRAW = "redacted_scan.withdraw", "Thôi công khai bản chụp biên bản đã che"
    # Pages on top: public disclosure, reports, supervision, demo data
    PUBLIC_REPORT_PUBLISH = "public.report_publish", "Công bố báo cáo công khai"
    LEDGER_SIGN_HEAD = "ledger.sign_head", "Ký mã kiểm tra sổ quỹ"
    REPORT_DOWNLOAD = "report.download", "Tải báo cáo"
    COMMENDATION_RULE_UPDATE = "commendation.rule_update", "Đặt mức đề nghị khen thưởng"
    INSPECTION_CREATE = "inspection.create", "Lập biên bản kiểm tra"
    INSPECTION_UPDATE = "inspection.update", "Sửa biên bản kiểm tra"
    INSPECTION_STATUS = "inspection.status", "Cập nhật khắc phục sau kiểm tra"
    INSPECTION_ATTACH = "inspection.attach", "Đính kèm tệp kiểm tra"
    SAMPLE_DRAW = "sample.draw", "Chọn mẫu xác minh"
    SAMPLE_RECORD = "sample.record", "Ghi kết quả xác minh"
    # Residents' feedback (lddh/supervision/feedback): sent without signing in, handled by
    # the inspection team, its answer published by the standing committee
    FEEDBACK_SUBMIT = "feedback.submit", "Người dân gửi phản ánh, kiến nghị"
    FEEDBACK_ASSIGN = "feedback.assign", "Giao xử lý phản ánh"
    FEEDBACK_ANSWER = "feedback.answer", "Trả lời phản ánh"
    FEEDBACK_CLOSE = "feedback.close", "Kết thúc phản ánh"
    FEEDBACK_PUBLISH = "feedback.publish", "Công khai trả lời phản ánh"
    FEEDBACK_UNPUBLISH = "feedback.unpublish", "Thôi công khai trả lời phản ánh"
    DEMO_SCALE_SEED = "demo.scale_seed", "Nạp dữ liệu thử quy mô lớn"


def action_label(action: str) -> str:
    """The Vietnamese label of an action code (the code itself if it is unknown)."""
    try:
        return AuditAction(action).label
    except ValueError:
        return action


def _json_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "url"):  # a FieldFile
        return value.name or None
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The JSON-safe values of some fields of a record, for 'before' and 'after'."""
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        values[name] = _json_value(getattr(obj, attname))
    return values


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Only the keys whose values differ, as a (before, after) pair."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def log_event(
    *,
    actor,
    action: AuditAction,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEvent:
    """Record one audit event. Must run inside the transaction of the change it records,
    so that the change and its event are written together or not at all."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("log_event() must be called inside transaction.atomic()")
    if not isinstance(action, AuditAction):
        raise TypeError(f"log_event() takes an AuditAction, not {action!r}")
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_name=user.get_username() if user else "",
        action=action.value,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        before=_json_value(before) if before is not None else None,
        after=_json_value(after) if after is not None else None,
        note=note,
    )
