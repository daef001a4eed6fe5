"""Demo support for the 2024 campaign, made through the real services (so the fund's
ledger, the handover numbers and the audit log are as real use would leave them):
supports in every status and every category, paid from the VNN fund, a Tết round with
its signed list, house repairs followed up, and direct support linked to the direct
donations of the donations demo.

Idempotent: when any support exists, nothing is added. Without the 2024 campaign or the
demo users nothing is made; without the VNN fund no payment from the fund is made.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from campaigns.models import Campaign
from donations.models import Account, Donation, Fund
from donations.selectors import account_balance
from households import services
from households.models import (
    FollowUp,
    Household,
    Need,
    Support,
    SupportCategory,
    SupportForm,
    SupportSource,
)
from households.services import ItemLine

D = datetime.date
SIGNER = "Trần Thanh Tuấn"
DECIDED = D(2024, 11, 20)
PAID = D(2024, 11, 28)


@dataclass
class Spec:
    group: int
    category: str
    need: str | None
    amount: int
    description: str
    stage: str  # proposed, approved, rejected, cancelled, paid
    form: str = SupportForm.CASH
    source: str = SupportSource.FUND
    account: str = Account.Kind.CASH
    partner: str = ""
    programme: str = ""
    items: tuple = ()
    follow_ups: tuple = ()  # (date, status, note)
    decided: datetime.date = DECIDED
    paid: datetime.date = PAID
    reason: str = ""


SPECS = [
    Spec(2, SupportCategory.NEW_HOUSE, "house_build", 100_000_000,
         "Hỗ trợ xây mới nhà (nhà cấp 4 xuống cấp nghiêm trọng)", "paid",
         account=Account.Kind.BANK, decided=D(2024, 11, 12), paid=D(2024, 11, 25),
         follow_ups=((D(2025, 1, 15), FollowUp.Status.IN_PROGRESS, "Đã đổ móng, đang xây tường"),
                     (D(2025, 4, 10), FollowUp.Status.COMPLETED, "Đã hoàn thành nhà, gia đình "
                      "đã chuyển vào ở"))),
    Spec(4, SupportCategory.HOUSE_REPAIR, "house_repair", 60_000_000,
         "Hỗ trợ sửa chữa nhà: thay mái tôn, chống thấm tường", "paid",
         account=Account.Kind.BANK, paid=D(2024, 11, 26),
         follow_ups=((D(2025, 2, 20), FollowUp.Status.COMPLETED, "Đã hoàn thành sửa nhà"),)),
    Spec(6, SupportCategory.HOUSE_REPAIR, "house_repair", 45_000_000,
         "Hỗ trợ sửa chữa nhà: làm lại bếp và khu vệ sinh", "paid",
         account=Account.Kind.BANK, paid=D(2024, 11, 27),
         follow_ups=((D(2025, 1, 8), FollowUp.Status.COMPLETED, "Đã hoàn thành, nghiệm thu "
                      "cùng tổ dân phố"),)),
    Spec(1, SupportCategory.LIVELIHOOD, "production", 0,
         "Hỗ trợ phương tiện sinh kế: xe đạp chở hàng và tủ kính bán hàng", "paid",
         form=SupportForm.IN_KIND,
         items=(("Xe đạp chở hàng", 1, "chiếc", 3_500_000),
                ("Tủ kính bán hàng", 1, "chiếc", 2_000_000)),
         follow_ups=((D(2025, 3, 5), FollowUp.Status.IN_USE, "Còn sử dụng, bán hàng ăn sáng "
                      "đầu ngõ"),)),
    Spec(3, SupportCategory.LOAN, "loan", 50_000_000,
         "Giới thiệu vay vốn hộ cận nghèo 50.000.000 đ", "paid",
         form=SupportForm.REFERRAL, source=SupportSource.PROGRAMME,
         partner="Ngân hàng Chính sách xã hội quận Hai Bà Trưng"),
    Spec(8, SupportCategory.TRAINING_JOB, "training_job", 0,
         "Giới thiệu học nghề điện dân dụng, có việc làm sau khóa học", "approved",
         form=SupportForm.REFERRAL, source=SupportSource.PROGRAMME,
         partner="Trường Cao đẳng nghề Bách khoa Hà Nội"),
    Spec(9, SupportCategory.MEDICAL, "serious_illness", 10_000_000,
         "Hỗ trợ chi phí điều trị bệnh hiểm nghèo", "paid"),
    Spec(9, SupportCategory.MEDICAL, "serious_illness", 5_000_000,
         "Hỗ trợ thêm chi phí chạy thận đợt 2", "approved",
         reason="Bệnh nặng thêm, phải điều trị thêm đợt 2 tại Bệnh viện Bạch Mai"),
    Spec(1, SupportCategory.HEALTH_INSURANCE, "health_insurance", 0,
         "Mua thẻ BHYT cho 2 thành viên", "proposed", form=SupportForm.IN_KIND,
         items=(("Thẻ bảo hiểm y tế hộ gia đình", 2, "thẻ", 1_263_600),)),
    Spec(5, SupportCategory.MONTHLY, "monthly", 1_000_000,
         "Trợ cấp hằng tháng cho cụ cao tuổi sống một mình", "rejected",
         reason="Cụ đã hưởng trợ cấp xã hội hằng tháng của Nhà nước; đề nghị thăm hỏi dịp lễ"),
    Spec(7, SupportCategory.EMERGENCY, None, 3_000_000,
         "Hỗ trợ đột xuất khi chủ hộ nằm viện", "cancelled",
         reason="Gia đình đã được doanh nghiệp trên địa bàn hỗ trợ, không cần thêm"),
    Spec(2, SupportCategory.OTHER, None, 2_000_000,
         "Hỗ trợ mua đồ dùng học tập cho 2 cháu", "proposed"),
]  # fmt: skip

DIRECT_SPECS = [
    # (group, words of the donation's beneficiary text, category, need)
    (3, "tổ 3", SupportCategory.HOUSE_REPAIR, "house_repair"),
    (7, "tổ 7", SupportCategory.MEDICAL, "serious_illness"),
    (5, "tổ 5", SupportCategory.SCHOLARSHIP, "student"),
]


def seed(*, stdout) -> None:
    if Support.objects.exists():
        stdout.write("Hỗ trợ: đã có dữ liệu, không tạo thêm.")
        return
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["canbo", "thuongtruc", "ketoan", *[f"to{n}" for n in range(1, 10)]]
        )
    }
    campaign = Campaign.objects.filter(year=2024).order_by("start_date").first()
    if campaign is None or not {"canbo", "thuongtruc", "ketoan"} <= users.keys():
        stdout.write("Hỗ trợ: thiếu chiến dịch 2024 hoặc tài khoản demo, bỏ qua.")
        return
    if not Household.objects.exists():
        stdout.write("Hỗ trợ: chưa có hộ gia đình, bỏ qua.")
        return
    fund = Fund.objects.filter(code="VNN").first()
    accounts = {a.kind: a for a in Account.objects.filter(active=True).order_by("-order")}
    used: set[int] = set()
    made = 0
    for spec in SPECS:
        if spec.source == SupportSource.FUND and fund is None:
            continue
        if _make(spec, campaign, fund, accounts, users, used):
            made += 1
    made += _direct(campaign, users, used)
    round_size = _tet_round(campaign, fund, accounts, users) if fund else 0
    _consents(users["canbo"])
    stdout.write(
        f"Hỗ trợ: {made} khoản hỗ trợ mẫu, một đợt quà Tết {round_size} hộ với danh sách ký nhận."
    )


def _pick(group: int, need_type: str | None, used: set[int], *, reuse: bool = False):
    """An active household of the group, preferring one with an open need of the type."""
    households = Household.objects.active().filter(group__number=group).order_by("pk")
    if not reuse:
        households = households.exclude(pk__in=used)
    if need_type:
        open_need = Need.objects.filter(
            household=OuterRef("pk"), type=need_type, status__in=("open", "planned")
        )
        preferred = households.filter(Exists(open_need)).first()
        if preferred is not None:
            need = preferred.needs.filter(type=need_type).order_by("pk").first()
            return preferred, need
    household = households.first()
    return household, None


def _make(spec: Spec, campaign, fund, accounts, users, used: set[int]) -> Support | None:
    repeat = bool(spec.reason) and spec.stage != "rejected" and spec.stage != "cancelled"
    household, need = _pick(spec.group, spec.need, used, reuse=repeat)
    if household is None:
        return None
    if repeat:
        previous = (
            Support.objects.filter(household__group__number=spec.group, category=spec.category)
            .order_by("pk")
            .first()
        )
        if previous is not None:
            household, need = previous.household, previous.need
    used.add(household.pk)
    proposer = users.get(f"to{spec.group}") or users["canbo"]
    account = accounts.get(spec.account) if spec.source == SupportSource.FUND else None
    if spec.source == SupportSource.FUND and (
        account is None or account_balance(account, fund=fund) < (spec.amount or 10**7)
    ):
        return None
    support = services.support_propose(
        actor=proposer,
        household=household,
        campaign=campaign,
        category=spec.category,
        form=spec.form,
        amount=spec.amount or None,
        description=spec.description,
        source=spec.source,
        need=need,
        partner=spec.partner,
        fund=fund if spec.source == SupportSource.FUND else None,
        account=account,
        programme_name=spec.programme or spec.partner,
        items=[ItemLine(*item) for item in spec.items],
        repeat_reason=spec.reason if repeat else "",
    )
    return _advance(support, spec, users)


def _advance(support: Support, spec: Spec, users) -> Support:
    committee, treasurer = users["thuongtruc"], users["ketoan"]
    if spec.stage == "proposed":
        return support
    if spec.stage == "cancelled":
        return services.support_cancel(actor=users["canbo"], support=support, reason=spec.reason)
    if spec.stage == "rejected":
        return services.support_reject(actor=committee, support=support, reason=spec.reason)
    support = services.support_approve(
        actor=committee,
        support=support,
        decision_number=f"{10 + support.pk}/QĐ-BVĐ",
        decision_date=spec.decided,
        decision_signer=SIGNER,
    )
    if spec.stage == "approved":
        return support
    support = services.support_pay(
        actor=treasurer,
        support=support,
        handover_date=spec.paid,
        receiver_name=support.household.head_name,
        witness_name=_witness(users, spec.group),
    )
    for day, status, note in spec.follow_ups:
        services.support_follow_up(
            actor=users.get(f"to{spec.group}") or users["canbo"],
            support=support,
            date=day,
            status=status,
            note=note,
        )
    return support


def _witness(users, group: int) -> str:
    """The group's front-work leader witnesses the handover."""
    leader = users.get(f"to{group}")
    name = f"{leader.last_name} {leader.first_name}".strip() if leader else ""
    return name or f"Trưởng ban công tác Mặt trận tổ {group}"


