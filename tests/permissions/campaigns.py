"""Campaign pages: everyone with a role reads the campaign, its plan and its calendar;
the board and the targets are for office readers (not group leaders); staff and
committee edit; only the committee activates, closes and reopens."""

from campaigns.models import Campaign
from tests.factories import ActivityFactory, BoardMemberFactory, CampaignFactory, PlanBlockFactory
from tests.permissions import Case, only, statuses

EDITORS = ("staff", "committee")
OFFICE_READERS = ("staff", "committee", "treasurer", "higher", "supervisor")


def _campaign(world, **kwargs):
    return {"pk": CampaignFactory(**kwargs).pk}


def _block(world):
    block = PlanBlockFactory()
    PlanBlockFactory(campaign=block.campaign)  # a neighbour to move around
    return {"pk": block.campaign_id, "block_pk": block.pk}


def _member(world):
    member = BoardMemberFactory(groups=[world.groups[2]])
    return {"pk": member.campaign_id, "member_pk": member.pk}


def _activity(world):
    activity = ActivityFactory(group=world.groups[2])
    return {"pk": activity.campaign_id, "activity_pk": activity.pk}


READ_ALL = statuses(200)
GET_ONLY = statuses(405)  # read-only pages refuse POST

CASES = [
    Case("campaigns:list", get=READ_ALL, post=GET_ONLY),
    # An empty form comes back with its errors (200) for staff and committee.
    Case("campaigns:create", get=only(*EDITORS), post=only(*EDITORS)),
    Case("campaigns:detail", get=READ_ALL, post=GET_ONLY, kwargs=_campaign),
    Case("campaigns:edit", get=only(*EDITORS), post=only(*EDITORS), kwargs=_campaign),
    Case(
        "campaigns:activate",
        get=GET_ONLY,
        post=only("committee", ok=302),
        kwargs=lambda w: _campaign(w, status=Campaign.Status.DRAFT),
    ),
    Case("campaigns:close", get=GET_ONLY, post=only("committee", ok=302), kwargs=_campaign),
    Case(
        "campaigns:reopen",
        get=only("committee"),
        post=only("committee"),  # no reason given: the form says so
        kwargs=lambda w: _campaign(w, status=Campaign.Status.CLOSED),
    ),
    Case("campaigns:copy", get=only(*EDITORS), post=only(*EDITORS, ok=302), kwargs=_campaign),
    Case("campaigns:plan", get=READ_ALL, post=GET_ONLY, kwargs=_campaign),
    Case("campaigns:plan_pdf", get=READ_ALL, post=GET_ONLY, kwargs=_campaign),
    Case("campaigns:block_create", get=only(*EDITORS), post=only(*EDITORS), kwargs=_campaign),
    Case("campaigns:block_edit", get=only(*EDITORS), post=only(*EDITORS), kwargs=_block),
    Case("campaigns:block_move", get=GET_ONLY, post=only(*EDITORS, ok=302), kwargs=_block),
    Case("campaigns:block_delete", get=GET_ONLY, post=only(*EDITORS, ok=302), kwargs=_block),
    Case("campaigns:board", get=only(*OFFICE_READERS), post=GET_ONLY, kwargs=_campaign),
    Case("campaigns:board_create", get=only(*EDITORS), post=only(*EDITORS), kwargs=_campaign),
    Case("campaigns:board_edit", get=only(*EDITORS), post=only(*EDITORS), kwargs=_member),
    Case("campaigns:board_delete", get=GET_ONLY, post=only(*EDITORS, ok=302), kwargs=_member),
    # Every amount left empty is a valid form (no sub-targets): saved, then redirected.
    Case(
        "campaigns:targets",
        get=only(*OFFICE_READERS),
        post=only(*EDITORS, ok=302),
        kwargs=_campaign,
    ),
    Case("campaigns:activities", get=READ_ALL, post=GET_ONLY, kwargs=_campaign),
    Case("campaigns:activity_create", get=only(*EDITORS), post=only(*EDITORS), kwargs=_campaign),
    Case("campaigns:activity_edit", get=only(*EDITORS), post=only(*EDITORS), kwargs=_activity),
    Case("campaigns:activity_delete", get=GET_ONLY, post=only(*EDITORS, ok=302), kwargs=_activity),
]
