from django.apps import AppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPDefaultConfig


class WardConfig(AppConfig):
    default = True  # this module also holds the two-step devices' config
    name = "lddh.ward"
    label = "ward"
    verbose_name = "Đơn vị, tổ dân phố và phân quyền"

    def ready(self):
        from lddh.ward import checks, signin, twofactor  # noqa: F401  (connect, register)


class TwoFactorDevicesConfig(TOTPDefaultConfig):
    """django_otp's TOTP devices, named in Vietnamese in the admin (the label and the
    tables stay django_otp's). The names are set on ``_meta`` only, not on the model's
    Meta: migrations read the original Meta, so no migration of the package follows."""

    verbose_name = "Xác thực hai bước"

    def ready(self):
        super().ready()
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice._meta.verbose_name = "thiết bị xác thực hai bước"
        TOTPDevice._meta.verbose_name_plural = "thiết bị xác thực hai bước"
