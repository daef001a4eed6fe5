"""Every form of the project, found by importing each app: no Django generic message, no
"---------" choice, every date read as dd/mm/yyyy by the one DayField, and no value a
form fills in by itself refused when sent back untouched."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import django_filters
import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.http import QueryDict

from campaigns.models import Campaign
from donations.models import Fund
from lddh.ward.form_messages import EMPTY_CHOICE, django_defaults, field_name
from lddh.ward.forms import DayField, WardForm, WardFormMixin
from lddh.ward.models import MemberOrganisation, ResidentialGroup
from tests.factories import CampaignFactory, HouseholdFactory

PACKAGES = ("campaigns", "donations", "households", "lddh")
SKIP = (".migrations", ".management", "lddh.demo", "lddh.settings", "lddh.wsgi", "lddh.asgi")


def _import_everything() -> None:
    for name in PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, f"{name}."):
            if not any(part in module.name for part in SKIP):
                importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _ours(cls) -> bool:
    if issubclass(cls, forms.BaseModelForm):
        meta = getattr(cls, "_meta", None)
        if meta is None or meta.model is None:
            return False  # a base (WardModelForm), not a form
    return cls.__module__.split(".")[0] in PACKAGES


_import_everything()
FORMS = sorted(
    {cls for cls in _subclasses(forms.BaseForm) if _ours(cls) and "Meta" not in cls.__name__},
    key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
)
FORMS = [cls for cls in FORMS if not cls.__name__.endswith("FilterSetForm")]
FILTERSETS = sorted(
    {cls for cls in _subclasses(django_filters.FilterSet) if _ours(cls)},
    key=lambda cls: cls.__qualname__,
)


_MADE: dict = {}


def _one(key, factory):
    """One object of each kind for the whole test (a second campaign would collide)."""
    if key not in _MADE:
        _MADE[key] = factory()
    return _MADE[key]


def _pledge():
    from donations.models import Pledge
    from tests.factories import DonorFactory, FundFactory

    return Pledge(
        pk=1, donor=DonorFactory(), campaign=_one("campaign", CampaignFactory), fund=FundFactory()
    )


def _kwargs(cls) -> dict:
    """What a form's constructor needs beyond its data, by the parameter's name."""
    needed = {
        name
        for klass in cls.__mro__
        if "__init__" in vars(klass)
        for name, param in inspect.signature(
            inspect.unwrap(vars(klass)["__init__"])
        ).parameters.items()
        if param.kind is param.KEYWORD_ONLY and param.default is param.empty
    }
    makers = {
        "groups": lambda: ResidentialGroup.objects.all(),
        "organisations": lambda: MemberOrganisation.objects.all(),
        "group_amounts": dict,
        "organisation_amounts": dict,
        "personal": lambda: True,
        "household": lambda: _one("household", HouseholdFactory),
        "campaign": lambda: _one("campaign", CampaignFactory),
        "candidates": list,
        "campaigns": lambda: Campaign.objects.all(),
        "funds": lambda: Fund.objects.all(),
        "actors": lambda: get_user_model().objects.all(),
        "actions": list,
        "object_types": list,
        "device": lambda: None,
        "pledge": lambda: _one("pledge", _pledge),
    }
    missing = [name for name in needed if name not in makers]
    assert not missing, f"{cls.__name__} needs {missing}: add a maker to this test"
    return {name: makers[name]() for name in needed}


def _name(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _every_form(world):
    _MADE.clear()
    for cls in FORMS:
        kwargs = _kwargs(cls)
        yield _name(cls), lambda data, cls=cls, kw=kwargs: cls(data=data, files={}, **kw)
    for cls in FILTERSETS:
        yield (
            _name(cls),
            lambda data, cls=cls: cls(data, queryset=cls._meta.model.objects.none()).form,
        )


def test_the_forms_were_found():
    names = {cls.__name__ for cls in FORMS}
    assert {"HouseholdProposeForm", "DonationForm", "LoginForm", "InspectionForm"} <= names
    assert {"DonationFilter", "ReceiptFilter"} <= {cls.__name__ for cls in FILTERSETS}


@pytest.mark.parametrize("cls", FORMS, ids=_name)
def test_every_form_is_built_on_the_ward_base(cls):
    assert issubclass(cls, WardFormMixin), "inherit from lddh.ward.forms.WardForm/WardModelForm"


def test_no_form_says_what_django_says(world):
    defaults = django_defaults()
    problems = []
    for name, build in _every_form(world):
        form = build(QueryDict(""))
        form.is_valid()
        for field_key, errors in form.errors.items():
            problems += [f"{name}.{field_key}: {e}" for e in errors if e in defaults]
        for key, field in form.fields.items():
            problems += [
                f"{name}.{key} [{code}]: {message}"
                for code, message in field.error_messages.items()
                if str(message) in defaults
            ]
            if isinstance(field, forms.DateField) and not isinstance(field, DayField):
                problems.append(f"{name}.{key}: a date field that is not a DayField")
            if "maxlength" in field.widget.attrs:
                problems.append(f"{name}.{key}: maxlength cuts a pasted text silently")
            if isinstance(field.widget, forms.NumberInput):
                problems.append(f"{name}.{key}: a number box drops a typed letter silently")
            typed = not field.widget.is_hidden
            if (
                typed
                and isinstance(field, forms.IntegerField | DayField)
                and field.widget.attrs.get("inputmode") not in ("numeric", "decimal")
            ):
                problems.append(f"{name}.{key}: no digits keyboard on a phone")
        html = str(form) if not hasattr(form, "lean_fields") else form.lean_fields()
        if EMPTY_CHOICE in html:
            problems.append(f"{name}: an empty choice reads {EMPTY_CHOICE}")
    assert not problems, "\n".join(problems)


# Messages a form wrote itself that name the thing in other words (read and kept).
NAMED_OTHERWISE = {
    "hiện vật phải được quy ra tiền (trị giá).",
    "chọn ít nhất một hộ.",
    "nhập ngày bắt đầu kỳ báo cáo.",
    "nhập ngày kết thúc kỳ báo cáo.",
    "nhập số tiền ghi trên biên nhận, ví dụ 500.000.",
    "chọn tệp để tải lên.",
}


def test_every_required_message_names_its_field(world):
    problems = []
    for name, build in _every_form(world):
        form = build(QueryDict(""))
        for key, field in form.fields.items():
            message = str(field.error_messages["required"]).lower()
            label = str(field.label or "")
            if message in NAMED_OTHERWISE:
                continue
            if field.required and label and field_name(label).lower() not in message:
                problems.append(f"{name}.{key} ({label}): {message}")
    assert not problems, "\n".join(problems)


def _untouched(form) -> QueryDict:
    """What a browser sends for a form nobody typed into: the initial values, the first
    option of a select without an empty one, the checkboxes as they were."""
    data = QueryDict(mutable=True)
    for bound in form:
        widget, value = bound.field.widget, bound.value()
        if isinstance(widget, forms.FileInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(widget, forms.SelectMultiple | forms.CheckboxSelectMultiple):
            data.setlist(bound.html_name, [str(v) for v in value or []])
        elif isinstance(widget, forms.RadioSelect):
            if value not in (None, ""):
                data[bound.html_name] = str(value)
        elif isinstance(widget, forms.Select):
            choices = list(bound.field.choices)
            if value in (None, "") and choices:
                value = choices[0][0]
            data[bound.html_name] = "" if value is None else str(getattr(value, "value", value))
        else:
            shown = widget.format_value(value)
            data[bound.html_name] = "" if shown is None else str(shown)
    return data


def test_no_value_a_form_fills_in_itself_is_refused(world):
    """Sent back untouched, a form may ask for what is missing, never refuse a value it
    put there itself (the new household's "not recognised" used to)."""
    problems = []
    for name, build in _every_form(world):
        data = _untouched(build(None))
        form = build(data)
        form.is_valid()
        for key, errors in form.errors.items():
            if key != "__all__" and data.get(form.add_prefix(key)):
                problems.append(f"{name}.{key}={data.get(form.add_prefix(key))!r}: {errors}")
    assert not problems, "\n".join(problems)


class _Quantity(WardForm):
    quantity = forms.IntegerField(label="Số lượng mỗi hộ", min_value=1)


@pytest.mark.parametrize(
    ("typed", "read"), [("1.000", 1000), ("12.500.000", 12_500_000), ("25", 25), (" 7 ", 7)]
)
def test_a_whole_number_reads_the_dot_as_thousands(typed, read):
    form = _Quantity({"quantity": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["quantity"] == read


@pytest.mark.parametrize("typed", ["1.5", "2024.0", "1,000", "1.00", "1.0000"])
def test_a_whole_number_with_another_dot_or_comma_is_refused_not_rounded(typed):
    form = _Quantity({"quantity": typed})
    assert not form.is_valid()
    assert form.errors["quantity"] == ["Số lượng mỗi hộ phải là số nguyên, chỉ gồm chữ số."]


class _Weight(WardForm):
    weight = forms.DecimalField(label="Khối lượng", max_digits=8, decimal_places=2)


def test_a_decimal_field_keeps_its_decimals_and_its_own_message():
    assert _Weight({"weight": "2.5"}).is_valid()
    refused = _Weight({"weight": "hai"})
    assert not refused.is_valid()
    assert refused.errors["weight"] == ["Khối lượng phải là một số, ví dụ 2 hoặc 1,5."]
