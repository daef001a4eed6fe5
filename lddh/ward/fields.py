"""Money as whole đồng: a model field and a form field that read and show 1.500.000."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from lddh.ward.money import MAX_AMOUNT, MoneyError, format_number, parse_dong


class MoneyInput(forms.TextInput):
    def __init__(self, attrs=None):
        defaults = {"inputmode": "numeric", "autocomplete": "off", "class": "money-input"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int):
            return format_number(value)
        return super().format_value(value)


class DongField(forms.Field):
    """A form field for whole đồng: accepts 1.500.000, 1500000, '1.500.000 đ'."""

    widget = MoneyInput

    def __init__(self, *, min_value: int = 1, max_value: int = MAX_AMOUNT, **kwargs):
        self.min_value = min_value
        self.max_value = max_value
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_dong(value, max_amount=self.max_value)
        except MoneyError as exc:
            raise ValidationError(str(exc), code="invalid") from None

    def validate(self, value):
        super().validate(value)
        if value is not None and value < self.min_value:
            raise ValidationError(
                f"Số tiền phải từ {format_number(self.min_value)} đ trở lên.", code="min_value"
            )


class MoneyField(models.BigIntegerField):
    """Whole đồng. Pair with a CheckConstraint in the model's Meta (STYLE.md rule 8)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": DongField, **kwargs})
