from django.apps import AppConfig

from lddh.ward.nav import NavItem
from lddh.ward.roles import Role

# The level above reads no donation, donor, receipt or book page (docs/vai-tro.md).
_READERS = (Role.STAFF, Role.COMMITTEE, Role.TREASURER, Role.SUPERVISOR)


class DonationsConfig(AppConfig):
    name = "donations"
    verbose_name = "Ủng hộ"
    nav_items = (
        NavItem("Ủng hộ", "donations:list", (*_READERS, Role.LEADER), order=20),
        NavItem("Nhập ủng hộ", "donations:create", (Role.STAFF, Role.COMMITTEE), order=21),
        NavItem("Cam kết ủng hộ", "donations:pledge_list", _READERS, order=21),
        NavItem("Sổ biên nhận", "donations:receipt_register", _READERS, order=22),
        NavItem("Người ủng hộ", "donations:donor_list", _READERS, order=23),
        NavItem("Đề nghị hủy", "donations:void_list", _READERS, order=24),
        NavItem("Sổ quỹ", "donations:ledger", _READERS, order=25),
        NavItem("Kho hiện vật", "donations:stock_list", _READERS, order=25),
        NavItem("Đợt thu", "donations:round_list", (*_READERS, Role.LEADER), order=26),
        NavItem(
            "Sao kê ngân hàng",
            "donations:statement_queue",
            (Role.STAFF, Role.COMMITTEE, Role.TREASURER),
            order=27,
        ),
        NavItem(
            "Mẫu sao kê",
            "donations:layout_list",
            (Role.STAFF, Role.COMMITTEE, Role.TREASURER),
            order=28,
        ),
        NavItem("Đối chiếu", "donations:reconciliation", _READERS, order=29),
        NavItem(
            "Nguồn tiền tự động",
            "feeds:list",
            (Role.STAFF, Role.COMMITTEE, Role.TREASURER),
            order=30,
        ),
        NavItem("Tin gửi người ủng hộ", "donations:message_list", _READERS, order=31),
    )

    def inbox_items(self, access, context):
        """The work of this app waiting for the person ("Việc cần làm", lddh/ward/inbox.py)."""
        from donations.inbox import inbox_items

        return inbox_items(access, context)
