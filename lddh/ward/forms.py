import calendar
import datetime
import re
from collections.abc import Mapping

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import models

from lddh.ward.form_messages import speak
from lddh.ward.signin import (
    Refusal,
    claim_attempt,
    client_address,
    limits,
    record_lockout,
    refusal,
)
from lddh.ward.text import check_phone, check_tax_code

# ---------------------------------------------------------------- every form's base


_NUMBER_ATTRS = ("min", "max", "step")


def digits_keyboards(form: forms.BaseForm) -> None:
    """A number is typed in a text box that opens the digits keyboard: a browser's number
    box drops a letter typed by mistake and sends nothing, so the person would never
    hear that "19a4" is not a year. The server checks the range and says so."""
    for field in form.fields.values():
        widget = field.widget
        if type(widget) is forms.NumberInput:
            attrs = {k: v for k, v in widget.attrs.items() if k not in _NUMBER_ATTRS}
            decimal = isinstance(field, forms.DecimalField | forms.FloatField)
            attrs.setdefault("inputmode", "decimal" if decimal else "numeric")
            attrs.setdefault("autocomplete", "off")
            field.widget = forms.TextInput(attrs=attrs)
            field.widget.is_required = widget.is_required


_GROUPED_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")


def whole_numbers(form: forms.BaseForm) -> None:
    """A whole number is read the way it is written here: "1.000" is one thousand (the
    dot groups thousands), and any other dot or comma ("1.5", "2024.0", "1,000") is
    refused with the field's message. Django alone would read "1.000" as 1."""
    for field in form.fields.values():
        # Django's DecimalField and FloatField are IntegerFields too.
        whole = isinstance(field, forms.IntegerField) and not isinstance(
            field, forms.DecimalField | forms.FloatField
        )
        if not whole or getattr(field, "whole_numbers", False):
            continue
        field.whole_numbers = True
        field.to_python = _whole_number_reader(field, field.to_python)


def _whole_number_reader(field: forms.IntegerField, to_python):
    def read(value):
        if isinstance(value, str):
            value = value.strip()
            if _GROUPED_THOUSANDS.fullmatch(value):
                value = value.replace(".", "")
            elif "." in value or "," in value:
                raise ValidationError(field.error_messages["invalid"], code="invalid")
        return to_python(value)

    return read


def _speaks_after_init(cls) -> None:
    """Wrap the ``__init__`` a class defines so that, once the most derived one has set
    its fields up (querysets, labels, fields removed), every message is Vietnamese."""
    init = cls.__dict__.get("__init__")
    if init is None or getattr(init, "speaks", False):
        return

    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        speak(self, filtering=self.filtering)
        digits_keyboards(self)
        whole_numbers(self)

    __init__.speaks = True
    __init__.__doc__ = init.__doc__
    __init__.__wrapped__ = init
    cls.__init__ = __init__


class WardFormMixin:
    """The base of every form of the project: specific Vietnamese messages naming the
    field and empty choices that say what to pick (lddh/ward/form_messages.py)."""

    filtering = False
    """True for a list's filter: an empty choice there reads "Tất cả"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        speak(self, filtering=self.filtering)
        digits_keyboards(self)
        whole_numbers(self)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _speaks_after_init(cls)


class WardForm(WardFormMixin, forms.Form):
    pass


def _day_fields(model_field, **kwargs):
    """A ModelForm's date fields read dd/mm/yyyy like every other date of the app."""
    if isinstance(model_field, models.DateField) and not isinstance(
        model_field, models.DateTimeField
    ):
        return model_field.formfield(form_class=DayField, **kwargs)
    return model_field.formfield(**kwargs)


class WardModelForm(WardFormMixin, forms.ModelForm):
    """A subclass's Meta inherits this one (``class Meta(WardModelForm.Meta)``) so that a
    model's date reads dd/mm/yyyy through DayField."""

    class Meta:
        formfield_callback = _day_fields


def add_service_error(
    form: forms.Form, error: ValidationError, *, fields: Mapping[str, str] | None = None
) -> None:
    """Show a service's refusal on the form that asked for the write.

    An error given per field (`ValidationError({"amount": [...]})`) goes next to that field
    when the form has it, otherwise above the form. A plain error goes above the form,
    unless `fields` maps its code to a field of the form (a service that raises
    `code="amount"` for a wrong amount). `fields` also renames the keys of a per-field
    error when the form calls a field differently from the service."""
    fields = fields or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = fields.get(name, name)
            form.add_error(target if target in form.fields else None, errors)
        return
    target = fields.get(error.code or "")
    form.add_error(target if target in form.fields else None, error.messages)


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} giây"
    return f"{-(-seconds // 60)} phút"


