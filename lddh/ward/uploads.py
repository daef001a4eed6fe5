"""Uploaded scans and photos are accepted by their content, never by their name."""

from __future__ import annotations

from typing import NamedTuple

from django.core.exceptions import ValidationError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"%PDF-", "application/pdf", "pdf"),
)


class CheckedUpload(NamedTuple):
    content_type: str
    extension: str
    content: bytes


def check_upload(upload, *, field: str = "attachment") -> CheckedUpload:
    """A JPEG, PNG or PDF of at most 10 MB, judged by its first bytes; otherwise a
    ValidationError on `field` in Vietnamese."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({field: ["Tệp quá lớn: tối đa 10 MB; hãy chụp hoặc quét nhỏ hơn."]})
    upload.seek(0)
    content = upload.read()
    if not content:
        raise ValidationError({field: ["Tệp rỗng."]})
    for magic, content_type, extension in SIGNATURES:
        if content.startswith(magic):
            return CheckedUpload(content_type, extension, content)
    raise ValidationError(
        {
            field: [
                "Tệp không phải ảnh JPEG, PNG hoặc tệp PDF (đã kiểm tra nội dung tệp, "
                "không chỉ phần đuôi tên)."
            ]
        }
    )
