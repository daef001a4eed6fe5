"""List filters (django-filter) for donations, receipts, donors, the fund ledger and the
bank lines' queue."""

from __future__ import annotations

import django_filters
import django_filters.fields
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from campaigns.models import Campaign
from donations.models import (
    MAX_DONATION,
    Account,
    CollectionRound,
    Donation,
    Donor,
    Fund,
    LedgerEntry,
    Receipt,
    RoundLine,
    StatementLine,
)
from lddh.ward.compiled import model_rows
from lddh.ward.fields import DongField, MoneyInput
from lddh.ward.forms import DayField, WardForm
from lddh.ward.models import MemberOrganisation, ResidentialGroup
from lddh.ward.text import normalise
from lddh.ward.vocab import DonorSource


class DayFilter(django_filters.DateFilter):
    """A dd/mm/yyyy date; a day that does not exist is an error shown above the list."""

    field_class = DayField


def date_filter(label: str, lookup: str) -> DayFilter:
    """One end of a dd/mm/yyyy date range on the `date` field ("gte" or "lte")."""
    return DayFilter(label=label, field_name="date", lookup_expr=lookup)


SEARCH_MAX = 100


class ListedModelChoiceField(django_filters.fields.ModelChoiceField):
    """A choice among a short list of rows (campaigns, groups, funds...), read once per
    form: the same rows check the value given and write the options, where Django
    reads the chosen row again by its key (one query more per page)."""

    def __init__(self, *args, listed_key=None, **kwargs):
        super().__init__(*args, **kwargs)
        # With a key, the rows are read through SQL compiled once per process
        # (lddh/ward/compiled.py): the key names the queryset given here, so a
        # queryset set later drops it.
        self.listed_key = listed_key

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.listed_key = self.listed_key  # the copy's queryset is the same one's .all()
        return result

    def listed(self) -> list:
        rows = self.__dict__.get("_listed")
        if rows is None:
            queryset = self.queryset
            if self.listed_key is None:
                rows = list(queryset)
            else:
                rows = model_rows(("listed", *self.listed_key), lambda: queryset)
            self.__dict__["_listed"] = rows
        return rows

    def _set_queryset(self, queryset):
        self.__dict__.pop("_listed", None)
        self.listed_key = None
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def to_python(self, value):
        """What ``ModelChoiceField.to_python`` returns (the row whose key equals the
        value, converted as the key's field converts it), found among the listed rows."""
        if self.null_label is not None and value == self.null_value:
            return value
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        key = self.to_field_name or "pk"
        meta = self.queryset.model._meta
        if isinstance(value, self.queryset.model):
            value = getattr(value, key)
        try:
            wanted = (meta.pk if key == "pk" else meta.get_field(key)).to_python(value)
        except (ValueError, TypeError, ValidationError):
            wanted = None
        for row in self.listed() if wanted is not None else ():
            if getattr(row, key) == wanted:
                return row
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class ListedChoiceFilter(django_filters.ModelChoiceFilter):
    """A model choice filter over a short list (``ListedModelChoiceField``)."""

    field_class = ListedModelChoiceField


def _choices(field) -> list[tuple]:
    """A field's choices; a model choice field's in one plain query (its iterator opens a
    server-side cursor on PostgreSQL, several milliseconds for a list of nine groups)."""
    if isinstance(field, ListedModelChoiceField):
        rows = [(obj.pk, field.label_from_instance(obj)) for obj in field.listed()]
        return [("", field.empty_label), *rows] if field.empty_label is not None else rows
    if isinstance(field, forms.ModelChoiceField):
        rows = [(obj.pk, field.label_from_instance(obj)) for obj in list(field.queryset)]
        return [("", field.empty_label), *rows] if field.empty_label is not None else rows
    return list(field.choices)


# The templates of Django's single <input> widgets (each includes input.html).
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html" for name in ("input", "text", "date", "number", "search")
)


