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
    AgendaItem,
    Attendee,
    Category,
    DifficultyReason,
    FollowUp,
    Household,
    Member,
    Need,
    NeedType,
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
from lddh.ward.models import ResidentialGroup
from lddh.ward.uploads import check_upload

MAX_IMPORT_BYTES = 2 * 1024 * 1024


class YearField(forms.IntegerField):
    """A year of birth: never in the future (the message names the rule). A text box with
    the digits keyboard: a number box would silently drop a letter typed by mistake."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "numeric", "placeholder": "ví dụ 1958", "autocomplete": "off"}
        )

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
        label="Số quyết định công nhận",
        max_length=60,
        required=False,
        help_text="Ví dụ: 125/QĐ-UBND",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    decision_year = forms.IntegerField(
        label="Năm quyết định",
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    standard = forms.ChoiceField(
        label="Chuẩn áp dụng",
        choices=[("", "— Chọn chuẩn áp dụng (nếu có) —"), *Standard.choices],
        required=False,
        initial=Standard.ND07_2021,
    )
    especially_difficult = forms.BooleanField(
        label="Hộ có hoàn cảnh đặc biệt khó khăn (theo họp tổ)", required=False
    )
    difficulty_reasons = forms.MultipleChoiceField(
        label="Lý do khó khăn",
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
    head_name = forms.CharField(
        label="Họ tên chủ hộ",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "words"}),
    )
    head_birth_year = YearField(label="Năm sinh chủ hộ")
    address = forms.CharField(
        label="Địa chỉ",
        max_length=300,
        help_text="Số nhà, ngõ, phố.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
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
        if not personal:
            del self.fields["head_cccd"]
            del self.fields["phone"]
        only = list(groups[:2])
        if len(only) == 1:
            # A leader has one group: nothing to choose, nothing to show.
            self.fields["group"].initial = only[0]
            self.fields["group"].widget = forms.HiddenInput()
            self.only_group = only[0]
        else:
            self.only_group = None


# What a person knows first (who, where, who lives there, why, what they need), then
# what an official decision says.
HOUSEHOLD_ORDER = [
    "group",
    "head_name",
    "head_birth_year",
    "address",
    "head_cccd",
    "phone",
    "circumstances",
    "especially_difficult",
    "difficulty_reasons",
    "income_per_person",
    "plan_goal",
    "note",
    "category",
    "decision_number",
    "decision_year",
    "standard",
]
OFFICIAL_FIELDS = ("category", "decision_number", "decision_year", "standard")


class HouseholdCreateForm(HouseholdForm, ClassificationForm):
    field_order = HOUSEHOLD_ORDER

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Nothing official is asked of a household that has no decision yet: no category
        # (it is "not recognised"), no standard filled in unasked.
        category = self.fields["category"]
        category.required = False
        category.initial = None
        category.choices = [
            (Category.NONE, "— Chưa có quyết định công nhận —"),
            *[(value, label) for value, label in Category.choices if value != Category.NONE],
        ]
        self.fields["standard"].initial = None

    def clean_category(self) -> str:
        return self.cleaned_data["category"] or Category.NONE

    def sections(self) -> list[tuple[str, str, list]]:
        """The form's fields in the order people know them, as (title, note, fields)."""
        official = [self[name] for name in OFFICIAL_FIELDS if name in self.fields]
        known = [bf for bf in self if bf.name not in OFFICIAL_FIELDS]
        return [
            ("", "", known),
            (
                "Quyết định công nhận (nếu hộ đã có)",
                "Không bắt buộc: bỏ trống khi hộ chưa được Ủy ban nhân dân phường công nhận "
                "hộ nghèo, cận nghèo.",
                official,
            ),
        ]


MAX_PROPOSED_MEMBERS = 15
MAX_PROPOSED_NEEDS = 10
RELATIONS = [choice for choice in Member.Relation.choices if choice[0] != Member.Relation.HEAD]


