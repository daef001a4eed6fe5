"""Printable documents of support (official layout, templates/documents/base.html): the
payment voucher / handover record of one support, and the signed recipient list (danh
sách ký nhận) of a distribution round. Both print the amount in figures and in words.

A paid support never changes and keeps a snapshot of the household as it was paid, so
a voucher printed again reads the same as the one that was signed."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from households.models import AgendaItem, DistributionRound, ReviewMeeting, Support
from lddh.ward.feedback_link import feedback_qr_data_uri, feedback_url
from lddh.ward.money import amount_in_words
from lddh.ward.pdf import document_context, pdf_response, render_pdf

__all__ = [
    "feedback_link",
    "minutes_pdf",
    "pdf_response",
    "posting_pdf",
    "signed_list_context",
    "signed_list_pdf",
    "voucher_pdf",
]


def feedback_link() -> dict:
    """The residents' feedback address and its QR code, printed at the foot of the
    handover papers so a resident can report a support that went wrong."""
    return {"feedback_url": feedback_url(), "feedback_qr": feedback_qr_data_uri()}


def voucher_context(support: Support) -> dict:
    context = document_context(support.handover_date)
    ward = context["ward"]
    recipient = support.recipient or {
        "head_name": support.household.head_name,
        "address": support.household.address,
        "group": support.household.group.name,
    }
    return {
        **context,
        "support": support,
        "recipient": recipient,
        "items": list(support.items.all()),
        "number": support.handover_number,
        "amount_words": amount_in_words(support.amount) if support.amount else "",
        "signatory": ward.signatory_on(support.handover_date) if ward else None,
        **feedback_link(),
    }


def voucher_pdf(support: Support) -> bytes:
    return render_pdf("documents/support_voucher.html", voucher_context(support))


def signed_list_context(round: DistributionRound, rows: Sequence[Support]) -> dict:
    days = [s.handover_date for s in rows if s.handover_date]
    day = max(days) if days else timezone.localdate()
    context = document_context(day)
    ward = context["ward"]
    total = sum(s.amount for s in rows)
    payer = next((s.paid_by for s in rows if s.paid_by_id), None)
    return {
        **context,
        "round": round,
        "rows": rows,
        "total": total,
        "total_words": amount_in_words(total),
        "payer": payer,
        "signatory": ward.signatory_on(day) if ward else None,
        **feedback_link(),
    }


def signed_list_pdf(round: DistributionRound, rows: Sequence[Support]) -> bytes:
    return render_pdf("documents/support_signed_list.html", signed_list_context(round, rows))


def group_issuer(context: dict, meeting: ReviewMeeting) -> list[str]:
    """The ward's header without its last line (the standing committee), then the
    group's front-work committee, which holds the meeting and signs its papers."""
    ward = context["ward"]
    lines = ward.header_line_list[:-1] if ward and len(ward.header_line_list) > 1 else []
    return [*lines, f"Ban công tác Mặt trận {meeting.group.name.lower()}"]


def minutes_context(meeting: ReviewMeeting) -> dict:
    items = list(meeting.items.select_related("household", "proposal"))
    context = document_context(meeting.date)
    return {
        **context,
        "issuer_lines": group_issuer(context, meeting),
        "meeting": meeting,
        "attendees": list(meeting.attendees.all()),
        "items": items,
        "agreed": sum(1 for item in items if item.conclusion == AgendaItem.Conclusion.AGREE),
    }


def minutes_pdf(meeting: ReviewMeeting) -> bytes:
    """Biên bản họp bình xét: time and place, participants, content, the vote table,
    the conclusion, signed by the chair and the secretary."""
    return render_pdf("documents/meeting_minutes.html", minutes_context(meeting))


def posting_pdf(meeting: ReviewMeeting) -> bytes:
    """The list the meeting agreed, for the group's notice board (names, no address)."""
    posting = meeting.posting
    items = [
        item
        for item in meeting.items.select_related("household", "proposal")
        if item.conclusion == AgendaItem.Conclusion.AGREE
    ]
    context = document_context(posting.start_date)
    return render_pdf(
        "documents/posting_list.html",
        {
            **context,
            "issuer_lines": group_issuer(context, meeting),
            "meeting": meeting,
            "posting": posting,
            "items": items,
        },
    )
