"""Forms of bank statements: upload, record a line, record many, ignore, reconcile. They
parse; the services decide."""

from __future__ import annotations

from django import forms
from django.urls import reverse

from campaigns.models import BoardMember, Campaign
from donations.forms.fields import BoardMemberChoiceField
from donations.forms.pledges import PledgeChoiceField
from donations.models import Account, BankLayout, Donor, Fund, Pledge
from donations.services.statements import STATEMENT_ACCOUNT_KINDS
from lddh.ward.forms import DayField, PhoneField, WardForm
from lddh.ward.models import MemberOrganisation, ResidentialGroup
from lddh.ward.vocab import DonorSource

__all__ = [
    "IgnoreForm",
    "ReconciliationForm",
    "StatementBulkForm",
    "StatementRecordForm",
    "StatementUploadForm",
]


class StatementUploadForm(WardForm):
    account = forms.ModelChoiceField(
        label="Tài khoản",
        queryset=Account.objects.filter(active=True, kind__in=STATEMENT_ACCOUNT_KINDS),
    )
    layout = forms.ModelChoiceField(
        label="Mẫu sao kê của ngân hàng", queryset=BankLayout.objects.filter(active=True)
    )
    file = forms.FileField(
        label="Tệp sao kê (CSV hoặc Excel .xlsx, tối đa 100 MB)", allow_empty_file=True
    )

    def __init__(self, *args, **kwargs):
        """The chosen account's own layout is pre-selected: on the page (each account
        option names its layout, js/statement_layout.js follows the choice) and, when the
        office has a single statement account, in the form itself."""
        super().__init__(*args, **kwargs)
        accounts = list(self.fields["account"].queryset)
        layouts = {a.pk: a.statement_layout_id for a in accounts if a.statement_layout_id}
        self.fields["account"].widget.attrs["data-layouts"] = ",".join(
            f"{pk}:{layout}" for pk, layout in layouts.items()
        )
        if not self.is_bound and len(accounts) == 1 and accounts[0].pk in layouts:
            self.initial.setdefault("account", accounts[0].pk)
            self.initial.setdefault("layout", layouts[accounts[0].pk])


class StatementRecordForm(WardForm):
    """Create a donation from a bank credit: the donor, picked or new, and the credits."""

    donor = forms.ModelChoiceField(
        queryset=Donor.objects.all(), required=False, widget=forms.HiddenInput
    )
    # One of the "có thể trùng" candidates, picked instead of creating a new donor.
    use_donor = forms.ModelChoiceField(
        queryset=Donor.objects.all(), required=False, widget=forms.RadioSelect
    )
    donor_query = forms.CharField(
        label="Người ủng hộ đã có",
        required=False,
        max_length=200,
        widget=forms.TextInput({"autocomplete": "off", "placeholder": "Gõ tên hoặc số điện thoại"}),
    )
    new_name = forms.CharField(
        label="Họ tên / tên đơn vị (người mới)", max_length=200, required=False
    )
    new_source = forms.ChoiceField(
        label="Nguồn", choices=[("", "— chọn —"), *DonorSource.choices], required=False
    )
    new_group = forms.ModelChoiceField(
        label="Tổ dân phố", queryset=ResidentialGroup.objects.all(), required=False
    )
    new_phone = PhoneField()
    new_anonymous = forms.BooleanField(label="Giấu tên khi công khai", required=False)
    create_anyway = forms.BooleanField(
        label="Tôi đã kiểm tra: đây là người khác, vẫn tạo mới", required=False
    )
    fund = forms.ModelChoiceField(label="Quỹ", queryset=Fund.objects.filter(active=True))
    campaign = forms.ModelChoiceField(
        label="Chiến dịch",
        queryset=Campaign.objects.exclude(status=Campaign.Status.CLOSED),
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
        help_text="Khoản nộp theo cam kết ủng hộ: người ủng hộ và chiến dịch lấy theo cam kết.",
    )
    note = forms.CharField(label="Ghi chú", max_length=500, required=False)
    late_reason = forms.CharField(
        label="Lý do nhập muộn (Ban Thường trực, khi chiến dịch đã quá hạn nhận)",
        max_length=500,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicates: list[Donor] = []
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
        data["donor"] = data.get("use_donor") or data.get("donor")
        pledge = data.get("pledge")
        if pledge is not None and data["donor"] is None:
            data["donor"] = pledge.donor  # a payment of a pledge is its donor's
        if pledge is not None and data.get("campaign") is None:
            data["campaign"] = pledge.campaign
        if data.get("donor") is None:
            if not (data.get("new_name") or "").strip():
                self.add_error(
                    "new_name", "Hãy chọn người ủng hộ đã có, hoặc nhập tên người ủng hộ mới."
                )
            elif not data.get("new_source"):
                self.add_error("new_source", "Hãy chọn nguồn ủng hộ của người mới.")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        new_donor = None
        if data["donor"] is None:
            new_donor = {
                "source": data["new_source"],
                "name": data["new_name"],
                "group": data["new_group"],
                "phone": data["new_phone"],
                "anonymous": data["new_anonymous"],
            }
        return {
            "donor": data["donor"],
            "new_donor": new_donor,
            "allow_duplicate": data["create_anyway"],
            "fund": data["fund"],
            "campaign": data.get("campaign"),
            "credited_group": data.get("credited_group"),
            "credited_organisation": data.get("credited_organisation"),
            "credited_board_member": data.get("credited_board_member"),
            "note": data.get("note", ""),
            "late_reason": data.get("late_reason", ""),
            "pledge": data.get("pledge"),
        }


class StatementBulkForm(WardForm):
    """What a batch of bank credits is recorded to: one fund and, if any, one campaign."""

    fund = forms.ModelChoiceField(label="Quỹ", queryset=Fund.objects.filter(active=True))
    campaign = forms.ModelChoiceField(
        label="Chiến dịch",
        queryset=Campaign.objects.exclude(status=Campaign.Status.CLOSED),
        required=False,
        empty_label="— ngoài chiến dịch —",
    )


class IgnoreForm(WardForm):
    reason = forms.CharField(label="Lý do", max_length=300)


class ReconciliationForm(WardForm):
    account = forms.ModelChoiceField(
        label="Tài khoản",
        queryset=Account.objects.filter(kind__in=STATEMENT_ACCOUNT_KINDS),
        required=False,
    )
    start = DayField(label="Từ ngày", required=False)
    end = DayField(label="Đến ngày", required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "Ngày kết thúc phải sau ngày bắt đầu.")
        return data
