from django import template

from donations.models.stock import format_quantity

register = template.Library()


@register.filter
def quantity(value):
    """A stock quantity the Vietnamese way: 1.165,5."""
    if value is None or value == "":
        return ""
    return format_quantity(value)
