"""The list filters' fields written in Python (donations/filters.py ``LeanFilterForm``)
are the markup Django's widget templates write: the same attributes in the same order,
the same escaping, for valid, invalid and hostile values."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.utils.html import format_html_join

from donations import filters
from donations.models import Donation, Donor, LedgerEntry, Receipt, StatementLine

pytestmark = pytest.mark.django_db

QUERIES = [
    "",
    "q=Nguy%E1%BB%85n&date_from=01/10/2024&date_to=31/10/2024&amount_min=100000",
    'q="><script>alert(1)</script>&date_from=abc&amount_max=-5&status=%22&campaign=x',
    "q=a%26b%27c&date_to=31/02/2024&amount_min=1.500.000&year=1999&seq_from=0",
]
FILTERS = [
    (filters.DonationFilter, Donation),
    (filters.ReceiptFilter, Receipt),
    (filters.DonorFilter, Donor),
    (filters.LedgerFilter, LedgerEntry),
    (filters.StatementLineFilter, StatementLine),
]


def _old_options(bound) -> str:
    current = bound.value()
    current = "" if current is None else str(current)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (str(value), " selected" if str(value) == current else "", label)
            for value, label in filters._choices(bound.field)
        ),
    )


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize(("filterset", "model"), FILTERS)
def test_inputs_and_options_are_written_as_django_writes_them(world, filterset, model, query):
    form = filterset(QueryDict(query) if query else None, queryset=model.objects.all()).form
    form.is_valid()
    inputs = 0
    for bound in form:
        widget = bound.field.widget
        for css in ("form-control", "money-input form-control is-invalid"):
            assert filters._input(bound, {"class": css}) == bound.as_widget(attrs={"class": css})
        if isinstance(widget, filters.forms.widgets.Input):
            inputs += 1
        if isinstance(widget, filters.forms.Select):
            html = str(form._lean_field(bound))
            assert _old_options(bound) in html
    assert inputs
    assert str(form.lean_fields())
