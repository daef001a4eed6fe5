from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "lddh.reports"
    label = "reports"
    verbose_name = "Báo cáo"
