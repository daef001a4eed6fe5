"""Demo pledges of the 2024 launch ceremony (17/10/2024), one in every state, made with
the real services. They add no money: the payments are donations the donations demo
recorded already, counted against the pledges (``pledge_payment_link``), so the demo's
2024 figures stay as they are.

- paid in full: a business whose two valid donations are its two instalments;
- partly paid: a business's donation as the first instalment, a second one due later;
- overdue: an agency's pledge due 15/11/2024, nothing counted against it;
- not paid yet: a pledge due two months from the day the demo is made;
- cancelled: a pledge entered twice, cancelled with its reason.

Idempotent: once any pledge exists, nothing is added. Without the 2024 campaign (open),
the VNN fund or the demo users, nothing is made."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from campaigns.models import Campaign
from donations import services
from donations.models import Donation, Donor, Fund, Pledge

D = datetime.date
CEREMONY = D(2024, 10, 17)


def _donors_with_gifts(campaign, count: int) -> list[Donor]:
    """Businesses with exactly ``count`` valid fund donations in the campaign."""
    return list(
        Donor.objects.filter(source="business")
        .annotate(
            n=Count(
                "donations",
                filter=Q(
                    donations__campaign=campaign,
                    donations__status=Donation.Status.VALID,
                    donations__fund__code="VNN",
                ),
            )
        )
        .filter(n=count)
        .order_by("pk")
    )


def _gifts(donor, campaign) -> list[Donation]:
    return list(
        donor.donations.filter(
            campaign=campaign, status=Donation.Status.VALID, fund__code="VNN"
        ).order_by("date", "pk")
    )


def seed(*, stdout) -> None:
    if Pledge.objects.exists():
        stdout.write("Cam kết ủng hộ: đã có, không tạo thêm.")
        return
    campaign = Campaign.objects.filter(year=2024).order_by("start_date").first()
    fund = Fund.objects.filter(code="VNN").first()
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["canbo", "thuongtruc"])
    }
    if campaign is None or campaign.is_closed or fund is None or len(users) < 2:
        stdout.write("Cam kết ủng hộ: thiếu chiến dịch 2024, quỹ hoặc tài khoản demo, bỏ qua.")
        return
    staff = users["canbo"]
    later = timezone.localdate() + datetime.timedelta(days=60)
    made = 0

    def pledge(donor, amount, **kwargs) -> Pledge:
        nonlocal made
        made += 1
        return services.pledge_create(
            actor=staff,
            donor=donor,
            campaign=campaign,
            fund=fund,
            pledged_on=CEREMONY,
            amount=amount,
            **kwargs,
        )

    twice = _donors_with_gifts(campaign, 2)
    once = _donors_with_gifts(campaign, 1)
    if twice:  # paid in full, in two instalments
        donor = twice[0]
        gifts = _gifts(donor, campaign)
        paid = pledge(
            donor,
            sum(g.amount for g in gifts),
            instalments=[(max(g.date, CEREMONY), g.amount) for g in gifts],
            channel=Pledge.Channel.BANK,
            note="Cam kết tại lễ phát động, nộp hai đợt.",
        )
        for gift in gifts:
            services.pledge_payment_link(actor=staff, pledge=paid, donation=gift)
    if once:  # partly paid: the second instalment is not due yet
        donor = once[0]
        gift = _gifts(donor, campaign)[0]
        partly = pledge(
            donor,
            gift.amount + 10_000_000,
            instalments=[(max(gift.date, CEREMONY), gift.amount), (later, 10_000_000)],
            channel=Pledge.Channel.BANK,
        )
        services.pledge_payment_link(actor=staff, pledge=partly, donation=gift)
    agency = Donor.objects.filter(source="agency").order_by("pk").first()
    if agency is not None:  # overdue: due in the campaign month, nothing counted
        pledge(
            agency,
            5_000_000,
            due_date=D(2024, 11, 15),
            channel=Pledge.Channel.CASH,
            note="Đơn vị hẹn nộp tiền mặt tại Ủy ban.",
        )
    if len(once) > 1:  # not paid yet, due in two months
        pledge(
            once[1],
            20_000_000,
            kind=Pledge.Kind.GOODS,
            goods="200 suất quà Tết (gạo, dầu ăn, bánh chưng)",
            due_date=later,
            channel=Pledge.Channel.IN_KIND,
        )
    if len(once) > 2:  # entered twice at the ceremony: the second one cancelled
        twin = pledge(once[2], 3_000_000, due_date=D(2024, 11, 30))
        services.pledge_cancel(
            actor=users["thuongtruc"], pledge=twin, reason="Ghi trùng tại lễ phát động."
        )
    stdout.write(f"Cam kết ủng hộ: {made} cam kết mẫu (đủ các trạng thái).")
