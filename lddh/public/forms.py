"""Forms of the public pages. Anything a stranger types is bounded and checked here, so
bad input gets a Vietnamese message next to the field, never an error page."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from donations.models import MAX_DONATION, Receipt
from donations.selectors.public import (
    DonorFilters,
    ReceiptNumberQuery,
    parse_receipt_number,
    receipt_series,
)
from lddh.ward.fields import DongField
from lddh.ward.forms import DayField, DayInput, WardForm


def _date_widget() -> DayInput:
    return DayInput(attrs={"class": "form-control"})


def _date_field(label: str) -> DayField:
    return DayField(label=label, required=False, widget=_date_widget())


class DonorSearchForm(WardForm):
    filtering = True

    ten = forms.CharField(
        label="Tên người ủng hộ",
        required=False,
        max_length=100,
        error_messages={"max_length": "Tên tìm kiếm quá dài (tối đa 100 ký tự)."},
        widget=forms.TextInput(
            attrs={"placeholder": "Ví dụ: nguyen van an", "autocomplete": "off", "type": "search"}
        ),
        help_text="Gõ có dấu hay không dấu đều được.",
    )
    so = forms.CharField(
        label="Số biên nhận",
        required=False,
        max_length=30,
        error_messages={"max_length": "Số biên nhận có dạng VNN-2024-000123."},
        widget=forms.TextInput(attrs={"placeholder": "VNN-2024-000123", "autocomplete": "off"}),
    )
    tien = DongField(label="Số tiền", required=False, max_value=MAX_DONATION)
    tu = _date_field("Từ ngày")
    den = _date_field("Đến ngày")

    def clean_so(self) -> str:
        value = self.cleaned_data["so"].strip().upper()
        query = parse_receipt_number(value, receipt_series()) if value else None
        if query is not None and query.series and query.year:
            # "vnn 2024 690" finds VNN-2024-000690, as on the receipt check.
            return Receipt.format_number(query.series, query.year, query.seq)
        if value and not all(ch.isalnum() or ch == "-" for ch in value):
            raise forms.ValidationError("Số biên nhận chỉ gồm chữ, số và dấu gạch ngang.")
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("tu"), data.get("den")
        if start and end and start > end:
            self.add_error("den", "“Đến ngày” phải sau hoặc trùng “Từ ngày”.")
        return data

    def filters(self, *, direct: bool = False) -> DonorFilters:
        """The filters of a valid form; an invalid form lists nothing narrowed."""
        if not self.is_valid():
            return DonorFilters(direct=direct)
        data = self.cleaned_data
        return DonorFilters(
            name=data["ten"].strip(),
            number=data["so"],
            amount=data["tien"],
            date_from=data["tu"],
            date_to=data["den"],
            direct=direct,
        )


class ReceiptCheckForm(WardForm):
    so = forms.CharField(
        label="Số biên nhận",
        max_length=30,
        error_messages={
            "required": "Nhập số biên nhận in trên giấy, ví dụ VNN-2024-000123.",
            "max_length": "Số biên nhận có dạng VNN-2024-000123 (tối đa 30 ký tự).",
        },
        widget=forms.TextInput(
            attrs={"placeholder": "VNN-2024-000123", "autocomplete": "off", "autofocus": True}
        ),
    )
    tien = DongField(
        label="Số tiền trên biên nhận",
        max_value=MAX_DONATION,
        error_messages={"required": "Nhập số tiền ghi trên biên nhận, ví dụ 500.000."},
    )

    def clean_so(self) -> ReceiptNumberQuery:
        query = parse_receipt_number(self.cleaned_data["so"], receipt_series())
        if query is None:
            raise forms.ValidationError(
                "Số biên nhận gồm mã quỹ, năm và số thứ tự, ví dụ VNN-2024-000690 "
                "(viết liền, cách hay gạch ngang đều được), hoặc chỉ số thứ tự như 690."
            )
        return query


class PublishForm(WardForm):
    title = forms.CharField(
        label="Tiêu đề",
        max_length=200,
        error_messages={"required": "Nhập tiêu đề báo cáo."},
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    period_start = DayField(
        label="Từ ngày",
        widget=_date_widget(),
        error_messages={"required": "Nhập ngày bắt đầu kỳ báo cáo."},
    )
    period_end = DayField(
        label="Đến ngày",
        widget=_date_widget(),
        error_messages={"required": "Nhập ngày kết thúc kỳ báo cáo."},
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu.")
        if end and end > timezone.localdate():
            self.add_error("period_end", "Chưa thể công khai số liệu của ngày chưa tới.")
        if start and end and (end - start) > datetime.timedelta(days=366 * 2):
            self.add_error("period_start", "Kỳ báo cáo dài tối đa hai năm.")
        return data
