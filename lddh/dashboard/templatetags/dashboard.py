"""The rows of the staff home's progress tables (groups, organisations, board members)
and of its table of the days, as HTML.

The home page shows some thirty such rows; written in the template language each cost
about fifteen nodes (filters, conditions, look-ups), a tenth of the page's server time.
``progress_rows`` writes the markup the template's loop wrote, escaping every value;
the template keeps the table and its header."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from lddh.ward.dates import format_date
from lddh.ward.money import format_dong

register = template.Library()

_NO_TARGET = '<span class="text-body-secondary">—</span>'
_NO_PERCENT = '<span class="small text-body-secondary">chưa giao chỉ tiêu</span>'


def _dong(value) -> str:
    return "" if value in (None, "") else conditional_escape(format_dong(int(value)))


@register.filter
def progress_rows(lines, empty: str = "") -> SafeString:
    """The body rows of a progress table of ``Line``s; ``empty``: the row's text when
    there is none."""
    esc = conditional_escape
    parts = []
    for line in lines:
        label = esc(line.label)
        note = f'<div class="small text-body-secondary">{esc(line.note)}</div>' if line.note else ""
        target = _dong(line.target) if line.target else _NO_TARGET
        percent = line.percent
        if percent is not None:
            shown = esc(percent)
            figure = (
                "\n"
                '      <div class="d-flex align-items-center gap-2">\n'
                f'        <div class="progress flex-grow-1" role="progressbar" aria-label="{label}"'
                f' aria-valuenow="{shown}" aria-valuemin="0" aria-valuemax="100"'
                ' style="height: 1.1rem">\n'
                f'          <div class="progress-bar{" bg-success" if percent >= 100 else ""}"'
                f' style="width: {"100" if percent > 100 else shown}%"></div>\n'
                "        </div>\n"
                f'        <span class="small progress-figure">{shown}%</span>\n'
                "      </div>"
            )
        else:
            figure = _NO_PERCENT
        parts.append(
            "\n  <tr>\n"
            f'    <th scope="row" class="fw-normal">{label}{note}</th>\n'
            f'    <td class="money">{_dong(line.raised)}</td>\n'
            f'    <td class="money">{target}</td>\n'
            f"    <td>{figure}</td>\n"
            "  </tr>\n  "
        )
    if not parts:
        parts.append(
            f'\n  <tr><td colspan="4" class="text-body-secondary">{esc(empty)}</td></tr>\n  '
        )
    return mark_safe("".join(parts))  # every value above is escaped


@register.filter
def day_rows(by_day) -> SafeString:
    """The rows of the table of the days ((day, amount) pairs): what the template's loop
    wrote, a month of days on every view of the home page."""
    esc = conditional_escape
    return mark_safe(  # every value escaped
        "".join(
            f'<tr><td>{esc(format_date(day))}</td><td class="money">{_dong(amount)}</td></tr>'
            for day, amount in by_day
        )
    )
