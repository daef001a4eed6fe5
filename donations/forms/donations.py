"""Forms of donations, gifts in kind and voids. They parse and check input; the services decide."""

from __future__ import annotations

import datetime
import re
import uuid
from decimal import Decimal

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from campaigns.models import BoardMember, Campaign
from donations.forms.fields import BoardMemberChoiceField
from donations.forms.pledges import PledgeChoiceField
from donations.models import MAX_DONATION, Account, ConsentHow, Donation, Donor, Fund, Pledge
from donations.selectors import usual_gift
from lddh.ward.fields import DongField, SecondLookMixin
from lddh.ward.forms import DayField, PhoneField, TaxCodeField, WardForm
from lddh.ward.models import MemberOrganisation, ResidentialGroup
from lddh.ward.vocab import DonorSource

__all__ = [
    "DonationForm",
    "ItemForm",
    "ItemFormSet",
    "QuantityField",
    "VoidDecisionForm",
    "VoidRequestForm",
]


class DonationForm(SecondLookMixin, WardForm):
    """One keyboard-fast form: pick or create the donor, then the money.

    An unusual amount (see unusual_reasons) is confirmed once more before saving;
    ``in_kind_total`` is the sum of the goods' valuations, the amount of a gift in kind.
    """

    form_token = forms.UUIDField(widget=forms.HiddenInput)
    replaces = forms.ModelChoiceField(
        queryset=Donation.objects.filter(status=Donation.Status.VOIDED),
        required=False,
        widget=forms.HiddenInput,
    )
    donor = forms.ModelChoiceField(
        queryset=Donor.objects.all(), required=False, widget=forms.HiddenInput
    )
    use_donor = forms.ModelChoiceField(
        queryset=Donor.objects.all(), required=False, widget=forms.RadioSelect
    )
    donor_query = forms.CharField(
        label="Người ủng hộ",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            {"autocomplete": "off", "autofocus": True, "placeholder": "Gõ tên hoặc số điện thoại"}
        ),
    )
    # A new donor, entered inline.
    new_source = forms.ChoiceField(
        label="Nguồn", choices=[("", "— chọn —"), *DonorSource.choices], required=False
    )
    new_name = forms.CharField(label="Họ tên / tên đơn vị", max_length=200, required=False)
    new_representative = forms.CharField(label="Người đại diện", max_length=200, required=False)
    new_address = forms.CharField(label="Địa chỉ", max_length=300, required=False)
    new_group = forms.ModelChoiceField(
        label="Tổ dân phố", queryset=ResidentialGroup.objects.all(), required=False
    )
    new_phone = PhoneField()
    new_tax_code = TaxCodeField()
    new_organisation = forms.ModelChoiceField(
        label="Tổ chức thành viên", queryset=MemberOrganisation.objects.all(), required=False
    )
    new_anonymous = forms.BooleanField(label="Giấu tên khi công khai", required=False)
    new_email = forms.EmailField(label="Email", max_length=254, required=False)
    new_contact_consent = forms.BooleanField(
        label="Đồng ý nhận biên nhận qua email / tin nhắn", required=False
    )
    new_consent_how = forms.ChoiceField(
        label="Đồng ý bằng cách", choices=[("", "— chọn —"), *ConsentHow.choices], required=False
    )
    create_anyway = forms.BooleanField(
        label="Tôi đã kiểm tra: đây là người khác, vẫn tạo mới", required=False
    )
    # The money.
    amount = DongField(label="Số tiền (đồng)", required=False, max_value=MAX_DONATION, min_value=1)
    channel = forms.ChoiceField(
        label="Hình thức", choices=Donation.Channel.choices, initial=Donation.Channel.CASH
    )
    date = DayField(label="Ngày")
    purpose = forms.ChoiceField(
        label="Mục đích",
        choices=Donation.Purpose.choices,
        initial=Donation.Purpose.FUND,
        widget=forms.RadioSelect,
    )
    beneficiary = forms.CharField(label="Hộ được hỗ trợ trực tiếp", max_length=300, required=False)
    fund = forms.ModelChoiceField(
        label="Quỹ", queryset=Fund.objects.filter(active=True), required=False
    )
    account = forms.ModelChoiceField(
        label="Nộp vào",
        queryset=Account.objects.filter(active=True),
        required=False,
        empty_label="— theo hình thức —",
    )
    campaign = forms.ModelChoiceField(
        label="Chiến dịch",
        queryset=Campaign.objects.all(),
        required=False,
        empty_label="— ngoài chiến dịch —",
    )
    credited_group = forms.ModelChoiceField(
        label="Ghi nhận cho tổ dân phố", queryset=ResidentialGroup.objects.all(), required=False
    )
    credited_organisation = forms.ModelChoiceField(
        label="Ghi nhận cho tổ chức thành viên",
        queryset=MemberOrganisation.objects.all(),
        required=False,
    )
    credited_board_member = BoardMemberChoiceField(
        label="Thành viên Ban vận động vận động được",
        queryset=BoardMember.objects.exclude(campaign__status=Campaign.Status.CLOSED)
        .select_related("campaign")
        .order_by("-campaign__start_date", "order", "pk"),
        required=False,
    )
    pledge = PledgeChoiceField(
        label="Tính vào cam kết",
        queryset=Pledge.objects.filter(status=Pledge.Status.OPEN).select_related("donor", "fund"),
        required=False,
        empty_label="— không tính vào cam kết nào —",
        help_text="Khoản nộp theo cam kết ủng hộ: chọn cam kết của chính người này.",
    )
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea({"rows": 2}))
    late_reason = forms.CharField(
        label="Lý do nhập muộn (Ban Thường trực)",
        required=False,
        max_length=500,
        widget=forms.Textarea({"rows": 2}),
        help_text="Chiến dịch đã quá hạn nhận biên nhận nộp muộn: chỉ Ban Thường trực nhập "
        "được, ghi rõ vì sao (ví dụ: biên nhận giấy của tổ 5 nộp chậm).",
    )

    def __init__(
        self, *args, campaign: Campaign | None = None, in_kind_total: int | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.in_kind_total = in_kind_total
        self.old_date: datetime.date | None = None
        today = timezone.localdate()
        if self.is_bound:
            # The hints follow the campaign the person chose.
            chosen = str(self.data.get("campaign") or "")
            campaign = Campaign.objects.filter(pk=chosen).first() if chosen.isdigit() else None
        else:
            self.initial.setdefault("form_token", uuid.uuid4())
            self.initial.setdefault(
                "date", campaign.default_entry_date(today) if campaign is not None else today
            )
            self.initial.setdefault("campaign", campaign)
            self.initial.setdefault("fund", Fund.objects.filter(active=True).first())
        self.late_campaign = campaign if campaign and campaign.entry_is_late(today) else None
        if self.late_campaign is not None:
            self.fields["date"].help_text = (
                f"Chiến dịch “{campaign.name}” đã hết thời gian từ "
                f"{campaign.end_date:%d/%m/%Y} và đã quá hạn nhận biên nhận nộp muộn (đến "
                f"{campaign.entry_deadline:%d/%m/%Y}): chỉ Ban Thường trực nhập được, kèm lý "
                "do; hoặc bỏ chọn chiến dịch nếu khoản này ngoài chiến dịch."
            )
        elif campaign is not None and today > campaign.end_date:
            self.fields["date"].help_text = (
                f"Chiến dịch “{campaign.name}” đã hết thời gian ({campaign.start_date:%d/%m/%Y}"
                f" – {campaign.end_date:%d/%m/%Y}); biên nhận nộp muộn nhận đến "
                f"{campaign.entry_deadline:%d/%m/%Y}. Ngày đã điền sẵn là ngày cuối của "
                "chiến dịch: sửa thành ngày nhận tiền trong khoảng đó, hoặc bỏ chọn chiến dịch "
                "nếu khoản này ngoài chiến dịch."
            )
        elif campaign is not None and not campaign.contains(today):
            # Entering gifts received during a campaign after it ended: say which days
            # it accepts before the person types a date it would refuse.
            self.fields["date"].help_text = (
                f"Hôm nay nằm ngoài thời gian của chiến dịch “{campaign.name}” "
                f"({campaign.start_date:%d/%m/%Y} – {campaign.end_date:%d/%m/%Y}): nhập ngày "
                "nhận tiền trong khoảng đó, hoặc bỏ chọn chiến dịch nếu khoản này ngoài chiến dịch."
            )
        self.duplicates: list[Donor] = []
        # htmx asks the server for matches as the person types (results in #donor-results).
        self.fields["donor_query"].widget.attrs.update(
            {
                "hx-get": reverse("donations:donor_search"),
                "hx-trigger": "input changed delay:200ms, search",
                "hx-target": "#donor-results",
                "hx-sync": "this:replace",
            }
        )

    def clean(self):
        data = super().clean()
        donor = data.get("use_donor") or data.get("donor")
        data["donor"] = donor
        if donor is None:
            if not data.get("new_name", "").strip():
                self.add_error(
                    "donor_query", "Hãy chọn người ủng hộ đã có, hoặc nhập tên người ủng hộ mới."
                )
            elif not data.get("new_source"):
                self.add_error("new_source", "Hãy chọn nguồn ủng hộ của người mới.")
        in_kind = data.get("channel") == Donation.Channel.IN_KIND
        if not in_kind and not data.get("amount") and "amount" not in self.errors:
            self.add_error("amount", "Chưa nhập số tiền.")
        if data.get("campaign") is None:  # a campaign's own period and deadline rule
            self._old_date_look(data.get("date"))
        self.second_look(
            "amount",
            data.get("amount") or (self.in_kind_total if in_kind else None),
            fund=data.get("fund") or Fund.objects.filter(active=True).first(),
            usual=usual_gift(donor),
        )
        return data

    def _old_date_look(self, day: datetime.date | None) -> None:
        """Outside any campaign, a date further back than late paper receipts come
        (CAMPAIGN_LATE_ENTRY_DAYS) is asked about once more: a typo in the year, or a
        campaign's default date left after unticking the campaign, is caught before a
        receipt is numbered."""
        days = settings.CAMPAIGN_LATE_ENTRY_DAYS
        if day is None or day >= timezone.localdate() - datetime.timedelta(days=days):
            return
        if self.data.get(self.add_prefix("date_confirmed")) == day.isoformat():
            return
        self.old_date = day
        self.add_error(
            "date",
            f"Ngày {day:%d/%m/%Y} đã cách hôm nay hơn {days} ngày: hãy kiểm tra lại ngày nhận "
            "tiền và đánh dấu xác nhận.",
        )

    def new_donor(self) -> dict | None:
        data = self.cleaned_data
        if data["donor"] is not None:
            return None
        return {
            "source": data["new_source"],
            "name": data["new_name"],
            "representative": data["new_representative"],
            "address": data["new_address"],
            "group": data["new_group"],
            "phone": data["new_phone"],
            "tax_code": data["new_tax_code"],
            "organisation": data["new_organisation"],
            "anonymous": data["new_anonymous"],
            "email": data["new_email"],
            "contact_consent": data["new_contact_consent"],
            "consent_how": data["new_consent_how"],
        }

    def donation_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "date": data["date"],
            "amount": data.get("amount"),
            "channel": data["channel"],
            "purpose": data["purpose"],
            "fund": data.get("fund"),
            "account": data.get("account"),
            "campaign": data.get("campaign"),
            "beneficiary": data.get("beneficiary", ""),
            "credited_group": data.get("credited_group"),
            "credited_organisation": data.get("credited_organisation"),
            "credited_board_member": data.get("credited_board_member"),
            "note": data.get("note", ""),
            "form_token": data["form_token"],
            "replaces": data.get("replaces"),
            "late_reason": data.get("late_reason", ""),
            "pledge": data.get("pledge"),
        }


