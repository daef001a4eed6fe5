"""{% personal_qr donor as qr %}: the donor's personal VietQR for printed documents."""

from django import template

from donations import personal_qr as qr_module

register = template.Library()


@register.simple_tag
def personal_qr(donor):
    return qr_module.personal_qr(donor)
