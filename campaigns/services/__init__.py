"""Writes to campaigns: every change validates, is audited and returns the object.

Rules: one active campaign at a time; periods never overlap; only the standing
committee activates, closes or reopens (with a reason); a closed campaign is read-only.
"""

from campaigns.services.activities import activity_create, activity_delete, activity_update
from campaigns.services.board import (
    board_member_create,
    board_member_delete,
    board_member_update,
    targets_set,
)
from campaigns.services.campaign import (
    campaign_activate,
    campaign_close,
    campaign_copy,
    campaign_create,
    campaign_reopen,
    campaign_update,
    shift_year,
)
from campaigns.services.common import (
    ACTIVITY_FIELDS,
    BOARD_FIELDS,
    CAMPAIGN_FIELDS,
    MSG_CLOSED,
)
from campaigns.services.plan import (
    plan_block_create,
    plan_block_delete,
    plan_block_move,
    plan_block_update,
)

__all__ = [
    "ACTIVITY_FIELDS",
    "BOARD_FIELDS",
    "CAMPAIGN_FIELDS",
    "MSG_CLOSED",
    "activity_create",
    "activity_delete",
    "activity_update",
    "board_member_create",
    "board_member_delete",
    "board_member_update",
    "campaign_activate",
    "campaign_close",
    "campaign_copy",
    "campaign_create",
    "campaign_reopen",
    "campaign_update",
    "plan_block_create",
    "plan_block_delete",
    "plan_block_move",
    "plan_block_update",
    "shift_year",
    "targets_set",
]