def _input(bound, attrs: dict) -> SafeString:
    """``bound.as_widget(attrs=attrs)`` for a single <input>, written in Python: the same
    attributes in the same order as Django's input.html and attrs.html templates write
    them, without a template render per field. Other widgets go through Django."""
    widget = bound.field.widget
    if (
        not isinstance(widget, forms.widgets.Input)
        or widget.template_name not in INPUT_TEMPLATES
        or bound.field.localize
    ):
        return bound.as_widget(attrs=attrs)
    attrs = bound.build_widget_attrs(attrs, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    value = context["value"]
    esc = conditional_escape
    parts = [f'<input type="{esc(context["type"])}" name="{esc(context["name"])}"']
    if value is not None:
        parts.append(f' value="{esc(str(value))}"')
    for name, item in context["attrs"].items():
        if item is True:
            parts.append(f" {esc(name)}")
        elif item is not False:
            parts.append(f' {esc(name)}="{esc(str(item))}"')
    return mark_safe("".join(parts) + ">")  # every part escaped above


class LeanFilterForm(WardForm):
    """A list's filter form that renders its fields as Bootstrap markup in Python.

    Django renders a select through one template per option: a filter with a few lists
    of choices cost 20–40 ms per page, more than the page's queries at 1.000.000 rows.
    The markup is what crispy-forms' bootstrap5 pack writes for these fields."""

    WIDE = frozenset({"q"})
    filtering = True

    def lean_fields(self) -> SafeString:
        return format_html_join("\n", "{}", ((self._lean_field(bf),) for bf in self))

    def _lean_field(self, bound) -> SafeString:
        invalid = " is-invalid" if bound.errors else ""
        widget = bound.field.widget
        if isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple):
            current = bound.value()
            current = "" if current is None else str(current)
            # Escaped by hand: format_html per option cost more than the list's query.
            esc = conditional_escape
            options = mark_safe(  # every part escaped
                "".join(
                    f'<option value="{esc(str(value))}"'
                    f"{' selected' if str(value) == current else ''}>{esc(label)}</option>"
                    for value, label in _choices(bound.field)
                )
            )
            control = format_html(
                '<select name="{}" class="select form-select{}" id="{}">{}</select>',
                bound.html_name,
                invalid,
                bound.auto_id,
                options,
            )
        else:
            css = widget.attrs.get("class", "")
            control = _input(bound, {"class": f"{css} form-control{invalid}".strip()})
        errors = format_html_join(
            "",
            '<span class="invalid-feedback"><strong>{}</strong></span>',
            ((error,) for error in bound.errors),
        )
        column = (
            "col-12 col-md-6 col-lg-4" if bound.name in self.WIDE else "col-6 col-md-3 col-lg-2"
        )
        return format_html(
            '<div class="{}"><div id="div_{}" class="mb-3">'
            '<label for="{}" class="form-label">{}</label>{}{}</div></div>',
            column,
            bound.auto_id,
            bound.auto_id,
            bound.label,
            control,
            errors,
        )


class DongFilter(django_filters.Filter):
    field_class = DongField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_value", MAX_DONATION)
        kwargs.setdefault("min_value", 0)
        # A filter bound, not money being entered: no amount in words under it.
        kwargs.setdefault("widget", MoneyInput(attrs={"data-words": "off"}))
        super().__init__(*args, **kwargs)


def _search_text(value: str) -> str:
    return (value or "").strip()[:SEARCH_MAX]


class DonationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Tìm tên, điện thoại, số biên nhận", method="search")
    # Whole rows: the page gives them to the inbox, which needs the active one's.
    # The lists are the same on every page: their SQL is compiled once per process.
    campaign = ListedChoiceFilter(
        label="Chiến dịch", queryset=Campaign.objects.all(), listed_key=("campaigns",)
    )
    date_from = date_filter("Từ ngày", "gte")
    date_to = date_filter("Đến ngày", "lte")
    source = django_filters.ChoiceFilter(
        label="Nguồn", field_name="donor__source", choices=DonorSource.choices
    )
    channel = django_filters.ChoiceFilter(label="Hình thức", choices=Donation.Channel.choices)
    purpose = django_filters.ChoiceFilter(label="Mục đích", choices=Donation.Purpose.choices)
    group = ListedChoiceFilter(
        label="Tổ dân phố",
        field_name="credited_group",
        queryset=ResidentialGroup.objects.only("pk", "name"),
        listed_key=("groups",),
    )
    organisation = ListedChoiceFilter(
        label="Tổ chức thành viên",
        field_name="credited_organisation",
        queryset=MemberOrganisation.objects.only("pk", "name", "short_name"),
        listed_key=("organisations",),
    )
    status = django_filters.ChoiceFilter(label="Trạng thái", choices=Donation.Status.choices)
    amount_min = DongFilter(label="Số tiền từ", field_name="amount", lookup_expr="gte")
    amount_max = DongFilter(label="Số tiền đến", field_name="amount", lookup_expr="lte")

    class Meta:
        model = Donation
        fields: list[str] = []
        form = LeanFilterForm

    def __init__(self, *args, group_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        if group_ids is not None:
            self.filters["group"].queryset = ResidentialGroup.objects.filter(pk__in=group_ids)
            self.filters["group"].extra["listed_key"] = ("groups", tuple(sorted(group_ids)))

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
    seq_from = django_filters.NumberFilter(
        label="Từ số thứ tự", field_name="seq", lookup_expr="gte", min_value=1
    )
    seq_to = django_filters.NumberFilter(
        label="Đến số thứ tự", field_name="seq", lookup_expr="lte", min_value=1
    )
    round = django_filters.CharFilter(label="Mã đợt thu", method="in_round")

    class Meta:
        model = Receipt
        fields: list[str] = []
        form = LeanFilterForm

    def __init__(self, *args, series_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["series"].extra["choices"] = [(c, c) for c in series_codes]

    def in_round(self, queryset, name, value):
        """The receipts of a collection round: its per-person lines and, for a round
        posted as one collective donation, that donation."""
        code = _search_text(value).upper()
        if not code:
            return queryset
        # The round's donation ids first (one small query), then an index look-up each:
        # an OR across the two joins would scan every receipt.
        lines = RoundLine.objects.filter(round__code=code, donation__isnull=False)
        collective = CollectionRound.objects.filter(code=code, collective_donation__isnull=False)
        ids = (
            lines.order_by()
            .values_list("donation", flat=True)
            .union(collective.order_by().values_list("collective_donation", flat=True))
        )
        return queryset.filter(donation__in=list(ids))

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
    group = ListedChoiceFilter(
        label="Tổ dân phố", queryset=ResidentialGroup.objects.only("pk", "name")
    )
    organisation = ListedChoiceFilter(
        label="Tổ chức thành viên",
        queryset=MemberOrganisation.objects.only("pk", "name", "short_name"),
    )

    class Meta:
        model = Donor
        fields: list[str] = []
        form = LeanFilterForm

    def search(self, queryset, name, value):
        key = normalise(_search_text(value))
        return queryset.filter(search_key__icontains=key) if key else queryset


class LedgerFilter(django_filters.FilterSet):
    fund = ListedChoiceFilter(label="Quỹ", queryset=Fund.objects.all())
    account = ListedChoiceFilter(label="Tài khoản / két", queryset=Account.objects.all())
    kind = django_filters.ChoiceFilter(label="Loại", choices=LedgerEntry.Kind.choices)
    date_from = date_filter("Từ ngày", "gte")
    date_to = date_filter("Đến ngày", "lte")

    class Meta:
        model = LedgerEntry
        fields: list[str] = []
        form = LeanFilterForm


class StatementLineFilter(django_filters.FilterSet):
    """The bank lines' queue: dates, amount of the credit, text of the description,
    status and account. A search is the text as typed, anywhere in the description
    (indexed with trigrams on PostgreSQL)."""

    STATUSES = [
        ("unmatched", "Chưa khớp"),
        ("matched", "Đã khớp"),
        ("ignored", "Bỏ qua (không phải ủng hộ)"),
    ]

    date_from = date_filter("Từ ngày", "gte")
    date_to = date_filter("Đến ngày", "lte")
    amount_min = DongFilter(label="Số tiền từ", field_name="credit", lookup_expr="gte")
    amount_max = DongFilter(label="Số tiền đến", field_name="credit", lookup_expr="lte")
    q = django_filters.CharFilter(label="Nội dung có chữ", method="search")
    status = django_filters.ChoiceFilter(
        label="Trạng thái", choices=STATUSES, empty_label="Tất cả", method="by_status"
    )
    account = ListedChoiceFilter(
        label="Tài khoản",
        queryset=Account.objects.filter(kind__in=["bank", "treasury"]).only("pk", "name"),
        empty_label="Tất cả",
    )

    class Meta:
        model = StatementLine
        fields: list[str] = []
        form = LeanFilterForm

    def search(self, queryset, name, value):
        text = _search_text(value)
        return queryset.filter(description__icontains=text) if text else queryset

    def by_status(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status=value)
