"""`manage.py seed_demo --scale N`: N more donations of the 2024 campaign month, for
measuring pages, exports and checks at the size of a busy ward.

The rows are what the services would have left, written in bulk instead of one by one,
and they pass the services' own rules: every donor through ``donor_clean`` (and its keys
through ``donor_keys``), every donation's values through ``donation_check``; receipt and
handover record numbers are reserved in blocks from the services' locked counters
(``receipt_numbers_reserve``, ``handover_numbers_reserve``), in date order; every fund
donation has its ledger entry chained by the services' ``ledger_hash`` over
``CHAIN_FIELDS`` (computed here in Python, in sequence order, streaming); voids have
their approved request and reversing entry, paid supports their decision by a second
person, handover record number and payment entry, direct support stays outside the
fund. So ``manage.py check_fund`` passes on the result.

Writing goes through PostgreSQL COPY (psycopg 3 ``cursor.copy``) and, on SQLite,
``bulk_create``; ids are reserved up front so that parents and children are written in
one pass. The work is done in chunks (one transaction each, under the receipt counters'
locks then the funds' row locks, in the services' lock order); each chunk records one
audit event
``demo.scale_seed`` with what it added. Those events are also the memory of the seed:
``--scale N`` tops up to N scale donations, so running it again with the same N adds
nothing, a larger N adds the difference, and an interrupted run resumes.

Distribution (per donation): residents through their group's collection rounds (58 %)
or at the office (22 %), individual benefactors (8 %), members of member organisations
(5 %), agencies (2,5 %), businesses (2,5 %, the few large amounts), gifts in kind
(0,3 %), direct support to a household (0,4 %, outside the fund), Quỹ Cứu trợ (1,3 %,
September 2024, outside the campaign). Dates follow the campaign month (17/10–18/11/2024)
with peaks at the launch and at the end. Households: one per 1.000 donations, spread
over the 9 residential groups, with members, needs and about two supports each.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import json
import random
import secrets
import time
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Sum

from campaigns.models import BoardMember, Campaign
from donations.models import (
    ANONYMOUS_NAME,
    DIRECT_SERIES,
    Account,
    CollectionRound,
    Donation,
    DonationItem,
    Donor,
    Fund,
    LedgerEntry,
    Receipt,
    RoundLine,
    StockItem,
    StockMovement,
    VoidRequest,
    item_key,
)
from donations.models.books import CHAIN_FIELDS, GENESIS_HASH, ledger_hash
from donations.models.donors import donor_code_for, donor_keys
from donations.services import DonationError, ItemLine, rebuild_day_totals
from donations.services.donors import donor_clean
from donations.services.receipts import donation_check, receipt_numbers_reserve
from households.models import (
    Household,
    Member,
    Need,
    Support,
    SupportCategory,
    SupportForm,
    SupportSource,
)
from households.services.support import handover_numbers_reserve
from households.services.support_rules import DOCUMENT_TYPE as SUPPORT_DOCUMENT
from lddh.ward.audit import AuditAction, log_event
from lddh.ward.models import AuditEvent, MemberOrganisation, ResidentialGroup
from lddh.ward.money import amount_in_words, format_number
from lddh.ward.text import normalise
from lddh.ward.vocab import DonorSource

ACTION = AuditAction.DEMO_SCALE_SEED
YEAR = 2024
START, END = datetime.date(2024, 10, 17), datetime.date(2024, 11, 18)
RELIEF_START, RELIEF_END = datetime.date(2024, 9, 10), datetime.date(2024, 9, 30)
TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
CHUNK = 50_000
REBUILD_FROM = 200_000
"""From this many donations to add, PostgreSQL's plain indexes of the big tables are
dropped first and built again at the end (a build is faster than a million inserts)."""
DONATIONS_PER_HOUSEHOLD = 1_000

RECEIPT_DOCUMENT = "donations.receipt"
VOID_DOCUMENT = "donations.voidrequest"
TRANSFER_DOCUMENT = "donations.transfer"

# kind of donation: share of all donations (per 1.000)
KINDS = [
    ("round", 580),
    ("resident", 220),
    ("individual", 80),
    ("member", 50),
    ("agency", 25),
    ("business", 25),
    ("in_kind", 3),
    ("direct", 4),
    ("relief", 13),
]
KIND_NAMES = [k for k, _ in KINDS]
KIND_CUMULATIVE = list(itertools.accumulate(w for _, w in KINDS))


def _weighted(pairs):
    values, weights = zip(*pairs, strict=True)
    return list(values), list(itertools.accumulate(weights))


K = 1_000
M = 1_000_000
AMOUNTS = {
    "resident": _weighted(
        [(20 * K, 3), (50 * K, 15), (100 * K, 30), (200 * K, 22), (300 * K, 8), (500 * K, 13),
         (M, 6), (2 * M, 2), (5 * M, 1)]
    ),
    "individual": _weighted(
        [(500 * K, 10), (M, 25), (2 * M, 20), (3 * M, 10), (5 * M, 15), (10 * M, 10),
         (20 * M, 6), (50 * M, 3), (100 * M, 1)]
    ),
    "member": _weighted([(50 * K, 10), (100 * K, 30), (200 * K, 30), (500 * K, 20), (M, 10)]),
    "agency": _weighted([(2 * M, 20), (3 * M, 20), (5 * M, 30), (10 * M, 20), (20 * M, 7),
                         (30 * M, 3)]),
    "business": _weighted(
        [(5 * M, 20), (10 * M, 25), (20 * M, 20), (30 * M, 10), (50 * M, 10), (100 * M, 8),
         (200 * M, 4), (500 * M, 2), (1_000 * M, 1)]
    ),
    "in_kind": _weighted([(2 * M, 20), (5 * M, 30), (10 * M, 30), (20 * M, 15), (30 * M, 5)]),
    "direct": _weighted([(2 * M, 30), (5 * M, 35), (10 * M, 25), (20 * M, 10)]),
    "relief": _weighted([(200 * K, 30), (500 * K, 30), (M, 20), (5 * M, 15), (20 * M, 5)]),
}  # fmt: skip
GIFTS = [("Gạo tẻ", "kg", 18_000), ("Chăn ấm", "chiếc", 300_000), ("Vở học sinh", "quyển", 10_000),
         ("Dầu ăn", "chai", 45_000), ("Sữa hộp", "thùng", 350_000)]  # fmt: skip

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Ngô", "Đặng", "Phan",
          "Trịnh", "Đinh", "Lý", "Dương", "Mai", "Tạ", "Lưu", "Hà", "Cao"]  # fmt: skip
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Xuân", "Công", "Tuấn", "Mạnh"]
MIDDLE_F = ["Thị", "Thu", "Thanh", "Ngọc", "Kim", "Minh", "Thúy", "Bích", "Phương", "Hồng"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khoa", "Long", "Nam", "Sơn", "Tuấn",
           "Thắng", "Trung", "Hiếu", "Phong", "Quân", "Tùng", "Việt", "Đạt", "Kiên", "Lâm",
           "Hưng", "Thành", "Vinh", "Tiến"]  # fmt: skip
GIVEN_F = ["Anh", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Mai", "Nga", "Thảo", "Vân", "Yến",
           "Linh", "Trang", "Huyền", "Nhung", "Loan", "Phượng", "Quỳnh", "Thủy", "Oanh", "Dung",
           "Giang", "Hằng", "Ngân", "Tâm"]  # fmt: skip
STREETS = ["phố Lê Đại Hành", "phố Tăng Bạt Hổ", "phố Mai Hắc Đế", "ngõ Hòa Bình", "phố Hòa Mã",
           "phố Nguyễn Công Trứ", "phố Ngô Thì Nhậm", "phố Bùi Thị Xuân"]  # fmt: skip
COMPANY_KIND = ["Công ty TNHH", "Công ty CP", "Hộ kinh doanh", "Cửa hàng", "Nhà hàng"]
COMPANY_WORD = ["Đại Hành", "Hồng Hà", "Thăng Long", "Phúc An", "Minh Tâm", "Hòa Bình",
                "Tân Phát", "Kim Long", "Sen Việt", "Hai Bà", "Bạch Mai", "Lạc Trung",
                "An Khang", "Thịnh Vượng"]  # fmt: skip
COMPANY_TRADE = ["Thương mại", "Xây dựng", "Dược phẩm", "Thực phẩm", "Du lịch", "Điện máy",
                 "Vận tải", "Công nghệ", "In ấn", "Kế toán", "Vật liệu", "Giáo dục"]  # fmt: skip
AGENCY_NAMES = ["Trường Tiểu học", "Trường THCS", "Trường Mầm non", "Trạm Y tế",
                "Chi nhánh ngân hàng", "Bưu cục", "Đội thuế", "Ban quản lý chợ",
                "Trung tâm Văn hóa"]  # fmt: skip
GROUP_WEIGHTS = [13, 9, 12, 11, 14, 10, 12, 8, 11]
"""How many residents each of the 9 groups has, relatively (not all the same size)."""

SUPPORTS = [
    # category, need type, amounts, account kind, description
    (SupportCategory.HOUSE_REPAIR, "house_repair", [30 * M, 45 * M, 60 * M], "bank",
     "Hỗ trợ sửa chữa nhà"),
    (SupportCategory.NEW_HOUSE, "house_build", [100 * M], "bank", "Hỗ trợ xây mới nhà"),
    (SupportCategory.LIVELIHOOD, "production", [3 * M, 5 * M, 8 * M], "bank",
     "Hỗ trợ phương tiện sinh kế"),
    (SupportCategory.SCHOLARSHIP, "student", [2 * M, 3 * M, 5 * M], "cash",
     "Học bổng cho cháu đang đi học"),
    (SupportCategory.MEDICAL, "serious_illness", [5 * M, 10 * M, 15 * M], "bank",
     "Hỗ trợ chi phí điều trị bệnh hiểm nghèo"),
    (SupportCategory.HEALTH_INSURANCE, "health_insurance", [M, 2 * M], "cash",
     "Mua thẻ BHYT cho các thành viên"),
    (SupportCategory.GIFT, "tet_gift", [500 * K, M], "cash", "Quà thăm hỏi"),
    (SupportCategory.MONTHLY, "monthly", [M, 2 * M], "cash", "Trợ cấp hằng tháng"),
    (SupportCategory.EMERGENCY, None, [2 * M, 3 * M, 5 * M], "cash", "Hỗ trợ đột xuất"),
]  # fmt: skip


class ScaleError(Exception):
    """The scale seed cannot run (Vietnamese message for the command line)."""


# --------------------------------------------------------------------------- bulk writing


class Bulk:
    """Reserve ids and write rows: COPY on PostgreSQL, bulk_create elsewhere. Rows are
    tuples of the given attnames; every other column gets its field's default."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.written: dict[str, int] = defaultdict(int)
        self.ids: dict[type, list[range]] = defaultdict(list)
        """The ids reserved per model since the chunk began (Seeder.chunk empties it)."""

    def reserve(self, model, n: int) -> int:
        """The first of ``n`` consecutive new ids of ``model`` (nobody else gets them)."""
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = cursor.fetchone()[0]
                cursor.execute("SELECT nextval(%s)", [sequence])
                first = cursor.fetchone()[0]
                if n > 1:
                    cursor.execute("SELECT setval(%s, %s)", [sequence, first + n - 1])
            else:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
                first = cursor.fetchone()[0]
        self.ids[model].append(range(first, first + n))
        return first

    def write(self, model, attnames: tuple[str, ...], rows) -> int:
        meta = model._meta
        fields = [meta.get_field(name) for name in attnames]
        given = {f.attname for f in fields}
        rest = [f for f in meta.concrete_fields if f.attname not in given and not f.primary_key]
        for f in rest:
            if not f.null and f.get_default() is None and not getattr(f, "auto_now", False):
                raise ValueError(f"{meta.label}.{f.name} needs a value")
        if self.postgres:
            count = self._copy(meta, fields, rest, rows)
        else:
            names = [*attnames, *(f.attname for f in rest)]
            defaults = tuple(f.get_default() for f in rest)
            objects = [model(**dict(zip(names, row + defaults, strict=True))) for row in rows]
            model._base_manager.bulk_create(objects, batch_size=500)
            count = len(objects)
        self.written[meta.label] += count
        return count

    def _copy(self, meta, fields, rest, rows) -> int:
        columns = [f.column for f in fields] + [f.column for f in rest]
        defaults = tuple(_pg_value(f, f.get_default()) for f in rest)
        json_at = [i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
        sql = "COPY {} ({}) FROM STDIN".format(
            connection.ops.quote_name(meta.db_table),
            ", ".join(connection.ops.quote_name(c) for c in columns),
        )
        count = 0
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            write = copy.write_row
            for row in rows:
                if json_at:
                    row = list(row)
                    for i in json_at:
                        if row[i] is not None:
                            row[i] = json.dumps(row[i], cls=DjangoJSONEncoder, ensure_ascii=False)
                    row = tuple(row)
                write(row + defaults)
                count += 1
        return count


def _pg_value(field, value):
    if value is not None and field.get_internal_type() == "JSONField":
        return json.dumps(value, cls=DjangoJSONEncoder)
    return value


# --------------------------------------------------------------------------- the world


@dataclass
class World:
    """What the demo made and the scale seed builds on."""

    campaign: Campaign
    staff: object
    committee: object
    treasurer: object
    leaders: dict[int, object]
    groups: list[ResidentialGroup]
    organisations: list[MemberOrganisation]
    board: dict[str, list[BoardMember]]
    board_by_org: dict[int, BoardMember]
    board_by_id: dict[int, BoardMember]
    vnn: Fund
    relief: Fund | None
    accounts: dict[str, Account]
    issuer_name: str
    signer_name: str


def _person_name(user) -> str:
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()


def load_world() -> World:
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(is_active=True)}
    campaign = Campaign.objects.filter(year=YEAR).order_by("start_date").first()
    groups = list(ResidentialGroup.objects.filter(number__in=range(1, 10)).order_by("number"))
    vnn = Fund.objects.filter(code="VNN").first()
    missing = [
        label
        for label, thing in [
            ("chiến dịch 2024", campaign),
            ("tài khoản canbo", users.get("canbo")),
            ("tài khoản thuongtruc", users.get("thuongtruc")),
            ("tài khoản ketoan", users.get("ketoan")),
            ("quỹ VNN", vnn),
        ]
        if thing is None
    ]
    if len(groups) < 9:
        missing.append("9 tổ dân phố")
    if missing:
        raise ScaleError("Chưa có dữ liệu mẫu để nhân rộng: thiếu " + ", ".join(missing) + ".")
    if campaign.is_closed:
        raise ScaleError("Chiến dịch 2024 đã kết thúc: không thêm khoản ủng hộ mẫu.")
    accounts = {}
    for kind in Account.Kind.values:
        account = Account.objects.filter(kind=kind, active=True).order_by("order", "pk").first()
        if account is None:
            raise ScaleError(f"Chưa có tài khoản loại “{Account.Kind(kind).label}”.")
        accounts[kind] = account
    board_members = list(BoardMember.objects.filter(campaign=campaign).order_by("order", "pk"))
    board: dict[str, list[BoardMember]] = defaultdict(list)
    for member in board_members:
        board[member.donor_source].append(member)
    committee = users["thuongtruc"]
    return World(
        campaign=campaign,
        staff=users["canbo"],
        committee=committee,
        treasurer=users["ketoan"],
        leaders={n: users.get(f"to{n}") or users["canbo"] for n in range(1, 10)},
        groups=groups,
        organisations=list(MemberOrganisation.objects.order_by("order", "pk")),
        board=board,
        board_by_org={m.organisation_id: m for m in board_members if m.organisation_id},
        board_by_id={m.pk: m for m in board_members},
        vnn=vnn,
        relief=Fund.objects.filter(code="CT").first(),
        accounts=accounts,
        issuer_name=_person_name(users["canbo"]),
        signer_name=_person_name(committee),
    )


