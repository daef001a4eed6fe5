from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "lddh.demo"
    label = "demo"
    verbose_name = "Dữ liệu mẫu"
