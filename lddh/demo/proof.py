"""Demo of the proof of spending (bằng chứng chi) on the public pages: scans of the
signed handover records of a few 2024 supports, kept by the ward, and two redacted scans
(names, addresses and signatures covered): one approved by the people's inspection board
(public), one waiting for its review. No money moves: only files and their reviews."""

from __future__ import annotations

import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.models import Campaign
from households import services
from households.models import RedactedScan, Support


def handover_picture(*, redacted: bool) -> bytes:
    """A small PNG that looks like a signed handover record: lines of text as grey bars,
    with black boxes over the names, the address and the signatures when redacted."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (420, 560), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((150, 24, 270, 36), fill=(90, 90, 90))  # the title
    for top in range(70, 400, 26):
        draw.rectangle((30, top, 390, top + 8), fill=(170, 170, 170))
    for left in (40, 250):  # the two signatures
        draw.line((left, 470, left + 60, 450, left + 120, 480), fill=(20, 40, 140), width=3)
    if redacted:
        for box in ((120, 96, 330, 112), (30, 148, 390, 164), (30, 440, 390, 500)):
            draw.rectangle(box, fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def seed(*, stdout) -> None:
    if RedactedScan.objects.exists():
        return
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["thuongtruc", "ketoan", "giamsat"])
    }
    campaign = Campaign.objects.filter(year=2024).order_by("start_date").first()
    if campaign is None or len(users) < 3:
        stdout.write("Bằng chứng chi: thiếu chiến dịch 2024 hoặc tài khoản demo, bỏ qua.")
        return
    paid = Support.objects.filter(campaign=campaign, status=Support.Status.PAID)
    # Consented households first (their initials show), then any: four records.
    chosen = list(paid.filter(household__public_consent=True).order_by("handover_date", "pk")[:3])
    chosen += list(paid.exclude(pk__in=[s.pk for s in chosen]).order_by("pk")[: 4 - len(chosen)])
    if len(chosen) < 2:
        stdout.write("Bằng chứng chi: chưa có hỗ trợ đã chi, bỏ qua.")
        return
    original = handover_picture(redacted=False)
    for support in chosen:
        if not support.attachments.exists():
            services.support_attach(
                actor=users["ketoan"],
                support=support,
                upload=SimpleUploadedFile(f"{support.handover_number}.png", original),
                note="Biên bản bàn giao đã ký (bản quét lưu tại phường)",
            )
    redacted = handover_picture(redacted=True)
    scans = [
        services.redacted_scan_upload(
            actor=users["thuongtruc"],
            support=support,
            upload=SimpleUploadedFile(f"{support.handover_number}-da-che.png", redacted),
            note="Đã che họ tên, địa chỉ và chữ ký",
        )
        for support in chosen[:2]
    ]
    services.redacted_scan_approve(actor=users["giamsat"], scan=scans[0])
    stdout.write(
        f"Bằng chứng chi: {len(chosen)} biên bản đã quét, một bản chụp đã che được công khai "
        f"(biên bản {chosen[0].handover_number}), một bản chờ Ban Thanh tra duyệt."
    )
