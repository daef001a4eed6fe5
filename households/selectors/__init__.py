"""Reads, always scoped to the viewer (404 outside the scope): the register (register.py),
the support paid to households (support.py) and the review meetings (meetings.py),
re-exported here. The reports' reads (reports.py) and the public pages' (public.py,
postings_public.py) are imported by module."""

from households.selectors.meetings import *  # noqa: F403
from households.selectors.register import *  # noqa: F403
from households.selectors.scans import *  # noqa: F403
from households.selectors.support import *  # noqa: F403
