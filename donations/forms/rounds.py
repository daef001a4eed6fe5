"""Forms of collection rounds. They parse; the services decide."""

from __future__ import annotations

from django import forms

from campaigns.models import Campaign
from donations.models import MAX_DONATION, Account, CollectionRound, Fund
from donations.services.rounds import LineInput
from lddh.ward.fields import DongField
from lddh.ward.forms import DayField, WardForm
from lddh.ward.models import MemberOrganisation, ResidentialGroup

__all__ = [
    "GRID_BLANK_ROWS",
    "GridFormSet",
    "LineForm",
    "LineFormSet",
    "RoundForm",
    "RoundPostForm",
    "UploadForm",
    "grid_for",
]

GRID_BLANK_ROWS = 10


class RoundForm(WardForm):
    group = forms.ModelChoiceField(
        label="Tổ dân phố", queryset=ResidentialGroup.objects.all(), required=False
    )
    organisation = forms.ModelChoiceField(
        label="hoặc tổ chức thành viên",
        queryset=MemberOrganisation.objects.filter(active=True),
        required=False,
    )
    collector = forms.CharField(label="Người thu", max_length=200)
    date = DayField(label="Ngày nộp")
    expected_count = forms.IntegerField(
        label="Số người theo danh sách giấy",
        min_value=0,
        max_value=100_000,
        widget=forms.TextInput({"inputmode": "numeric", "autocomplete": "off"}),
    )
    expected_total = DongField(
        label="Tổng tiền theo danh sách giấy (đồng)", min_value=0, max_value=MAX_DONATION
    )
    campaign = forms.ModelChoiceField(
        label="Chiến dịch",
        queryset=Campaign.objects.exclude(status=Campaign.Status.CLOSED),
        required=False,
        empty_label="— ngoài chiến dịch —",
    )
    fund = forms.ModelChoiceField(label="Quỹ", queryset=Fund.objects.filter(active=True))
    account = forms.ModelChoiceField(
        label="Nộp vào",
        queryset=Account.objects.filter(
            active=True, kind__in=[Account.Kind.CASH, Account.Kind.BANK, Account.Kind.TREASURY]
        ),
    )
    receipt_mode = forms.ChoiceField(
        label="Biên nhận",
        choices=CollectionRound.ReceiptMode.choices,
        initial=CollectionRound.ReceiptMode.PER_LINE,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)
        if access is not None and not access.is_office:
            # A leader prepares their own group's round only.
            self.fields["group"].queryset = ResidentialGroup.objects.filter(
                pk__in=sorted(access.group_ids)
            )
            self.fields["group"].required = True
            self.fields["group"].empty_label = None
            del self.fields["organisation"]
        if not self.is_bound:
            self.initial.setdefault("fund", Fund.objects.filter(active=True).first())
            self.initial.setdefault(
                "account", Account.objects.filter(kind=Account.Kind.CASH, active=True).first()
            )

    def clean(self):
        data = super().clean()
        if "organisation" in self.fields and bool(data.get("group")) == bool(
            data.get("organisation")
        ):
            self.add_error("group", "Chọn một tổ dân phố hoặc một tổ chức thành viên.")
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.setdefault("organisation", None)
        return data


class LineForm(WardForm):
    """One row of the grid: free text, kept as typed; the check reports problems."""

    name = forms.CharField(label="Họ và tên", max_length=200, required=False)
    phone = forms.CharField(label="Điện thoại", max_length=30, required=False)
    address = forms.CharField(label="Địa chỉ", max_length=300, required=False)
    amount_text = forms.CharField(label="Số tiền", max_length=40, required=False)
    anonymous = forms.BooleanField(label="Giấu tên", required=False)
    note = forms.CharField(label="Ghi chú", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["aria-label"] = field.label
            field.widget.attrs["autocomplete"] = "off"
            if name != "anonymous":
                field.widget.attrs["class"] = "form-control form-control-sm"
            else:
                field.widget.attrs["class"] = "form-check-input"
        self.fields["amount_text"].widget.attrs.update(
            {
                "inputmode": "numeric",
                "class": "form-control form-control-sm money-input text-end",
                "data-words": "off",  # the grid shows its total in words instead
                "data-max": str(MAX_DONATION),
            }
        )
        self.fields["phone"].widget.attrs["inputmode"] = "tel"


class GridFormSet(forms.BaseFormSet):
    """Every row may be empty (skipped); none is an 'initial' form, so an unchanged row
    of a saved draft is never mistaken for an untouched blank one."""

    def initial_form_count(self):
        return 0

    def lines(self) -> list[LineInput]:
        rows = []
        for form in self.forms:
            data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
            if not data:
                continue
            line = LineInput(
                name=data.get("name", ""),
                phone=data.get("phone", ""),
                address=data.get("address", ""),
                amount_text=data.get("amount_text", ""),
                anonymous=bool(data.get("anonymous")),
                note=data.get("note", ""),
            )
            if not line.is_empty:
                rows.append(line)
        return rows


LineFormSet = forms.formset_factory(
    LineForm, formset=GridFormSet, extra=0, max_num=2000, absolute_max=2000, validate_max=True
)


def grid_for(lines, *, blank: int = GRID_BLANK_ROWS) -> GridFormSet:
    """A bound formset showing the saved lines plus blank rows."""
    data = {"lines-TOTAL_FORMS": str(len(lines) + blank), "lines-INITIAL_FORMS": "0"}
    for index, line in enumerate(lines):
        prefix = f"lines-{index}-"
        data[prefix + "name"] = line.name
        data[prefix + "phone"] = line.phone
        data[prefix + "address"] = line.address
        data[prefix + "amount_text"] = line.amount_text
        data[prefix + "note"] = line.note
        if line.anonymous:
            data[prefix + "anonymous"] = "on"
    return LineFormSet(data, prefix="lines")


class RoundPostForm(WardForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    accept_difference = forms.BooleanField(
        label="Tôi đã đối chiếu với tiền mặt: ghi sổ theo số đã nhập", required=False
    )
    confirm_unusual = forms.BooleanField(
        label="Tôi đã xem lại các số tiền được đánh dấu: đúng như danh sách giấy", required=False
    )
    late_reason = forms.CharField(
        label="Lý do ghi sổ muộn (Ban Thường trực)",
        max_length=500,
        required=False,
        widget=forms.TextInput({"class": "form-control form-control-sm"}),
    )

    @staticmethod
    def donor_choices(data) -> dict[int, int]:
        """The choice made for each line that may be an existing donor: the radios
        ``dong-<position>`` carry a donor's id, or 0 for "a new donor"."""
        choices = {}
        for key, value in data.items():
            position = key.removeprefix("dong-")
            if position != key and position.isdigit() and value.isdigit():
                choices[int(position)] = int(value)
        return choices


class UploadForm(WardForm):
    file = forms.FileField(label="Tệp Excel (.xlsx)", allow_empty_file=True)
