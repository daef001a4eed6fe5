"""Demo data of money in: the funds and accounts, and a believable peak month 2024
(17/10–18/11/2024) entered by the ward staff member "canbo" through the real services,
so every donation has its receipt, ledger entry and audit event.

Agencies, businesses and residents are invented (plausible names in quận Hai Bà Trưng).
Idempotent: funds and accounts are upserted; the donations are skipped once the 2024
receipts of the VNN series exist. Without the 2024 campaign, no donation is made.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from campaigns.models import BoardMember, Campaign
from donations import services
from donations.models import Account, Donation, Donor, Fund, Receipt
from lddh.demo import donation_messages, donation_rounds
from lddh.ward.models import MemberOrganisation, OfficialAccount, ResidentialGroup
from lddh.ward.vocab import DonorSource

D = datetime.date
START, END = D(2024, 10, 17), D(2024, 11, 18)

FUNDS = [
    ("VNN", "Quỹ “Vì người nghèo” phường Lê Đại Hành", "Quỹ Vì người nghèo", 1),
    ("CT", "Quỹ Cứu trợ phường Lê Đại Hành", "Quỹ Cứu trợ", 2),
]

AGENCIES = [
    "Đảng ủy phường Lê Đại Hành",
    "Ủy ban nhân dân phường Lê Đại Hành",
    "Công an phường Lê Đại Hành",
    "Ban Chỉ huy Quân sự phường Lê Đại Hành",
    "Trạm Y tế phường Lê Đại Hành",
    "Trường Mầm non Hoa Sữa (demo)",
    "Trường Tiểu học Tăng Bạt Hổ (demo)",
    "Trường THCS Lê Đại Hành (demo)",
    "Trường THPT Mai Hắc Đế (demo)",
    "Bưu điện văn hóa phường Lê Đại Hành (demo)",
    "Đội Quản lý trật tự đô thị phường (demo)",
    "Trung tâm Văn hóa – Thể thao phường (demo)",
    "Chi cục Thuế khu vực Hai Bà Trưng – Đội thuế phường (demo)",
    "Ban Quản lý chợ Lê Đại Hành (demo)",
    "Thư viện phường Lê Đại Hành (demo)",
]
BUSINESSES = [
    ("Công ty TNHH Thương mại Đại Hành Phát", "0101456781", "Ông Nguyễn Đức Thịnh"),
    ("Công ty CP Xây dựng Tăng Bạt Hổ", "0101456782", "Ông Trần Văn Khải"),
    ("Công ty TNHH Dược phẩm Minh Tâm", "0101456783", "Bà Lê Thị Hạnh"),
    ("Công ty CP Thực phẩm Hồng Hà Xanh", "0101456784", "Ông Phạm Quốc Bảo"),
    ("Công ty TNHH In ấn Mai Hắc Đế", "0101456785", "Ông Đỗ Văn Lực"),
    ("Công ty CP Du lịch Hai Bà", "0101456786", "Bà Vũ Thu Hằng"),
    ("Công ty TNHH Điện máy Lê Đại Hành", "0101456787", "Ông Bùi Mạnh Cường"),
    ("Công ty CP Kiến trúc Phố Huế Mới", "0101456788", "Ông Hoàng Văn Tiến"),
    ("Công ty TNHH Nhà hàng Sen Hồ Tây Nam", "0101456789", "Bà Ngô Thị Yến"),
    ("Công ty CP Vận tải Thăng Long Đỏ", "0101456790", "Ông Đặng Quang Huy"),
    ("Công ty TNHH Thời trang Vân Đồn", "0101456791", "Bà Phan Thị Mai"),
    ("Công ty CP Công nghệ Bạch Mai Số", "0101456792", "Ông Trịnh Minh Đức"),
    ("Công ty TNHH Vật liệu Hòa Mã", "0101456793", "Ông Lý Văn Sơn"),
    ("Khách sạn Hoa Lư Xanh (demo)", "0101456794", "Bà Đinh Thị Ngân"),
    ("Nhà thuốc Phúc An (demo)", "0101456795", "Bà Nguyễn Thị Hoa"),
    ("Cửa hàng Vàng bạc Kim Long (demo)", "0101456796", "Ông Trương Văn Long"),
    ("Siêu thị mini Tân Phát (demo)", "0101456797", "Ông Mai Văn Hòa"),
    ("Công ty TNHH Kế toán Trung Thực", "0101456798", "Bà Tạ Thị Lan"),
    ("Công ty CP Bất động sản Hai Bà Trưng Land", "0101456799", "Ông Cao Minh Tuấn"),
    ("Quỹ tín dụng nhân dân Lê Đại Hành (demo)", "0101456800", "Ông Kiều Văn Nam"),
    ("Hợp tác xã Dịch vụ Chợ Hôm (demo)", "0101456801", "Bà Lương Thị Thảo"),
    ("Công ty TNHH Giáo dục Ánh Dương", "0101456802", "Bà Hà Thị Thu"),
    ("Phòng khám Đa khoa Hồng Phúc (demo)", "0101456803", "Bác sĩ Lưu Văn Tài"),
    ("Công ty CP Cơ điện Lạc Trung", "0101456804", "Ông Quách Văn Dũng"),
    ("Công ty TNHH Văn phòng phẩm Hồng Lam", "0101456805", "Bà Chu Thị Vân"),
]
INDIVIDUALS = [
    ("Nguyễn Thị Thanh Xuân", False),
    ("Trần Quốc Hưng", False),
    ("Lê Hoàng Nam", True),
    ("Phạm Minh Châu", False),
    ("Vũ Đức Thắng", True),
    ("Đỗ Thị Kim Oanh", False),
    ("Hoàng Văn Phúc", True),
    ("Bùi Thị Ngọc Anh", False),
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Ngô", "Đặng", "Phan"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Xuân", "Công"]
MIDDLE_F = ["Thị", "Thu", "Thanh", "Ngọc", "Kim", "Minh"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khoa", "Long", "Nam", "Sơn", "Tuấn"]
GIVEN_F = ["Anh", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Mai", "Nga", "Thảo", "Vân", "Yến"]
RESIDENT_AMOUNTS = [50_000, 100_000, 100_000, 100_000, 200_000, 200_000, 200_000, 300_000,
                    500_000, 500_000, 1_000_000]  # fmt: skip
STREETS = ["phố Lê Đại Hành", "phố Tăng Bạt Hổ", "phố Mai Hắc Đế", "ngõ Hòa Bình", "phố Hòa Mã"]
DIRECT = [
    ("Công ty CP Xây dựng Tăng Bạt Hổ", "Hộ bà Nguyễn Thị Lành, tổ 3 (sửa mái nhà)", 15_000_000),
    ("Nhà thuốc Phúc An (demo)", "Hộ ông Trần Văn Tý, tổ 7 (thuốc điều trị dài ngày)", 5_000_000),
    ("Nguyễn Thị Thanh Xuân", "Cháu Lê Minh Khôi, tổ 5 (học bổng năm học 2024–2025)", 6_000_000),
]

DEMO_MARKER = ("VNN", 2024)


def _day(rng: random.Random) -> datetime.date:
    """More gifts around the launch on 17/10 and at the end, fewer in between."""
    span = (END - START).days
    offset = int(min(rng.betavariate(0.7, 0.9), 0.999) * (span + 1))
    return START + datetime.timedelta(days=offset)


def _resident_name(rng: random.Random) -> str:
    if rng.random() < 0.55:
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"


def seed_books() -> dict:
    """Funds and accounts (idempotent)."""
    funds = {}
    for code, name, short, order in FUNDS:
        funds[code], _ = Fund.objects.update_or_create(
            code=code, defaults={"name": name, "short_name": short, "order": order}
        )
    bank = OfficialAccount.objects.filter(kind=OfficialAccount.Kind.BANK).first()
    treasury = OfficialAccount.objects.filter(kind=OfficialAccount.Kind.TREASURY).first()
    specs = [
        ("Két tiền mặt tại trụ sở", Account.Kind.CASH, None, 1),
        (
            f"TK {bank.account_number} – Vietcombank" if bank else "Tài khoản ngân hàng",
            Account.Kind.BANK,
            bank,
            2,
        ),
        (
            f"TK {treasury.account_number} – Kho bạc" if treasury else "Tài khoản Kho bạc",
            Account.Kind.TREASURY,
            treasury,
            3,
        ),
        ("Hiện vật (quy ra tiền)", Account.Kind.GOODS, None, 4),
    ]
    accounts = {}
    for name, kind, official, order in specs:
        account = Account.objects.filter(kind=kind).order_by("order", "pk").first()
        if account is None:
            account = Account.objects.create(
                name=name, kind=kind, official_account=official, order=order
            )
        accounts[kind] = account
    return {"funds": funds, "accounts": accounts}


def seed(*, stdout) -> None:
    books = seed_books()
    campaign = Campaign.objects.filter(year=2024).order_by("start_date").first()
    staff = get_user_model().objects.filter(username="canbo").first()
    committee = get_user_model().objects.filter(username="thuongtruc").first()
    if campaign is None or staff is None or committee is None:
        stdout.write("Ủng hộ: chưa có chiến dịch 2024 hoặc tài khoản demo, bỏ qua.")
        return
    if campaign.is_closed:
        stdout.write("Ủng hộ: chiến dịch 2024 đã kết thúc, không tạo khoản ủng hộ mẫu.")
        return
    if not Receipt.objects.filter(series=DEMO_MARKER[0], year=DEMO_MARKER[1]).exists():
        count = _seed_donations(campaign, staff, committee, books)
        stdout.write(f"Ủng hộ: {count} khoản ủng hộ mẫu với biên nhận và sổ quỹ.")
    leader = get_user_model().objects.filter(username="to5").first()
    donation_rounds.seed_rounds(
        campaign=campaign, staff=staff, committee=committee, leader=leader, stdout=stdout
    )
    donation_rounds.seed_statement(campaign=campaign, staff=staff, stdout=stdout)
    donation_messages.seed_messages(staff=staff, stdout=stdout)
    seed_feed(committee=committee, books=books, stdout=stdout)


DEMO_FEED_TOKEN = "demo-sepay-vietcombank"  # noqa: S105 - demo data only
DEMO_FEED_SECRET = "demo-khoa-chi-dung-thu-khong-dung-that"  # noqa: S105 - demo data only


def seed_feed(*, committee, books, stdout) -> None:
    """The demo's SePay feed of the bank account, signed with HMAC, with a known address
    and key so that `manage.py simulate_bank_feed` can send to it. Demo data only: a
    real feed gets a random address and key (donations.services.feeds.feed_create)."""
    from donations.models import BankFeed
    from donations.services.feeds import feed_create

    bank = books["accounts"][Account.Kind.BANK]
    if BankFeed.objects.filter(account=bank, provider=BankFeed.Provider.SEPAY).exists():
        return
    feed = feed_create(
        actor=committee,
        account=bank,
        provider=BankFeed.Provider.SEPAY,
        auth=BankFeed.Auth.HMAC,
        fund=books["funds"]["VNN"],
        secret=DEMO_FEED_SECRET,
    )
    BankFeed.objects.filter(pk=feed.pk).update(token=DEMO_FEED_TOKEN)
    stdout.write(
        f"Nguồn tiền tự động (demo): SePay /nhan-tien/sepay/{DEMO_FEED_TOKEN}/, khóa HMAC "
        f"{DEMO_FEED_SECRET}; thử: manage.py simulate_bank_feed"
    )


def _seed_donations(campaign, staff, committee, books) -> int:
    rng = random.Random(2024)  # noqa: S311 - reproducible demo data, not security
    vnn, ct = books["funds"]["VNN"], books["funds"]["CT"]
    groups = list(ResidentialGroup.objects.filter(code__startswith="TDP").order_by("number"))
    organisations = list(MemberOrganisation.objects.order_by("order"))
    board = list(BoardMember.objects.filter(campaign=campaign).order_by("order"))
    by_source = {}
    for member in board:
        by_source.setdefault(member.donor_source, []).append(member)
    by_org = {m.organisation_id: m for m in board if m.organisation_id}

    def donor(source, name, **extra) -> Donor:
        return Donor.objects.create(source=source, name=name, created_by=staff, **extra)

    plan: list[dict] = []  # donations to record, sorted by date before recording

    def add(**kwargs):
        plan.append(kwargs)

    for name in AGENCIES:
        agency = donor(
            DonorSource.AGENCY, name, address=f"Số {rng.randint(1, 120)} {rng.choice(STREETS)}"
        )
        channel = rng.choice(["cash", "cash", "treasury", "bank"])
        amount = rng.choice([2, 3, 5, 5, 10]) * 1_000_000
        add(donor=agency, amount=amount, channel=channel,
            board=rng.choice(by_source.get(DonorSource.AGENCY) or board or [None]))  # fmt: skip
    for name, tax_code, representative in BUSINESSES:
        business = donor(
            DonorSource.BUSINESS,
            name,
            tax_code=tax_code,
            representative=representative,
            address=f"Số {rng.randint(1, 200)} {rng.choice(STREETS)}, quận Hai Bà Trưng",
            phone=f"024 39{rng.randint(10, 99)} {rng.randint(1000, 9999)}",
        )
        amount = rng.choice([3, 5, 5, 10, 10, 20]) * 1_000_000
        add(donor=business, amount=amount, channel=rng.choice(["bank", "bank", "cash"]),
            board=rng.choice(by_source.get(DonorSource.BUSINESS) or board or [None]))  # fmt: skip
    donors_by_name = {d.name: d for d in Donor.objects.filter(source=DonorSource.BUSINESS)}

    for name, anonymous in INDIVIDUALS:
        person = donor(
            DonorSource.INDIVIDUAL,
            name,
            anonymous=anonymous,
            phone=f"09{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
        )
        donors_by_name[name] = person
        add(donor=person, amount=rng.choice([1, 2, 3, 5, 10]) * 1_000_000,
            channel=rng.choice(["cash", "bank"]), board=None)  # fmt: skip

    for org in organisations:
        body = donor(DonorSource.ORGANISATION, f"{org.name} (hội viên đóng góp)", organisation=org)
        for _ in range(rng.choice([1, 2])):
            add(donor=body, amount=rng.choice([2, 3, 5, 5, 8]) * 1_000_000, channel="cash",
                board=by_org.get(org.pk))  # fmt: skip

    residents: list[Donor] = []
    for index in range(540):
        group = groups[index % len(groups)] if groups else None
        if group is None:
            break
        residents.append(
            donor(
                DonorSource.RESIDENTS,
                _resident_name(rng),
                group=group,
                anonymous=rng.random() < 0.06,
                address=f"Số {rng.randint(1, 99)} {rng.choice(STREETS)}",
                phone=(
                    f"09{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
                    if rng.random() < 0.4
                    else ""
                ),
            )
        )
    for index in range(600 if residents else 0):
        resident = residents[index] if index < len(residents) else rng.choice(residents)
        add(donor=resident, amount=rng.choice(RESIDENT_AMOUNTS),
            channel="bank" if rng.random() < 0.08 else "cash", board=None)  # fmt: skip

    # Gifts in kind, valued in đồng.
    kind_gifts = [
        (
            "Công ty CP Thực phẩm Hồng Hà Xanh",
            [
                ("Gạo tẻ", "1000", "kg", 18_000_000),
                ("Dầu ăn", "50", "chai", 2_250_000),
                ("Mì tôm", "25", "thùng", 2_250_000),
            ],
        ),
        (
            "Công ty TNHH Văn phòng phẩm Hồng Lam",
            [("Vở học sinh", "500", "quyển", 5_000_000), ("Bút bi", "500", "chiếc", 1_500_000)],
        ),
        ("Siêu thị mini Tân Phát (demo)", [("Chăn ấm", "30", "chiếc", 9_000_000)]),
    ]
    for name, lines in kind_gifts:
        items = [services.ItemLine(d, Decimal(q), u, v) for d, q, u, v in lines]
        add(donor=donors_by_name[name], amount=None, channel="in_kind", items=items, board=None)

    for name, beneficiary, amount in DIRECT:
        add(donor=donors_by_name[name], amount=amount, channel="cash", board=None,
            purpose=Donation.Purpose.DIRECT, beneficiary=beneficiary)  # fmt: skip

    for item in plan:
        item["date"] = _day(rng)
    plan.sort(key=lambda item: item["date"])
    recorded = []
    for item in plan:
        member = item.pop("board")
        purpose = item.pop("purpose", Donation.Purpose.FUND)
        recorded.append(
            services.donation_record(
                actor=staff,
                campaign=campaign,
                fund=vnn if purpose == Donation.Purpose.FUND else None,
                purpose=purpose,
                credited_board_member=member,
                **item,
            )
        )

    # Quỹ Cứu trợ: gifts for the typhoon Yagi relief in September, outside the campaign.
    for day, name, amount in [
        (D(2024, 9, 12), "Công ty TNHH Điện máy Lê Đại Hành", 20_000_000),
        (D(2024, 9, 13), "Trần Quốc Hưng", 2_000_000),
        (D(2024, 9, 16), "Công ty CP Du lịch Hai Bà", 10_000_000),
    ]:
        services.donation_record(
            actor=staff, donor=donors_by_name[name], date=day, amount=amount,
            channel="bank", fund=ct,
        )  # fmt: skip

    # Two voids: a duplicate entry and a wrong amount (corrected by a new receipt), both
    # requested by the staff member and approved by the standing committee; one more
    # request waits for a decision.
    cash_fund = [d for d in recorded if d.purpose == "fund" and d.channel == "cash"]
    duplicate, waiting = cash_fund[40], cash_fund[200]
    wrong = [d for d in cash_fund if d.amount >= 500_000][30]
    void = services.void_request(
        actor=staff, donation=duplicate, reason="Nhập trùng với biên nhận liền trước"
    )
    services.void_approve(actor=committee, void=void, note="Đồng ý hủy")
    void = services.void_request(
        actor=staff,
        donation=wrong,
        reason=f"Nhập sai số tiền: đúng là {wrong.amount // 10:,} đ".replace(",", "."),
    )
    services.void_approve(actor=committee, void=void, note="Đồng ý, lập biên nhận thay thế")
    services.donation_record(
        actor=staff,
        donor=wrong.donor,
        date=wrong.date,
        amount=wrong.amount // 10,
        channel=wrong.channel,
        fund=vnn,
        campaign=campaign,
        credited_group=wrong.credited_group,
        replaces=wrong,
    )
    services.void_request(
        actor=staff, donation=waiting, reason="Người nộp báo ghi nhầm tên trên biên nhận"
    )

    # The cash collected is deposited at the bank at the end of the month.
    cash = books["accounts"][Account.Kind.CASH]
    bank = books["accounts"][Account.Kind.BANK]
    services.account_transfer(
        actor=staff,
        fund=vnn,
        from_account=cash,
        to_account=bank,
        amount=100_000_000,
        date=END,
        note="Nộp tiền mặt thu trong tháng cao điểm vào tài khoản Quỹ",
    )
    return len(recorded) + 4
