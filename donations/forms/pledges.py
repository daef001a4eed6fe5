"""Forms of pledges: one pledge with its instalments, the launch ceremony's quick-entry
rows, cancelling, and counting a recorded donation against a pledge."""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone

from campaigns.models import Campaign
from donations.models import MAX_DONATION, Donation, Donor, Fund, Pledge
from donations.selectors import donor_by_name_or_code
from lddh.ward.fields import DongField
from lddh.ward.forms import DayField, WardForm
from lddh.ward.money import format_dong
from lddh.ward.vocab import DonorSource

__all__ = [
    "InstalmentForm",
    "InstalmentFormSet",
    "PledgeCancelForm",
    "PledgeChoiceField",
    "PledgeFilterForm",
    "PledgeForm",
    "PledgeLinkForm",
    "QuickPledgeForm",
    "QuickRowForm",
    "QuickRowFormSet",
]

QUICK_ROWS = 8


def _bootstrap(form: forms.BaseForm) -> None:
    """Bootstrap's classes on widgets rendered by hand (the quick-entry table)."""
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        classes = field.widget.attrs.get("class", "")
        if css not in classes.split():
            field.widget.attrs["class"] = f"{classes} {css}".strip()


class PledgeChoiceField(forms.ModelChoiceField):
    """A pledge by its code, its donor and what is left to pay."""

    def label_from_instance(self, obj: Pledge) -> str:
        return f"{obj.transfer_note} – {obj.donor.name} – cam kết {format_dong(obj.amount)}"


def _campaigns():
    return Campaign.objects.exclude(status=Campaign.Status.CLOSED).order_by("-start_date")


class PledgeForm(WardForm):
    """One pledge. The donor is typed (name or personal code): an existing donor is
    found, a name nobody has makes a new donor with the source chosen."""

    donor_name = forms.CharField(
        label="Người / đơn vị cam kết",
        max_length=200,
        help_text="Tên hoặc mã người ủng hộ (UH…). Tên chưa có sẽ tạo người ủng hộ mới.",
        widget=forms.TextInput({"autocomplete": "off", "list": "donor-names"}),
    )
    source = forms.ChoiceField(
        label="Nguồn (người mới)", choices=[("", "— chọn —"), *DonorSource.choices], required=False
    )
    campaign = forms.ModelChoiceField(label="Chiến dịch", queryset=_campaigns())
    fund = forms.ModelChoiceField(label="Quỹ", queryset=Fund.objects.filter(active=True))
    pledged_on = DayField(label="Ngày cam kết")
    kind = forms.ChoiceField(label="Loại", choices=Pledge.Kind.choices, initial=Pledge.Kind.MONEY)
    amount = DongField(label="Số tiền / trị giá (đồng)", max_value=MAX_DONATION)
    goods = forms.CharField(
        label="Hiện vật cam kết",
        max_length=300,
        required=False,
        help_text="Chỉ với cam kết hiện vật: tên, số lượng (ví dụ 200 suất quà Tết).",
    )
    channel = forms.ChoiceField(
        label="Dự kiến nộp qua", choices=Pledge.Channel.choices, initial=Pledge.Channel.BANK
    )
    due_date = DayField(
        label="Hạn nộp", required=False, help_text="Bỏ trống khi chia đợt nộp ở dưới."
    )
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea({"rows": 2}))
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.donor: Donor | None = None
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())
            self.initial.setdefault("pledged_on", timezone.localdate())
            self.initial.setdefault("fund", Fund.objects.filter(active=True).first())
            self.initial.setdefault("campaign", _campaigns().first())

    def clean(self):
        data = super().clean()
        name = data.get("donor_name")
        if name:
            self.donor, problem = donor_by_name_or_code(name)
            if problem:
                self.add_error("donor_name", problem)
            elif self.donor is None and not data.get("source"):
                self.add_error(
                    "source", f"“{name}” chưa có trong danh sách: hãy chọn nguồn của người mới."
                )
        return data

    def donor_kwargs(self) -> dict:
        if self.donor is not None:
            return {"donor": self.donor}
        data = self.cleaned_data
        return {"new_donor": {"source": data["source"], "name": data["donor_name"]}}


class InstalmentForm(WardForm):
    due_date = DayField(label="Hạn nộp", required=False)
    amount = DongField(label="Số tiền (đồng)", required=False, max_value=MAX_DONATION)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)  # rendered by hand in a table: the boxes take the cell's width

    def clean(self):
        data = super().clean()
        if data.get("due_date") and not data.get("amount") and "amount" not in self.errors:
            self.add_error("amount", "Đợt nộp có hạn nộp thì cần số tiền.")
        if data.get("amount") and not data.get("due_date") and "due_date" not in self.errors:
            self.add_error("due_date", "Đợt nộp có số tiền thì cần hạn nộp.")
        return data


