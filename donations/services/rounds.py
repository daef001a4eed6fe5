"""Collection rounds: prepare a draft, check it, post it in one transaction."""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from campaigns.models import Campaign
from donations.models import (
    MAX_DONATION,
    Account,
    CollectionRound,
    Donation,
    Donor,
    Fund,
    RoundLine,
)
from donations.services.common import DonationError
from donations.services.donors import donor_create, donor_update
from donations.services.receipts import donation_record, late_entry_reason
from lddh.ward.access import access_for
from lddh.ward.audit import AuditAction, log_event, snapshot
from lddh.ward.fields import unusual_reasons
from lddh.ward.models import MemberOrganisation, ResidentialGroup
from lddh.ward.money import MoneyError, amount_in_words, format_dong, parse_dong
from lddh.ward.text import check_phone, digits, normalise
from lddh.ward.vocab import DonorSource

ROUND_FIELDS = (
    "group",
    "organisation",
    "campaign",
    "fund",
    "account",
    "collector",
    "date",
    "expected_count",
    "expected_total",
    "receipt_mode",
    "note",
)
ACCOUNT_CHANNEL = {
    Account.Kind.CASH: Donation.Channel.CASH,
    Account.Kind.BANK: Donation.Channel.BANK,
    Account.Kind.TREASURY: Donation.Channel.TREASURY,
}
MAX_LINES = 2000


class RoundError(DonationError):
    """A round cannot be saved or posted as it is (Vietnamese message)."""


@dataclass(frozen=True)
class LineInput:
    """One row of the grid or of the Excel list, as typed."""

    name: str = ""
    phone: str = ""
    address: str = ""
    amount_text: str = ""
    anonymous: bool = False
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return (
            not any(
                (self.name.strip(), self.phone.strip(), self.amount_text.strip(), self.note.strip())
            )
            and not self.address.strip()
        )


# --------------------------------------------------------------------------- drafts


def _check_may_prepare(actor, group: ResidentialGroup | None, organisation) -> None:
    access = access_for(actor)
    if access.is_office:
        return
    if (
        access.is_leader
        and organisation is None
        and group is not None
        and group.pk in access.group_ids
    ):
        return
    raise PermissionDenied("Chỉ cán bộ phường hoặc trưởng ban công tác của tổ được lập đợt thu.")


def _clean_header(values: dict) -> dict:
    if (values.get("group") is None) == (values.get("organisation") is None):
        raise RoundError(
            "Đợt thu thuộc một tổ dân phố hoặc một tổ chức thành viên: hãy chọn một.",
            code="group",
        )
    values["collector"] = " ".join((values.get("collector") or "").split())
    if not values["collector"]:
        raise RoundError("Hãy ghi tên người thu.", code="collector")
    fund: Fund | None = values.get("fund")
    if fund is None or not fund.active:
        raise RoundError("Hãy chọn quỹ đang nhận ủng hộ.", code="fund")
    account: Account | None = values.get("account")
    if account is None or not account.active or account.kind not in ACCOUNT_CHANNEL:
        raise RoundError("Hãy chọn két tiền mặt hoặc tài khoản nhận tiền.", code="account")
    date = values.get("date")
    if not isinstance(date, datetime.date):
        raise RoundError("Ngày nộp không hợp lệ.", code="date")
    if date > timezone.localdate():
        raise RoundError("Ngày nộp không được sau hôm nay.", code="date")
    for name in ("expected_count", "expected_total"):
        value = values.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise RoundError("Số người và tổng tiền theo danh sách phải là số.", code=name)
    if values["expected_total"] > MAX_DONATION:
        raise RoundError("Tổng tiền theo danh sách quá lớn.", code="expected_total")
    if values.get("receipt_mode") not in CollectionRound.ReceiptMode.values:
        raise RoundError("Hãy chọn cách lập biên nhận.", code="receipt_mode")
    values["note"] = (values.get("note") or "").strip()
    return values


