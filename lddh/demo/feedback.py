"""Demo of the residents' feedback (phản ánh, kiến nghị): one item in every state, sent
over the last weeks, so the inspection team's list, the inbox (one new, one overdue) and
the public monthly counts and published answers have something to show. Sent through
the public service (no signed-in sender), then handled as giamsat and published as
thuongtruc. Moves no money.

The items are dated back from today (the receipt time is set after the service wrote
it) so that the due dates and the overdue one stay meaningful whenever the demo is built.

Idempotent: when any feedback exists, nothing is added.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from lddh.supervision.feedback import services
from lddh.supervision.models import Feedback
from lddh.ward.models import ResidentialGroup

T = Feedback.Topic
ITEMS = (
    # days ago, topic, group, content, contact, what happened to it
    (
        45,
        T.NOT_RECEIVED,
        4,
        "Gia đình tôi ở tổ 4 có tên trong danh sách nhận quà Tết nhưng đến nay chưa nhận "
        "được phần quà 500.000 đồng.",
        {"contact_name": "Nguyễn Thị Lan", "contact_phone": "0912 000 444"},
        "closed",
    ),
    (
        30,
        T.WRONG_FIGURES,
        None,
        "Tổng số tiền ủng hộ trên trang công khai tháng 11 khác với số đọc trên loa phường.",
        {},
        "published",
    ),
    (
        25,
        T.WRONG_HOUSEHOLD,
        7,
        "Một hộ ở tổ 7 có hai con đi làm, nhà đã xây lại, năm nay vẫn có tên trong danh "
        "sách hộ nghèo được hỗ trợ.",
        {"contact_email": "nguoidan.to7@example.vn"},
        "overdue",
    ),
    (
        9,
        T.STAFF_CONDUCT,
        2,
        "Khi đến nộp tiền ủng hộ, tôi phải chờ lâu vì không có người ghi biên nhận.",
        {"contact_name": "Phạm Văn Hùng", "contact_phone": "0983 222 111"},
        "answered",
    ),
    (
        2,
        T.OTHER,
        None,
        "Đề nghị Ban vận động niêm yết danh sách hộ được hỗ trợ ở nhà văn hóa từng tổ.",
        {},
        "received",
    ),
)
ANSWERS = {
    "closed": "Ban Thanh tra nhân dân đã xác minh cùng tổ 4: phần quà bị ghi nhầm sang đợt "
    "sau; gia đình đã nhận đủ 500.000 đồng ngày 02/02, có ký nhận.",
    "published": "Số đọc trên loa là số tạm tính đến ngày 15/11; số trên trang công khai là "
    "số đã đối chiếu sổ quỹ đến cuối tháng. Hai số khác nhau vì thời điểm, không sai.",
    "answered": "Ban Thường trực đã nhắc cán bộ trực; từ tháng này có thêm một người ghi biên "
    "nhận vào sáng thứ Bảy.",
}
PUBLIC_QUESTIONS = {
    "closed": "Một hộ ở tổ 4 có tên trong danh sách nhận quà Tết nhưng chưa nhận được quà.",
    "published": "Tổng số tiền ủng hộ trên trang công khai khác với số đọc trên loa phường.",
}


def seed(*, stdout) -> None:
    if Feedback.objects.exists():
        stdout.write("Phản ánh, kiến nghị: đã có dữ liệu, không tạo thêm.")
        return
    users = get_user_model().objects.filter(username__in=("giamsat", "thuongtruc"))
    by_name = {u.username: u for u in users}
    supervisor, committee = by_name.get("giamsat"), by_name.get("thuongtruc")
    if supervisor is None or committee is None:
        stdout.write("Phản ánh, kiến nghị: thiếu tài khoản giamsat hoặc thuongtruc, bỏ qua.")
        return
    groups = {g.number: g for g in ResidentialGroup.objects.all()}
    now = timezone.now()
    for days, topic, group, content, contact, state in ITEMS:
        sent = now - datetime.timedelta(days=days)
        item = services.feedback_submit(
            topic=topic,
            content=content,
            group=groups.get(group),
            today=timezone.localtime(sent).date(),
            **contact,
        )
        Feedback.objects.filter(pk=item.pk).update(received_at=sent)
        if state == "received":
            continue
        services.feedback_assign(
            actor=committee, feedback=item, assignee=supervisor, note="Giao Ban Thanh tra xác minh."
        )
        if state == "overdue":
            continue
        services.feedback_answer(actor=supervisor, feedback=item, answer=ANSWERS[state])
        if state in PUBLIC_QUESTIONS:
            services.feedback_publish(
                actor=committee, feedback=item, public_question=PUBLIC_QUESTIONS[state]
            )
        if state == "closed":
            services.feedback_close(actor=supervisor, feedback=item, note="Đã gọi điện báo.")
    stdout.write(f"Phản ánh, kiến nghị: {len(ITEMS)} phản ánh, đủ các tình trạng.")
