"""The permission matrix: every URL × every persona, exact status.

Each app lists its URLs in tests/permissions/<app>.py as CASES; test_permission_matrix
collects them all and fails when a URL of the URL configuration has no case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAS = (
    "anon",
    "staff",
    "committee",
    "treasurer",
    "leader1",
    "leader2",
    "higher",
    "supervisor",
)
SIGNED_IN = PERSONAS[1:]
LOGIN = 302  # anonymous visitors are sent to /dang-nhap/


def statuses(default: int, **overrides: int) -> dict[str, int]:
    """Every persona gets `default` except those named; anonymous is LOGIN unless named."""
    result = dict.fromkeys(PERSONAS, default)
    result["anon"] = LOGIN
    result.update(overrides)
    return result


def only(*personas: str, ok: int = 200, other: int = 403) -> dict[str, int]:
    """`ok` for the personas named, `other` for the other signed-in ones, LOGIN for anon."""
    result = {persona: (ok if persona in personas else other) for persona in SIGNED_IN}
    result["anon"] = LOGIN
    return result


@dataclass
class Case:
    url_name: str
    get: dict[str, int] | None
    # None: a read-only page, which must refuse POST with 405 (anonymous: login first).
    post: dict[str, int] | None = None
    kwargs: Callable | None = None  # (world) -> URL kwargs; objects belong to group 2
    post_data: Callable | None = None  # (world) -> form data; default {}
    note: str = ""
    extra: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.url_name
