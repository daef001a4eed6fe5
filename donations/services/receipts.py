"""Donations and their numbered receipts."""

from __future__ import annotations

import datetime
import secrets
import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from campaigns.models import BoardMember, Campaign
from donations.models import (
    DIRECT_SERIES,
    MAX_DONATION,
    Account,
    Donation,
    DonationItem,
    Donor,
    Fund,
    LedgerEntry,
    Pledge,
    Receipt,
    ReceiptCounter,
    ReceiptPrint,
)
from donations.services import totals
from donations.services.common import CHANNEL_ACCOUNT_KIND, DonationError, ItemLine
from donations.services.donors import donor_create
from donations.services.ledger import ledger_write, lock_fund
from donations.services.messages import receipt_messages_queue
from donations.services.pledges import pledge_payment_link
from donations.services.stock import stock_receive
from lddh.ward.access import access_for
from lddh.ward.audit import AuditAction, log_event
from lddh.ward.dates import format_date
from lddh.ward.models import MemberOrganisation, ResidentialGroup
from lddh.ward.money import amount_in_words, format_dong

# --------------------------------------------------------------------------- numbers


def _lock_counter(series: str, year: int) -> ReceiptCounter:
    """Lock the counter of a series and year inside the caller's transaction.

    The row is created with INSERT … ON CONFLICT DO NOTHING (two first receipts of a year
    cannot both create it), then locked; the lock is held until commit, so numbers are
    consecutive in commit order and a rolled-back transaction gives its number back.
    """
    counters = ReceiptCounter.objects.select_for_update()
    counter = counters.filter(series=series, year=year).first()
    if counter is None:  # the first receipt of a series in a year
        ReceiptCounter.objects.bulk_create(
            [ReceiptCounter(series=series, year=year, last=0)], ignore_conflicts=True
        )
        counter = counters.get(series=series, year=year)
    return counter


def _take_number(counter: ReceiptCounter) -> int:
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def receipt_numbers_reserve(*, series: str, year: int, count: int) -> int:
    """Reserve ``count`` consecutive receipt numbers of a series and year for a bulk
    writer; returns the first ``seq`` (the numbers are ``Receipt.format_number(series,
    year, first + i)``). The counter is locked as donation_record locks it, inside the
    caller's transaction, so the block has no gap and nobody else gets a number of it;
    a rolled-back transaction gives the whole block back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("receipt_numbers_reserve needs the caller's transaction")
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError("count must be a positive integer")
    counter = _lock_counter(series, year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return first


# --------------------------------------------------------------------------- donations


def person_name(user) -> str:
    """A user's name in Vietnamese order (family name first), for printed documents."""
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()


def _check_amount(amount: object) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise DonationError("Số tiền phải là số nguyên đồng.", code="amount")
    if amount <= 0:
        raise DonationError("Số tiền phải lớn hơn 0 đồng.", code="amount")
    if amount > MAX_DONATION:
        raise DonationError(
            f"Số tiền quá lớn: mỗi khoản ủng hộ tối đa {format_dong(MAX_DONATION)}. "
            "Hãy kiểm tra lại số đã nhập.",
            code="amount",
        )
    return amount


def _check_items(items: Sequence[ItemLine], amount: int | None) -> int:
    if not items:
        raise DonationError(
            "Ủng hộ bằng hiện vật: hãy ghi từng hiện vật với số lượng, đơn vị tính và trị giá.",
            code="items",
        )
    for line in items:
        if not line.description.strip() or not line.unit.strip():
            raise DonationError("Mỗi hiện vật cần tên và đơn vị tính.", code="items")
        if line.quantity is None or line.quantity <= 0:
            raise DonationError(f"Số lượng của “{line.description}” phải lớn hơn 0.", code="items")
        if isinstance(line.valuation, bool) or not isinstance(line.valuation, int):
            raise DonationError(f"“{line.description}” chưa được quy ra tiền.", code="items")
        if line.valuation <= 0:
            raise DonationError(
                f"“{line.description}” chưa được quy ra tiền: hiện vật không có trị giá "
                "không được ghi nhận.",
                code="items",
            )
    total = sum(line.valuation for line in items)
    if amount is not None and amount != total:
        raise DonationError(
            f"Số tiền ({format_dong(amount)}) phải bằng tổng trị giá hiện vật "
            f"({format_dong(total)}).",
            code="items",
        )
    return total


def default_account(channel: str) -> Account | None:
    kind = CHANNEL_ACCOUNT_KIND.get(channel)
    return Account.objects.filter(kind=kind, active=True).order_by("order", "pk").first()