InstalmentFormSet = forms.formset_factory(InstalmentForm, extra=4, max_num=12)


class QuickPledgeForm(WardForm):
    """The quick-entry screen's header: what every row shares."""

    campaign = forms.ModelChoiceField(label="Chiến dịch", queryset=_campaigns())
    fund = forms.ModelChoiceField(label="Quỹ", queryset=Fund.objects.filter(active=True))
    pledged_on = DayField(label="Ngày cam kết")
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())
            self.initial.setdefault("pledged_on", timezone.localdate())
            self.initial.setdefault("fund", Fund.objects.filter(active=True).first())
            self.initial.setdefault("campaign", _campaigns().first())


class QuickRowForm(WardForm):
    """One row of the quick-entry screen; an empty row is skipped."""

    donor_name = forms.CharField(
        label="Người / đơn vị",
        max_length=200,
        required=False,
        widget=forms.TextInput({"autocomplete": "off", "list": "donor-names"}),
    )
    source = forms.ChoiceField(
        label="Nguồn (người mới)", choices=[("", "—"), *DonorSource.choices], required=False
    )
    amount = DongField(label="Số tiền (đồng)", required=False, max_value=MAX_DONATION)
    due_date = DayField(label="Hạn nộp", required=False)
    channel = forms.ChoiceField(
        label="Nộp qua", choices=Pledge.Channel.choices, initial=Pledge.Channel.BANK
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)
        self.donor: Donor | None = None
        self.empty = False

    def clean(self):
        data = super().clean()
        typed = any(
            str(self.data.get(self.add_prefix(name), "")).strip()
            for name in ("donor_name", "amount", "due_date")
        )
        if not typed:
            self.empty = True
            return data
        name = data.get("donor_name")
        if not name and "donor_name" not in self.errors:
            self.add_error("donor_name", "Chưa nhập tên người / đơn vị cam kết.")
        elif name:
            self.donor, problem = donor_by_name_or_code(name)
            if problem:
                self.add_error("donor_name", problem)
            elif self.donor is None and not data.get("source"):
                self.add_error(
                    "source", f"“{name}” chưa có trong danh sách: hãy chọn nguồn của người mới."
                )
        if not data.get("amount") and "amount" not in self.errors:
            self.add_error("amount", "Chưa nhập số tiền cam kết.")
        if not data.get("due_date") and "due_date" not in self.errors:
            self.add_error("due_date", "Chưa nhập hạn nộp.")
        return data

    def donor_kwargs(self) -> dict:
        if self.donor is not None:
            return {"donor": self.donor}
        data = self.cleaned_data
        return {"new_donor": {"source": data["source"], "name": data["donor_name"]}}


QuickRowFormSet = forms.formset_factory(QuickRowForm, extra=QUICK_ROWS, max_num=100)


class PledgeFilterForm(WardForm):
    filtering = True

    chien_dich = forms.ModelChoiceField(
        label="Chiến dịch", queryset=Campaign.objects.order_by("-start_date"), required=False
    )
    trang_thai = forms.ChoiceField(
        label="Trạng thái", choices=[("", "Tất cả"), *Pledge.Progress.choices], required=False
    )
    han = forms.ChoiceField(
        label="Hạn nộp",
        choices=[("", "Tất cả"), ("den-han", "Đến hạn trong 7 ngày và quá hạn")],
        required=False,
    )


class PledgeCancelForm(WardForm):
    reason = forms.CharField(
        label="Lý do hủy cam kết", max_length=500, widget=forms.Textarea({"rows": 2})
    )


class PledgeLinkForm(WardForm):
    """Count a donation already recorded (a collection round's, a bank line's) against
    the pledge: the donor's valid donations in the pledge's campaign not counted yet."""

    donation = forms.ModelChoiceField(label="Khoản ủng hộ đã ghi", queryset=Donation.objects.none())

    def __init__(self, *args, pledge: Pledge, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["donation"]
        field.widget.attrs["class"] = "form-select"
        field.queryset = (
            Donation.objects.filter(
                donor_id=pledge.donor_id,
                campaign_id=pledge.campaign_id,
                status=Donation.Status.VALID,
                fund__isnull=False,
                pledge_payment__isnull=True,
            )
            .select_related("receipt")
            .order_by("date", "pk")
        )
        field.label_from_instance = lambda d: (
            f"{d.receipt.number} – {d.date:%d/%m/%Y} – {format_dong(d.amount)}"
        )
