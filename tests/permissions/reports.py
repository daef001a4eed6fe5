"""The report page and the downloads: the ward's roles and the level above; leaders and
anonymous visitors cannot download any report."""

from tests.factories import CampaignFactory, FundFactory
from tests.permissions import Case, only

READERS = ("staff", "committee", "treasurer", "higher", "supervisor")
WARD_READERS = ("staff", "committee", "treasurer", "supervisor")


def _fund_report(world):
    CampaignFactory()
    FundFactory()
    return {}


def _campaign(world):
    CampaignFactory()
    return {}


CASES = [
    Case("reports:index", get=only(*READERS), post=only(*READERS, ok=405)),
    # Without parameters the form is shown again with its errors (200); leaders 403.
    Case("reports:download", get=only(*READERS), post=only(*READERS, ok=405), kwargs=_fund_report),
    # The commendation list names donors: the ward's readers, not the level above. Only
    # the committee changes the thresholds (an empty post shows the form's errors: 200).
    Case(
        "reports:commendation",
        get=only(*WARD_READERS),
        post=only("committee"),
        kwargs=_campaign,
    ),
    Case(
        "reports:commendation_download",
        get=only(*WARD_READERS),
        post=only(*WARD_READERS, ok=405),
        kwargs=_campaign,
    ),
]
