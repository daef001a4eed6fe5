from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "lddh.supervision"
    label = "supervision"
    verbose_name = "Giám sát"
