from django.apps import AppConfig

from lddh.ward.nav import NavItem
from lddh.ward.roles import Role


class ReportsConfig(AppConfig):
    name = "lddh.reports"
    label = "reports"
    verbose_name = "Báo cáo"
    nav_items = [
        NavItem(
            "Báo cáo",
            "reports:index",
            (Role.STAFF, Role.COMMITTEE, Role.TREASURER, Role.HIGHER, Role.SUPERVISOR),
            order=60,
        )
    ]
