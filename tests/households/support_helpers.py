"""Shared set-up of the support tests: a campaign, the VNN fund with money in its cash
box, and a household of group 2 with a need."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from donations.models import Account, Donation
from households import services
from households.models import Support, SupportCategory, SupportForm, SupportSource
from tests.factories import (
    AccountFactory,
    CampaignFactory,
    DonorFactory,
    FundFactory,
    HouseholdFactory,
    NeedFactory,
    record_donation,
)

DAY = datetime.date(2024, 11, 20)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


class Books:
    """The VNN fund and its cash box, filled by real donations."""

    def __init__(self, world, amount: int = 0):
        self.world = world
        self.fund = FundFactory()
        self.cash = AccountFactory(name="Tài khoản Quỹ tiền mặt", kind=Account.Kind.CASH)
        self.campaign = CampaignFactory()
        if amount:
            self.give(amount)

    def give(self, amount: int) -> Donation:
        return record_donation(
            actor=self.world.users["staff"],
            fund=self.fund,
            account=self.cash,
            amount=amount,
            campaign=self.campaign,
        )

    def direct(self, amount: int, beneficiary: str = "Hộ bà Đào, tổ 2") -> Donation:
        return record_donation(
            actor=self.world.users["staff"],
            donor=DonorFactory(),
            amount=amount,
            purpose=Donation.Purpose.DIRECT,
            beneficiary=beneficiary,
            campaign=self.campaign,
        )


def household(world, group: int = 2, **kwargs):
    return HouseholdFactory(group=world.groups[group], **kwargs)


def propose(world, books: Books, target=None, *, actor="leader2", **overrides) -> Support:
    target = target or household(world)
    data = {
        "actor": world.users[actor],
        "household": target,
        "campaign": books.campaign,
        "category": SupportCategory.HOUSE_REPAIR,
        "form": SupportForm.CASH,
        "amount": 30_000_000,
        "description": "Hỗ trợ sửa mái nhà",
        "source": SupportSource.FUND,
        "fund": books.fund,
        "account": books.cash,
    }
    data.update(overrides)
    if data["source"] != SupportSource.FUND:
        data.pop("fund", None)
        data.pop("account", None)
    return services.support_propose(**data)


def approve(world, support: Support, *, actor="committee", **overrides) -> Support:
    data = {
        "decision_number": "15/QĐ-BVĐ",
        "decision_date": DAY,
        "decision_signer": "Nguyễn Thị Thu Hà",
    }
    data.update(overrides)
    return services.support_approve(actor=world.users[actor], support=support, **data)


def pay(world, support: Support, *, actor="treasurer", **overrides) -> Support:
    data = {
        "handover_date": DAY,
        "receiver_name": support.household.head_name,
        "witness_name": "Lê Văn Tổ Trưởng",
    }
    data.update(overrides)
    return services.support_pay(actor=world.users[actor], support=support, **data)


def upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def need_for(target, **kwargs):
    return NeedFactory(household=target, **kwargs)


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
