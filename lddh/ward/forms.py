from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from lddh.ward.signin import client_address, is_locked_out, limits, record_lockout


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
