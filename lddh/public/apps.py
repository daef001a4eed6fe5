from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "lddh.public"
    label = "public"
    verbose_name = "Công khai"
