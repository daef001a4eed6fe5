"""How a plan paragraph is shown: quoted names in italics, as the ward's document does."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from lddh.ward import audit

register = template.Library()

_QUOTED = re.compile(r"“([^”\n]{1,200})”")


@register.filter
def plan_text(text: str) -> str:
    """Escape, italicise “…” (e.g. “Vì người nghèo”) and keep line breaks."""
    html = _QUOTED.sub(r"“<em>\1</em>”", escape(text or ""))
    # Safe: built from escaped text; only our own <em> and <br> are added.
    return mark_safe(html.replace("\n", "<br>"))


@register.filter
def recipient_lines(text: str) -> list[str]:
    """The recipients, one a line, without any dash the user typed."""
    return [
        line.strip().lstrip("-–•").strip() for line in (text or "").splitlines() if line.strip()
    ]


@register.filter
def overdue_on(activity, today) -> bool:
    return activity.overdue_on(today)


@register.filter
def action_label(action: str) -> str:
    return audit.action_label(action)
