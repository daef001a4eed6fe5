"""Forms of the register. They check shape (12 digits, a year not in the future); the
services check the rules that need the database (duplicates) and raise errors that the
views put back next to the field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaigns.models import Campaign
from donations.models import Account, Donation, Fund
from households.models import (
    MAX_SUPPORT,
    Category,
    DifficultyReason,
    FollowUp,
    Household,
    Member,
    Need,
    PlanItem,
    Review,
    Standard,
    SupportCategory,
    SupportForm,
    SupportSource,
)
from households.services import MSG_CCCD, MSG_YEAR_FUTURE, MSG_YEAR_OLD
from lddh.ward.fields import DongField, SecondLookMixin
from lddh.ward.forms import DayField, PhoneField, WardForm, WardModelForm

MAX_IMPORT_BYTES = 2 * 1024 * 1024


class YearField(forms.IntegerField):
    """A year of birth: never in the future (the message names the rule)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "placeholder": "ví dụ 1958"})

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value > timezone.localdate().year:
            raise ValidationError(MSG_YEAR_FUTURE, code="future")
        if value < 1900:
            raise ValidationError(MSG_YEAR_OLD, code="too_old")


class CccdField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("label", "Số CCCD chủ hộ")
        kwargs.setdefault("help_text", "12 chữ số; có thể để trống.")
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean(self, value):
        value = "".join((super().clean(value) or "").split()).replace(".", "")
        if value and not (len(value) == 12 and value.isascii() and value.isdigit()):
            raise ValidationError(MSG_CCCD, code="cccd")
        return value


