"""Reads of money in, scoped to the viewer, for pages, exports, the
dashboard and reports, one module per noun. Fund totals exclude voided receipts and
direct support."""

from donations.selectors.balances import *  # noqa: F403
from donations.selectors.donations import *  # noqa: F403
from donations.selectors.donors import *  # noqa: F403
from donations.selectors.history import *  # noqa: F403
from donations.selectors.pledges import *  # noqa: F403
from donations.selectors.progress import *  # noqa: F403
from donations.selectors.receipts import *  # noqa: F403
from donations.selectors.reconciliation import *  # noqa: F403
from donations.selectors.rounds import *  # noqa: F403
from donations.selectors.statements import *  # noqa: F403
from donations.selectors.stock import *  # noqa: F403
from donations.selectors.totals import *  # noqa: F403
from donations.selectors.voids import *  # noqa: F403