class ProposedMemberForm(WardForm):
    """Another person living in a proposed household; a row left empty is no one."""

    full_name = forms.CharField(
        label="Họ tên",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "words"}),
    )
    birth_year = YearField(label="Năm sinh")
    relation = forms.ChoiceField(
        label="Quan hệ với chủ hộ",
        choices=[("", "— Chọn quan hệ —"), *RELATIONS],
        required=False,
    )

    def clean(self):
        data = super().clean()
        named = bool((data.get("full_name") or "").strip())
        if not named and (data.get("birth_year") or data.get("relation")):
            self.add_error("full_name", "Hãy nhập họ tên thành viên (hoặc xóa năm sinh, quan hệ).")
        return data

    def member(self) -> dict | None:
        data = self.cleaned_data
        name = " ".join((data.get("full_name") or "").split())
        if not name:
            return None
        return {
            "full_name": name,
            "birth_year": data.get("birth_year"),
            "relation": data.get("relation") or Member.Relation.OTHER,
        }


class ProposedNeedForm(WardForm):
    """A need of a proposed household; a row without a type is no need."""

    type = forms.ChoiceField(
        label="Loại nhu cầu",
        choices=[("", "— Chọn loại nhu cầu —"), *NeedType.choices],
        required=False,
    )
    estimated_cost = DongField(label="Dự toán (đồng)", required=False, min_value=0)
    description = forms.CharField(
        label="Mô tả",
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("type") and (data.get("estimated_cost") or data.get("description")):
            self.add_error("type", "Hãy chọn loại nhu cầu (hoặc xóa dự toán, mô tả).")
        return data

    def need(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("type"):
            return None
        return {
            "type": data["type"],
            "estimated_cost": data.get("estimated_cost") or 0,
            "description": (data.get("description") or "").strip(),
        }


ProposedMemberFormSet = forms.formset_factory(
    ProposedMemberForm, extra=4, max_num=MAX_PROPOSED_MEMBERS, validate_max=True
)
ProposedNeedFormSet = forms.formset_factory(
    ProposedNeedForm, extra=2, max_num=MAX_PROPOSED_NEEDS, validate_max=True
)


class HouseholdProposeForm(HouseholdCreateForm, ProposalNoteMixin):
    """A group leader's proposal of a new household, in the order the leader knows it:
    who and where, who lives there, the circumstances and needs; the official decision
    last and optional. The other members and the needs come in two small lists (their
    rows are ``members`` and ``needs`` of the cleaned data)."""

    field_order = HOUSEHOLD_ORDER

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        circumstances = self.fields["circumstances"]
        circumstances.required = True
        circumstances.label = "Hoàn cảnh của hộ"
        circumstances.help_text = "Vì sao hộ cần được giúp: bệnh tật, neo đơn, việc làm, nhà ở…"
        self.fields[
            "difficulty_reasons"
        ].help_text = (
            "Chọn ít nhất một lý do, trừ khi hộ đã có quyết định công nhận hộ nghèo, cận nghèo."
        )
        self.fields[
            "especially_difficult"
        ].help_text = "Chọn một lý do khó khăn bên dưới là đã đánh dấu ô này."
        note = self.fields["note"]
        note.required = False
        note.label = "Ghi chú cho phường"
        note.help_text = "Ví dụ: họp tổ ngày 05/11 thống nhất đề nghị."
        # Formsets answer an unbound form when a page (or an older client) sends none.
        data = self.data if self.is_bound and "tv-TOTAL_FORMS" in self.data else None
        self.members = ProposedMemberFormSet(data, prefix="tv")
        data = self.data if self.is_bound and "nc-TOTAL_FORMS" in self.data else None
        self.needs = ProposedNeedFormSet(data, prefix="nc")

    def clean(self):
        data = super().clean()
        if data.get("difficulty_reasons"):
            data["especially_difficult"] = True
        for formset, title in ((self.members, "thành viên"), (self.needs, "nhu cầu")):
            if formset.is_bound and not formset.is_valid():
                self.add_error(None, f"Phần {title} có ô chưa đúng: xem các ô tô đỏ bên dưới.")
        data["members"] = self._rows(self.members, "member")
        data["needs"] = self._rows(self.needs, "need")
        return data

    @staticmethod
    def _rows(formset, method: str) -> list[dict]:
        if not formset.is_bound or not formset.is_valid():
            return []
        rows = (getattr(form, method)() for form in formset.forms)
        return [row for row in rows if row]

    def sections(self) -> list[tuple[str, str, list]]:
        def fields(*names):
            return [self[name] for name in names if name in self.fields]

        return [
            ("Hộ gia đình", "", fields("group", "head_name", "head_birth_year", "address")),
            ("Thành viên khác trong hộ", "members", []),
            (
                "Hoàn cảnh",
                "",
                fields("circumstances", "especially_difficult", "difficulty_reasons"),
            ),
            ("Nhu cầu", "needs", fields("income_per_person", "plan_goal")),
            ("Gửi phường", "", fields("note")),
            (
                "Quyết định công nhận (nếu hộ đã có)",
                "Không bắt buộc: cán bộ phường ghi khi duyệt nếu tổ chưa rõ.",
                fields(*OFFICIAL_FIELDS),
            ),
        ]


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

    class Meta(WardModelForm.Meta):
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

    class Meta(WardModelForm.Meta):
        model = Need
        fields = ["type", "description", "estimated_cost", "priority", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class PlanItemForm(WardModelForm):
    class Meta(WardModelForm.Meta):
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
    posting_reason = forms.CharField(
        label="Lý do duyệt khi niêm yết chưa xong",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Chỉ khi hộ có trong danh sách bình xét đang niêm yết hoặc còn kiến nghị "
        "chưa xử lý: ý kiến bằng văn bản của Ban Thường trực.",
    )


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

    def clean_attachment(self):
        # Checked here too, so that a wrong file is refused before the review step.
        upload = self.cleaned_data.get("attachment")
        if upload:
            try:
                check_upload(upload)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict["attachment"]) from None
        return upload


class FollowUpForm(WardForm):
    date = date_field("Ngày theo dõi", initial=timezone.localdate)
    status = forms.ChoiceField(label="Tình trạng", choices=FollowUp.Status.choices)
    note = forms.CharField(
        label="Ghi chú", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class AttachmentForm(WardForm):
    file = forms.FileField(label="Tệp (JPEG, PNG, PDF; tối đa 10 MB)")
    note = forms.CharField(label="Ghi chú", max_length=200, required=False)


class RedactedScanForm(WardForm):
    file = forms.FileField(
        label="Bản chụp biên bản đã che thông tin (JPEG, PNG, PDF; tối đa 10 MB)",
        help_text="Đã che họ tên, địa chỉ, số CCCD, điện thoại và chữ ký của người nhận.",
    )
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
    item_quantity = forms.IntegerField(
        label="Số lượng mỗi hộ",
        min_value=1,
        initial=1,
        required=False,
        error_messages={"min_value": "Số lượng mỗi hộ phải từ 1 trở lên."},
    )
    item_unit = forms.CharField(
        label="Đơn vị tính",
        max_length=30,
        initial="suất",
        required=False,
        help_text="Hiện vật trùng tên và đơn vị với hàng trong kho (ví dụ Gạo tẻ, kg) "
        "được xuất kho khi bàn giao.",
    )
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


# ---------------------------------------------------------------- review meetings


class MeetingForm(WardForm):
    """A group's review meeting, prepared by its leader (a phone is enough)."""

    group = forms.ModelChoiceField(label="Tổ dân phố", queryset=ResidentialGroup.objects.none())
    campaign = forms.ModelChoiceField(
        label="Đợt rà soát của chiến dịch", queryset=Campaign.objects.order_by("-year", "-pk")
    )
    date = date_field("Ngày họp")
    time = forms.TimeField(
        label="Giờ bắt đầu",
        required=False,
        help_text="Ví dụ: 19:30",
        input_formats=["%H:%M", "%Hh%M", "%H"],
    )
    place = forms.CharField(
        label="Địa điểm", max_length=200, help_text="Ví dụ: Nhà văn hóa tổ dân phố số 3."
    )
    chair = forms.CharField(
        label="Người chủ trì", max_length=100, help_text="Thường là trưởng ban công tác Mặt trận."
    )
    secretary = forms.CharField(label="Thư ký", max_length=100)
    invited_count = forms.IntegerField(label="Số người được mời", min_value=1, max_value=10_000)
    content = forms.CharField(
        label="Nội dung cuộc họp",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ví dụ: Bình xét hộ nghèo, cận nghèo, hộ có hoàn cảnh khó khăn năm 2024.",
    )

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        groups = groups if groups is not None else ResidentialGroup.objects.none()
        self.fields["group"].queryset = groups
        if len(groups) == 1:  # a leader of one group: nothing to choose
            self.fields["group"].widget = forms.HiddenInput()
            self.fields["group"].initial = groups[0]


class AttendeeForm(WardForm):
    name = forms.CharField(label="Họ tên", max_length=100)
    role = forms.ChoiceField(label="Thành phần", choices=Attendee.Role.choices)


class AgendaItemForm(WardForm):
    household = forms.ModelChoiceField(label="Hộ", queryset=Household.objects.none())
    kind = forms.ChoiceField(label="Loại đề nghị", choices=AgendaItem.Kind.choices)
    subject = forms.CharField(
        label="Nội dung đề nghị",
        max_length=300,
        required=False,
        help_text="Để trống: ghi theo loại đề nghị và tên chủ hộ.",
    )

    def __init__(self, *args, households=None, **kwargs):
        super().__init__(*args, **kwargs)
        if households is not None:
            self.fields["household"].queryset = households


class VotesForm(WardForm):
    """The count present and, per agenda item, the votes and the conclusion."""

    present_count = forms.IntegerField(label="Số người có mặt", min_value=1, max_value=10_000)
    conclusion = forms.CharField(
        label="Kết luận chung", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    VOTES = (
        ("agree", "Số đồng ý"),
        ("disagree", "Số không đồng ý"),
        ("abstain", "Số không biểu quyết"),
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            for name, label in self.VOTES:
                self.fields[f"{name}_{item.pk}"] = forms.IntegerField(
                    label=f"{label} – {item.subject}",
                    min_value=0,
                    max_value=10_000,
                    initial=getattr(item, name),
                )
            self.fields[f"conclusion_{item.pk}"] = forms.ChoiceField(
                label=f"Kết luận – {item.subject}",
                choices=[c for c in AgendaItem.Conclusion.choices if c[0]],
                initial=item.conclusion or None,
            )

    def rows(self):
        """(item, agree, disagree, abstain, conclusion) bound fields, for the template."""
        return [
            (
                item,
                *(self[f"{name}_{item.pk}"] for name, _ in self.VOTES),
                self[f"conclusion_{item.pk}"],
            )
            for item in self.items
        ]

    def votes(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            item.pk: {
                **{name: data.get(f"{name}_{item.pk}") for name, _ in self.VOTES},
                "conclusion": data.get(f"conclusion_{item.pk}"),
            }
            for item in self.items
        }


class PostingForm(WardForm):
    start_date = date_field("Niêm yết từ ngày", initial=timezone.localdate)
    days = forms.IntegerField(
        label="Số ngày niêm yết", min_value=1, max_value=90, help_text="Tính cả ngày đầu."
    )
    place = forms.CharField(
        label="Nơi niêm yết",
        max_length=200,
        help_text="Ví dụ: Bảng tin nhà văn hóa tổ dân phố số 3.",
    )


class ObjectionForm(WardForm):
    sender = forms.CharField(
        label="Người kiến nghị", max_length=150, help_text="Họ tên, hoặc “Người dân không ghi tên”."
    )
    content = forms.CharField(label="Nội dung kiến nghị", widget=forms.Textarea(attrs={"rows": 3}))
    received_date = date_field("Ngày nhận", initial=timezone.localdate)


class ObjectionAnswerForm(WardForm):
    handling = forms.CharField(label="Cách xử lý", widget=forms.Textarea(attrs={"rows": 2}))
    answer = forms.CharField(
        label="Trả lời người kiến nghị", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    close = forms.BooleanField(label="Đã xử lý xong, kết thúc kiến nghị", required=False)