class ClassificationForm(WardForm):
    category = forms.ChoiceField(
        label="Phân loại chính thức", choices=Category.choices, initial=Category.NONE
    )
    decision_number = forms.CharField(
        label="Số quyết định công nhận", max_length=60, required=False
    )
    decision_year = forms.IntegerField(
        label="Năm quyết định", required=False, min_value=2000, max_value=2100
    )
    standard = forms.ChoiceField(
        label="Chuẩn áp dụng",
        choices=[("", "—"), *Standard.choices],
        required=False,
        initial=Standard.ND07_2021,
    )
    especially_difficult = forms.BooleanField(
        label="Hộ có hoàn cảnh đặc biệt khó khăn (theo họp tổ)", required=False
    )
    difficulty_reasons = forms.MultipleChoiceField(
        label="Lý do",
        choices=DifficultyReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def classification(self) -> dict:
        return {name: self.cleaned_data[name] for name in ClassificationForm.base_fields}


class ProposalNoteMixin(WardForm):
    note = forms.CharField(
        label="Lý do đề xuất",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=True,
        help_text="Phường đọc lý do này khi duyệt.",
    )


class HouseholdForm(WardForm):
    """Identity and description. Office staff also see CCCD, phone and the group."""

    group = forms.ModelChoiceField(queryset=None, label="Tổ dân phố")
    head_name = forms.CharField(label="Họ tên chủ hộ", max_length=100)
    head_birth_year = YearField(label="Năm sinh chủ hộ")
    address = forms.CharField(label="Địa chỉ", max_length=300)
    head_cccd = CccdField()
    phone = PhoneField()
    circumstances = forms.CharField(
        label="Hoàn cảnh", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    income_per_person = DongField(
        label="Thu nhập bình quân (đồng/người/tháng)", required=False, min_value=0
    )
    plan_goal = forms.CharField(
        label="Mục tiêu hỗ trợ bền vững",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Hộ cần gì để tự vươn lên, không tái nghèo.",
    )

    def __init__(self, *args, groups, personal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["group"].empty_label = "— chọn tổ —"
        if not personal:
            del self.fields["head_cccd"]
            del self.fields["phone"]
        if groups.count() == 1:
            self.fields["group"].initial = groups.first()


class HouseholdCreateForm(HouseholdForm, ClassificationForm):
    pass


class HouseholdProposeForm(HouseholdCreateForm, ProposalNoteMixin):
    pass


class ClassificationProposeForm(ClassificationForm, ProposalNoteMixin):
    pass


class ExitForm(WardForm):
    exit_date = DayField(label="Ngày ra khỏi danh sách", initial=timezone.localdate)
    exit_reason = forms.CharField(
        label="Lý do",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ví dụ: đã thoát cận nghèo theo Quyết định số …; chuyển đi nơi khác.",
    )


class ReactivateForm(WardForm):
    note = forms.CharField(label="Lý do đưa trở lại", widget=forms.Textarea(attrs={"rows": 2}))


class MemberForm(WardModelForm):
    birth_year = YearField(label="Năm sinh")

    class Meta:
        model = Member
        fields = [
            "full_name",
            "birth_year",
            "relation",
            "is_working",
            "is_student",
            "school",
            "grade",
            "is_elderly",
            "is_disabled",
            "is_seriously_ill",
            "health_note",
        ]
        widgets = {"health_note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, personal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not personal:
            del self.fields["health_note"]

    def clean(self):
        data = super().clean()
        if data.get("school") and not data.get("is_student"):
            data["is_student"] = True
        return data


class NeedForm(WardModelForm):
    estimated_cost = DongField(label="Dự toán (đồng)", required=False, min_value=0)

    class Meta:
        model = Need
        fields = ["type", "description", "estimated_cost", "priority", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class PlanItemForm(WardModelForm):
    class Meta:
        model = PlanItem
        fields = ["action", "responsible", "due_date", "need", "status"]

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = household.needs.all()
        self.fields["need"].empty_label = "— không gắn nhu cầu —"
        self.fields["due_date"].widget.attrs["placeholder"] = "dd/mm/yyyy"


class ReviewForm(WardForm):
    outcome = forms.ChoiceField(
        label="Kết quả", choices=Review.Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Ghi chú",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bắt buộc khi có thay đổi hoặc đề xuất ra khỏi danh sách.",
    )


class ReturnForm(WardForm):
    reason = forms.CharField(
        label="Lý do trả lại",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Tổ sẽ đọc lý do này để bổ sung.",
    )


class ImportForm(WardForm):
    file = forms.FileField(label="Tệp Excel (.xlsx)", help_text="Theo mẫu của phường; tối đa 2 MB.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError("Chỉ nhận tệp Excel .xlsx theo mẫu.")
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError("Tệp quá lớn: tối đa 2 MB.")
        return upload


# ---------------------------------------------------------------- support


def date_field(label: str, **kwargs) -> DayField:
    return DayField(label=label, **kwargs)


class DonationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        beneficiary = f" → {obj.beneficiary}" if obj.beneficiary else ""
        return f"{obj.donor} – {obj.amount:,} đ – {obj.date:%d/%m/%Y}{beneficiary}".replace(
            ",", "."
        )


class SupportEntryForm(SecondLookMixin, WardForm):
    """What a support says. The service checks the rules (source, items, amounts); an
    unusual amount is confirmed once more before saving."""

    campaign = forms.ModelChoiceField(queryset=Campaign.objects.none(), label="Chiến dịch")
    category = forms.ChoiceField(label="Loại hỗ trợ", choices=SupportCategory.choices)
    need = forms.ModelChoiceField(
        queryset=Need.objects.none(), label="Đáp ứng nhu cầu", required=False
    )
    form = forms.ChoiceField(label="Hình thức", choices=SupportForm.choices)
    description = forms.CharField(
        label="Nội dung hỗ trợ", max_length=300, help_text="Ví dụ: Hỗ trợ sửa mái nhà."
    )
    amount = DongField(
        label="Số tiền / trị giá (đồng)",
        required=False,
        min_value=0,
        max_value=MAX_SUPPORT,
        help_text="Hiện vật: để trống thì lấy tổng trị giá các hiện vật bên dưới.",
    )
    partner = forms.CharField(
        label="Đơn vị nhận giới thiệu (vay vốn, việc làm)", max_length=200, required=False
    )
    source = forms.ChoiceField(label="Nguồn", choices=SupportSource.choices)
    fund = forms.ModelChoiceField(queryset=Fund.objects.all(), label="Quỹ", required=False)
    account = forms.ModelChoiceField(
        queryset=Account.objects.filter(active=True), label="Chi từ", required=False
    )
    donation = DonationChoiceField(
        queryset=Donation.objects.none(), label="Khoản hỗ trợ trực tiếp", required=False
    )
    programme_name = forms.CharField(
        label="Tên chương trình / nguồn khác", max_length=200, required=False
    )
    repeat_reason = forms.CharField(
        label="Lý do hỗ trợ lần nữa cùng loại (nếu có)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.order_by("-start_date")
        self.fields["need"].queryset = household.needs.all()
        self.fields["need"].empty_label = "— không gắn với nhu cầu —"
        self.fields["donation"].queryset = (
            Donation.objects.filter(purpose=Donation.Purpose.DIRECT, status="valid")
            .select_related("donor")
            .order_by("-date", "-pk")
        )

    def clean(self):
        data = super().clean()
        self.second_look("amount", data.get("amount"), fund=data.get("fund"))
        return data


class SupportItemForm(WardForm):
    description = forms.CharField(label="Hiện vật", max_length=200, required=False)
    quantity = forms.IntegerField(label="Số lượng", min_value=1, required=False)
    unit = forms.CharField(label="Đơn vị", max_length=30, required=False)
    valuation = DongField(label="Trị giá (đồng)", required=False, max_value=MAX_SUPPORT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = field.widget.attrs.get("class", "")
            field.widget.attrs["class"] = f"{css} form-control form-control-sm".strip()
            field.widget.attrs["aria-label"] = str(field.label)
            if name == "quantity":
                field.widget.attrs["inputmode"] = "numeric"

    def clean(self):
        data = super().clean()
        if data.get("description") and not data.get("valuation"):
            self.add_error("valuation", "Hiện vật phải được quy ra tiền (trị giá).")
        if data.get("valuation") and not data.get("description"):
            self.add_error("description", "Ghi tên hiện vật.")
        return data


SupportItemFormSet = forms.formset_factory(SupportItemForm, extra=4, max_num=20)


class DecisionForm(WardForm):
    decision_number = forms.CharField(
        label="Số quyết định", max_length=60, help_text="Ví dụ: 15/QĐ-BVĐ"
    )
    decision_date = date_field("Ngày quyết định", initial=timezone.localdate)
    decision_signer = forms.CharField(label="Người ký quyết định", max_length=100)


class ApproveForm(DecisionForm):
    repeat_reason = forms.CharField(
        label="Lý do hỗ trợ lần nữa cùng loại",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Bắt buộc khi hộ đã được hỗ trợ cùng loại trong chiến dịch.",
    )
    note = forms.CharField(label="Ghi chú", max_length=300, required=False)


class ReasonForm(WardForm):
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 2}))


class PayForm(WardForm):
    handover_date = date_field("Ngày chi / bàn giao", initial=timezone.localdate)
    receiver_name = forms.CharField(label="Người nhận", max_length=100)
    witness_name = forms.CharField(
        label="Người chứng kiến", max_length=100, help_text="Đại diện Ban công tác Mặt trận tổ."
    )
    note = forms.CharField(label="Ghi chú", max_length=300, required=False)
    attachment = forms.FileField(
        label="Ảnh chụp / bản quét biên bản đã ký (JPEG, PNG, PDF; tối đa 10 MB)",
        required=False,
    )


class FollowUpForm(WardForm):
    date = date_field("Ngày theo dõi", initial=timezone.localdate)
    status = forms.ChoiceField(label="Tình trạng", choices=FollowUp.Status.choices)
    note = forms.CharField(
        label="Ghi chú", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class AttachmentForm(WardForm):
    file = forms.FileField(label="Tệp (JPEG, PNG, PDF; tối đa 10 MB)")
    note = forms.CharField(label="Ghi chú", max_length=200, required=False)


class ConsentForm(WardForm):
    public_consent = forms.BooleanField(
        label="Hộ đồng ý để trang công khai ghi tên viết tắt của chủ hộ và số tổ",
        required=False,
    )
    head_title = forms.ChoiceField(
        label="Cách gọi chủ hộ", choices=Household.Title.choices, required=False
    )


class RoundForm(SecondLookMixin, WardForm):
    """A distribution round; an unusual amount per household is confirmed once more."""

    name = forms.CharField(
        label="Tên đợt", max_length=200, help_text="Ví dụ: Trao quà Tết Ất Tỵ 2025."
    )
    campaign = forms.ModelChoiceField(queryset=Campaign.objects.none(), label="Chiến dịch")
    category = forms.ChoiceField(
        label="Loại hỗ trợ", choices=SupportCategory.choices, initial=SupportCategory.GIFT
    )
    form = forms.ChoiceField(
        label="Hình thức",
        choices=[(SupportForm.CASH, "Tiền mặt"), (SupportForm.IN_KIND, "Hiện vật")],
    )
    amount = DongField(label="Mức mỗi hộ (đồng)", max_value=MAX_SUPPORT)
    item = forms.CharField(label="Hiện vật (nếu trao hiện vật)", max_length=200, required=False)
    source = forms.ChoiceField(
        label="Nguồn",
        choices=[
            (SupportSource.FUND, SupportSource.FUND.label),
            (SupportSource.PROGRAMME, SupportSource.PROGRAMME.label),
        ],
    )
    fund = forms.ModelChoiceField(queryset=Fund.objects.all(), label="Quỹ", required=False)
    account = forms.ModelChoiceField(
        queryset=Account.objects.filter(active=True), label="Chi từ", required=False
    )
    programme_name = forms.CharField(
        label="Tên chương trình / nguồn khác", max_length=200, required=False
    )
    repeat_reason = forms.CharField(
        label="Lý do (nếu có hộ đã được hỗ trợ cùng loại trong chiến dịch)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    households = forms.TypedMultipleChoiceField(
        label="Các hộ được chọn",
        coerce=int,
        choices=(),
        error_messages={"required": "Chọn ít nhất một hộ."},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.order_by("-start_date")
        self.fields["households"].choices = [(h.pk, h.head_name) for h in candidates]

    def clean(self):
        data = super().clean()
        self.second_look("amount", data.get("amount"), fund=data.get("fund"))
        return data


class RoundPayForm(WardForm):
    handover_date = date_field("Ngày trao", initial=timezone.localdate)
    witness_name = forms.CharField(
        label="Người chứng kiến", max_length=100, help_text="Đại diện Ban công tác Mặt trận tổ."
    )
