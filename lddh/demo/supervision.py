"""Demo of supervision: one inspection of the fund during the 2024 campaign (on the
calendar) and one random sample of paid supports, verified, whose results became an
inspection record. Made through the services as the supervisor giamsat.

Idempotent: when any inspection or sample exists, nothing is added.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from campaigns.models import Campaign
from donations.models import Fund
from households.models import Support
from lddh.supervision import services
from lddh.supervision.models import Inspection, Sample, SampleItem

D = datetime.date
SEED = 20241128
TEAM = "Hoàng Minh Đức (Trưởng ban Thanh tra nhân dân), Lê Thị Thu (thành viên)"


def seed(*, stdout) -> None:
    if Inspection.objects.exists() or Sample.objects.exists():
        stdout.write("Giám sát: đã có dữ liệu, không tạo thêm.")
        return
    supervisor = get_user_model().objects.filter(username="giamsat").first()
    campaign = Campaign.objects.filter(year=2024).order_by("start_date").first()
    fund = Fund.objects.filter(code="VNN").first()
    if supervisor is None or campaign is None or fund is None:
        stdout.write("Giám sát: thiếu tài khoản giamsat, chiến dịch 2024 hoặc quỹ VNN, bỏ qua.")
        return
    services.inspection_create(
        actor=supervisor,
        data={
            "date": D(2024, 11, 15),
            "title": "Kiểm tra việc tiếp nhận ủng hộ và sổ quỹ giữa Tháng cao điểm",
            "team": TEAM,
            "campaign": campaign,
            "scope": Inspection.Scope.FUND,
            "fund": fund,
            "findings": (
                "Đối chiếu sổ biên nhận với sổ quỹ: số biên nhận liên tục, không trùng; "
                "số dư tiền mặt khớp sổ quỹ. Một số biên nhận thu qua tổ dân phố ghi thiếu "
                "địa chỉ người nộp."
            ),
            "recommendations": (
                "Bổ sung địa chỉ người nộp trên các khoản thu qua tổ; nộp tiền mặt vào tài "
                "khoản ngân hàng của Quỹ hằng tuần."
            ),
            "follow_up_by": "Cán bộ Ủy ban MTTQ phường",
            "follow_up_due": D(2024, 11, 30),
        },
    )
    if not Support.objects.filter(status=Support.Status.PAID, campaign=campaign).exists():
        stdout.write("Giám sát: một biên bản kiểm tra; chưa có hỗ trợ đã chi để chọn mẫu.")
        return
    sample = services.sample_draw(
        actor=supervisor,
        kind=Sample.Kind.SUPPORTS,
        size=5,
        seed=SEED,
        campaign=campaign,
        note="Xác minh sau đợt trao hỗ trợ cuối năm 2024",
    )
    items = list(sample.items.order_by("position"))
    for item in items:
        discrepancy = item.position == len(items)
        services.sample_record(
            actor=supervisor,
            item=item,
            result=SampleItem.Result.DISCREPANCY if discrepancy else SampleItem.Result.CONFIRMED,
            note=(
                "Hộ xác nhận đã nhận, nhưng biên bản bàn giao lưu tại phường chưa có chữ ký "
                "người chứng kiến của tổ."
                if discrepancy
                else "Hộ xác nhận đã nhận đủ, đúng biên bản."
            ),
            checked_on=D(2025, 1, 20),
        )
    services.sample_to_inspection(
        actor=supervisor,
        sample=sample,
        date=D(2025, 1, 22),
        team=TEAM,
        recommendations="Bổ sung chữ ký người chứng kiến vào biên bản bàn giao còn thiếu.",
        follow_up_by="Kế toán / thủ quỹ phường",
        follow_up_due=D(2025, 2, 15),
    )
    stdout.write(
        f"Giám sát: 2 biên bản kiểm tra, mẫu xác minh {len(items)} hỗ trợ (hạt giống {SEED})."
    )
