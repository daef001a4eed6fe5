"""Demo data of the ward core: phường Lê Đại Hành in 2024, its groups, organisations,
and one account per role (password lddh2024)."""

import datetime

from django.contrib.auth import get_user_model

from lddh.ward.models import (
    AuditEvent,
    MemberOrganisation,
    Membership,
    OfficialAccount,
    ParentBody,
    ResidentialGroup,
    Signatory,
    WardProfile,
)
from lddh.ward.roles import Role

DEMO_PASSWORD = "lddh2024"  # noqa: S105 - printed by `make run`, demo only

WARD_NAME = "Ủy ban MTTQ Việt Nam phường Lê Đại Hành"

ORGANISATIONS = [
    ("Hội Liên hiệp Phụ nữ phường Lê Đại Hành", "Hội Phụ nữ"),
    ("Hội Cựu chiến binh phường Lê Đại Hành", "Hội Cựu chiến binh"),
    ("Đoàn Thanh niên Cộng sản Hồ Chí Minh phường Lê Đại Hành", "Đoàn Thanh niên"),
    ("Hội Người cao tuổi phường Lê Đại Hành", "Hội Người cao tuổi"),
    ("Hội Chữ thập đỏ phường Lê Đại Hành", "Hội Chữ thập đỏ"),
    ("Công đoàn cơ sở phường Lê Đại Hành", "Công đoàn"),
    ("Hội Khuyến học phường Lê Đại Hành", "Hội Khuyến học"),
]

# username, full name, role, group number (leaders)
ACCOUNTS = [
    ("canbo", "Nguyễn Thị Hương", Role.STAFF, None),
    ("thuongtruc", "Trần Thanh Tuấn", Role.COMMITTEE, None),
    ("ketoan", "Lê Thị Mai", Role.TREASURER, None),
    ("captren", "Phạm Văn Dũng", Role.HIGHER, None),
    ("giamsat", "Hoàng Minh Đức", Role.SUPERVISOR, None),
]
LEADER_NAMES = [
    "Vũ Văn Bình",
    "Đỗ Thị Lan",
    "Bùi Quang Hải",
    "Ngô Thị Thu",
    "Đặng Văn Khoa",
    "Phan Thị Ngọc",
    "Trịnh Văn Long",
    "Lý Thị Hoa",
    "Đinh Công Thành",
]


