"""Reads, always scoped to the viewer (404 outside the scope): the register (register.py) and
the support paid to households (support.py)."""

from households.selectors.register import *  # noqa: F403
from households.selectors.support import *  # noqa: F403