def refusal_message(refused: Refusal) -> str:
    wait = _duration(refused.seconds)
    if refused.locked:
        return (
            "Đăng nhập từ địa chỉ mạng này tạm bị khóa vì nhập sai mật khẩu quá nhiều lần. "
            f"Vui lòng thử lại sau {wait} hoặc liên hệ cán bộ Mặt trận phường."
        )
    return f"Tên đăng nhập này vừa bị nhập sai mật khẩu nhiều lần. Vui lòng đợi {wait} rồi thử lại."


class LoginForm(WardFormMixin, AuthenticationForm):
    """Django's login form, refusing to even try a password while this address is locked
    out or the username is slowed down (lddh/ward/signin.py)."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username:
            address = client_address(self.request)
            refused = refusal(username, address)
            if refused is None and not claim_attempt(username, address):
                refused = Refusal(int(limits()[2].total_seconds()), locked=True)
            if refused is not None:
                record_lockout(username, self.request)
                raise ValidationError(
                    refusal_message(refused), code="locked" if refused.locked else "slowed"
                )
        return super().clean()


class _CheckedField(forms.CharField):
    """A text field checked by one of lddh.ward.text's identifier rules; its message
    names the field by its label."""

    check = staticmethod(lambda text, label: text)
    inputmode = "text"  # a tax code has a dash, which numeric keyboards lack

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", self.inputmode)
        self.widget.attrs.setdefault("autocomplete", "off")

    def clean(self, value):
        value = super().clean(value)
        try:
            return type(self).check(value or "", str(self.label or ""))
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None


class PhoneField(_CheckedField):
    """A Vietnamese phone number (see ``check_phone``)."""

    check = staticmethod(check_phone)
    inputmode = "tel"

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Điện thoại")
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)


class TaxCodeField(_CheckedField):
    """A tax code: 10 digits, or 10-3 for a branch (see ``check_tax_code``)."""

    check = staticmethod(check_tax_code)

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Mã số thuế")
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", "10 chữ số, hoặc 10-3 với đơn vị phụ thuộc.")
        super().__init__(**kwargs)


# ---------------------------------------------------------------- dates

DAY_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
"""Explicit, so that parsing never depends on the browser's language (LocaleMiddleware
would switch to English formats, where 05/01/2025 is the 1st of May)."""

_DAY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
FIRST_YEAR = 1900
LAST_YEAR = 2100


class DayInput(forms.DateInput):
    """A date typed as dd/mm/yyyy: a text box with the digits keyboard on a phone (a
    browser's date picker would show and send the phone's own format)."""

    def __init__(self, attrs=None):
        defaults = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__({**defaults, **(attrs or {})}, format="%d/%m/%Y")


def impossible_day(text: str) -> str:
    """Why a date written in the right shape is not a day of the calendar, or ''."""
    match = _DAY.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = _ISO_DAY.match(text)
        if not match:
            return ""
        year, month, day = (int(part) for part in match.groups())
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return f"năm {year} nằm ngoài {FIRST_YEAR}–{LAST_YEAR}"
    if not 1 <= month <= 12:
        return f"không có tháng {month}"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"tháng {month} năm {year} chỉ có {days} ngày"
    return ""


class DayField(forms.DateField):
    """A date as people write it here: 05/01/2025, 5-1-2025, 05.01.2025, or 05012025
    (eight digits, typed on a phone's digits keyboard that has no "/"). A day that does
    not exist (31/02/2024) is refused with the reason, never read as another day."""

    widget = DayInput
    input_formats = DAY_INPUT_FORMATS

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            if len(value) == 8 and value.isascii() and value.isdigit():
                value = f"{value[:2]}/{value[2:4]}/{value[4:]}"
            why = impossible_day(value)
            if why:
                label = str(self.label or "Ngày")
                raise ValidationError(
                    f"{label}: “{value}” không phải ngày có thật ({why}).", code="invalid"
                )
        day = super().to_python(value)
        if isinstance(day, datetime.date) and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return day


def day_field(label: str, **kwargs) -> DayField:
    return DayField(label=label, **kwargs)
