from django.apps import AppConfig

from lddh.ward.nav import NavItem
from lddh.ward.roles import Role


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Chiến dịch"
    nav_items = [
        NavItem(
            "Chiến dịch",
            "campaigns:list",
            (Role.STAFF, Role.COMMITTEE, Role.TREASURER, Role.LEADER, Role.HIGHER, Role.SUPERVISOR),
            order=10,
        )
    ]