def scale_seeded() -> int:
    """How many donations earlier scale seeds added (their audit events say)."""
    total = 0
    for after in AuditEvent.objects.filter(action=ACTION).values_list("after", flat=True):
        total += int((after or {}).get("donations", 0))
    return total


# --------------------------------------------------------------------------- helpers


@lru_cache(maxsize=4096)
def _words(amount: int) -> str:
    return amount_in_words(amount)


_donor_keys = lru_cache(maxsize=65536)(donor_keys)
"""Most residents give no phone: their keys repeat with their (common) names."""


def _pick(rng: random.Random, table) -> int:
    values, cumulative = table
    return values[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


def _campaign_day(rng: random.Random) -> datetime.date:
    """More gifts around the launch on 17/10 and at the end, fewer in between."""
    span = (END - START).days
    offset = int(min(rng.betavariate(0.7, 0.9), 0.999) * (span + 1))
    return START + datetime.timedelta(days=offset)


def _moment(rng: random.Random, day: datetime.date, lo: int = 7, hi: int = 18) -> datetime.datetime:
    seconds = rng.randrange(lo * 3600, hi * 3600)
    return datetime.datetime(
        day.year, day.month, day.day, seconds // 3600, seconds // 60 % 60, seconds % 60,
        rng.randrange(1_000_000), tzinfo=TZ,
    )  # fmt: skip


def _resident_name(rng: random.Random) -> str:
    if rng.random() < 0.55:
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"


def _phone(rng: random.Random) -> str:
    return f"09{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}"


def _address(rng: random.Random, group: ResidentialGroup | None = None) -> str:
    text = f"Số {rng.randint(1, 150)}, ngõ {rng.randint(1, 90)} {rng.choice(STREETS)}"
    return f"{text}, {group.name}" if group is not None else text


def _money_text(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


# --------------------------------------------------------------------------- a chunk


@dataclass
class Gift:
    """One donation being planned (rows are built once everything is sorted)."""

    kind: str
    donor: int  # index into Chunk.donors
    amount: int
    day: datetime.date
    at: datetime.datetime
    channel: str
    purpose: str = Donation.Purpose.FUND
    fund: Fund | None = None
    account: Account | None = None
    campaign_id: int | None = None
    group_id: int | None = None
    organisation_id: int | None = None
    board_id: int | None = None
    beneficiary: str = ""
    note: str = ""
    item: tuple | None = None
    line: tuple | None = None  # (round index, position) for round donations
    id: int = 0
    receipt_id: int = 0
    number: str = ""
    entry_id: int = 0
    seq: int = 0
    household: int | None = None  # direct support: the household it went to


@dataclass
class Chunk:
    donors: list[tuple] = field(default_factory=list)  # Donor rows without id
    gifts: list[Gift] = field(default_factory=list)
    rounds: list[dict] = field(default_factory=list)


DONOR_FIELDS = ("id", "source", "name", "representative", "address", "group_id", "phone",
                "tax_code", "organisation_id", "anonymous", "note", "search_key", "name_key",
                "phone_key", "tax_key", "code", "created_by_id", "created_at",
                "updated_at")  # fmt: skip


class Seeder:
    def __init__(self, world: World, bulk: Bulk, rng: random.Random):
        self.w = world
        self.bulk = bulk
        self.rng = rng
        self.group_cumulative = list(itertools.accumulate(GROUP_WEIGHTS))
        self.checked: dict[tuple, object] = {}

    # ---- donors

    def _group(self) -> ResidentialGroup:
        r = self.rng.random() * self.group_cumulative[-1]
        return self.w.groups[bisect.bisect(self.group_cumulative, r)]

    def _donor(self, chunk: Chunk, source, name, *, group=None, organisation=None,
               anonymous=False, phone="", address="", tax_code="",
               representative="") -> int:  # fmt: skip
        # The services' rules for a donor (donor_clean reads and tidies plain attributes,
        # so a light record stands in for an unsaved Donor: a million model instances
        # would cost more than the rest of the planning).
        details = SimpleNamespace(
            source=source, name=name, representative=representative, address=address,
            group_id=group.pk if group else None, phone=phone, tax_code=tax_code, note="",
        )  # fmt: skip
        try:
            donor_clean(details)
        except DonationError as error:
            raise ScaleError(f"Người ủng hộ mẫu “{name}”: {'; '.join(error.messages)}") from error
        d = details
        chunk.donors.append(
            (source, d.name, d.representative, d.address, d.group_id, d.phone, d.tax_code,
             organisation.pk if organisation else None, anonymous, d.note,
             *_donor_keys(d.name, d.phone, d.tax_code))
        )  # fmt: skip
        return len(chunk.donors) - 1

    # ---- planning

    def plan(self, size: int, households: list[dict]) -> Chunk:
        rng, w = self.rng, self.w
        chunk = Chunk()
        counts = defaultdict(int)
        for _ in range(size):
            r = rng.random() * KIND_CUMULATIVE[-1]
            counts[KIND_NAMES[bisect.bisect(KIND_CUMULATIVE, r)]] += 1
        if w.relief is None:
            counts["resident"] += counts.pop("relief", 0)
        campaign_id = w.campaign.pk

        def gift(kind, donor, amount, channel, **extra):
            day = extra.pop("day", None) or _campaign_day(rng)
            fund = extra.pop("fund", w.vnn)
            purpose = extra.pop("purpose", Donation.Purpose.FUND)
            account = None
            if purpose == Donation.Purpose.FUND:
                account = w.accounts[{"in_kind": "goods"}.get(channel, channel)]
            else:
                fund = None
            chunk.gifts.append(
                Gift(kind=kind, donor=donor, amount=amount, day=day, at=_moment(rng, day),
                     channel=channel, purpose=purpose, fund=fund, account=account,
                     campaign_id=extra.pop("campaign_id", campaign_id), **extra)
            )  # fmt: skip

        # residents: many small amounts; a quarter give twice (another round, the office)
        residents: dict[int, list[int]] = defaultdict(list)

        def resident(group) -> int:
            known = residents[group.pk]
            if known and rng.random() < 0.25:
                return rng.choice(known)
            donor = self._donor(
                chunk, DonorSource.RESIDENTS, _resident_name(rng), group=group,
                anonymous=rng.random() < 0.06, address=_address(rng),
                phone=_phone(rng) if rng.random() < 0.4 else "",
            )  # fmt: skip
            known.append(donor)
            return donor

        # collection rounds: a group's list of 15–120 contributors handed in on one day
        left = counts["round"]
        while left > 0:
            group = self._group()
            lines = min(left, rng.randint(15, 120))
            left -= lines
            day = _campaign_day(rng)
            index = len(chunk.rounds)
            chunk.rounds.append({"group": group, "day": day, "lines": lines, "total": 0})
            for position in range(1, lines + 1):
                donor = resident(group)
                gift("round", donor, _pick(rng, AMOUNTS["resident"]), "cash", day=day,
                     group_id=group.pk, line=(index, position))  # fmt: skip
        for _ in range(counts["resident"]):
            group = self._group()
            channel = "bank" if rng.random() < 0.12 else "cash"
            gift("resident", resident(group), _pick(rng, AMOUNTS["resident"]), channel,
                 group_id=group.pk)  # fmt: skip
        for _ in range(counts["individual"]):
            donor = self._donor(
                chunk, DonorSource.INDIVIDUAL, _resident_name(rng),
                anonymous=rng.random() < 0.35, phone=_phone(rng) if rng.random() < 0.7 else "",
            )  # fmt: skip
            gift("individual", donor, _pick(rng, AMOUNTS["individual"]),
                 "bank" if rng.random() < 0.6 else "cash")  # fmt: skip
        for _ in range(counts["member"]):
            org = rng.choice(w.organisations) if w.organisations else None
            donor = self._donor(chunk, DonorSource.ORGANISATION, _resident_name(rng),
                                organisation=org)  # fmt: skip
            member = w.board_by_org.get(org.pk) if org else None
            gift("member", donor, _pick(rng, AMOUNTS["member"]), "cash",
                 organisation_id=org.pk if org else None,
                 board_id=member.pk if member else None)  # fmt: skip
        # agencies and businesses give a few times each (the pool is a third of the gifts)
        for kind, source in (("agency", DonorSource.AGENCY), ("business", DonorSource.BUSINESS)):
            pool = []
            for _ in range(max(1, counts[kind] // 3)) if counts[kind] or counts["in_kind"] else ():
                if kind == "agency":
                    name = (f"{rng.choice(AGENCY_NAMES)} {rng.choice(COMPANY_WORD)} "
                            f"(demo {rng.randint(1, 99999)})")  # fmt: skip
                    pool.append(self._donor(chunk, source, name, address=_address(rng)))
                else:
                    name = (f"{rng.choice(COMPANY_KIND)} {rng.choice(COMPANY_TRADE)} "
                            f"{rng.choice(COMPANY_WORD)} {rng.randint(1, 99999)}")  # fmt: skip
                    pool.append(self._donor(
                        chunk, source, name, address=_address(rng) + ", quận Hai Bà Trưng",
                        tax_code=f"01{rng.randint(0, 99_999_999):08d}",
                        representative=f"Ông {_resident_name(rng)}",
                        phone=f"024 39{rng.randint(10, 99)} {rng.randint(1000, 9999)}",
                        anonymous=rng.random() < 0.03,
                    ))  # fmt: skip
            members = w.board.get(source) or [None]
            for _ in range(counts[kind]):
                if kind == "agency":
                    channel = rng.choice(["cash", "cash", "treasury", "bank"])
                else:
                    channel = rng.choice(["bank", "bank", "bank", "cash", "treasury"])
                member = rng.choice(members)
                gift(kind, rng.choice(pool), _pick(rng, AMOUNTS[kind]), channel,
                     board_id=member.pk if member else None)  # fmt: skip
            if kind == "business":
                for _ in range(counts["in_kind"]):
                    description, unit, price = rng.choice(GIFTS)
                    value = _pick(rng, AMOUNTS["in_kind"])
                    quantity = max(1, value // price)
                    gift("in_kind", rng.choice(pool), quantity * price, "in_kind",
                         item=(description, quantity, unit))  # fmt: skip
        for _ in range(counts["direct"]):
            donor = self._donor(chunk, DonorSource.INDIVIDUAL, _resident_name(rng),
                                phone=_phone(rng))  # fmt: skip
            if households and rng.random() < 0.25:  # else a household not on the register
                target = rng.choice(households)
                beneficiary = f"Hộ {target['head_name']}, {target['group'].name}"
                household = target["id"]
            else:
                beneficiary = f"Hộ {_resident_name(rng)}, {self._group().name}"
                household = None
            gift("direct", donor, _pick(rng, AMOUNTS["direct"]), "cash",
                 purpose=Donation.Purpose.DIRECT, beneficiary=beneficiary,
                 household=household)  # fmt: skip
        for _ in range(counts.get("relief", 0)):
            donor = self._donor(chunk, DonorSource.INDIVIDUAL, _resident_name(rng),
                                anonymous=rng.random() < 0.3)  # fmt: skip
            day = RELIEF_START + datetime.timedelta(
                days=rng.randrange((RELIEF_END - RELIEF_START).days + 1)
            )
            gift("relief", donor, _pick(rng, AMOUNTS["relief"]), "bank", day=day,
                 fund=w.relief, campaign_id=None)  # fmt: skip
        # credits default to the donor's group and organisation, as the service does
        for g in chunk.gifts:
            donor = chunk.donors[g.donor]
            if g.group_id is None:
                g.group_id = donor[4]
            if g.organisation_id is None:
                g.organisation_id = donor[7]
        return chunk

    # ---- households (one per DONATIONS_PER_HOUSEHOLD donations)

    def households(self, count: int, now: datetime.datetime) -> list[dict]:
        rng, bulk = self.rng, self.bulk
        if count <= 0:
            return []
        first = bulk.reserve(Household, count)
        rows, members, made = [], [], []
        need_types = [s[1] for s in SUPPORTS if s[1]]
        need_count = 0
        plans = []
        for i in range(count):
            group = self._group()
            female = rng.random() < 0.6
            head = _resident_name(rng)
            if female and " Thị " not in head:
                head = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
            year = rng.randint(1938, 1985)
            address = _address(rng)
            near_poor = rng.random() < 0.5
            decision = f"{rng.randint(80, 260)}/QĐ-UBND" if near_poor else ""
            reasons = [] if near_poor else [rng.choice(
                ["serious_illness", "disability", "elderly_alone", "sudden_hardship"])]  # fmt: skip
            names = [head]
            for relation in rng.sample(["spouse", "child", "grandchild", "parent"],
                                       rng.randint(0, 3)):  # fmt: skip
                names.append(_resident_name(rng))
                members.append((first + i, names[-1], rng.randint(1940, 2018), relation))
            members.append((first + i, head, year, Member.Relation.HEAD))
            types = rng.sample(need_types, rng.randint(1, 3))
            plans.append(types)
            need_count += len(types)
            search = normalise(" ".join(p for p in [head, address, decision, *names[1:]] if p))
            rows.append((
                first + i, group.pk, head, year, address, "", "",
                "near_poor" if near_poor else "none", decision, YEAR if near_poor else None,
                "nd07_2021" if near_poor else "", not near_poor, reasons,
                "Hộ có hoàn cảnh khó khăn (dữ liệu nhân rộng)",
                rng.choice([900_000, 1_200_000, 1_500_000, 1_800_000]),
                "Hỗ trợ để hộ tự vươn lên, không tái nghèo", "active",
                "bà" if female else "ông", rng.random() < 0.5, search[:1000], now, now,
            ))  # fmt: skip
            made.append({"id": first + i, "group": group, "head_name": head, "address": address,
                         "needs": {}})  # fmt: skip
        bulk.write(
            Household,
            ("id", "group_id", "head_name", "head_birth_year", "address", "head_cccd", "phone",
             "category", "decision_number", "decision_year", "standard", "especially_difficult",
             "difficulty_reasons", "circumstances", "income_per_person", "plan_goal", "status",
             "head_title", "public_consent", "search_key", "created_at", "updated_at"),
            rows,
        )  # fmt: skip
        bulk.write(Member, ("household_id", "full_name", "birth_year", "relation"), members)
        need_id = bulk.reserve(Need, need_count)
        need_rows = []
        for household, types in zip(made, plans, strict=True):
            for need_type in types:
                household["needs"][need_type] = need_id
                need_rows.append((need_id, household["id"], need_type, "Nhu cầu ghi khi rà soát",
                                  rng.choice([2, 5, 10, 30]) * M, rng.randint(1, 3), "open",
                                  now, now))  # fmt: skip
                need_id += 1
        bulk.write(
            Need,
            ("id", "household_id", "type", "description", "estimated_cost", "priority", "status",
             "created_at", "updated_at"),
            need_rows,
        )  # fmt: skip
        return made

    # ---- one chunk, one transaction

    def chunk(self, size: int) -> dict[str, int]:
        """Plan and write ``size`` donations and what comes with them, in the caller's
        transaction; returns the rows written per model. Afterwards ``bulk.ids`` holds
        the ids of the chunk's new rows per model (donations, receipts, ledger entries,
        supports…)."""
        w, rng, bulk = self.w, self.rng, self.bulk
        before = dict(bulk.written)
        bulk.ids.clear()
        if bulk.postgres:
            with connection.cursor() as cursor:
                # foreign keys are checked at the end of each COPY, not all at commit
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET LOCAL synchronous_commit = off")
        now = datetime.datetime.now(tz=datetime.UTC)
        households = self.households(max(1, round(size / DONATIONS_PER_HOUSEHOLD)), now)
        chunk = self.plan(size, households)
        gifts = sorted(chunk.gifts, key=lambda g: g.at)
        for g in gifts:
            self._check(g)

        # ---- ids; receipt numbers, each series and year in date order, reserved in one
        # block from the receipt service's locked counter; then the funds' row locks (the
        # services' lock order: receipt counter, then fund)
        donor_first = bulk.reserve(Donor, len(chunk.donors))
        gift_first = bulk.reserve(Donation, len(gifts))
        receipt_first = bulk.reserve(Receipt, len(gifts))
        series_of = defaultdict(list)
        for g in gifts:
            series_of[g.fund.code if g.fund else DIRECT_SERIES, g.day.year].append(g)
        for (series, year), members in sorted(series_of.items()):
            first = receipt_numbers_reserve(series=series, year=year, count=len(members))
            for seq, g in enumerate(members, start=first):
                g.number = Receipt.format_number(series, year, seq)
                g.seq = seq
        for i, g in enumerate(gifts):
            g.id, g.receipt_id = gift_first + i, receipt_first + i
        funds = {f.pk: f for f in Fund.objects.select_for_update().order_by("pk")}

        # ---- voids: about one fund donation in 2.000, asked by the staff, approved by the
        # standing committee one to three days later
        fund_gifts = [g for g in gifts if g.fund is not None]
        voided = rng.sample(fund_gifts, len(fund_gifts) // 2000) if fund_gifts else []
        voids = {}
        void_first = bulk.reserve(VoidRequest, len(voided)) if voided else 0
        for i, g in enumerate(sorted(voided, key=lambda g: g.at)):
            asked = g.at + datetime.timedelta(hours=rng.randint(2, 30))
            decided = asked + datetime.timedelta(hours=rng.randint(4, 48))
            reason = rng.choice(["Nhập trùng với biên nhận liền trước",
                                 "Nhập sai số tiền, người nộp đề nghị lập lại",
                                 "Ghi nhầm người nộp"])  # fmt: skip
            voids[g.id] = (void_first + i, asked, decided, reason)

        # ---- donors, rounds, donations, items, receipts, round lines
        first_gift = {}  # a donor is entered with their first gift
        for g in gifts:
            first_gift.setdefault(g.donor, g.at)
        bulk.write(Donor, DONOR_FIELDS,
                   ((donor_first + i, *row, donor_code_for(donor_first + i), w.staff.pk,
                     *[first_gift.get(i, now)] * 2)
                    for i, row in enumerate(chunk.donors)))  # fmt: skip
        round_first = bulk.reserve(CollectionRound, len(chunk.rounds)) if chunk.rounds else 0
        for g in gifts:
            if g.line is not None:
                info = chunk.rounds[g.line[0]]
                info["total"] += g.amount
                g.note = f"Đợt thu {CollectionRound.format_code(round_first + g.line[0])}, " \
                    f"dòng {g.line[1]}"  # fmt: skip
        round_rows = []
        for i, info in enumerate(chunk.rounds):
            leader = w.leaders[info["group"].number]
            posted = _moment(rng, info["day"], 16, 18)
            round_rows.append((
                round_first + i, CollectionRound.format_code(round_first + i), info["group"].pk,
                w.campaign.pk, w.vnn.pk, w.accounts["cash"].pk, _person_name(leader),
                info["day"], info["lines"], info["total"], "per_line", "posted", "", 1,
                leader.pk, posted - datetime.timedelta(hours=1), posted, w.staff.pk, posted,
            ))  # fmt: skip
        bulk.write(
            CollectionRound,
            ("id", "code", "group_id", "campaign_id", "fund_id", "account_id", "collector",
             "date", "expected_count", "expected_total", "receipt_mode", "status", "note",
             "revision", "created_by_id", "created_at", "updated_at", "posted_by_id",
             "posted_at"),
            round_rows,
        )  # fmt: skip
        donor_id = donor_first
        bulk.write(
            Donation,
            ("id", "donor_id", "campaign_id", "date", "amount", "channel", "purpose", "fund_id",
             "account_id", "beneficiary", "credited_group_id", "credited_organisation_id",
             "credited_board_member_id", "note", "status", "entered_by_id", "created_at"),
            ((g.id, donor_id + g.donor, g.campaign_id, g.day, g.amount, g.channel, g.purpose,
              g.fund.pk if g.fund else None, g.account.pk if g.account else None, g.beneficiary,
              g.group_id, g.organisation_id, g.board_id, g.note,
              "voided" if g.id in voids else "valid", w.staff.pk, g.at) for g in gifts),
        )  # fmt: skip
        in_kind = [g for g in gifts if g.item is not None]
        if in_kind:
            bulk.write(
                DonationItem,
                ("donation_id", "description", "quantity", "unit", "valuation"),
                [(g.id, g.item[0], g.item[1], g.item[2], g.amount) for g in in_kind],
            )
            self._stock_in([g for g in in_kind if g.fund is not None and g.id not in voids])
        bulk.write(
            Receipt,
            ("id", "donation_id", "fund_id", "series", "year", "seq", "number", "token",
             "status", "voided_at", "issued_by_id", "issued_at", "date", "amount",
             "amount_words", "donor_name", "donor_display_name", "donor_representative",
             "donor_address", "purpose_label", "channel_label", "fund_name", "campaign_name",
             "beneficiary", "items", "issuer_name"),
            (self._receipt(g, chunk.donors[g.donor], voids.get(g.id)) for g in gifts),
        )  # fmt: skip
        bulk.write(
            RoundLine,
            ("round_id", "position", "name", "phone", "address", "amount_text", "amount",
             "anonymous", "donor_id", "donation_id"),
            ((round_first + g.line[0], g.line[1], chunk.donors[g.donor][1],
              chunk.donors[g.donor][5], chunk.donors[g.donor][3], _money_text(g.amount),
              g.amount, chunk.donors[g.donor][8], donor_id + g.donor, g.id)
             for g in gifts if g.line is not None),
        )  # fmt: skip
        if voids:
            bulk.write(
                VoidRequest,
                ("id", "donation_id", "reason", "status", "requested_by_id", "requested_at",
                 "decided_by_id", "decided_at", "decision_note"),
                [(v[0], gift_id, v[3], "approved", w.staff.pk, v[1], w.committee.pk, v[2],
                  "Đồng ý hủy") for gift_id, v in voids.items()],
            )  # fmt: skip

        # ---- supports of the new households, then the fund's ledger in time order
        supports = self._supports(households, gifts)
        self._ledger(funds, gifts, voids, supports)
        return {k: v - before.get(k, 0) for k, v in bulk.written.items() if v != before.get(k, 0)}

    def _stock_in(self, gifts: list[Gift]) -> None:
        """Goods given to the fund enter the stock, as donation_record does: one
        movement per item line, at its valuation (a voided gift's goods never stay)."""
        if not gifts:
            return
        by_id = {g.id: g for g in gifts}
        items: dict[str, StockItem] = {}
        movements = []
        for line in DonationItem.objects.filter(donation_id__in=by_id).order_by("pk"):
            key = item_key(line.description, line.unit)
            if key not in items:
                items[key], _ = StockItem.objects.get_or_create(
                    key=key, defaults={"name": line.description, "unit": line.unit}
                )
            movements.append(
                StockMovement(
                    item=items[key],
                    kind=StockMovement.Kind.RECEIPT,
                    date=by_id[line.donation_id].day,
                    quantity=line.quantity,
                    value=line.valuation,
                    document_type="donations.donationitem",
                    document_id=str(line.pk),
                    description="Nhận hiện vật (dữ liệu nhân rộng)",
                    created_by=self.w.staff,
                )
            )
        StockMovement.objects.bulk_create(movements, batch_size=2000)

    def _check(self, g: Gift) -> None:
        """A donation's values through the donation service's rules (donation_check),
        which also give the values as stored. The rules read only the values, so each
        distinct set of values is checked once."""
        key = (g.amount, g.day, g.channel, g.purpose, g.fund, g.account, g.campaign_id,
               g.board_id, g.beneficiary, g.item)  # fmt: skip
        checked = self.checked.get(key)
        if checked is None:
            items = ()
            if g.item is not None:
                description, quantity, unit = g.item
                items = [ItemLine(description, quantity, unit, g.amount)]
            try:
                checked = donation_check(
                    date=g.day,
                    amount=g.amount,
                    channel=g.channel,
                    purpose=g.purpose,
                    fund=g.fund,
                    account=g.account,
                    campaign=self.w.campaign if g.campaign_id else None,
                    beneficiary=g.beneficiary,
                    credited_board_member=self.w.board_by_id[g.board_id] if g.board_id else None,
                    items=items,
                )
            except DonationError as error:
                raise ScaleError(
                    f"Khoản ủng hộ mẫu {g.amount} đồng ngày {g.day:%d/%m/%Y}: "
                    + "; ".join(error.messages)
                ) from error
            self.checked[key] = checked
        g.amount, g.fund, g.account, g.beneficiary = checked

    def _receipt(self, g: Gift, donor: tuple, void) -> tuple:
        w = self.w
        campaign_name = w.campaign.name if g.campaign_id else ""
        if g.fund is not None:
            purpose = f"Ủng hộ {g.fund.name}"
        else:
            purpose = f"Hỗ trợ trực tiếp cho {g.beneficiary}"
        if campaign_name:
            purpose += f" – {campaign_name}"
        items = []
        if g.item is not None:
            items = [{"description": g.item[0], "quantity": str(g.item[1]), "unit": g.item[2],
                      "valuation": g.amount}]  # fmt: skip
        return (
            g.receipt_id, g.id, g.fund.pk if g.fund else None,
            g.fund.code if g.fund else DIRECT_SERIES, g.day.year, g.seq, g.number,
            secrets.token_urlsafe(16), "voided" if void else "issued",
            void[2] if void else None, w.staff.pk, g.at, g.day, g.amount, _words(g.amount),
            donor[1], ANONYMOUS_NAME if donor[8] else donor[1], donor[2], donor[3],
            purpose[:300], CHANNEL_LABELS[g.channel], g.fund.name if g.fund else "",
            campaign_name, g.beneficiary, items, w.issuer_name,
        )  # fmt: skip

    def _supports(self, households: list[dict], gifts: list[Gift]) -> list[dict]:
        """Supports of the new households (each category once per household, so no repeat
        needs a reason), plus the direct support of the direct donations made to them."""
        rng, w = self.rng, self.w
        plans = []
        for household in households:
            leader = w.leaders[household["group"].number]
            for category, need, amounts, account, text in rng.sample(SUPPORTS, rng.randint(1, 3)):
                r = rng.random()
                status = "paid" if r < 0.65 else "approved" if r < 0.75 else (
                    "proposed" if r < 0.9 else "rejected")  # fmt: skip
                proposed = _moment(rng, datetime.date(2024, 11, rng.randint(1, 15)))
                plans.append({
                    "household": household, "leader": leader, "category": category,
                    "need_id": household["needs"].get(need), "form": SupportForm.CASH,
                    "amount": rng.choice(amounts), "description": text, "partner": "",
                    "source": SupportSource.FUND, "fund": w.vnn, "account": w.accounts[account],
                    "donation_id": None, "programme": "", "status": status,
                    "proposed": proposed,
                    "decided": _moment(rng, datetime.date(2024, 11, rng.randint(19, 22))),
                    "paid": _moment(rng, datetime.date(2024, 11, 25)
                                    + datetime.timedelta(days=rng.randint(0, 25))),
                })  # fmt: skip
            if rng.random() < 0.15:  # a referral for a loan: no money from the fund
                plans.append({
                    "household": household, "leader": leader, "category": SupportCategory.LOAN,
                    "need_id": household["needs"].get("loan"), "form": SupportForm.REFERRAL,
                    "amount": 50 * M, "description": "Giới thiệu vay vốn hộ cận nghèo",
                    "partner": "Ngân hàng Chính sách xã hội quận Hai Bà Trưng",
                    "source": SupportSource.PROGRAMME, "fund": None, "account": None,
                    "donation_id": None, "programme": "Vốn vay ưu đãi", "status": "paid",
                    "proposed": _moment(rng, datetime.date(2024, 11, 4)),
                    "decided": _moment(rng, datetime.date(2024, 11, 19)),
                    "paid": _moment(rng, datetime.date(2024, 12, 2)),
                })  # fmt: skip
        by_id = {h["id"]: h for h in households}
        used = {(p["household"]["id"], p["category"]) for p in plans}
        for g in gifts:
            household = by_id.get(g.household)
            if household is None:
                continue
            decided = g.at + datetime.timedelta(days=1)
            category = next(
                (c for c in DIRECT_CATEGORIES if (household["id"], c) not in used),
                SupportCategory.OTHER,
            )
            repeat = (household["id"], category) in used
            used.add((household["id"], category))
            plans.append({
                "household": household, "leader": w.leaders[household["group"].number],
                "category": category, "need_id": None, "form": SupportForm.CASH,
                "repeat_reason": "Nhà hảo tâm hỗ trợ thêm trực tiếp" if repeat else "",
                "amount": g.amount, "description": "Hỗ trợ trực tiếp của nhà hảo tâm",
                "partner": "", "source": SupportSource.DIRECT, "fund": None, "account": None,
                "donation_id": g.id, "programme": "", "status": "paid",
                "proposed": g.at + datetime.timedelta(hours=2), "decided": decided,
                "paid": decided + datetime.timedelta(days=2),
            })  # fmt: skip
        if plans:
            first = self.bulk.reserve(Support, len(plans))
            for i, plan in enumerate(plans):
                plan["id"] = first + i
                plan["decision_number"] = (
                    f"{rng.randint(10, 400)}/QĐ-BVĐ" if plan["status"] != "proposed" else ""
                )
                plan["entry_id"] = None
        return plans

    def _ledger(self, funds, gifts, voids, supports) -> None:
        """Every movement of the chunk in time order: receipts, voids, the weekly deposit of
        the cash box at the bank, support payments; chained per fund; then the supports."""
        w, rng = self.w, self.rng
        events = []
        week_cash: dict[datetime.date, int] = defaultdict(int)
        for g in gifts:
            if g.fund is None:
                continue
            events.append((g.at, 0, "receipt", g))
            if g.id in voids:
                events.append((voids[g.id][2], 1, "void", g))
            if g.fund.pk == w.vnn.pk and g.channel == "cash" and g.id not in voids:
                sunday = g.day + datetime.timedelta(days=6 - g.day.weekday())
                week_cash[min(sunday, END)] += g.amount
        for day, total in week_cash.items():
            amount = total * 9 // 10 // 100_000 * 100_000
            if amount > 0:
                at = datetime.datetime(day.year, day.month, day.day, 18, 30, tzinfo=TZ)
                events.append((at + datetime.timedelta(seconds=rng.randrange(1800)), 2,
                               "transfer", amount))  # fmt: skip
        for plan in supports:
            if plan["status"] == "paid" and plan["source"] == SupportSource.FUND:
                events.append((plan["paid"], 3, "payment", plan))
        events.sort(key=lambda e: (e[0], e[1]))

        balances: dict[tuple[int, int], int] = defaultdict(int)
        for row in LedgerEntry.objects.values("fund_id", "account_id").annotate(s=Sum("amount")):
            balances[row["fund_id"], row["account_id"]] = row["s"]
        fund_balance: dict[int, int] = defaultdict(int)
        for (fund_id, _), amount in balances.items():
            fund_balance[fund_id] += amount
        chain = {}
        for fund_id in funds:
            last = (
                LedgerEntry.objects.filter(fund_id=fund_id)
                .order_by("-sequence")
                .values_list("sequence", "hash")
                .first()
            )
            chain[fund_id] = last if last is not None else (0, GENESIS_HASH)
        count = sum(2 if e[2] == "transfer" else 1 for e in events)
        next_id = self.bulk.reserve(LedgerEntry, count) if count else 0
        rows = []

        def entry(fund_id, account_id, amount, kind, day, document_type, document_id,
                  description, actor, at, donation_id=None, receipt_id=None,
                  reverses_id=None):  # fmt: skip
            nonlocal next_id
            sequence, previous = chain[fund_id]
            columns = {
                "fund_id": fund_id, "sequence": sequence + 1, "account_id": account_id,
                "kind": kind, "amount": amount, "date": day, "document_type": document_type,
                "document_id": document_id, "donation_id": donation_id,
                "receipt_id": receipt_id, "reverses_id": reverses_id,
                "description": description[:300], "created_by_id": actor.pk, "created_at": at,
            }  # fmt: skip
            values = tuple(columns[name] for name in CHAIN_FIELDS)  # what the hash covers
            digest = ledger_hash(previous, values)
            chain[fund_id] = (sequence + 1, digest)
            balances[fund_id, account_id] += amount
            fund_balance[fund_id] += amount
            rows.append((next_id, *values, digest))
            next_id += 1
            return next_id - 1

        cash, bank = w.accounts["cash"].pk, w.accounts["bank"].pk
        for at, _, kind, item in events:
            day = at.astimezone(TZ).date()
            if kind == "receipt":
                g = item
                g.entry_id = entry(g.fund.pk, g.account.pk, g.amount, "receipt", g.day,
                                   RECEIPT_DOCUMENT, str(g.receipt_id),
                                   f"Thu theo biên nhận {g.number}", w.staff, g.at,
                                   g.id, g.receipt_id)  # fmt: skip
            elif kind == "void":
                g = item
                void_id, _, _, reason = voids[g.id]
                entry(g.fund.pk, g.account.pk, -g.amount, "void", day, VOID_DOCUMENT,
                      str(void_id), f"Hủy biên nhận {g.number}: {reason}", w.committee, at,
                      g.id, g.receipt_id, g.entry_id)  # fmt: skip
            elif kind == "transfer":
                amount = min(item, balances[w.vnn.pk, cash] // 100_000 * 100_000)
                if amount <= 0:
                    continue
                document = secrets.token_hex(16)
                text = "Nộp tiền mặt thu trong tuần vào tài khoản Quỹ"
                entry(w.vnn.pk, cash, -amount, "transfer_out", day, TRANSFER_DOCUMENT,
                      document, text, w.staff, at)  # fmt: skip
                entry(w.vnn.pk, bank, amount, "transfer_in", day, TRANSFER_DOCUMENT,
                      document, text, w.staff, at)  # fmt: skip
            else:
                plan = item
                fund_id, account_id = plan["fund"].pk, plan["account"].pk
                if min(balances[fund_id, account_id], fund_balance[fund_id]) < plan["amount"]:
                    plan["status"] = "approved"  # not enough money yet: waits for payment
                    continue
                household = plan["household"]
                label = SupportCategory(plan["category"]).label.lower()
                plan["entry_id"] = entry(
                    fund_id, account_id, -plan["amount"], "payment", day, SUPPORT_DOCUMENT,
                    str(plan["id"]),
                    f"Chi hỗ trợ {label} hộ {household['head_name']} "
                    f"({household['group'].name}), QĐ số {plan['decision_number']}",
                    w.treasurer, at,
                )  # fmt: skip
        self.bulk.write(LedgerEntry, ("id", *CHAIN_FIELDS, "hash"), rows)
        self._write_supports(supports)

    def _write_supports(self, supports: list[dict]) -> None:
        if not supports:
            return
        w = self.w
        paid = sorted((p for p in supports if p["status"] == "paid"), key=lambda p: p["paid"])
        # handover record numbers: a block per year of the handover date, in date order,
        # from the support service's locked counter (taken after the fund, as it does)
        by_year = defaultdict(list)
        for plan in paid:
            by_year[plan["paid"].astimezone(TZ).year].append(plan)
        numbers = {}
        for year, plans in sorted(by_year.items()):
            reserved = handover_numbers_reserve(year=year, count=len(plans))
            numbers.update(zip((plan["id"] for plan in plans), reserved, strict=True))
        rows = []
        for p in supports:
            household, status = p["household"], p["status"]
            decided = status != "proposed"
            is_paid = status == "paid"
            leader = p["leader"]
            rows.append((
                p["id"], household["id"], household["group"].pk, p["need_id"], w.campaign.pk,
                p["category"], p["form"], p["amount"], p["description"], p["partner"],
                p["source"], p["fund"].pk if p["fund"] else None,
                p["account"].pk if p["account"] else None, p["donation_id"], p["programme"],
                p.get("repeat_reason", ""), status, leader.pk, p["proposed"],
                w.committee.pk if decided else None, p["decided"] if decided else None,
                p["decision_number"], p["decided"].astimezone(TZ).date() if decided else None,
                w.signer_name if decided else "",
                "Hộ đã được hỗ trợ từ nguồn khác trong năm" if status == "rejected" else "",
                w.treasurer.pk if is_paid else None, p["paid"] if is_paid else None,
                p["paid"].astimezone(TZ).date() if is_paid else None,
                numbers.get(p["id"], ""), household["head_name"] if is_paid else "",
                _person_name(leader) if is_paid else "",
                {"head_name": household["head_name"], "address": household["address"],
                 "group": household["group"].name, "group_number": household["group"].number}
                if is_paid else None,
                p["entry_id"], p["paid"] if is_paid else p["decided"],
            ))  # fmt: skip
        self.bulk.write(
            Support,
            ("id", "household_id", "group_id", "need_id", "campaign_id", "category", "form",
             "amount", "description", "partner", "source", "fund_id", "account_id",
             "donation_id", "programme_name", "repeat_reason", "status", "proposed_by_id",
             "proposed_at",
             "decided_by_id", "decided_at", "decision_number", "decision_date",
             "decision_signer", "reject_reason", "paid_by_id", "paid_at", "handover_date",
             "handover_number", "receiver_name", "witness_name", "recipient",
             "ledger_entry_id", "updated_at"),
            rows,
        )  # fmt: skip


CHANNEL_LABELS = {c.value: c.label for c in Donation.Channel}
DIRECT_CATEGORIES = [SupportCategory.MEDICAL, SupportCategory.SCHOLARSHIP,
                     SupportCategory.HOUSE_REPAIR, SupportCategory.EMERGENCY,
                     SupportCategory.GIFT, SupportCategory.MONTHLY]  # fmt: skip


# --------------------------------------------------------------------------- entry point


TABLES = (Donor, Donation, DonationItem, Receipt, CollectionRound, RoundLine, VoidRequest,
          LedgerEntry, Household, Member, Need, Support)  # fmt: skip


def seed_scale(target: int, *, stdout=None, chunk_size: int = CHUNK) -> dict:
    """Top the scale donations up to ``target`` (see the module's docstring). Returns the
    rows written per model, the donations added and the seconds taken."""
    started = time.monotonic()
    world = load_world()
    done = scale_seeded()
    missing = target - done
    result = {"added": 0, "before": done, "rows": {}, "seconds": 0.0}
    if missing <= 0:
        if stdout is not None:
            stdout.write(
                f"Nhân rộng: đã có {format_number(done)} khoản ủng hộ nhân rộng "
                f"(yêu cầu {format_number(target)}), không thêm."
            )
        return result
    bulk = Bulk()
    rng = random.Random(f"lddh-scale-{done}")  # noqa: S311 - reproducible demo data
    seeder = Seeder(world, bulk, rng)
    dropped = _drop_indexes() if bulk.postgres and missing >= REBUILD_FROM else []
    try:
        _run(seeder, world, target, done, missing, chunk_size, started, stdout, result)
    finally:
        _build_indexes(dropped, stdout)
    if bulk.postgres:
        # Fresh statistics for the planner and, outside a transaction, the visibility map
        # too: until it is set, index-only scans (the list pages' counts and keys) read
        # the table as well, which made a freshly seeded database ~50 % slower.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for model in TABLES:
                cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
    # Written in bulk, past the services: the per-day totals afresh (one INSERT … SELECT;
    # its signal drops the public caches).
    rebuild_day_totals()
    result["rows"] = dict(bulk.written)
    result["seconds"] = time.monotonic() - started
    return result


def _run(seeder, world, target, done, missing, chunk_size, started, stdout, result) -> None:
    while missing > 0:
        size = min(chunk_size, missing)
        with transaction.atomic():
            rows = seeder.chunk(size)
            # Every row of the chunk is written, its transaction still open: figures kept
            # beside the ledger that must commit with the rows they sum are brought up to
            # date here, from the chunk's new rows (seeder.bulk.ids, per model).
            log_event(
                actor=world.staff,
                action=ACTION,
                after={"donations": size, "target": target, "rows": rows},
                note="Dữ liệu nhân rộng để đo hiệu năng (seed_demo --scale).",
            )
        missing -= size
        result["added"] += size
        if stdout is not None:
            stdout.write(
                f"  Nhân rộng: {format_number(done + result['added'])}/{format_number(target)} "
                f"khoản ủng hộ ({time.monotonic() - started:.0f} giây)"
            )


BIG_TABLES = (Donor, Donation, Receipt, RoundLine, LedgerEntry)


def _drop_indexes() -> list[tuple[str, str]]:
    """Drop the indexes of the big tables that back no constraint (primary keys, unique
    and foreign key constraints stay and are checked row by row); return their
    definitions for _build_indexes."""
    tables = [m._meta.db_table for m in BIG_TABLES]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(x.indexrelid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relname = ANY(%s) AND pg_table_is_visible(t.oid) AND NOT x.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            ORDER BY i.relname
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return indexes


def _build_indexes(indexes: list[tuple[str, str]], stdout) -> None:
    if not indexes:
        return
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            cursor.execute(definition)
        cursor.execute("RESET maintenance_work_mem")
    if stdout is not None:
        stdout.write(
            f"  Nhân rộng: dựng lại {len(indexes)} chỉ mục ({time.monotonic() - started:.0f} giây)"
        )
