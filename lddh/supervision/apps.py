from django.apps import AppConfig

from lddh.ward.nav import NavItem
from lddh.ward.roles import Role

# As SUPERVISION_READERS: the level above sees none of these pages (docs/vai-tro.md).
READERS = (Role.STAFF, Role.COMMITTEE, Role.TREASURER, Role.SUPERVISOR)


class SupervisionConfig(AppConfig):
    name = "lddh.supervision"
    label = "supervision"
    verbose_name = "Giám sát"
    nav_items = (
        NavItem("Giám sát", "supervision:home", READERS, order=70),
        NavItem("Kiểm tra sổ quỹ", "supervision:check", READERS, order=71),
        NavItem("Nhật ký thao tác", "supervision:audit", READERS, order=72),
        NavItem("Đợt kiểm tra", "supervision:inspection_list", READERS, order=73),
        NavItem("Lịch kiểm tra", "supervision:calendar", READERS, order=74),
        NavItem("Chọn mẫu xác minh", "supervision:sample_list", READERS, order=75),
        # Only the inspection team and the committee: feedback may be about the staff.
        NavItem(
            "Phản ánh, kiến nghị",
            "supervision:feedback_list",
            (Role.SUPERVISOR, Role.COMMITTEE),
            order=76,
        ),
    )

    def inbox_items(self, access, context):
        """The work of this app waiting for the person ("Việc cần làm", lddh/ward/inbox.py)."""
        from lddh.supervision.inbox import inbox_items

        return inbox_items(access, context)
