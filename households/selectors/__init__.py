"""Reads, always scoped to the viewer (404 outside the scope): the register (register.py)
and the support paid to households (support.py), re-exported here. The reports' reads
(reports.py) and the public pages' (public.py) are imported by module."""

from households.selectors.register import *  # noqa: F403
from households.selectors.scans import *  # noqa: F403
from households.selectors.support import *  # noqa: F403
