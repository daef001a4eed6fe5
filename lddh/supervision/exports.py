"""The audit trail as XLSX / CSV, through the shared renderer (lddh.ward.exports)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone

from lddh.supervision.selectors import action_label, describe_event, object_type_label
from lddh.ward.exports import Column, Export
from lddh.ward.models import WardProfile


class AuditExport(Export):
    title = "Nhật ký thao tác"
    sheet_name = "Nhật ký"
    filename = "nhat-ky-thao-tac"
    columns = (
        Column("Thời điểm", width=18),
        Column("Người thực hiện", width=16),
        Column("Hành động", width=28),
        Column("Loại đối tượng", width=20),
        Column("Mã", width=10),
        Column("Đối tượng", width=36),
        Column("Thay đổi (trước → sau)", width=70),
        Column("Ghi chú", width=30),
    )

    def __init__(self, events, *, sensitive: bool = False, subtitle: Sequence[str] = ()):
        self.events = events
        self.subtitle = list(subtitle)
        if sensitive:
            self.title = "Nhật ký truy cập thông tin nhạy cảm"
            self.filename = "nhat-ky-thong-tin-nhay-cam"

    def header_lines(self) -> Sequence[str]:
        ward = WardProfile.current()
        return ward.header_line_list if ward else ()

    def subtitle_lines(self) -> Sequence[str]:
        return [*self.subtitle, f"Xuất lúc {timezone.localtime():%d/%m/%Y %H:%M}"]

    def rows(self) -> Iterable[Sequence[Any]]:
        for event in self.events.iterator(chunk_size=2000):
            changes = "; ".join(
                f"{label}: {old} → {new}" if old else f"{label}: {new}"
                for label, old, new in describe_event(event)
            )
            yield (
                timezone.localtime(event.at).strftime("%d/%m/%Y %H:%M:%S"),
                event.actor_name,
                action_label(event.action),
                object_type_label(event.object_type) if event.object_type else "",
                event.object_id,
                event.object_repr,
                changes,
                event.note,
            )