@transaction.atomic
def round_create(
    *,
    actor,
    group: ResidentialGroup | None = None,
    organisation: MemberOrganisation | None = None,
    campaign: Campaign | None = None,
    fund: Fund,
    account: Account,
    collector: str,
    date: datetime.date,
    expected_count: int,
    expected_total: int,
    receipt_mode: str = CollectionRound.ReceiptMode.PER_LINE,
    note: str = "",
) -> CollectionRound:
    values = _clean_header(
        {
            "group": group,
            "organisation": organisation,
            "campaign": campaign,
            "fund": fund,
            "account": account,
            "collector": collector,
            "date": date,
            "expected_count": expected_count,
            "expected_total": expected_total,
            "receipt_mode": receipt_mode,
            "note": note,
        }
    )
    _check_may_prepare(actor, group, organisation)
    round = CollectionRound.objects.create(
        code=f"~{uuid.uuid4().hex[:10]}", created_by=actor, **values
    )
    round.code = CollectionRound.format_code(round.pk)
    round.save(update_fields=["code"])
    log_event(
        actor=actor, action=AuditAction.ROUND_CREATE, obj=round, after=snapshot(round, ROUND_FIELDS)
    )
    return round


def _lock_draft(actor, round: CollectionRound) -> CollectionRound:
    round = CollectionRound.objects.select_for_update().get(pk=round.pk)
    _check_may_prepare(actor, round.group, round.organisation)
    if not round.is_draft:
        raise RoundError("Đợt thu đã ghi sổ: không sửa được nữa.", code="status")
    return round


@transaction.atomic
def round_update(*, actor, round: CollectionRound, **changes) -> CollectionRound:
    """Change a draft's header (who, when, expected figures, receipt mode)."""
    unknown = set(changes) - set(ROUND_FIELDS)
    if unknown:
        raise TypeError(f"unknown round fields: {sorted(unknown)}")
    round = _lock_draft(actor, round)
    before = snapshot(round, ROUND_FIELDS)
    values = _clean_header({**{f: getattr(round, f) for f in ROUND_FIELDS}, **changes})
    _check_may_prepare(actor, values["group"], values["organisation"])
    for name, value in values.items():
        setattr(round, name, value)
    round.revision += 1
    round.save()
    after = snapshot(round, ROUND_FIELDS)
    if after != before:
        log_event(
            actor=actor, action=AuditAction.ROUND_UPDATE, obj=round, before=before, after=after
        )
    return round


def _amount_of(text: str) -> int | None:
    try:
        value = parse_dong(text, max_amount=MAX_DONATION)
    except (MoneyError, TypeError):
        return None
    return value or None


@transaction.atomic
def round_save_lines(
    *, actor, round: CollectionRound, lines: Sequence[LineInput], append: bool = False
) -> CollectionRound:
    """Replace a draft's lines with what the grid holds (or append an imported list).
    Whatever was typed is kept, even a bad amount: the check lists the problems."""
    round = _lock_draft(actor, round)
    kept = [line for line in lines if not line.is_empty]
    start = 0
    if append:
        start = max(round.lines.values_list("position", flat=True), default=0)
    else:
        round.lines.all().delete()
    if start + len(kept) > MAX_LINES:
        raise RoundError(f"Một đợt thu tối đa {MAX_LINES} dòng.", code="lines")
    RoundLine.objects.bulk_create(
        [
            RoundLine(
                round=round,
                position=start + index,
                name=" ".join(line.name.split())[:200],
                phone=line.phone.strip()[:30],
                address=" ".join(line.address.split())[:300],
                amount_text=line.amount_text.strip()[:40],
                amount=_amount_of(line.amount_text.strip()),
                anonymous=line.anonymous,
                note=line.note.strip()[:300],
            )
            for index, line in enumerate(kept, start=1)
        ]
    )
    round.revision += 1
    round.save(update_fields=["revision", "updated_at"])
    log_event(
        actor=actor,
        action=AuditAction.ROUND_LINES,
        obj=round,
        after={"lines": len(kept), "append": append, "revision": round.revision},
    )
    return round


@transaction.atomic
def round_delete(*, actor, round: CollectionRound) -> None:
    """Discard a draft (nothing was posted from it)."""
    round = _lock_draft(actor, round)
    log_event(
        actor=actor,
        action=AuditAction.ROUND_DELETE,
        obj=round,
        before=snapshot(round, ROUND_FIELDS),
    )
    round.lines.all().delete()
    round.delete()


# --------------------------------------------------------------------------- check