def _receipt_snapshot(donation: Donation, items: Sequence[ItemLine]) -> dict:
    donor = donation.donor
    if donation.is_direct:
        purpose = "Hỗ trợ trực tiếp"
        if donation.beneficiary:
            purpose += f" cho {donation.beneficiary}"
    else:
        purpose = f"Ủng hộ {donation.fund.name}"
    if donation.campaign is not None:
        purpose += f" – {donation.campaign.name}"
    return {
        "date": donation.date,
        "amount": donation.amount,
        "amount_words": amount_in_words(donation.amount),
        "donor_name": donor.name,
        "donor_display_name": donor.display_name,
        "donor_representative": donor.representative,
        "donor_address": donor.address,
        "purpose_label": purpose[:300],
        "channel_label": donation.get_channel_display(),
        "fund_name": donation.fund.name if donation.fund else "",
        "campaign_name": donation.campaign.name if donation.campaign else "",
        "beneficiary": donation.beneficiary,
        "items": [
            {
                "description": line.description.strip(),
                "quantity": format(Decimal(line.quantity).normalize(), "f"),
                "unit": line.unit.strip(),
                "valuation": line.valuation,
            }
            for line in items
        ],
    }


@transaction.atomic
def donation_record(
    *,
    actor,
    donor: Donor,
    date: datetime.date,
    amount: int | None,
    channel: str,
    purpose: str = Donation.Purpose.FUND,
    fund: Fund | None = None,
    account: Account | None = None,
    campaign: Campaign | None = None,
    beneficiary: str = "",
    credited_group: ResidentialGroup | None = None,
    credited_organisation: MemberOrganisation | None = None,
    credited_board_member: BoardMember | None = None,
    items: Sequence[ItemLine] = (),
    note: str = "",
    form_token: uuid.UUID | None = None,
    replaces: Donation | None = None,
    pledge: Pledge | None = None,
) -> Donation:
    """Record a donation, issue its numbered receipt and (for the fund) its ledger entry.

    With a ``pledge`` the donation counts against it (``pledge_payment_link``, in the same
    transaction: a payment the pledge refuses is not recorded either).

    For a gift in kind ``amount`` may be None: it is the sum of the items' valuations.
    With a ``form_token`` a resubmitted form returns the donation it already made.
    Credits default to the donor's residential group and member organisation.
    """
    # ---- validate everything before taking any lock
    amount, fund, account, beneficiary = donation_check(
        date=date,
        amount=amount,
        channel=channel,
        purpose=purpose,
        fund=fund,
        account=account,
        campaign=campaign,
        beneficiary=beneficiary,
        credited_board_member=credited_board_member,
        items=items,
    )
    if replaces is not None:
        replaces = Donation.objects.select_for_update().get(pk=replaces.pk)
        if not replaces.is_voided:
            raise DonationError("Chỉ lập khoản thay thế cho khoản đã hủy.", code="replaces")
        if Donation.objects.filter(replaces=replaces).exists():
            raise DonationError("Khoản đã hủy này đã có khoản thay thế.", code="replaces")
    if credited_group is None and donor.group_id is not None:
        credited_group = donor.group
    if credited_organisation is None and donor.organisation_id is not None:
        credited_organisation = donor.organisation

    # ---- the counter lock also serialises two submissions of one form: the second
    # waits here, then finds the first one's donation and returns it
    series = fund.code if fund is not None else DIRECT_SERIES
    counter = _lock_counter(series, date.year)
    if form_token is not None:
        existing = Donation.objects.filter(form_token=form_token).first()
        if existing is not None:
            return existing
    seq = _take_number(counter)

    donation = Donation.objects.create(
        donor=donor,
        campaign=campaign,
        date=date,
        amount=amount,
        channel=channel,
        purpose=purpose,
        fund=fund,
        account=account,
        beneficiary=beneficiary[:300],
        credited_group=credited_group,
        credited_organisation=credited_organisation,
        credited_board_member=credited_board_member,
        note=note.strip(),
        form_token=form_token,
        replaces=replaces,
        entered_by=actor,
    )
    DonationItem.objects.bulk_create(
        [
            DonationItem(
                donation=donation,
                description=line.description.strip(),
                quantity=line.quantity,
                unit=line.unit.strip(),
                valuation=line.valuation,
            )
            for line in items
        ]
    )
    receipt = Receipt.objects.create(
        donation=donation,
        fund=fund,
        series=series,
        year=date.year,
        seq=seq,
        number=Receipt.format_number(series, date.year, seq),
        token=secrets.token_urlsafe(16),
        issued_by=actor,
        issuer_name=person_name(actor),
        replaces=replaces.receipt if replaces is not None else None,
        **_receipt_snapshot(donation, items),
    )
    if fund is not None:
        lock_fund(fund)
        ledger_write(
            actor=actor,
            fund=fund,
            account=account,
            amount=amount,
            kind=LedgerEntry.Kind.RECEIPT,
            date=date,
            document_type="donations.receipt",
            document_id=str(receipt.pk),
            description=f"Thu theo biên nhận {receipt.number}",
            donation=donation,
            receipt=receipt,
        )
    # Under the fund's row lock, like the ledger entry: see donations.services.totals.
    totals.donation_added(donation)
    stock_receive(actor=actor, donation=donation)  # goods in kind enter the store
    log_event(
        actor=actor,
        action=AuditAction.DONATION_RECORD,
        obj=donation,
        after={
            "receipt": receipt.number,
            "amount": amount,
            "date": date,
            "channel": channel,
            "purpose": purpose,
            "fund": fund.code if fund else None,
            "account": account.pk if account else None,
            "donor": donor.pk,
            "campaign": campaign.pk if campaign else None,
            "replaces": replaces.pk if replaces else None,
        },
    )
    if pledge is not None:
        pledge_payment_link(actor=actor, pledge=pledge, donation=donation)
    receipt_messages_queue(donation)  # the e-receipt, sent after commit by the worker
    return donation


