"""Reads whose SQL is kept per process return what the queryset returns, read fresh
every time: the kept statement holds no rows."""

from __future__ import annotations

import datetime

from campaigns.models import Campaign
from lddh.ward.compiled import model_rows, value_rows
from lddh.ward.models import ResidentialGroup


def test_model_rows_are_the_querysets_rows_and_follow_changes(world):
    def build():
        return ResidentialGroup.objects.filter(number__gte=3).order_by("-number")

    first = model_rows(("test_groups",), build)
    assert [(g.pk, g.name) for g in first] == [(g.pk, g.name) for g in build()]
    group = world.groups[9]
    group.name = "Tổ dân phố số 9 (mới)"
    group.save()
    again = model_rows(("test_groups",), build)
    assert again[0].name == "Tổ dân phố số 9 (mới)"


def test_value_rows_convert_as_django_does(world):
    campaign = Campaign.objects.create(
        year=2031,
        name="Chiến dịch thử",
        start_date=datetime.date(2031, 10, 17),
        end_date=datetime.date(2031, 11, 18),
    )

    def build():
        return Campaign.objects.filter(pk=campaign.pk).values_list("start_date", "year")

    rows = value_rows(("test_campaign_dates", campaign.pk), build)
    assert rows == list(build()) == [(datetime.date(2031, 10, 17), 2031)]
    assert isinstance(rows[0][0], datetime.date)


def test_the_key_keeps_statements_apart(world):
    low = value_rows(
        ("test_numbers", 3),
        lambda: (
            ResidentialGroup.objects.filter(number__lte=3).values_list("number").order_by("number")
        ),
    )
    high = value_rows(
        ("test_numbers", 8),
        lambda: (
            ResidentialGroup.objects.filter(number__gte=8).values_list("number").order_by("number")
        ),
    )
    assert low == [(1,), (2,), (3,)]
    assert high == [(8,), (9,)]


def test_a_kept_key_does_not_build_its_queryset_again(world):
    """Building a queryset costs about as much as compiling it: once kept, the key alone
    finds the statement."""
    built = []

    def build():
        built.append(1)
        return ResidentialGroup.objects.filter(number__lte=2).values_list("number")

    first = value_rows(("test_built_once",), build)
    again = value_rows(("test_built_once",), build)
    assert first == again == [(1,), (2,)]
    assert len(built) == 1


def test_a_statement_is_a_subquery_read_fresh(world):
    from django.db.models.expressions import RawSQL

    from lddh.ward.compiled import statement

    def keys():
        return ResidentialGroup.objects.filter(number__gte=8).values("pk")

    def rows():
        kept = RawSQL(*statement(("test_keys",), keys))  # noqa: S611 - Django's own SQL
        return ResidentialGroup.objects.filter(pk__in=kept)

    assert sorted(g.number for g in rows()) == [8, 9]
    ResidentialGroup.objects.filter(number=8).update(number=7)
    again = rows()
    assert sorted(g.number for g in again) == [9]  # the rule kept, the rows read again
