"""Forms of the feedback: the residents' public form and tracking look-up, and the
inspection team's handling forms. Anything a stranger types is bounded here, and the
service checks it again (by content for the attachments)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from lddh.supervision.feedback.selectors import normalise_code
from lddh.supervision.feedback.services import (
    MAX_ANSWER,
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    MAX_CONTENT,
    MIN_CONTENT,
    handlers,
)
from lddh.supervision.models import Feedback
from lddh.ward.forms import PhoneField, WardForm
from lddh.ward.models import ResidentialGroup
from lddh.ward.uploads import check_upload

__all__ = [
    "AnswerForm",
    "AssignForm",
    "CloseForm",
    "FeedbackForm",
    "PublishForm",
    "TrackForm",
    "UnpublishForm",
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one box; each is a Django UploadedFile."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"})
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _text_area(rows: int, placeholder: str = "") -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "placeholder": placeholder})


class FeedbackForm(WardForm):
    topic = forms.ChoiceField(label="Chủ đề", choices=Feedback.Topic.choices)
    content = forms.CharField(
        label="Nội dung phản ánh, kiến nghị",
        min_length=MIN_CONTENT,
        max_length=MAX_CONTENT,
        widget=_text_area(6, "Việc gì, ở đâu, khi nào…"),
        help_text=f"Từ {MIN_CONTENT} đến {MAX_CONTENT} ký tự. Nội dung chỉ Ban Thanh tra "
        "nhân dân và Ban Thường trực đọc, không công khai.",
    )
    group = forms.ModelChoiceField(
        label="Tổ dân phố (nếu có)",
        queryset=ResidentialGroup.objects.none(),
        required=False,
    )
    contact_name = forms.CharField(label="Họ tên (không bắt buộc)", max_length=100, required=False)
    contact_phone = PhoneField(label="Điện thoại (không bắt buộc)")
    contact_email = forms.EmailField(
        label="Thư điện tử (không bắt buộc)",
        max_length=254,
        required=False,
        error_messages={
            "invalid": "Thư điện tử (không bắt buộc): địa chỉ chưa đúng, ví dụ ten@gmail.com."
        },
    )
    attachments = MultipleFileField(
        label=f"Ảnh hoặc tệp PDF kèm theo (không bắt buộc, tối đa {MAX_ATTACHMENTS} tệp, "
        "mỗi tệp 5 MB)",
        required=False,
    )
    # A box people never see (hidden by the page's style); a robot filling every box
    # fills it too, and its feedback is refused.
    website = forms.CharField(label="Trang web", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = ResidentialGroup.objects.order_by("number")
        self.fields["group"].empty_label = "Không chọn"
        self.fields["contact_phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["contact_email"].widget.attrs.update(
            {"autocomplete": "email", "inputmode": "email"}
        )

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                f"Tệp đính kèm: tối đa {MAX_ATTACHMENTS} tệp, đã chọn {len(files)}."
            )
        for upload in files:
            if upload.size > MAX_ATTACHMENT_BYTES:
                raise ValidationError(
                    f"Tệp đính kèm “{upload.name}”: quá lớn, tối đa 5 MB một tệp."
                )
            # Judged by its content here too, so that the message shows with the others
            # (the service checks again before storing).
            try:
                check_upload(upload, field="attachments")
            except ValidationError as error:
                raise ValidationError(
                    [f"Tệp đính kèm “{upload.name}”: {m}" for m in error.messages]
                ) from None
        return files

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise ValidationError("Không gửi được phản ánh này.")
        return ""

    def clean_content(self):
        return self.cleaned_data["content"].strip()


class TrackForm(WardForm):
    ma = forms.CharField(
        label="Mã theo dõi",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "placeholder": "PA-XXXX-XXXX",
                "autocomplete": "off",
                "autocapitalize": "characters",
            }
        ),
    )

    def clean_ma(self):
        code = normalise_code(self.cleaned_data["ma"])
        if code is None:
            raise ValidationError(
                "Mã theo dõi có dạng PA-XXXX-XXXX (8 chữ và số sau chữ PA), như trên trang "
                "cảm ơn sau khi gửi."
            )
        return code


class AssignForm(WardForm):
    assignee = forms.ModelChoiceField(label="Giao cho", queryset=None)
    note = forms.CharField(
        label="Ghi chú xử lý (nội bộ)", max_length=1000, required=False, widget=_text_area(2)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = handlers()
        field.label_from_instance = lambda user: (
            f"{user.last_name} {user.first_name}".strip() or user.get_username()
        )


class AnswerForm(WardForm):
    answer = forms.CharField(
        label="Trả lời người phản ánh",
        min_length=MIN_CONTENT,
        max_length=MAX_ANSWER,
        widget=_text_area(8),
        help_text="Người gửi chỉ đọc được trả lời khi Ban Thường trực quyết định công khai.",
    )


class CloseForm(WardForm):
    note = forms.CharField(
        label="Ghi chú kết thúc (nội bộ)", max_length=1000, required=False, widget=_text_area(2)
    )


class PublishForm(WardForm):
    public_question = forms.CharField(
        label="Nội dung phản ánh để công khai",
        min_length=MIN_CONTENT,
        max_length=MAX_CONTENT,
        widget=_text_area(6),
        help_text="Viết lại nội dung, bỏ họ tên, địa chỉ, số điện thoại và mọi chi tiết nhận "
        "ra người gửi. Liên hệ của người gửi không bao giờ được công khai.",
    )


class UnpublishForm(WardForm):
    reason = forms.CharField(label="Lý do thôi công khai", max_length=300, required=False)
