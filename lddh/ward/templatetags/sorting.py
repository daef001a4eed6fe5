"""Sortable column headers for lists ordered with lddh.ward.sorting.

{% load sorting %}
{% sort_th sort "chu_ho" "Chủ hộ" %}
{% sort_th sort "nhu_cau" "Nhu cầu" css="text-end d-none d-md-table-cell" %}
{% sort_hidden sort %}   inside a GET filter form, so filtering keeps the order
"""

from django import template
from django.utils.html import format_html

register = template.Library()

_ARIA = {"ascending": "tăng dần", "descending": "giảm dần"}


@register.simple_tag
def sort_th(sort, key, label, css=""):
    """A <th> whose link sorts by the column; aria-sort on the sorted column."""
    header = sort.header(key)
    current = f", đang {_ARIA[header.state]}" if header.state else ""
    return format_html(
        '<th scope="col"{}{}><a class="sort-link{}" href="{}" title="Bấm để {}">{}'
        '<span class="visually-hidden">{}, bấm để {}</span>'
        '<span class="sort-arrow" aria-hidden="true">{}</span></a></th>',
        format_html(' class="{}"', css) if css else "",
        format_html(' aria-sort="{}"', header.state) if header.state else "",
        " is-sorted" if header.state else "",
        header.url,
        header.hint,
        label,
        current,
        header.hint,
        header.arrow,
    )


@register.simple_tag
def sort_hidden(sort):
    """Keep a chosen order when a GET filter form is submitted."""
    if sort.is_default:
        return ""
    return format_html('<input type="hidden" name="{}" value="{}">', sort.spec.param, sort.value)
