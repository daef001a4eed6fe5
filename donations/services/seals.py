"""Signing the fund ledger's chain heads (see donations.seals and SignedChainHead)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from donations import seals
from donations.models import Fund, LedgerEntry, SignedChainHead
from donations.services.common import DonationError
from donations.services.ledger import lock_fund
from lddh.ward.audit import AuditAction, log_event


@transaction.atomic
def chain_heads_sign(*, actor, day: datetime.date | None = None) -> list[SignedChainHead]:
    """Sign each fund's current chain head, covering the entries written since the
    fund's last signed head; a fund whose head is already signed is left alone, so the
    signing may run as often as wanted (daily by cron, and at each publication).

    ``actor`` is None when cron signs. The new heads are appended to the file of
    LEDGER_ANCHOR_DIR once the transaction commits."""
    day = day or timezone.localdate()
    made = []
    for fund in Fund.objects.order_by("order", "pk"):
        fund = lock_fund(fund)
        head = (
            LedgerEntry.objects.filter(fund=fund)
            .order_by("-sequence")
            .values_list("sequence", "hash")
            .first()
        )
        if head is None:
            continue
        sequence, head_hash = head
        last = (
            SignedChainHead.objects.filter(fund=fund).order_by("-sequence").only("sequence").first()
        )
        first = last.sequence + 1 if last else 1
        if first > sequence:
            continue  # already signed (or the tail was deleted: the check says so)
        # Streamed: the first signing of a large ledger covers every entry.
        hashes = (
            LedgerEntry.objects.filter(fund=fund, sequence__gte=first, sequence__lte=sequence)
            .order_by("sequence")
            .values_list("hash", flat=True)
            .iterator(chunk_size=20000)
        )
        prefixes = "".join(h[: seals.PREFIX_LENGTH] for h in hashes)
        if len(prefixes) != (sequence - first + 1) * seals.PREFIX_LENGTH:
            raise DonationError(
                f"Sổ quỹ {fund.code} thiếu bút toán giữa số {first} và {sequence}: "
                "không ký mã kiểm tra cho sổ đã bị sửa.",
                code="chain",
            )
        fields = {
            "fund": fund.code,
            "first_sequence": first,
            "sequence": sequence,
            "hash": head_hash,
            "day": day.isoformat(),
            "prefixes": prefixes,
        }
        record = SignedChainHead.objects.create(
            fund=fund,
            fund_code=fund.code,
            first_sequence=first,
            sequence=sequence,
            hash=head_hash,
            day=day,
            prefixes=fields["prefixes"],
            signature=seals.sign(**fields),
        )
        log_event(
            actor=actor,
            action=AuditAction.LEDGER_SIGN_HEAD,
            obj=record,
            after={key: value for key, value in fields.items() if key != "prefixes"},
        )
        made.append(record)
    copies = [seals.Seal.of(record) for record in made]
    transaction.on_commit(lambda: seals.append_to_file(copies))
    return made
