"""The donor form. It parses and checks input; the services decide."""

from __future__ import annotations

from django import forms

from donations.models import ConsentHow
from lddh.ward.forms import PhoneField, TaxCodeField, WardForm
from lddh.ward.models import MemberOrganisation, ResidentialGroup
from lddh.ward.vocab import DonorSource

__all__ = [
    "DonorForm",
]


class DonorForm(WardForm):
    source = forms.ChoiceField(label="Nguồn", choices=DonorSource.choices)
    name = forms.CharField(label="Họ tên / tên cơ quan, đơn vị", max_length=200)
    representative = forms.CharField(label="Người đại diện", max_length=200, required=False)
    address = forms.CharField(label="Địa chỉ", max_length=300, required=False)
    group = forms.ModelChoiceField(
        label="Tổ dân phố", queryset=ResidentialGroup.objects.all(), required=False
    )
    phone = PhoneField()
    tax_code = TaxCodeField()
    organisation = forms.ModelChoiceField(
        label="Tổ chức thành viên", queryset=MemberOrganisation.objects.all(), required=False
    )
    anonymous = forms.BooleanField(
        label="Giấu tên khi công khai (hiện “Nhà hảo tâm giấu tên”)", required=False
    )
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea({"rows": 2}))
    email = forms.EmailField(label="Email", max_length=254, required=False)
    contact_consent = forms.BooleanField(
        label="Đồng ý nhận biên nhận qua email / tin nhắn", required=False
    )
    consent_how = forms.ChoiceField(
        label="Đồng ý bằng cách", choices=[("", "— chọn —"), *ConsentHow.choices], required=False
    )
    create_anyway = forms.BooleanField(
        label="Tôi đã kiểm tra: đây là người khác, vẫn lưu", required=False
    )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["allow_duplicate"] = data.pop("create_anyway")
        return data
