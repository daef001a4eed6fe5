"""Forms parse and show; the rules live in campaigns.services (one place)."""

from __future__ import annotations

from django import forms

from campaigns.models import Activity, BoardMember, Campaign, PlanBlock
from lddh.ward.fields import DongField, MoneyInput
from lddh.ward.forms import DayField, WardForm, WardModelForm
from lddh.ward.models import MemberOrganisation, ResidentialGroup

DATE_PLACEHOLDER = "dd/mm/yyyy"


def date_field(label: str, *, required: bool = True) -> DayField:
    return DayField(label=label, required=required)


class CampaignForm(WardForm):
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    name = forms.CharField(
        label="Tên chiến dịch",
        max_length=300,
        help_text="Ví dụ: Tháng cao điểm “Vì người nghèo” và an sinh xã hội năm 2024",
    )
    subtitle = forms.CharField(
        label="Trích yếu (dòng dưới chữ KẾ HOẠCH)",
        max_length=300,
        required=False,
        help_text="Để trống thì in “Thực hiện <tên chiến dịch> trên địa bàn phường”.",
    )
    start_date = date_field("Từ ngày")
    end_date = date_field("Đến ngày")
    target = DongField(
        label="Chỉ tiêu vận động (đồng)",
        min_value=0,
        required=False,
        help_text="Để trống nếu chưa giao chỉ tiêu.",
    )
    document_number = forms.CharField(
        label="Số kế hoạch", max_length=50, required=False, help_text="Ví dụ: 25/KH-MTTQ"
    )
    document_date = date_field("Ngày ban hành kế hoạch", required=False)
    legal_basis = forms.CharField(
        label="Căn cứ",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ví dụ: Thực hiện Kế hoạch số 24/KH-MTTQ-BTT ngày 10/09/2024 của Ban "
        "Thường trực MTTQ quận Hai Bà Trưng...",
    )
    signs_for = forms.CharField(
        label="Thay mặt", max_length=100, required=False, help_text="Ví dụ: TM. BAN THƯỜNG TRỰC"
    )
    signer_title = forms.CharField(
        label="Chức vụ người ký", max_length=100, required=False, help_text="Ví dụ: CHỦ TỊCH"
    )
    signer_name = forms.CharField(label="Người ký", max_length=100, required=False)
    recipients = forms.CharField(
        label="Nơi nhận",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Mỗi dòng một nơi nhận, ví dụ: Ban Thường trực Ủy ban MTTQ Quận;",
    )

    def clean_target(self):
        return self.cleaned_data.get("target") or 0

    @classmethod
    def for_campaign(cls, campaign: Campaign, data=None):
        initial = {name: getattr(campaign, name) for name in cls.base_fields}
        return cls(data, initial=initial)


class ReasonForm(WardForm):
    reason = forms.CharField(
        label="Lý do mở lại",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ví dụ: Bổ sung khoản ủng hộ của Hội Phụ nữ nộp muộn ngày 20/11.",
    )


class CloseForm(WardForm):
    note = forms.CharField(label="Ghi chú (không bắt buộc)", required=False, max_length=500)


class PlanBlockForm(WardForm):
    section = forms.ChoiceField(label="Phần", choices=PlanBlock.Section.choices)
    text = forms.CharField(
        label="Nội dung đoạn",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Mỗi đoạn là một ý; không gõ số thứ tự hay gạch đầu dòng, văn bản tự đánh.",
    )


class BoardMemberForm(WardModelForm):
    sub_target = DongField(label="Chỉ tiêu riêng (đồng)", min_value=0, required=False)
    groups = forms.ModelMultipleChoiceField(
        label="Phụ trách tổ dân phố",
        queryset=ResidentialGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta(WardModelForm.Meta):
        model = BoardMember
        fields = [
            "full_name",
            "position",
            "phone",
            "order",
            "donor_source",
            "organisation",
            "groups",
            "sub_target",
        ]

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        current_groups = self.instance.groups.all() if self.instance.pk else []
        self.fields["groups"].queryset = ResidentialGroup.objects.filter(
            pk__in=[
                *ResidentialGroup.objects.valid_on(campaign.start_date).values_list(
                    "pk", flat=True
                ),
                *(g.pk for g in current_groups),
            ]
        ).order_by("number")
        org_ids = [self.instance.organisation_id] if self.instance.organisation_id else []
        self.fields["organisation"].queryset = MemberOrganisation.objects.filter(
            pk__in=[
                *MemberOrganisation.objects.filter(active=True).values_list("pk", flat=True),
                *org_ids,
            ]
        )
        self.fields["order"].required = False
        self.fields["order"].help_text = "Để trống thì xếp cuối danh sách."
        self.fields["donor_source"].label = "Phụ trách nguồn ủng hộ"


class ActivityForm(WardModelForm):
    date = date_field("Ngày")

    class Meta(WardModelForm.Meta):
        model = Activity
        fields = ["kind", "title", "date", "place", "responsible", "group", "status", "result"]
        widgets = {"result": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        keep = [self.instance.group_id] if self.instance.group_id else []
        self.fields["group"].queryset = ResidentialGroup.objects.filter(
            pk__in=[
                *ResidentialGroup.objects.valid_on(campaign.start_date).values_list(
                    "pk", flat=True
                ),
                *keep,
            ]
        ).order_by("number")


class ActivityFilterForm(WardForm):
    filtering = True

    status = forms.ChoiceField(
        label="Tình trạng",
        required=False,
        choices=[
            ("", "Tất cả"),
            ("overdue", "Quá hạn"),
            ("due", "Đến hạn (hôm nay hoặc đã qua)"),
            *Activity.Status.choices,
        ],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    kind = forms.ChoiceField(
        label="Loại",
        required=False,
        choices=[("", "Tất cả"), *Activity.Kind.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    to = forms.ModelChoiceField(
        label="Tổ dân phố",
        required=False,
        queryset=ResidentialGroup.objects.order_by("number", "pk"),
        empty_label="Tất cả",
        error_messages={"invalid_choice": "Tổ dân phố đã chọn không có trong danh sách."},
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )


class TargetsForm(WardForm):
    """One amount field per residential group and per member organisation."""

    def __init__(self, *args, groups, organisations, group_amounts, organisation_amounts, **kw):
        super().__init__(*args, **kw)
        self.groups = groups
        self.organisations = organisations
        for group in groups:
            self.fields[f"group_{group.pk}"] = self._amount(str(group), group_amounts.get(group.pk))
        for organisation in organisations:
            self.fields[f"organisation_{organisation.pk}"] = self._amount(
                organisation.name, organisation_amounts.get(organisation.pk)
            )

    @staticmethod
    def _amount(label: str, initial: int | None) -> DongField:
        return DongField(
            label=label,
            min_value=0,
            required=False,
            initial=initial,
            widget=MoneyInput(attrs={"class": "money-input form-control text-end"}),
        )

    def group_rows(self):
        return [(g, self[f"group_{g.pk}"]) for g in self.groups]

    def organisation_rows(self):
        return [(o, self[f"organisation_{o.pk}"]) for o in self.organisations]

    def group_amounts(self) -> dict[int, int | None]:
        return {g.pk: self.cleaned_data.get(f"group_{g.pk}") for g in self.groups}

    def organisation_amounts(self) -> dict[int, int | None]:
        return {o.pk: self.cleaned_data.get(f"organisation_{o.pk}") for o in self.organisations}
