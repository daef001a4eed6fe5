"""The public list of review postings (niêm yết, /niem-yet/): only the residential
group, the pseudonym of a household that consented ("Hộ bà N.T.H., tổ 5") and the kind
of proposal. Never a name, an address, a phone number or the circumstances; a household
that did not consent is only counted."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from households.models import AgendaItem, Posting

__all__ = ["PublicPosting", "PublicRow", "public_postings"]

RECENT_DAYS = 30
"""A posting stays on the public page this many days after its window closed."""


@dataclass
class PublicRow:
    pseudonym: str
    kind: str


@dataclass
class PublicPosting:
    group: str
    start_date: datetime.date
    end_date: datetime.date
    is_open: bool
    rows: list[PublicRow] = field(default_factory=list)
    unnamed: int = 0


def public_postings(today: datetime.date) -> list[PublicPosting]:
    """Postings open today or closed within RECENT_DAYS, newest first, with the items the
    meeting agreed."""
    since = today - datetime.timedelta(days=RECENT_DAYS)
    postings = (
        Posting.objects.filter(start_date__lte=today, end_date__gte=since)
        .select_related("meeting__group")
        .order_by("-start_date", "meeting__group__number", "pk")
    )
    result = []
    for posting in postings:
        shown = PublicPosting(
            group=posting.meeting.group.name,
            start_date=posting.start_date,
            end_date=posting.end_date,
            is_open=posting.is_open_on(today),
        )
        items = (
            AgendaItem.objects.filter(
                meeting=posting.meeting, conclusion=AgendaItem.Conclusion.AGREE
            )
            .select_related("household__group")
            .order_by("pk")
        )
        for item in items:
            pseudonym = item.household.public_pseudonym() if item.household_id else ""
            if pseudonym:
                shown.rows.append(PublicRow(pseudonym, item.get_kind_display()))
            else:
                shown.unnamed += 1
        result.append(shown)
    return result
