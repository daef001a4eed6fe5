"""Forms of the donations app, one module per noun. They parse and check input; the
services decide. Every public name is re-exported here."""

from donations.forms.donations import *  # noqa: F403
from donations.forms.donors import *  # noqa: F403
from donations.forms.fields import *  # noqa: F403
from donations.forms.layouts import *  # noqa: F403
from donations.forms.pledges import *  # noqa: F403
from donations.forms.rounds import *  # noqa: F403
from donations.forms.statements import *  # noqa: F403
from donations.forms.stock import *  # noqa: F403
