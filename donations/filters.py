"""List filters (django-filter) for donations, receipts, donors and the fund ledger."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from campaigns.models import Campaign
from donations.forms import DATE_INPUT_FORMATS
from donations.models import MAX_DONATION, Account, Donation, Donor, Fund, LedgerEntry, Receipt
from lddh.ward.fields import DongField
from lddh.ward.models import MemberOrganisation, ResidentialGroup
from lddh.ward.text import normalise
from lddh.ward.vocab import DonorSource

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})


def date_filter(label: str, lookup: str) -> django_filters.DateFilter:
    """One end of a dd/mm/yyyy date range on the `date` field ("gte" or "lte")."""
    return django_filters.DateFilter(
        label=label,
        field_name="date",
        lookup_expr=lookup,
        widget=DATE_WIDGET,
        input_formats=DATE_INPUT_FORMATS,
    )


SEARCH_MAX = 100


class DongFilter(django_filters.Filter):
    field_class = DongField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_value", MAX_DONATION)
        kwargs.setdefault("min_value", 0)
        super().__init__(*args, **kwargs)


def _search_text(value: str) -> str:
    return (value or "").strip()[:SEARCH_MAX]


class DonationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Tìm tên, điện thoại, số biên nhận", method="search")
    campaign = django_filters.ModelChoiceFilter(
        label="Chiến dịch", queryset=Campaign.objects.only("pk", "name")
    )
    date_from = date_filter("Từ ngày", "gte")
    date_to = date_filter("Đến ngày", "lte")
    source = django_filters.ChoiceFilter(
        label="Nguồn", field_name="donor__source", choices=DonorSource.choices
    )
    channel = django_filters.ChoiceFilter(label="Hình thức", choices=Donation.Channel.choices)
    purpose = django_filters.ChoiceFilter(label="Mục đích", choices=Donation.Purpose.choices)
    group = django_filters.ModelChoiceFilter(
        label="Tổ dân phố",
        field_name="credited_group",
        queryset=ResidentialGroup.objects.only("pk", "name"),
    )
    organisation = django_filters.ModelChoiceFilter(
        label="Tổ chức thành viên",
        field_name="credited_organisation",
        queryset=MemberOrganisation.objects.only("pk", "name", "short_name"),
    )
    status = django_filters.ChoiceFilter(label="Trạng thái", choices=Donation.Status.choices)
    amount_min = DongFilter(label="Số tiền từ", field_name="amount", lookup_expr="gte")
    amount_max = DongFilter(label="Số tiền đến", field_name="amount", lookup_expr="lte")

    class Meta:
        model = Donation
        fields: list[str] = []

    def __init__(self, *args, group_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        if group_ids is not None:
            self.filters["group"].queryset = ResidentialGroup.objects.filter(pk__in=group_ids)

    def search(self, queryset, name, value):
        text = _search_text(value)
        if not text:
            return queryset
        condition = Q(receipt__number__icontains=text)
        key = normalise(text)
        if key:
            condition |= Q(donor__search_key__icontains=key)
        return queryset.filter(condition)


class ReceiptFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Tìm số biên nhận, người nộp", method="search")
    series = django_filters.ChoiceFilter(label="Sê-ri", choices=[])
    year = django_filters.NumberFilter(label="Năm", min_value=2000, max_value=2100)
    status = django_filters.ChoiceFilter(label="Trạng thái", choices=Receipt.Status.choices)
    date_from = date_filter("Từ ngày", "gte")
    date_to = date_filter("Đến ngày", "lte")

    class Meta:
        model = Receipt
        fields: list[str] = []

    def __init__(self, *args, series_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["series"].extra["choices"] = [(c, c) for c in series_codes]

    def search(self, queryset, name, value):
        text = _search_text(value)
        if not text:
            return queryset
        return queryset.filter(
            Q(number__icontains=text)
            | Q(donor_name__icontains=text)
            | Q(donation__donor__search_key__icontains=normalise(text) or text)
        )


class DonorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Tìm tên, điện thoại, mã số thuế", method="search")
    source = django_filters.ChoiceFilter(label="Nguồn", choices=DonorSource.choices)
    group = django_filters.ModelChoiceFilter(
        label="Tổ dân phố", queryset=ResidentialGroup.objects.only("pk", "name")
    )
    organisation = django_filters.ModelChoiceFilter(
        label="Tổ chức thành viên",
        queryset=MemberOrganisation.objects.only("pk", "name", "short_name"),
    )

    class Meta:
        model = Donor
        fields: list[str] = []

    def search(self, queryset, name, value):
        key = normalise(_search_text(value))
        return queryset.filter(search_key__icontains=key) if key else queryset


class LedgerFilter(django_filters.FilterSet):
    fund = django_filters.ModelChoiceFilter(label="Quỹ", queryset=Fund.objects.all())
    account = django_filters.ModelChoiceFilter(
        label="Tài khoản / két", queryset=Account.objects.all()
    )
    kind = django_filters.ChoiceFilter(label="Loại", choices=LedgerEntry.Kind.choices)
    date_from = date_filter("Từ ngày", "gte")
    date_to = date_filter("Đến ngày", "lte")

    class Meta:
        model = LedgerEntry
        fields: list[str] = []
