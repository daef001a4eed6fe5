"""Forms of the in-kind stock: the date of the on-hand table and the stock count."""

from __future__ import annotations

from django import forms

from donations.forms.fields import DATE_INPUT_FORMATS, DATE_WIDGET
from donations.models import StockItem

__all__ = ["StockCountForm", "StockDateForm", "StockDecisionForm"]


class StockDateForm(forms.Form):
    ngay = forms.DateField(
        label="Tồn kho đến hết ngày",
        required=False,
        widget=DATE_WIDGET,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": "Ghi ngày theo dạng ngày/tháng/năm, ví dụ 20/11/2024."},
    )


class StockCountForm(forms.Form):
    item = forms.ModelChoiceField(
        label="Hiện vật",
        queryset=StockItem.objects.order_by("name", "unit"),
        error_messages={"required": "Chọn hiện vật đã kiểm kê."},
    )
    date = forms.DateField(
        label="Ngày kiểm kê",
        widget=DATE_WIDGET,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={
            "required": "Ghi ngày kiểm kê.",
            "invalid": "Ghi ngày kiểm kê theo dạng ngày/tháng/năm, ví dụ 20/11/2024.",
        },
    )
    # Text: the service parses “12,5” and names the field when it cannot.
    counted = forms.CharField(
        label="Số lượng đếm được",
        max_length=20,
        error_messages={"required": "Ghi số lượng đếm được."},
    )
    note = forms.CharField(label="Ghi chú", max_length=300, required=False)


class StockDecisionForm(forms.Form):
    reason = forms.CharField(label="Lý do", max_length=300, required=False)
