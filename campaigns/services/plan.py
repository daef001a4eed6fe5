"""The plan's paragraphs: add, edit, move, delete, kept numbered 1..n per section."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from campaigns.models import Campaign, PlanBlock
from campaigns.services.common import (
    ensure_editable,
    require_office,
)
from lddh.ward.audit import AuditAction, changed, log_event, snapshot

# --------------------------------------------------------------------------- plan blocks


def _renumber(campaign: Campaign, section: str) -> None:
    """Orders 1..n inside a section, so moving a block is a swap of neighbours."""
    blocks = list(campaign.blocks.filter(section=section).order_by("order", "pk"))
    changed_blocks = []
    for position, block in enumerate(blocks, start=1):
        if block.order != position:
            block.order = position
            changed_blocks.append(block)
    PlanBlock.objects.bulk_update(changed_blocks, ["order"])


def _clean_block_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Chưa nhập nội dung đoạn kế hoạch."})
    return text


def _check_section(section: str) -> None:
    if section not in PlanBlock.Section.values:
        raise ValidationError({"section": "Phần kế hoạch không hợp lệ."})


@transaction.atomic
def plan_block_create(
    *, actor, campaign: Campaign, section: str, text: str, position: int | None = None
) -> PlanBlock:
    """Add a paragraph at `position` (1 = first) of its section, or at the end."""
    require_office(actor)
    ensure_editable(campaign)
    _check_section(section)
    text = _clean_block_text(text)
    _renumber(campaign, section)
    count = campaign.blocks.filter(section=section).count()
    order = count + 1 if position is None else max(1, min(position, count + 1))
    for block in campaign.blocks.filter(section=section, order__gte=order):
        block.order += 1
        block.save(update_fields=["order"])
    block = PlanBlock.objects.create(campaign=campaign, section=section, order=order, text=text)
    log_event(
        actor=actor,
        action=AuditAction.PLAN_BLOCK_CREATE,
        obj=block,
        after={"campaign": campaign.pk, **snapshot(block, ("section", "order", "text"))},
    )
    return block


@transaction.atomic
def plan_block_update(*, actor, block: PlanBlock, section: str, text: str) -> PlanBlock:
    """Change a paragraph; moving it to another section puts it at that section's end."""
    require_office(actor)
    ensure_editable(block.campaign)
    _check_section(section)
    text = _clean_block_text(text)
    before = snapshot(block, ("section", "order", "text"))
    old_section = block.section
    if section != old_section:
        block.section = section
        block.order = block.campaign.blocks.filter(section=section).count() + 1
    block.text = text
    block.save()
    if section != old_section:
        _renumber(block.campaign, old_section)
    before, after = changed(before, snapshot(block, ("section", "order", "text")))
    if after:
        log_event(
            actor=actor,
            action=AuditAction.PLAN_BLOCK_UPDATE,
            obj=block,
            before={"campaign": block.campaign_id, **before},
            after=after,
        )
    return block


@transaction.atomic
def plan_block_move(*, actor, block: PlanBlock, up: bool) -> PlanBlock:
    """Swap a paragraph with its neighbour above (up) or below; no-op at either end."""
    require_office(actor)
    ensure_editable(block.campaign)
    _renumber(block.campaign, block.section)
    block.refresh_from_db(fields=["order"])
    neighbour_order = block.order - 1 if up else block.order + 1
    neighbour = block.campaign.blocks.filter(section=block.section, order=neighbour_order).first()
    if neighbour is None:
        return block
    before = block.order
    neighbour.order, block.order = block.order, neighbour.order
    PlanBlock.objects.bulk_update([block, neighbour], ["order"])
    log_event(
        actor=actor,
        action=AuditAction.PLAN_BLOCK_MOVE,
        obj=block,
        before={"campaign": block.campaign_id, "order": before},
        after={"order": block.order},
    )
    return block


@transaction.atomic
def plan_block_delete(*, actor, block: PlanBlock) -> None:
    require_office(actor)
    ensure_editable(block.campaign)
    before = {"campaign": block.campaign_id, **snapshot(block, ("section", "order", "text"))}
    log_event(actor=actor, action=AuditAction.PLAN_BLOCK_DELETE, obj=block, before=before)
    campaign, section = block.campaign, block.section
    block.delete()
    _renumber(campaign, section)
