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

    def inbox_items(self, access, context):
        """The work of this app waiting for the person ("Việc cần làm", lddh/ward/inbox.py)."""
        from campaigns.inbox import inbox_items

        return inbox_items(access, context)