@dataclass
class LineCheck:
    line: RoundLine
    amount: int | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    donor: Donor | None = None  # an existing donor the line will be recorded for
    # Existing donors with the same name that the line may be: the person posting picks
    # one of them or confirms a new donor (only when lines get their own receipts).
    candidates: list[Donor] = field(default_factory=list)
    unusual: list[str] = field(default_factory=list)  # why the amount asks a second look

    @property
    def words(self) -> str:
        return amount_in_words(self.amount) if self.amount else ""

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class RoundCheck:
    """The dry run: every problem per line and the difference from the paper list."""

    round: CollectionRound
    lines: list[LineCheck]
    errors: list[str]
    count: int
    total: int

    @property
    def line_errors(self) -> int:
        return sum(1 for line in self.lines if line.errors)

    @property
    def line_warnings(self) -> int:
        return sum(1 for line in self.lines if line.warnings)

    @property
    def count_difference(self) -> int:
        return self.count - self.round.expected_count

    @property
    def total_difference(self) -> int:
        return self.total - self.round.expected_total

    @property
    def has_difference(self) -> bool:
        return bool(self.count_difference or self.total_difference)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.line_errors

    @property
    def unusual_lines(self) -> list[LineCheck]:
        return [line for line in self.lines if line.unusual]

    def first_errors(self, limit: int = 5) -> list[str]:
        messages = list(self.errors)
        for line in self.lines:
            messages.extend(f"Dòng {line.line.position}: {e}" for e in line.errors)
        return messages[:limit]


def _describe(donor: Donor) -> str:
    parts = [donor.name]
    if donor.group_id:
        parts.append(donor.group.name)
    if donor.phone:
        parts.append(f"ĐT {donor.phone}")
    return ", ".join(parts)


def round_check(
    round: CollectionRound,
    lines: Sequence[RoundLine] | None = None,
    *,
    show_matches: bool = True,
) -> RoundCheck:
    """Check a round without writing anything (three queries whatever its size).
    ``show_matches=False`` (a group leader) names no donor of another group."""
    if lines is None:
        lines = list(round.lines.order_by("position"))
    errors: list[str] = []
    if not round.is_draft:
        errors.append("Đợt thu đã ghi sổ.")
    if not lines:
        errors.append("Đợt thu chưa có dòng nào.")
    if not round.fund.active:
        errors.append(f"Quỹ “{round.fund.name}” không còn nhận ủng hộ.")
    if not round.account.active or round.account.kind not in ACCOUNT_CHANNEL:
        errors.append(f"“{round.account.name}” không nhận được tiền của đợt thu.")
    if round.date > timezone.localdate():
        errors.append("Ngày nộp sau hôm nay.")
    campaign = round.campaign
    if campaign is not None:
        if campaign.is_closed:
            errors.append(f"Chiến dịch “{campaign.name}” đã kết thúc.")
        elif not campaign.contains(round.date):
            errors.append(
                f"Ngày nộp {round.date:%d/%m/%Y} nằm ngoài thời gian của chiến dịch "
                f"({campaign.start_date:%d/%m/%Y} – {campaign.end_date:%d/%m/%Y})."
            )

    keys = {normalise(line.name) for line in lines if line.name}
    existing: dict[str, list[Donor]] = defaultdict(list)
    if keys:
        for donor in (
            Donor.objects.filter(name_key__in=sorted(keys))
            .select_related("group")
            .only("name", "name_key", "phone", "phone_key", "group__name", "group_id", "anonymous")
            .order_by("pk")
        ):
            existing[donor.name_key].append(donor)

    checks: list[LineCheck] = []
    seen: dict[tuple[str, str], int] = {}
    count = total = 0
    for line in lines:
        check = LineCheck(line=line)
        name_key, phone_key = normalise(line.name), digits(line.phone)
        if not name_key:
            check.errors.append("Thiếu họ tên.")
        if not line.amount_text:
            check.errors.append("Thiếu số tiền.")
        else:
            try:
                amount = parse_dong(line.amount_text, max_amount=MAX_DONATION)
            except MoneyError as error:
                check.errors.append(error.message)
            else:
                if amount == 0:
                    check.errors.append("Số tiền phải lớn hơn 0 đồng.")
                else:
                    check.amount = amount
                    count += 1
                    total += amount
        if line.phone:
            try:
                check_phone(line.phone)
            except ValueError as error:
                check.errors.append(str(error))
        if name_key:
            twin = seen.get((name_key, phone_key))
            if twin is not None:
                check.warnings.append(
                    f"Trùng họ tên{' và điện thoại' if phone_key else ''} với dòng {twin}."
                )
            else:
                seen[(name_key, phone_key)] = line.position
            same_name = existing.get(name_key, [])
            exact = [d for d in same_name if phone_key and d.phone_key == phone_key]
            if not phone_key and round.group_id:
                exact = [d for d in same_name if not d.phone_key and d.group_id == round.group_id]
            if len(exact) == 1:
                check.donor = exact[0]
            elif len(exact) > 1:
                check.warnings.append(
                    f"Có {len(exact)} người ủng hộ cùng tên đã có; ghi số điện thoại để phân biệt "
                    "(nếu không sẽ tạo người mới)."
                )
            others = [d for d in same_name if d not in exact]
            if others and check.donor is None and len(exact) <= 1:
                if show_matches and round.receipt_mode == CollectionRound.ReceiptMode.PER_LINE:
                    check.candidates = others[:5]
                    check.warnings.append(
                        "Có thể trùng người ủng hộ đã có: chọn người đã có hoặc xác nhận "
                        "tạo mới trước khi ghi sổ."
                    )
                elif show_matches:
                    shown = "; ".join(_describe(d) for d in others[:3])
                    check.warnings.append(f"Có thể trùng người ủng hộ đã có: {shown}.")
                else:
                    check.warnings.append(
                        "Có thể trùng người ủng hộ đã có; cán bộ phường sẽ kiểm tra khi ghi sổ."
                    )
        checks.append(check)
    _mark_unusual(checks, review_above=round.fund.review_above)
    return RoundCheck(round=round, lines=checks, errors=errors, count=count, total=total)


