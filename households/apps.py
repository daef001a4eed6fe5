from django.apps import AppConfig

from lddh.ward.nav import NavItem
from lddh.ward.roles import Role

# The level above never sees the register (docs/vai-tro.md).
READERS = (Role.STAFF, Role.COMMITTEE, Role.TREASURER, Role.LEADER, Role.SUPERVISOR)


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = "Hộ gia đình"
    nav_items = [
        NavItem("Hộ gia đình", "households:list", READERS, order=40),
        NavItem("Rà soát", "households:reviews", READERS, order=41),
        NavItem("Đề xuất", "households:proposals", READERS, order=42),
        NavItem("Họp bình xét", "households:meeting_list", READERS, order=42),
        NavItem("Hỗ trợ", "households:support_list", READERS, order=43),
        NavItem("Đợt trao quà", "households:round_list", READERS, order=44),
        NavItem("Hỗ trợ chờ duyệt", "households:support_to_approve", (Role.COMMITTEE,), order=45),
        NavItem("Hỗ trợ chờ chi", "households:support_to_pay", (Role.TREASURER,), order=46),
        NavItem("Ẩn danh hộ đã ra lâu năm", "households:anonymise", (Role.COMMITTEE,), order=47),
        NavItem(
            "Bản chụp công khai",
            "households:scan_list",
            (Role.COMMITTEE, Role.SUPERVISOR),
            order=48,
        ),
    ]

    def inbox_items(self, access, context):
        """The work of this app waiting for the person ("Việc cần làm", lddh/ward/inbox.py)."""
        from households.inbox import inbox_items

        return inbox_items(access, context)
