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
