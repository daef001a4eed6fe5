from collections.abc import Mapping

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from lddh.ward.signin import (
    Refusal,
    claim_attempt,
    client_address,
    limits,
    record_lockout,
    refusal,
)
from lddh.ward.text import check_phone, check_tax_code


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


class LoginForm(AuthenticationForm):
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