_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")


class QuantityField(forms.DecimalField):
    """A quantity written the Vietnamese way whatever the browser's language: "2,5" is two
    and a half, "1.000" is a thousand; "2.5" (one dot, not three digits after) is 2,5."""

    def to_python(self, value):
        if isinstance(value, str):
            text = value.strip().replace(" ", "").replace("\u00a0", "")
            if "," in text:
                text = text.replace(".", "").replace(",", ".")
            elif _THOUSANDS.fullmatch(text):
                text = text.replace(".", "")
            value = text
        return super().to_python(value)


class ItemForm(WardForm):
    description = forms.CharField(label="Hiện vật", max_length=200)
    quantity = QuantityField(
        label="Số lượng",
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.TextInput({"inputmode": "decimal", "autocomplete": "off"}),
    )
    unit = forms.CharField(label="Đơn vị tính", max_length=30)
    valuation = DongField(label="Trị giá (đồng)", max_value=MAX_DONATION)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A line with a name but no valuation is refused by the field, never skipped.
        self.fields["valuation"].error_messages["required"] = (
            "Hiện vật phải được quy ra tiền (trị giá)."
        )
        for field in self.fields.values():
            classes = field.widget.attrs.get("class", "")
            field.widget.attrs["class"] = f"{classes} form-control form-control-sm".strip()
            field.widget.attrs["aria-label"] = field.label


ItemFormSet = forms.formset_factory(ItemForm, extra=3, max_num=20, validate_max=True)


class VoidRequestForm(WardForm):
    reason = forms.CharField(
        label="Lý do hủy",
        min_length=5,
        max_length=1000,
        widget=forms.Textarea({"rows": 3}),
        help_text="Ví dụ: nhập sai số tiền (đúng là 500.000 đ); nhập trùng với biên nhận khác.",
    )


class VoidDecisionForm(WardForm):
    reason = forms.CharField(
        label="Ý kiến / lý do", max_length=1000, required=False, widget=forms.Textarea({"rows": 2})
    )