def _mark_unusual(checks: list[LineCheck], *, review_above: int) -> None:
    """Lines whose amount asks a second look: against the fund's figure and, on a list of
    at least three gifts, more than ten times the list's median gift."""
    amounts = sorted(check.amount for check in checks if check.amount)
    usual = amounts[len(amounts) // 2] if len(amounts) >= 3 else None
    for check in checks:
        if check.amount:
            check.unusual = unusual_reasons(check.amount, review_above=review_above, usual=usual)
            if check.unusual:
                check.warnings.append(
                    f"Số tiền cần xem lại ({', '.join(check.unusual)}): {check.words}."
                )


# --------------------------------------------------------------------------- posting


def collective_donor_name(round: CollectionRound) -> str:
    if round.group_id is not None:
        name = round.group.name
        return f"Nhân dân {name[:1].lower()}{name[1:]}"
    return f"{round.organisation.name} (hội viên đóng góp)"


def _collective_donor(actor, round: CollectionRound) -> Donor:
    name = collective_donor_name(round)
    found = Donor.objects.filter(
        name_key=normalise(name), group=round.group, organisation=round.organisation
    ).first()
    if found is not None:
        return found
    return donor_create(
        actor=actor,
        source=DonorSource.RESIDENTS if round.group_id else DonorSource.ORGANISATION,
        name=name,
        group=round.group,
        organisation=round.organisation,
        note="Người nộp chung của các đợt thu (danh sách kèm theo biên nhận).",
        allow_duplicate=True,
    )


def _apply_choices(check: RoundCheck, choices: Mapping[int, int]) -> None:
    undecided = []
    for item in check.lines:
        if not item.candidates:
            continue
        chosen = choices.get(item.line.position)
        if chosen is None:
            undecided.append(item.line)
        elif chosen:
            picked = next((d for d in item.candidates if d.pk == chosen), None)
            if picked is None:
                undecided.append(item.line)
            else:
                item.donor = picked
    if undecided:
        listed = ", ".join(f"{line.position} ({line.name})" for line in undecided[:5])
        raise RoundError(
            f"Dòng {listed}: có thể trùng người ủng hộ đã có. Hãy chọn người đã có hoặc "
            "xác nhận tạo mới cho từng dòng trước khi ghi sổ.",
            code="duplicate",
        )


@transaction.atomic
def round_post(
    *,
    actor,
    round: CollectionRound,
    revision: int | None = None,
    accept_difference: bool = False,
    confirm_unusual: bool = False,
    choices: Mapping[int, int] | None = None,
    late_reason: str = "",
) -> CollectionRound:
    """Post a draft: every line becomes a donation with its receipt (or the total one
    donation with the list attached), all in this transaction or nothing. Posting a
    posted round returns it unchanged, so a double click or a resubmitted form posts
    once: the round's row is locked and its status read under the lock."""
    if not access_for(actor).is_office:
        raise PermissionDenied("Chỉ cán bộ phường hoặc Ban Thường trực ghi sổ đợt thu.")
    round = (
        CollectionRound.objects.select_for_update(of=("self",))
        .select_related("group", "organisation", "fund", "account", "campaign")
        .get(pk=round.pk)
    )
    if round.is_posted:
        return round
    reason = late_entry_reason(actor=actor, campaign=round.campaign, late_reason=late_reason)
    if revision is not None and revision != round.revision:
        raise RoundError(
            "Đợt thu đã được sửa sau lần kiểm tra này. Hãy kiểm tra lại trước khi ghi sổ.",
            code="revision",
        )
    lines = list(round.lines.order_by("position"))
    check = round_check(round, lines)
    if not check.ok:
        raise RoundError("Chưa ghi sổ được: " + " ".join(check.first_errors()), code="check")
    if check.has_difference and not accept_difference:
        raise RoundError(
            f"Số đã nhập ({check.count} người, {format_dong(check.total)}) khác danh sách giấy "
            f"({round.expected_count} người, {format_dong(round.expected_total)}). Hãy sửa, "
            "hoặc xác nhận ghi sổ theo số đã nhập.",
            code="difference",
        )
    if check.unusual_lines and not confirm_unusual:
        positions = ", ".join(str(line.line.position) for line in check.unusual_lines[:10])
        raise RoundError(
            f"Có {len(check.unusual_lines)} dòng có số tiền cần xem lại (dòng {positions}). "
            "Hãy sửa, hoặc xác nhận các số tiền đó là đúng.",
            code="unusual",
        )
    channel = ACCOUNT_CHANNEL[round.account.kind]
    common = {
        "date": round.date,
        "channel": channel,
        "fund": round.fund,
        "account": round.account,
        "campaign": round.campaign,
        "credited_group": round.group,
        "credited_organisation": round.organisation,
    }
    if round.receipt_mode == CollectionRound.ReceiptMode.PER_LINE:
        _apply_choices(check, choices or {})
        for item in check.lines:
            line = item.line
            try:
                donor = item.donor
                if donor is None:
                    donor = donor_create(
                        actor=actor,
                        source=DonorSource.RESIDENTS
                        if round.group_id
                        else DonorSource.ORGANISATION,
                        name=line.name,
                        address=line.address,
                        phone=line.phone,
                        group=round.group,
                        organisation=round.organisation,
                        anonymous=line.anonymous,
                        allow_duplicate=True,
                    )
                elif line.anonymous and not donor.anonymous:
                    donor = donor_update(actor=actor, donor=donor, anonymous=True)
                donation = donation_record(
                    actor=actor,
                    donor=donor,
                    amount=item.amount,
                    note=f"Đợt thu {round.code}, dòng {line.position}"
                    + (f": {line.note}" if line.note else ""),
                    **common,
                )
            except DonationError as error:
                raise RoundError(
                    f"Dòng {line.position} ({line.name}): {' '.join(error.messages)} "
                    "Chưa có khoản nào của đợt được ghi.",
                    code="line",
                ) from error
            line.donor, line.donation, line.amount = donor, donation, item.amount
    else:
        try:
            round.collective_donation = donation_record(
                actor=actor,
                donor=_collective_donor(actor, round),
                amount=check.total,
                note=f"Đợt thu {round.code}: {check.count} người, danh sách kèm theo.",
                **common,
            )
        except DonationError as error:
            raise RoundError(" ".join(error.messages), code="line") from error
        for item in check.lines:
            item.line.amount, item.line.donor = item.amount, item.donor
    RoundLine.objects.bulk_update(lines, ["donor", "donation", "amount"], batch_size=500)
    round.status = CollectionRound.Status.POSTED
    round.posted_by = actor
    round.posted_at = timezone.now()
    round.save(update_fields=["status", "posted_by", "posted_at", "collective_donation"])
    log_event(
        actor=actor,
        action=AuditAction.ROUND_POST,
        obj=round,
        after={
            "code": round.code,
            "lines": check.count,
            "total": check.total,
            "expected_count": round.expected_count,
            "expected_total": round.expected_total,
            "receipt_mode": round.receipt_mode,
            "collective_donation": round.collective_donation_id,
        },
    )
    if reason:
        log_event(
            actor=actor,
            action=AuditAction.ROUND_LATE_ENTRY,
            obj=round,
            after={"campaign": round.campaign_id, "campaign_end": round.campaign.end_date},
            note=reason,
        )
    return round
