"""The plan as a PDF in the official layout (templates/documents/campaign_plan.html)."""

from __future__ import annotations

from campaigns.models import Campaign
from campaigns.selectors import plan_for
from lddh.ward.pdf import document_context, render_pdf


def plan_context(campaign: Campaign) -> dict:
    context = document_context(campaign.document_date)
    ward = context["ward"]
    signatory = ward.signatory_on(campaign.document_date) if ward else None
    subtitle = campaign.subtitle
    if not subtitle:
        place = f" trên địa bàn {ward.short_name}" if ward else ""
        subtitle = f"Thực hiện {campaign.name[:1].lower()}{campaign.name[1:]}{place}"
    return {
        **context,
        "campaign": campaign,
        "number": campaign.document_number,
        "subtitle": subtitle,
        "plan": plan_for(campaign),
        "signs_for": campaign.signs_for or (signatory.signs_for if signatory else ""),
        "signer_title": campaign.signer_title or (signatory.title if signatory else ""),
        "signer_name": campaign.signer_name or (signatory.full_name if signatory else ""),
        "is_draft": campaign.is_draft,
    }


def render_plan_pdf(campaign: Campaign) -> bytes:
    return render_pdf("documents/campaign_plan.html", plan_context(campaign))


def plan_filename(campaign: Campaign) -> str:
    return f"ke-hoach-chien-dich-{campaign.year}.pdf"