class CheckedDonation(NamedTuple):
    """A donation's values as donation_check accepted them, as they are stored."""

    amount: int
    fund: Fund | None
    account: Account | None
    beneficiary: str


def donation_check(
    *,
    date: datetime.date,
    amount: int | None,
    channel: str,
    purpose: str = Donation.Purpose.FUND,
    fund: Fund | None = None,
    account: Account | None = None,
    campaign: Campaign | None = None,
    beneficiary: str = "",
    credited_board_member: BoardMember | None = None,
    items: Sequence[ItemLine] = (),
) -> CheckedDonation:
    """The rules a donation's values meet before it is written (donation_record applies
    them; a bulk writer calls this for each row): raises DonationError, else returns the
    values as stored — the amount of a gift in kind from its items, the beneficiary's
    spacing tidied, no fund nor account for a direct support, the channel's default
    account when none is given."""
    if channel not in Donation.Channel.values:
        raise DonationError("Hình thức ủng hộ không hợp lệ.", code="channel")
    if purpose not in Donation.Purpose.values:
        raise DonationError("Mục đích ủng hộ không hợp lệ.", code="purpose")
    if channel == Donation.Channel.IN_KIND:
        amount = _check_items(items, amount)
    elif items:
        raise DonationError("Chỉ ghi hiện vật khi hình thức là “Hiện vật”.", code="items")
    amount = _check_amount(amount)
    if not isinstance(date, datetime.date) or isinstance(date, datetime.datetime):
        raise DonationError("Ngày ủng hộ không hợp lệ.", code="date")
    if date > timezone.localdate():
        raise DonationError("Ngày ủng hộ không được sau hôm nay.", code="date")
    if campaign is not None:
        if campaign.is_closed:
            raise DonationError(
                f"Chiến dịch “{campaign.name}” đã kết thúc: không nhận thêm khoản ủng hộ.",
                code="campaign",
            )
        if not campaign.contains(date):
            raise DonationError(
                f"Ngày {date:%d/%m/%Y} nằm ngoài thời gian của chiến dịch “{campaign.name}” "
                f"({campaign.start_date:%d/%m/%Y} – {campaign.end_date:%d/%m/%Y}). "
                "Hãy sửa ngày hoặc bỏ chọn chiến dịch.",
                code="date",
            )
    if credited_board_member is not None and (
        campaign is None or credited_board_member.campaign_id != campaign.pk
    ):
        raise DonationError(
            "Thành viên Ban vận động được ghi nhận phải thuộc chiến dịch đã chọn.",
            code="credited_board_member",
        )
    beneficiary = " ".join(beneficiary.split())
    if purpose == Donation.Purpose.DIRECT:
        if not beneficiary:
            raise DonationError(
                "Hỗ trợ trực tiếp: hãy ghi hộ được hỗ trợ (tên chủ hộ, tổ dân phố).",
                code="beneficiary",
            )
        fund = account = None
    else:
        if beneficiary:
            raise DonationError(
                "Chỉ ghi hộ được hỗ trợ khi mục đích là hỗ trợ trực tiếp.", code="beneficiary"
            )
        if fund is None or not fund.active:
            raise DonationError("Hãy chọn quỹ đang nhận ủng hộ.", code="fund")
        account = account or default_account(channel)
        if account is None or not account.active:
            raise DonationError("Hãy chọn tài khoản / két nhận tiền.", code="account")
        if account.kind != CHANNEL_ACCOUNT_KIND[channel]:
            label = Donation.Channel(channel).label.lower()
            raise DonationError(f"“{account.name}” không nhận được khoản {label}.", code="account")
    return CheckedDonation(amount, fund, account, beneficiary)


