from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from campaigns.models import Campaign
from donations.models import Fund
from households.models import Household, Support, SupportCategory
from lddh.supervision.models import Inspection, Sample, SampleItem
from lddh.supervision.services import MAX_SAMPLE
from lddh.ward.forms import DayField, WardForm
from lddh.ward.models import ResidentialGroup
from lddh.ward.uploads import MAX_UPLOAD_BYTES


def date_field(label: str, **kwargs) -> DayField:
    return DayField(label=label, **kwargs)


class HouseholdChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.head_name} – {obj.group.name}"


class SupportChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return (
            f"Số {obj.pk}: {obj.get_category_display()} – hộ {obj.household.head_name} "
            f"({obj.household.group.name})"
        )


class InspectionForm(WardForm):
    date = date_field("Ngày kiểm tra")
    title = forms.CharField(label="Nội dung kiểm tra", max_length=200)
    team = forms.CharField(
        label="Đoàn kiểm tra", max_length=300, help_text="Họ tên, chức vụ các thành viên."
    )
    campaign = forms.ModelChoiceField(
        label="Chiến dịch", queryset=Campaign.objects.none(), required=False
    )
    scope = forms.ChoiceField(label="Phạm vi", choices=Inspection.Scope.choices)
    fund = forms.ModelChoiceField(label="Quỹ", queryset=Fund.objects.all(), required=False)
    group = forms.ModelChoiceField(
        label="Tổ dân phố", queryset=ResidentialGroup.objects.all(), required=False
    )
    household = HouseholdChoice(
        label="Hộ gia đình", queryset=Household.objects.none(), required=False
    )
    support = SupportChoice(
        label="Công trình (hỗ trợ xây, sửa nhà)", queryset=Support.objects.none(), required=False
    )
    receipt_numbers = forms.CharField(
        label="Số biên nhận đã kiểm tra",
        required=False,
        help_text="Cách nhau bởi dấu phẩy, ví dụ VNN-2024-000012, VNN-2024-000013.",
    )
    findings = forms.CharField(label="Kết quả kiểm tra", widget=forms.Textarea(attrs={"rows": 5}))
    recommendations = forms.CharField(
        label="Kiến nghị", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    follow_up_by = forms.CharField(
        label="Người / bộ phận khắc phục", max_length=200, required=False
    )
    follow_up_due = date_field("Hạn khắc phục", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.order_by("-year")
        self.fields["household"].queryset = Household.objects.select_related("group").order_by(
            "group__number", "head_name"
        )
        self.fields["support"].queryset = (
            Support.objects.filter(
                category__in=[SupportCategory.NEW_HOUSE, SupportCategory.HOUSE_REPAIR]
            )
            .select_related("household__group")
            .order_by("-pk")
        )

    def clean_receipt_numbers(self) -> list[str]:
        text = self.cleaned_data.get("receipt_numbers") or ""
        return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class StatusForm(WardForm):
    status = forms.ChoiceField(label="Tình trạng", choices=Inspection.Status.choices)
    note = forms.CharField(
        label="Ghi chú khắc phục", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class AttachmentForm(WardForm):
    attachment = forms.FileField(
        label="Tệp (ảnh JPEG, PNG hoặc PDF, tối đa 10 MB)",
        error_messages={"required": "Chọn tệp để tải lên."},
    )
    note = forms.CharField(label="Ghi chú", max_length=200, required=False)

    def clean_attachment(self):
        upload = self.cleaned_data["attachment"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("Tệp quá lớn: tối đa 10 MB.")
        return upload


class SampleForm(WardForm):
    kind = forms.ChoiceField(label="Chọn mẫu từ", choices=Sample.Kind.choices)
    size = forms.IntegerField(
        label="Cỡ mẫu",
        min_value=1,
        max_value=MAX_SAMPLE,
        error_messages={
            "invalid": "Cỡ mẫu là một số nguyên.",
            "min_value": "Cỡ mẫu ít nhất là 1.",
            "max_value": f"Cỡ mẫu tối đa {MAX_SAMPLE}.",
        },
    )
    campaign = forms.ModelChoiceField(
        label="Chiến dịch (với hỗ trợ)", queryset=Campaign.objects.none(), required=False
    )
    group = forms.ModelChoiceField(
        label="Chỉ trong tổ dân phố", queryset=ResidentialGroup.objects.all(), required=False
    )
    seed = forms.IntegerField(
        label="Hạt giống ngẫu nhiên",
        required=False,
        min_value=0,
        max_value=10**15 - 1,
        help_text="Để trống: phần mềm tự chọn và ghi lại. Nhập lại hạt giống cũ để rút lại "
        "đúng mẫu cũ.",
        error_messages={"invalid": "Hạt giống là số nguyên không âm."},
    )
    note = forms.CharField(label="Ghi chú", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.order_by("-year")


class SampleResultForm(WardForm):
    result = forms.ChoiceField(
        label="Kết quả",
        choices=[
            (SampleItem.Result.CONFIRMED, SampleItem.Result.CONFIRMED.label),
            (SampleItem.Result.DISCREPANCY, SampleItem.Result.DISCREPANCY.label),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Ghi chú / sai lệch", required=False, max_length=1000)
    checked_on = date_field("Ngày xác minh")


class SampleInspectionForm(WardForm):
    date = date_field("Ngày lập biên bản")
    team = forms.CharField(label="Đoàn kiểm tra", max_length=300)
    recommendations = forms.CharField(
        label="Kiến nghị", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    follow_up_by = forms.CharField(
        label="Người / bộ phận khắc phục", max_length=200, required=False
    )
    follow_up_due = date_field("Hạn khắc phục", required=False)


class AuditFilterForm(WardForm):
    filtering = True

    actor = forms.ModelChoiceField(
        label="Người thực hiện", queryset=get_user_model().objects.none(), required=False
    )
    action = forms.ChoiceField(label="Hành động", required=False)
    object_type = forms.ChoiceField(label="Loại đối tượng", required=False)
    object_id = forms.CharField(label="Mã đối tượng", max_length=64, required=False)
    date_from = date_field("Từ ngày", required=False)
    date_to = date_field("Đến ngày", required=False)

    def __init__(self, *args, actors, actions, object_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = actors
        self.fields["action"].choices = [("", "Tất cả"), *actions]
        self.fields["object_type"].choices = [("", "Tất cả"), *object_types]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "“Đến ngày” phải sau “Từ ngày”.")
        return data


class PrintedHeadForm(WardForm):
    """A chain head read off a printed report: the fund, the entry number, the hash."""

    fund = forms.ModelChoiceField(
        label="Quỹ", queryset=Fund.objects.order_by("order", "pk"), to_field_name="code"
    )
    sequence = forms.IntegerField(
        label="Đến bút toán số",
        min_value=1,
        error_messages={"invalid": "Nhập số thứ tự bút toán in trên giấy."},
    )
    hash = forms.CharField(
        label="Mã kiểm tra",
        max_length=200,
        help_text="64 ký tự 0–9, a–f in sau chữ “Mã kiểm tra sổ quỹ …:”; "
        "bỏ qua dấu cách, xuống dòng.",
    )

    def clean_hash(self) -> str:
        value = "".join(self.cleaned_data["hash"].split()).lower()
        if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
            raise ValidationError("Mã kiểm tra gồm đúng 64 ký tự 0–9, a–f.")
        return value