def _direct(campaign, users, used: set[int]) -> int:
    """Direct support: the donor gave straight to the household; the fund is untouched."""
    made = 0
    direct = Donation.objects.filter(purpose=Donation.Purpose.DIRECT, status="valid")
    for group, words, category, need_type in DIRECT_SPECS:
        donation = direct.filter(beneficiary__contains=words).order_by("pk").first()
        if donation is None:
            continue
        spec = Spec(
            group,
            category,
            need_type,
            donation.amount,
            f"Nhà hảo tâm {donation.donor} hỗ trợ trực tiếp",
            "paid",
            source=SupportSource.DIRECT,
            paid=max(donation.date, D(2024, 11, 20)),
        )
        household, need = _pick(group, need_type, used)
        if household is None:
            continue
        used.add(household.pk)
        support = services.support_propose(
            actor=users["canbo"],
            household=household,
            campaign=campaign,
            category=category,
            form=SupportForm.CASH,
            amount=donation.amount,
            description=spec.description,
            source=SupportSource.DIRECT,
            donation=donation,
            need=need,
        )
        _advance(support, spec, users)
        made += 1
    return made


def _tet_round(campaign, fund, accounts, users) -> int:
    """Tết gifts for the especially difficult households, three per group at most."""
    cash = accounts.get(Account.Kind.CASH)
    if cash is None:
        return 0
    chosen = []
    for group in range(1, 10):
        chosen += list(
            Household.objects.active()
            .filter(group__number=group, especially_difficult=True)
            .order_by("pk")[:3]
        )
    if not chosen or account_balance(cash, fund=fund) < 500_000 * len(chosen):
        return 0
    round = services.round_create(
        actor=users["canbo"],
        name="Trao quà Tết Ất Tỵ 2025",
        campaign=campaign,
        category=SupportCategory.GIFT,
        form=SupportForm.CASH,
        amount=500_000,
        source=SupportSource.FUND,
        fund=fund,
        account=cash,
        households=chosen,
        filters={"phan_loai": "difficult"},
    )
    services.round_approve(
        actor=users["thuongtruc"],
        round=round,
        decision_number="25/QĐ-BVĐ",
        decision_date=D(2025, 1, 10),
        decision_signer=SIGNER,
    )
    services.round_pay(
        actor=users["ketoan"],
        round=round,
        handover_date=D(2025, 1, 20),
        witness_name=_witness(users, 1),
    )
    return len(chosen)


def _consents(actor) -> None:
    """About half of the supported households agreed to appear as initials."""
    supported = Household.objects.filter(supports__isnull=False).distinct().order_by("pk")
    for index, household in enumerate(supported):
        if index % 2:
            continue
        title = "bà" if " Thị " in f" {household.head_name} " else "ông"
        services.household_set_public_consent(
            actor=actor, household=household, consent=True, head_title=title
        )
