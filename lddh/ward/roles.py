"""The roles of docs/architecture.md. Kept apart from models so AppConfigs can import it."""

from django.db import models


class Role(models.TextChoices):
    STAFF = "staff", "Cán bộ Ủy ban MTTQ phường"
    COMMITTEE = "committee", "Ban Thường trực"
    TREASURER = "treasurer", "Kế toán / thủ quỹ"
    LEADER = "leader", "Trưởng ban công tác Mặt trận tổ dân phố"
    HIGHER = "higher", "UB MTTQ cấp trên"
    SUPERVISOR = "supervisor", "Ban Thanh tra nhân dân / giám sát"
