from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from lddh.ward.signin import client_address, is_locked_out, limits, record_lockout
from lddh.ward.text import check_phone, check_tax_code


class LoginForm(AuthenticationForm):
    """Django's login form, refusing to even try a password while locked out."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and is_locked_out(username, client_address(self.request)):
            record_lockout(username, self.request)
            minutes = int(limits()[2].total_seconds() // 60)
            raise ValidationError(
                "Đăng nhập tạm bị khóa vì nhập sai mật khẩu quá nhiều lần. "
                f"Vui lòng thử lại sau {minutes} phút hoặc liên hệ cán bộ Mặt trận phường.",
                code="locked",
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
