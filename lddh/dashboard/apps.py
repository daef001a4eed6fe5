from django.apps import AppConfig

from lddh.ward.nav import NavItem
from lddh.ward.roles import Role

ALL_SIGNED_IN = tuple(Role.values)


class DashboardConfig(AppConfig):
    name = "lddh.dashboard"
    label = "dashboard"
    verbose_name = "Trang quản lý"
    nav_items = [NavItem("Tổng quan", "dashboard:home", ALL_SIGNED_IN, order=0)]
