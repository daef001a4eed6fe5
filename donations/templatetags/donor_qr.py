"""{% personal_qr donor as qr %}: the donor's personal VietQR for printed documents."""

from django import template

from donations import documents

register = template.Library()


@register.simple_tag
def personal_qr(donor):
    return documents.personal_qr(donor)