def late_entry_reason(*, actor, campaign: Campaign | None, late_reason: str = "") -> str:
    """Entry into a campaign more than CAMPAIGN_LATE_ENTRY_DAYS after its last day (late
    paper receipts are expected for a while, two-year-old ones are a question): refused
    to ward staff, allowed to the standing committee with a reason. Returns the reason to
    audit, or "" when the entry is not late."""
    if campaign is None or campaign.is_closed:
        return ""
    if not campaign.entry_is_late(timezone.localdate()):
        return ""
    ended = format_date(campaign.end_date)
    deadline = format_date(campaign.entry_deadline)
    if not access_for(actor).is_committee:
        raise DonationError(
            f"Chiến dịch “{campaign.name}” đã hết thời gian từ {ended} và đã quá hạn nhận "
            f"biên nhận nộp muộn (đến {deadline}). Cán bộ không nhập thêm vào chiến dịch này "
            "được: bỏ chọn chiến dịch, hoặc đề nghị Ban Thường trực nhập kèm lý do.",
            code="campaign",
        )
    reason = " ".join((late_reason or "").split())
    if len(reason) < 5:
        raise DonationError(
            f"Chiến dịch “{campaign.name}” đã quá hạn nhận biên nhận nộp muộn (đến "
            f"{deadline}): hãy ghi lý do nhập muộn (ít nhất 5 ký tự).",
            code="late_reason",
        )
    return reason


@transaction.atomic
def donation_enter(
    *,
    actor,
    donor: Donor | None = None,
    new_donor: dict | None = None,
    allow_duplicate: bool = False,
    late_reason: str = "",
    **donation,
) -> Donation:
    """The entry form's one call: an existing donor, or a new one created in the same
    transaction as the donation (a refused donation leaves no orphan donor). Late entry
    into an ended campaign follows ``late_entry_reason`` and is audited with its reason."""
    if (donor is None) == (new_donor is None):
        raise DonationError("Hãy chọn người ủng hộ đã có hoặc nhập người mới.", code="donor")
    token = donation.get("form_token")
    if token is not None:
        existing = Donation.objects.filter(form_token=token).first()
        if existing is not None:
            return existing
    campaign = donation.get("campaign")
    reason = late_entry_reason(actor=actor, campaign=campaign, late_reason=late_reason)
    if donor is not None:
        recorded = donation_record(actor=actor, donor=donor, **donation)
    else:
        try:
            with transaction.atomic():
                donor = donor_create(actor=actor, allow_duplicate=allow_duplicate, **new_donor)
                recorded = donation_record(actor=actor, donor=donor, **donation)
                if recorded.donor_id != donor.pk:
                    # The same form was saved meanwhile by a concurrent submission: undo
                    # the donor made here, keep the first submission's donation.
                    raise _AlreadySaved(recorded)
        except _AlreadySaved as saved:
            return saved.donation
    if reason and recorded.form_token == token:
        log_event(
            actor=actor,
            action=AuditAction.DONATION_LATE_ENTRY,
            obj=recorded,
            after={
                "campaign": campaign.pk,
                "campaign_end": campaign.end_date,
                "receipt": recorded.receipt.number,
            },
            note=reason,
        )
    return recorded


class _AlreadySaved(Exception):
    """Control flow inside donation_enter; never leaves this module."""

    def __init__(self, donation: Donation):
        super().__init__(donation.pk)
        self.donation = donation


# --------------------------------------------------------------------------- receipts


@transaction.atomic
def receipt_print(*, actor, receipt: Receipt) -> ReceiptPrint:
    """Log a print. The first print is the original, every later one a copy (BẢN SAO).
    Call it in the transaction that renders the PDF, so a failed rendering logs nothing,
    and render ``printed.receipt``: the row as read under the lock, so a print that
    races a void shows the void it logs (a receipt read before the lock may be stale)."""
    receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
    is_copy = ReceiptPrint.objects.filter(receipt=receipt).exists()
    printed = ReceiptPrint.objects.create(receipt=receipt, is_copy=is_copy, printed_by=actor)
    log_event(
        actor=actor,
        action=AuditAction.RECEIPT_PRINT,
        obj=receipt,
        after={"copy": is_copy, "status": receipt.status},
    )
    return printed


def items_from(rows: Iterable[dict]) -> list[ItemLine]:
    """ItemLines from cleaned form rows (description, quantity, unit, valuation)."""
    return [
        ItemLine(
            description=row["description"],
            quantity=row["quantity"],
            unit=row["unit"],
            valuation=row["valuation"],
        )
        for row in rows
    ]
