"""What every campaign service shares: field lists, role checks, the closed-campaign lock."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from campaigns.models import Campaign
from lddh.ward.access import access_for
from lddh.ward.dates import format_date
from lddh.ward.roles import Role

CAMPAIGN_FIELDS = (
    "year",
    "name",
    "subtitle",
    "start_date",
    "end_date",
    "document_number",
    "document_date",
    "legal_basis",
    "target",
    "signer_name",
    "signer_title",
    "signs_for",
    "recipients",
)
BOARD_FIELDS = (
    "full_name",
    "position",
    "phone",
    "order",
    "donor_source",
    "organisation",
    "sub_target",
)
ACTIVITY_FIELDS = ("kind", "title", "date", "place", "responsible", "group", "status", "result")

MSG_CLOSED = (
    "Chiến dịch “{name}” đã kết thúc nên chỉ được xem. Ban Thường trực cần mở lại chiến dịch "
    "(ghi rõ lý do) trước khi sửa."
)


def require_office(actor) -> None:
    if not access_for(actor).is_office:
        raise PermissionDenied("Chỉ cán bộ Mặt trận phường và Ban Thường trực được sửa chiến dịch.")


def require_committee(actor) -> None:
    if not access_for(actor).has(Role.COMMITTEE):
        raise PermissionDenied(
            "Chỉ Ban Thường trực được triển khai, kết thúc hoặc mở lại chiến dịch."
        )


def locked(campaign: Campaign) -> Campaign:
    """The campaign row, locked until the end of the transaction (so a concurrent close
    cannot slip between the check and the write), refreshed into the caller's object."""
    fresh = Campaign.objects.select_for_update().get(pk=campaign.pk)
    campaign.status = fresh.status
    return fresh


def ensure_editable(campaign: Campaign) -> Campaign:
    fresh = locked(campaign)
    if fresh.is_closed:
        raise ValidationError(MSG_CLOSED.format(name=fresh.name), code="closed")
    return fresh


def period(campaign_or_start, end=None) -> str:
    if end is None:
        return (
            f"{format_date(campaign_or_start.start_date)}–{format_date(campaign_or_start.end_date)}"
        )
    return f"{format_date(campaign_or_start)}–{format_date(end)}"
