from django.apps import AppConfig


class WardConfig(AppConfig):
    name = "lddh.ward"
    label = "ward"
    verbose_name = "Đơn vị, tổ dân phố và phân quyền"

    def ready(self):
        from lddh.ward import checks, signin, twofactor  # noqa: F401  (connect, register)
