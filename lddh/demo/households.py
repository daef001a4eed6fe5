"""Demo households: 72 invented households across the 9 groups, with members, needs,
support plans, the 2024 review and a few proposals waiting. No real person: names,
addresses, CCCD and phone numbers are made up (a fixed random seed keeps them stable).

Idempotent: when the register already holds households, nothing is added.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone

from campaigns.models import Campaign
from households import services
from households.models import (
    Category,
    DifficultyReason,
    Household,
    Member,
    Need,
    Proposal,
    Review,
    ReviewRound,
)
from lddh.demo import household_support
from lddh.ward.audit import AuditAction, log_event
from lddh.ward.models import ResidentialGroup

SURNAMES = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô",
    "Dương", "Lý", "Đinh", "Trịnh", "Phan", "Tạ", "Lương", "Mai", "Cao", "Kiều",
]  # fmt: skip
MALE = [
    ("Văn", "Hùng"), ("Đức", "Thắng"), ("Quang", "Vinh"), ("Minh", "Tuấn"), ("Hữu", "Nghĩa"),
    ("Công", "Sơn"), ("Văn", "Long"), ("Đình", "Phúc"), ("Văn", "Toàn"), ("Xuân", "Trường"),
    ("Mạnh", "Cường"), ("Văn", "Khải"), ("Tiến", "Dũng"), ("Quốc", "Bảo"), ("Văn", "Chiến"),
]  # fmt: skip
FEMALE = [
    ("Thị", "Lan"), ("Thị", "Hoa"), ("Thu", "Hương"), ("Thị", "Hạnh"), ("Ngọc", "Anh"),
    ("Thị", "Nga"), ("Thanh", "Thảo"), ("Thị", "Yến"), ("Thị", "Loan"), ("Hồng", "Nhung"),
    ("Thị", "Tuyết"), ("Kim", "Dung"), ("Thị", "Hằng"), ("Minh", "Nguyệt"), ("Thị", "Sen"),
]  # fmt: skip
STREETS = ["Lê Đại Hành", "Mai Hắc Đế", "Tuệ Tĩnh", "Thể Giao", "Trần Nhân Tông", "Hàng Chuối"]
SCHOOLS = [
    ("Trường Tiểu học Lê Ngọc Hân", "lớp 3"),
    ("Trường Tiểu học Tô Hoàng", "lớp 5"),
    ("Trường THCS Ngô Gia Tự", "lớp 7"),
    ("Trường THCS Ngô Gia Tự", "lớp 9"),
    ("Trường THPT Thăng Long", "lớp 11"),
    ("Trường Cao đẳng nghề Bách khoa Hà Nội", "năm thứ nhất"),
]
ILLNESSES = [
    "Suy thận mạn, chạy thận nhân tạo 3 buổi mỗi tuần tại Bệnh viện Bạch Mai.",
    "Ung thư vú, đang điều trị hóa chất tại Bệnh viện K.",
    "Tai biến mạch máu não, liệt nửa người, cần người chăm sóc.",
    "Ung thư phổi giai đoạn 3, điều trị tại Bệnh viện K cơ sở Tân Triều.",
    "Xơ gan, phải nằm viện nhiều đợt trong năm.",
]


@dataclass
class Case:
    """One household to create: who they are, their members, needs and plan."""

    head: tuple[str, int, bool]  # name, birth year, female
    category: str
    difficult: bool
    reasons: list[str]
    circumstances: str
    income: int | None
    goal: str
    members: list[dict] = field(default_factory=list)
    needs: list[tuple[str, str, int, int]] = field(default_factory=list)  # type, text, cost, prio
    plan: list[tuple[str, str, int]] = field(default_factory=list)  # action, who, days
    need_met: bool = False


class Names:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def person(self, female: bool, surname: str | None = None) -> str:
        for _ in range(200):
            middle, given = self.rng.choice(FEMALE if female else MALE)
            name = f"{surname or self.rng.choice(SURNAMES)} {middle} {given}"
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("ran out of demo names")


def _child(names: Names, rng, surname: str, year: int, school=True) -> dict:
    female = rng.random() < 0.5
    data = {
        "full_name": names.person(female, surname),
        "birth_year": year,
        "relation": Member.Relation.CHILD,
    }
    if school:
        place, grade = rng.choice(SCHOOLS)
        data.update(is_student=True, school=place, grade=grade)
    return data


def _case(kind: str, names: Names, rng: random.Random) -> Case:
    female = rng.random() < 0.6
    surname = rng.choice(SURNAMES)
    if kind == "elderly_alone":
        year = rng.randint(1934, 1948)
        head = (names.person(female, surname), year, female)
        return Case(
            head=head,
            category=rng.choice([Category.NEAR_POOR, Category.NONE]),
            difficult=True,
            reasons=["elderly_alone"],
            circumstances=f"{'Bà' if female else 'Ông'} sống một mình, "
            f"{'chồng' if female else 'vợ'} mất đã lâu, con đi làm ăn xa không gửi tiền về. "
            "Sống bằng lương hưu xã hội và sự giúp đỡ của hàng xóm; đi lại khó khăn.",
            income=rng.choice([900_000, 1_100_000, 1_300_000]),
            goal="Bảo đảm có người thăm nom hằng tuần, đủ thuốc men, nhà ở an toàn.",
            needs=[
                ("health_insurance", "Gia hạn thẻ BHYT năm 2025", 1_105_000, 2),
                ("monthly", "Trợ cấp 500.000 đ mỗi tháng trong 12 tháng", 6_000_000, 1),
                ("tet_gift", "Quà Tết Ất Tỵ", 1_000_000, 3),
            ],
            plan=[
                ("Thăm hỏi hằng tháng, nhắc lịch khám", "Hội Người cao tuổi phường", 30),
                ("Đề nghị Quỹ trợ cấp thường xuyên", "Cán bộ Mặt trận phường", 45),
            ],
            members=[
                {"full_name": head[0], "birth_year": year, "relation": Member.Relation.HEAD,
                 "is_elderly": True}
            ],
        )  # fmt: skip
    if kind == "serious_illness":
        year = rng.randint(1968, 1985)
        head = (names.person(False, surname), year, False)
        spouse = names.person(True)
        illness = rng.choice(ILLNESSES)
        return Case(
            head=head,
            category=Category.NEAR_POOR,
            difficult=True,
            reasons=["serious_illness"],
            circumstances=f"Vợ là chị {spouse} mắc bệnh hiểm nghèo, chi phí điều trị lớn. "
            "Anh làm xe ôm công nghệ, thu nhập bấp bênh; hai con đang đi học.",
            income=rng.choice([1_400_000, 1_600_000, 1_800_000]),
            goal="Giảm gánh nặng viện phí, giữ cho các con được đi học, "
            "tìm cho anh việc làm ổn định hơn.",
            members=[
                {"full_name": spouse, "birth_year": year + rng.randint(0, 4),
                 "relation": Member.Relation.SPOUSE, "is_seriously_ill": True,
                 "health_note": illness},
                _child(names, rng, surname, rng.randint(2008, 2012)),
                _child(names, rng, surname, rng.randint(2013, 2017)),
            ],
            needs=[
                ("serious_illness", "Hỗ trợ chi phí điều trị đợt tới", 20_000_000, 1),
                ("student", "Đỡ đầu con lớn đến hết năm học", 6_000_000, 2),
                ("training_job", "Giới thiệu việc làm bảo vệ, lái xe cho anh", 0, 3),
            ],
            plan=[
                ("Vận động nhà hảo tâm hỗ trợ viện phí", "Ban vận động Quỹ phường", 20),
                ("Nhận đỡ đầu một cháu", "Hội Khuyến học phường", 60),
            ],
        )  # fmt: skip
    if kind == "disability":
        year = rng.randint(1960, 1978)
        head = (names.person(True, surname), year, True)
        child = _child(names, rng, surname, rng.randint(2000, 2010), school=False)
        child.update(is_disabled=True, health_note="Bại não bẩm sinh, không tự đi lại được.")
        return Case(
            head=head,
            category=Category.NEAR_POOR,
            difficult=True,
            reasons=["disability"],
            circumstances="Con bị khuyết tật nặng từ nhỏ, cần người chăm sóc cả ngày; mẹ "
            "chỉ bán hàng nước trước cửa nhà được vài giờ mỗi ngày.",
            income=rng.choice([1_200_000, 1_500_000]),
            goal="Có kế sinh nhai tại nhà để vừa làm vừa chăm con.",
            members=[child],
            needs=[
                ("production", "Tủ kính và xe đẩy bán hàng nước, bánh mì", 8_000_000, 1),
                ("monthly", "Hỗ trợ 300.000 đ/tháng tiền bỉm, thuốc", 3_600_000, 2),
            ],
            plan=[("Trao xe bán hàng", "Hội Liên hiệp Phụ nữ phường", 30)],
        )
    if kind == "orphaned_child":
        year = rng.randint(1945, 1958)
        head = (names.person(True, surname), year, True)
        return Case(
            head=head,
            category=Category.NONE,
            difficult=True,
            reasons=["orphaned_child", "elderly_alone"],
            circumstances="Bố mẹ của cháu mất trong tai nạn giao thông; bà ngoại đã cao tuổi "
            "một mình nuôi cháu, sống bằng trợ cấp và tiền trông xe thuê.",
            income=rng.choice([1_000_000, 1_200_000]),
            goal="Cháu được học hết phổ thông và học nghề; bà có người thăm nom.",
            members=[
                {"full_name": head[0], "birth_year": year, "relation": Member.Relation.HEAD,
                 "is_elderly": True},
                {**_child(names, rng, rng.choice(SURNAMES), rng.randint(2010, 2015)),
                 "relation": Member.Relation.GRANDCHILD},
            ],
            needs=[
                ("student", "Học bổng đỡ đầu 500.000 đ/tháng đến hết lớp 12", 6_000_000, 1),
                ("health_insurance", "Thẻ BHYT cho bà", 1_105_000, 2),
            ],
            plan=[("Nhận đỡ đầu cháu đến 18 tuổi", "Đoàn Thanh niên phường", 15)],
        )  # fmt: skip
    if kind == "sudden_hardship":
        year = rng.randint(1970, 1990)
        head = (names.person(False, surname), year, False)
        return Case(
            head=head,
            category=Category.NONE,
            difficult=True,
            reasons=["sudden_hardship"],
            circumstances="Tháng 9/2024 nhà bị cháy do chập điện, mất toàn bộ đồ đạc và "
            "hàng hóa; cả nhà đang ở nhờ nhà người thân.",
            income=rng.choice([1_500_000, 1_900_000]),
            goal="Sửa lại nhà để ở, khôi phục quầy sửa xe.",
            members=[
                {"full_name": names.person(True), "birth_year": year + 2,
                 "relation": Member.Relation.SPOUSE, "is_working": True},
                _child(names, rng, surname, rng.randint(2012, 2018)),
            ],
            needs=[
                ("house_repair", "Sửa lại mái, điện và tường sau hỏa hoạn", 60_000_000, 1),
                ("loan", "Vay vốn mua lại dụng cụ sửa xe", 30_000_000, 2),
            ],
            plan=[
                ("Khảo sát, lập dự toán sửa nhà", "Cán bộ Mặt trận phường", 10),
                ("Giới thiệu vay Ngân hàng Chính sách xã hội", "Hội Cựu chiến binh phường", 30),
            ],
        )  # fmt: skip
    if kind == "house_build":
        year = rng.randint(1955, 1970)
        head = (names.person(female, surname), year, female)
        return Case(
            head=head,
            category=Category.NEAR_POOR,
            difficult=True,
            reasons=["other"],
            circumstances="Nhà cấp bốn xây từ những năm 1980 đã xuống cấp nặng, tường nứt, "
            "mùa mưa dột khắp nhà; không đủ khả năng tự xây lại.",
            income=rng.choice([1_300_000, 1_700_000]),
            goal="Có nhà ở kiên cố, an toàn trước mùa mưa bão.",
            members=[
                {"full_name": names.person(not female), "birth_year": year - 2,
                 "relation": Member.Relation.SPOUSE, "is_elderly": year < 1962},
            ],
            needs=[("house_build", "Xây mới nhà cấp bốn 30 m²", 100_000_000, 1)],
            plan=[
                ("Vận động doanh nghiệp tài trợ xây nhà", "Ban vận động Quỹ phường", 60),
                ("Giám sát thi công, lập biên bản bàn giao", "Ban công tác Mặt trận tổ", 120),
            ],
        )  # fmt: skip
    # near_poor: a working family recognised as near-poor
    year = rng.randint(1975, 1992)
    head = (names.person(True, surname), year, True)
    return Case(
        head=head,
        category=Category.NEAR_POOR,
        difficult=False,
        reasons=[],
        circumstances="Mẹ đơn thân làm giúp việc theo giờ, nuôi hai con nhỏ; thu nhập không "
        "ổn định, thuê nhà trong ngõ.",
        income=rng.choice([1_600_000, 1_800_000, 2_000_000]),
        goal="Có nghề ổn định và vốn nhỏ để thoát cận nghèo trong hai năm.",
        members=[
            _child(names, rng, surname, rng.randint(2011, 2016)),
            _child(names, rng, surname, rng.randint(2016, 2019)),
        ],
        needs=[
            ("loan", "Vay vốn mở quầy bán hàng ăn sáng", 50_000_000, 2),
            ("training_job", "Học nghề nấu ăn hoặc chăm sóc người già", 3_000_000, 1),
            ("tet_gift", "Quà Tết cho hai cháu", 1_000_000, 3),
        ],
        plan=[("Giới thiệu lớp học nghề miễn phí", "Hội Liên hiệp Phụ nữ phường", 45)],
    )


PLAN_NEED = {
    "Đề nghị Quỹ trợ cấp thường xuyên": "monthly",
    "Vận động nhà hảo tâm hỗ trợ viện phí": "serious_illness",
    "Nhận đỡ đầu một cháu": "student",
    "Trao xe bán hàng": "production",
    "Nhận đỡ đầu cháu đến 18 tuổi": "student",
    "Khảo sát, lập dự toán sửa nhà": "house_repair",
    "Giới thiệu vay Ngân hàng Chính sách xã hội": "loan",
    "Vận động doanh nghiệp tài trợ xây nhà": "house_build",
    "Giới thiệu lớp học nghề miễn phí": "training_job",
}
"""Which need each plan step serves."""

KINDS = [
    "elderly_alone", "serious_illness", "near_poor", "disability", "house_build",
    "orphaned_child", "near_poor", "sudden_hardship", "elderly_alone", "serious_illness",
]  # fmt: skip
HOUSEHOLDS_PER_GROUP = [8, 9, 7, 8, 8, 9, 8, 7, 8]  # 72 in all


def seed(*, stdout) -> None:
    _seed_register(stdout=stdout)
    household_support.seed(stdout=stdout)


def _seed_register(*, stdout) -> None:
    if Household.objects.exists():
        stdout.write("Hộ gia đình: đã có dữ liệu, không tạo thêm.")
        return
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=_usernames())}
    office = users.get("canbo")
    groups = {g.number: g for g in ResidentialGroup.objects.filter(number__in=range(1, 10))}
    if office is None or len(groups) < 9:
        stdout.write("Hộ gia đình: thiếu tài khoản canbo hoặc 9 tổ dân phố, bỏ qua.")
        return
    rng = random.Random(2024)  # noqa: S311 - demo data, not security
    names = Names(rng)
    today = timezone.localdate()
    created: dict[int, list[Household]] = {}
    position = 0
    for number, count in enumerate(HOUSEHOLDS_PER_GROUP, start=1):
        group = groups[number]
        leader = users.get(f"to{number}") or office
        created[number] = []
        for index in range(count):
            case = _case(KINDS[position % len(KINDS)], names, rng)
            position += 1
            household = _create(case, group, office, leader, rng, index, today)
            created[number].append(household)
    _proposals(users, groups, created, office, names, rng)
    _review_2024(users, created, office, rng)
    _long_exited(groups, office)
    total = sum(len(v) for v in created.values())
    stdout.write(f"Hộ gia đình: đã tạo {total} hộ, nhu cầu, kế hoạch và đề xuất mẫu.")


def _long_exited(groups, office) -> None:
    """A household that left the register in 2019: due for anonymisation
    (`manage.py anonymise_households --dry-run` lists it)."""
    household = services.household_create(
        actor=office,
        group=groups[4],
        head_name="Hoàng Văn Thắng",
        head_birth_year=1948,
        address="Số 7, ngõ 15 phố Mai Hắc Đế",
        phone="0904112233",
        category=Category.NONE,
        especially_difficult=True,
        difficulty_reasons=[DifficultyReason.ELDERLY_ALONE],
        circumstances="Hai vợ chồng già, đã được con đón về quê chăm sóc.",
    )
    services.household_exit(
        actor=office,
        household=household,
        exit_date=datetime.date(2019, 3, 15),
        reason="Chuyển về quê sống cùng con (Nam Định)",
    )


def _usernames() -> list[str]:
    return ["canbo", "thuongtruc", *[f"to{n}" for n in range(1, 10)]]


def _create(case: Case, group, office, leader, rng, index: int, today) -> Household:
    name, year, _female = case.head
    street = rng.choice(STREETS)
    address = f"Số {rng.randint(2, 120)}, ngõ {rng.randint(1, 80)} phố {street}"
    cccd = ""
    if rng.random() < 0.7:  # invented: 001 (Hà Nội), century-gender digit, year, serial
        cccd = f"001{rng.choice('0123')}{year % 100:02d}{rng.randint(0, 999999):06d}"
    household = services.household_create(
        actor=office,
        group=group,
        head_name=name,
        head_birth_year=year,
        address=address,
        head_cccd=cccd,
        phone=f"09{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.6 else "",
        category=case.category,
        decision_number=f"{rng.randint(80, 260)}/QĐ-UBND" if case.category != Category.NONE else "",
        decision_year=2024 if case.category != Category.NONE else None,
        standard="nd07_2021" if case.category != Category.NONE else "",
        especially_difficult=case.difficult,
        difficulty_reasons=case.reasons,
        circumstances=case.circumstances,
        income_per_person=case.income,
        plan_goal=case.goal,
    )
    for member in case.members:
        if member.get("relation") == Member.Relation.HEAD:
            head = household.members.get(relation=Member.Relation.HEAD)
            extra = {k: v for k, v in member.items() if k not in ("full_name", "birth_year")}
            extra.pop("relation")
            if extra:
                services.member_update(actor=office, member=head, **extra)
            continue
        services.member_add(actor=office, household=household, **member)
    needs = []
    for need_type, text, cost, priority in case.needs:
        needs.append(
            services.need_add(
                actor=leader,
                household=household,
                type=need_type,
                description=text,
                estimated_cost=cost,
                priority=priority,
            )
        )
    by_type = {need.type: need for need in needs}
    for action, who, days in case.plan:
        services.plan_item_add(
            actor=leader,
            household=household,
            action=action,
            responsible=who,
            due_date=datetime.date(2024, 11, 18) + datetime.timedelta(days=days),
            need=by_type.get(PLAN_NEED.get(action, "")),
        )
    if index % 4 == 3 and needs:  # some needs were met during the 2024 campaign
        services.need_update(actor=leader, need=needs[-1], status=Need.Status.MET)
    return household


def _proposals(users, groups, created, office, names, rng) -> None:
    committee = users.get("thuongtruc") or office
    to = {n: users.get(f"to{n}") for n in range(1, 10)}
    campaign = Campaign.objects.filter(year=2024).first()
    # Waiting: group 3 asks to mark a household especially difficult (illness).
    if to[3]:
        target = created[3][2]
        services.proposal_submit(
            actor=to[3],
            kind=Proposal.Kind.CLASSIFY,
            group=groups[3],
            household=target,
            payload={
                "category": target.category,
                "decision_number": target.decision_number,
                "decision_year": target.decision_year,
                "standard": target.standard,
                "especially_difficult": True,
                "difficulty_reasons": ["serious_illness"],
            },
            note="Họp tổ ngày 25/10/2024 thống nhất: chồng phát hiện ung thư gan, "
            "mất khả năng lao động.",
            campaign=campaign,
        )
    # Waiting: two new households proposed by groups 2 and 5.
    for number, case_kind, why in [
        (5, "sudden_hardship", "Nhà bị cháy đêm 02/11/2024, cả nhà phải ở nhờ."),
        (2, "elderly_alone", "Cụ sống một mình, con trai vừa mất; họp tổ đề nghị đưa vào."),
    ]:
        if to[number]:
            case = _case(case_kind, names, rng)
            name, year, _ = case.head
            services.proposal_submit(
                actor=to[number],
                kind=Proposal.Kind.NEW,
                group=groups[number],
                payload={
                    "head_name": name,
                    "head_birth_year": year,
                    "address": f"Số {rng.randint(2, 90)}, ngõ {rng.randint(1, 60)} phố Tuệ Tĩnh",
                    "category": Category.NONE,
                    "especially_difficult": True,
                    "difficulty_reasons": case.reasons,
                    "circumstances": case.circumstances,
                    "income_per_person": case.income,
                    "plan_goal": case.goal,
                    # What the leader's form takes besides: the others living there, the
                    # needs with their estimates.
                    "members": [
                        {k: m.get(k) for k in ("full_name", "birth_year", "relation")}
                        for m in case.members
                        if m.get("relation") != Member.Relation.HEAD
                    ],
                    "needs": [
                        {"type": kind, "description": text, "estimated_cost": cost}
                        for kind, text, cost, _priority in case.needs
                    ],
                },
                note=why,
                campaign=campaign,
            )
    # Decided: one accepted (group 1), one returned (group 4), so both show in history.
    if to[1]:
        proposal = services.proposal_submit(
            actor=to[1],
            kind=Proposal.Kind.CLASSIFY,
            group=groups[1],
            household=created[1][2],
            payload={
                "category": Category.ESCAPED_NEAR_POOR,
                "decision_number": "212/QĐ-UBND",
                "decision_year": 2024,
                "standard": "nd07_2021",
                "especially_difficult": False,
                "difficulty_reasons": [],
            },
            note="Đã có Quyết định 212/QĐ-UBND công nhận thoát cận nghèo.",
            campaign=campaign,
        )
        services.proposal_accept(actor=committee, proposal=proposal)
    if to[4]:
        proposal = services.proposal_submit(
            actor=to[4],
            kind=Proposal.Kind.EXIT,
            group=groups[4],
            household=created[4][1],
            payload={"exit_date": datetime.date(2024, 10, 30), "exit_reason": "Chuyển đi nơi khác"},
            note="Nghe nói gia đình đã chuyển về quê.",
            campaign=campaign,
        )
        services.proposal_return(
            actor=office,
            proposal=proposal,
            reason="Tổ kiểm tra lại: hộ vẫn đăng ký thường trú và đang ở tại địa chỉ cũ.",
        )


def _review_2024(users, created, office, rng) -> None:
    """The 2024 review: groups 1–6 done, group 7 half way (one exit proposed), 8–9 not
    started. Written directly: the campaign may already be closed, which the service
    (rightly) refuses for new reviews."""
    campaign = Campaign.objects.filter(year=2024).first()
    if campaign is None:
        return
    when = timezone.make_aware(datetime.datetime(2024, 10, 28, 9, 0))
    for number, households in created.items():
        if number >= 8:
            continue
        leader = users.get(f"to{number}") or office
        review_round = ReviewRound.objects.create(campaign=campaign, group=households[0].group)
        todo = households if number < 7 else households[: len(households) // 2]
        for index, household in enumerate(todo):
            outcome, note = Review.Outcome.CONFIRMED, ""
            if index == 1:
                outcome, note = Review.Outcome.CHANGED, "Cập nhật nhu cầu và thu nhập."
            if number == 7 and index == 0:
                outcome, note = Review.Outcome.EXIT, "Con trai đã đi làm, thu nhập ổn định."
                services.proposal_submit(
                    actor=leader,
                    kind=Proposal.Kind.EXIT,
                    group=household.group,
                    household=household,
                    payload={"exit_date": datetime.date(2024, 11, 5), "exit_reason": note},
                    note=f"Rà soát 2024: {note}",
                    campaign=campaign,
                )
            review = Review.objects.create(
                round=review_round,
                household=household,
                outcome=outcome,
                note=note,
                reviewed_by=leader,
                reviewed_at=when + datetime.timedelta(days=number, minutes=index * 7),
            )
            log_event(
                actor=leader,
                action=AuditAction.HOUSEHOLD_REVIEW,
                obj=household,
                after={"campaign": campaign.pk, "outcome": review.outcome, "note": note},
            )
        if number <= 4:
            review_round.completed_at = when + datetime.timedelta(days=number + 1)
            review_round.completed_by = leader
            review_round.save()
