"""The report page and the downloads: the ward's roles and the level above; leaders and
anonymous visitors cannot download any report."""

from tests.factories import CampaignFactory, FundFactory
from tests.permissions import Case, only

READERS = ("staff", "committee", "treasurer", "higher", "supervisor")


def _fund_report(world):
    CampaignFactory()
    FundFactory()
    return {}


CASES = [
    Case("reports:index", get=only(*READERS), post=only(*READERS, ok=405)),
    # Without parameters the form is shown again with its errors (200); leaders 403.
    Case("reports:download", get=only(*READERS), post=only(*READERS, ok=405), kwargs=_fund_report),
]