def seed(*, stdout) -> None:
    ward, _ = WardProfile.objects.update_or_create(
        name=WARD_NAME,
        defaults={
            "short_name": "phường Lê Đại Hành",
            "header_lines": "ỦY BAN MTTQ VIỆT NAM\nPHƯỜNG LÊ ĐẠI HÀNH\nBAN THƯỜNG TRỰC",
            "place_name": "Hà Nội",
            "address": "Số 1 Trần Khánh Dư (demo), phường Lê Đại Hành, quận Hai Bà Trưng, Hà Nội",
            "phone": "024 0000 0000",
            "preparer_name": "Nguyễn Thị Hương",
            "preparer_title": "Cán bộ văn phòng Ủy ban MTTQ phường",
            "accountant_name": "Lê Thị Mai",
            "accountant_title": "Kế toán Quỹ “Vì người nghèo”",
            "valid_from": datetime.date(2008, 8, 1),
            "valid_to": None,
            "cash_instructions": "Nộp tại trụ sở Ủy ban MTTQ phường trong giờ hành chính "
            "(thứ Hai – thứ Sáu, 8:00–17:00) hoặc qua Ban công tác Mặt trận tổ dân phố; "
            "mỗi khoản ủng hộ đều nhận biên nhận có mã QR để tự kiểm tra.",
        },
    )
    ParentBody.objects.update_or_create(
        ward=ward,
        name="Ban Thường trực Ủy ban MTTQ Việt Nam quận Hai Bà Trưng",
        defaults={
            "short_name": "UB MTTQ quận Hai Bà Trưng",
            "valid_to": datetime.date(2025, 6, 30),
        },
    )
    ParentBody.objects.update_or_create(
        ward=ward,
        name="Ban Thường trực Ủy ban MTTQ Việt Nam thành phố Hà Nội",
        defaults={"short_name": "UB MTTQ TP Hà Nội", "valid_from": datetime.date(2025, 7, 1)},
    )
    Signatory.objects.update_or_create(
        ward=ward,
        full_name="Trần Thanh Tuấn",
        defaults={"title": "CHỦ TỊCH", "signs_for": "TM. BAN THƯỜNG TRỰC", "order": 1},
    )
    OfficialAccount.objects.update_or_create(
        bank_name="Ngân hàng TMCP Ngoại thương Việt Nam (Vietcombank)",
        account_number="0011001932418",
        defaults={
            "ward": ward,
            "kind": OfficialAccount.Kind.BANK,
            "account_name": "UY BAN MTTQ PHUONG LE DAI HANH - QUY VI NGUOI NGHEO",
            "bank_bin": "970436",
            "branch": "Chi nhánh Hai Bà Trưng (demo)",
            "order": 1,
        },
    )
    OfficialAccount.objects.update_or_create(
        bank_name="Kho bạc Nhà nước khu vực I (demo)",
        account_number="3761.0.1234567",
        defaults={
            "ward": ward,
            "kind": OfficialAccount.Kind.TREASURY,
            "account_name": "Ủy ban MTTQ Việt Nam phường Lê Đại Hành",
            "bank_bin": "",
            "order": 2,
        },
    )
    groups = {}
    for number in range(1, 10):
        groups[number], _ = ResidentialGroup.objects.update_or_create(
            code=f"TDP{number:02d}",
            defaults={
                "ward": ward,
                "number": number,
                "name": f"Tổ dân phố số {number}",
                "valid_to": datetime.date(2025, 6, 30),
            },
        )
    for order, (name, short) in enumerate(ORGANISATIONS, start=1):
        MemberOrganisation.objects.update_or_create(
            name=name, defaults={"ward": ward, "short_name": short, "order": order}
        )

    accounts = list(ACCOUNTS) + [
        (f"to{n}", LEADER_NAMES[n - 1], Role.LEADER, n) for n in range(1, 10)
    ]
    for username, full_name, role, group_number in accounts:
        user = _user(username, full_name)
        Membership.objects.get_or_create(
            user=user, role=role, group=groups.get(group_number) if group_number else None
        )
    admin = _user("admin", "Quản trị hệ thống", superuser=True)
    Membership.objects.get_or_create(user=admin, role=Role.STAFF, group=None)
    _failed_sign_ins()


DEMO_FAILURES = [(0, "203.0.113.45"), (1, "203.0.113.45"), (4, "198.51.100.23")]


def _failed_sign_ins() -> None:
    """Someone tried thuongtruc's password from outside an hour ago: the first demo
    sign-in as thuongtruc says so, and the failures are in their sign-in history."""
    from django.utils import timezone

    from lddh.ward.signin import FAILED

    if AuditEvent.objects.filter(action=FAILED, object_id="thuongtruc").exists():
        return
    start = timezone.now() - datetime.timedelta(hours=1)
    for minutes, address in DEMO_FAILURES:
        AuditEvent.objects.create(
            at=start + datetime.timedelta(minutes=minutes),
            action=FAILED,
            object_type="auth.user",
            object_id="thuongtruc",
            object_repr=address,
            note="Mozilla/5.0 (Windows NT 10.0; Win64; x64) (demo)",
        )


def _user(username: str, full_name: str, *, superuser: bool = False):
    User = get_user_model()
    last, _, first = full_name.rpartition(" ")
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "is_staff": superuser,
            "is_superuser": superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def login_table() -> str:
    """The demo accounts, printed by `make run`."""
    rows = [(u, r.label) for u, _, r, _ in ACCOUNTS]
    rows += [(f"to{n}", f"{Role.LEADER.label} số {n}") for n in range(1, 10)]
    rows.append(("admin", "Quản trị hệ thống (trang /admin/)"))
    lines = [f"  {username:<11} {label}" for username, label in rows]
    return "\n".join(["Tài khoản demo (mật khẩu của tất cả: " + DEMO_PASSWORD + "):", *lines])
