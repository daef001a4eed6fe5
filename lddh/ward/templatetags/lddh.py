"""Template filters every page uses: money, amount in words, dates, the required-field note."""

from django import template
from django.utils.safestring import mark_safe

from lddh.ward import nav
from lddh.ward.dates import date_line, format_date
from lddh.ward.money import amount_in_words, format_dong, format_number

register = template.Library()


@register.filter
def menu_html(entries):
    """The menu's entries as base.html's navigation items (``lddh.ward.nav.menu_html``)."""
    return nav.menu_html(entries)


@register.filter
def dong(value):
    """1500000 → '1.500.000 đ'."""
    if value in (None, ""):
        return ""
    return format_dong(int(value))


@register.filter
def number(value):
    """1500000 → '1.500.000' (also counts)."""
    if value in (None, ""):
        return ""
    return format_number(int(value))


@register.filter
def in_words(value):
    return amount_in_words(int(value or 0))


@register.filter
def vn_date(value):
    return format_date(value)


@register.simple_tag
def date_line_for(place, day):
    return date_line(place, day)


@register.filter
def percent(part, whole):
    """Whole-number percentage of part in whole, 0 when there is no whole."""
    try:
        return int(part or 0) * 100 // int(whole) if whole else 0
    except (TypeError, ValueError):
        return 0


@register.filter
def person_name(user):
    """Vietnamese order: family and middle names first ('Nguyễn Thị Hương')."""
    if user is None:
        return ""
    full = f"{user.last_name} {user.first_name}".strip()
    return full or user.get_username()


REQUIRED_NOTE = (
    '<p class="required-note small text-body-secondary">'
    '<span class="asteriskField" aria-hidden="true">*</span> là mục bắt buộc phải điền; '
    "các mục khác có thể để trống.</p>"
)


@register.simple_tag
def required_note(*forms):
    """Says once, above a form, what the asterisk beside a label means; nothing when no
    field shown is required."""
    for form in forms:
        for bound in form or ():
            if bound.field.required and not bound.is_hidden:
                return mark_safe(REQUIRED_NOTE)
    return ""
