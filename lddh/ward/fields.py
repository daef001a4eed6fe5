"""Money as whole đồng: a model field and a form field that read and show 1.500.000."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from lddh.ward.money import (
    MAX_AMOUNT,
    Amount,
    MoneyError,
    format_number,
    parse_dong,
)


class MoneyInput(forms.TextInput):
    def __init__(self, attrs=None):
        defaults = {"inputmode": "numeric", "autocomplete": "off", "class": "money-input"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int):
            return format_number(value)
        return super().format_value(value)


MAX_TEXT = 40
"""The longest amount text read: 999.999.999.999.999 đồng with spaces fits; a longer
text is refused whole, never read in part (and no maxlength cuts what is pasted)."""


class DongField(forms.Field):
    """A form field for whole đồng: accepts 1.500.000, 1500000, '1.500.000 đ'."""

    widget = MoneyInput

    def __init__(self, *, min_value: int = 1, max_value: int = MAX_AMOUNT, **kwargs):
        self.min_value = min_value
        self.max_value = max_value
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        # The page asks the server for the amount in words within the same limits.
        return {
            **super().widget_attrs(widget),
            "data-min": str(self.min_value),
            "data-max": str(self.max_value),
        }

    def named(self, message: str) -> str:
        """'Số tiền không hợp lệ…' said of this field: 'Dự toán (đồng) không hợp lệ…'."""
        label = " ".join(str(self.label or "").split())
        if label and label not in ("Số tiền", "Số tiền (đồng)") and message.startswith("Số tiền "):
            return label + message[len("Số tiền") :]
        return message

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise ValidationError(
                self.named(
                    f"Số tiền không hợp lệ: dài quá {MAX_TEXT} ký tự, hãy gõ lại, ví dụ 1.500.000"
                ),
                code="too_long",
            )
        try:
            return parse_dong(value, max_amount=self.max_value)
        except MoneyError as exc:
            raise ValidationError(self.named(str(exc)), code="invalid") from None

    def validate(self, value):
        super().validate(value)
        if value is not None and value < self.min_value:
            raise ValidationError(
                self.named(f"Số tiền phải từ {format_number(self.min_value)} đ trở lên."),
                code="min_value",
            )


class MoneyField(models.BigIntegerField):
    """Whole đồng. Pair with a CheckConstraint in the model's Meta (never negative by accident)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": DongField, **kwargs})


DEFAULT_REVIEW_ABOVE = 50_000_000
"""Amounts above this ask for a second look unless the fund sets its own figure."""

USUAL_GIFT_FACTOR = 10
"""An amount more than this many times the usual gift asks for a second look."""


def unusual_reasons(amount: int, *, review_above: int | None, usual: int | None = None) -> list:
    """Why an amount deserves a second look before it is saved, in Vietnamese; [] if none.

    Unusual: not a whole number of thousands of đồng (a slipped key), above the fund's
    review figure, or more than ten times the usual gift of this donor or this list.
    """
    reasons = []
    if amount % 1000:
        reasons.append("không tròn nghìn đồng")
    if review_above and amount > review_above:
        reasons.append(f"lớn hơn {format_number(review_above)} đ, mức cần xem lại của quỹ")
    if usual and amount > USUAL_GIFT_FACTOR * usual:
        reasons.append(
            f"gấp hơn {USUAL_GIFT_FACTOR} lần mức thường ủng hộ ({format_number(usual)} đ)"
        )
    return reasons


@dataclass(frozen=True, kw_only=True)
class SecondLook(Amount):
    """One amount the person must confirm: its figure, its words and why it is unusual.
    ``confirm_name`` is the form field of the box whose value must be the amount."""

    field: str
    reasons: list
    confirm_name: str


class SecondLookMixin:
    """For forms that create or pay money: an unusual amount is not valid until the
    person ticks a box that repeats that exact amount in figures and words. The box's
    value is the amount, so changing the amount asks again. Nothing is saved before."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.second_looks: list[SecondLook] = []

    def second_look(self, field: str, amount: int | None, *, fund, usual=None) -> None:
        """Ask once more about ``amount`` if unusual for ``fund`` (its review figure, or
        the default without a fund) or against ``usual``, the usual gift."""
        if not amount or field in self.errors:
            return
        review_above = fund.review_above if fund is not None else DEFAULT_REVIEW_ABOVE
        reasons = unusual_reasons(amount, review_above=review_above, usual=usual)
        confirm_name = self.add_prefix(f"{field}_confirmed")
        if not reasons or self.data.get(confirm_name) == str(amount):
            return
        look = SecondLook(
            label=str(self.fields[field].label),
            amount=amount,
            field=field,
            reasons=reasons,
            confirm_name=confirm_name,
        )
        self.second_looks.append(look)
        self.add_error(
            field,
            ValidationError(
                f"Hãy xem lại số tiền {look.figure} ({', '.join(reasons)}) và đánh dấu xác nhận.",
                code="second_look",
            ),
        )
