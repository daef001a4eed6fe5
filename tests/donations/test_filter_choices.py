"""A filter's short model choice list (campaigns, groups, organisations, funds,
accounts) is read once per form: the same rows check the value given and write the
options, with exactly the values and errors Django's own field gives."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from donations.filters import DonationFilter, ListedModelChoiceField
from donations.models import Donation
from lddh.ward.models import ResidentialGroup

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["", None, "1", " 2", "02", "9999", "abc", "1.5", "-1", "\x00"])
def test_a_listed_choice_cleans_as_django_s_field(world, value):
    value = str(min(world.groups.values(), key=lambda g: g.pk).pk) if value == "1" else value
    queryset = ResidentialGroup.objects.only("pk", "name")
    listed = ListedModelChoiceField(queryset=queryset, required=False)
    plain = forms.ModelChoiceField(queryset=queryset, required=False)

    def outcome(field):
        try:
            got = field.clean(value)
        except forms.ValidationError as error:
            return ("error", error.messages)
        return ("value", getattr(got, "pk", got))

    assert outcome(listed) == outcome(plain)


def test_the_campaign_chosen_is_not_read_again(books, staff_client):
    books.record(amount=300_000)
    url = reverse("donations:list") + f"?campaign={books.campaign.pk}"
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(url)
    assert response.status_code == 200
    # The menu's work counts read the active campaign (status = 'active'), not the chosen one.
    campaign_reads = [
        q["sql"]
        for q in queries
        if 'FROM "campaigns_campaign"' in q["sql"] and "\"status\" = 'active'" not in q["sql"]
    ]
    assert len(campaign_reads) == 1  # the options, which also check the value
    assert f'<option value="{books.campaign.pk}" selected>' in response.content.decode()


def test_a_new_queryset_is_listed_again(world):
    filterset = DonationFilter({"group": str(world.groups[1].pk)}, queryset=Donation.objects.all())
    field = filterset.form.fields["group"]
    assert [g.pk for g in field.listed()] == list(
        ResidentialGroup.objects.values_list("pk", flat=True).order_by("number", "pk")
    )
    field.queryset = ResidentialGroup.objects.filter(pk=world.groups[2].pk)
    assert [g.pk for g in field.listed()] == [world.groups[2].pk]
    assert not filterset.form.is_valid()  # group 1 is no longer among the choices


def test_the_lists_are_read_through_kept_sql_keyed_by_their_scope(world, monkeypatch):
    """The filter's lists are the same on every page: read through SQL kept per process
    (compiled.model_rows), under a key naming the queryset (a leader's: their groups)."""
    import donations.filters

    keys = []
    real = donations.filters.model_rows

    def recording(key, build):
        keys.append(key)
        return real(key, build)

    monkeypatch.setattr(donations.filters, "model_rows", recording)
    everyone = DonationFilter(None, queryset=Donation.objects.all()).form.fields
    assert len(everyone["group"].listed()) == len(world.groups)
    everyone["campaign"].listed()
    mine = DonationFilter(None, queryset=Donation.objects.all(), group_ids=[world.groups[2].pk])
    assert [g.pk for g in mine.form.fields["group"].listed()] == [world.groups[2].pk]
    assert keys == [
        ("listed", "groups"),
        ("listed", "campaigns"),
        ("listed", "groups", (world.groups[2].pk,)),
    ]
