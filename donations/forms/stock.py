"""Forms of the in-kind stock: the date of the on-hand table and the stock count."""

from __future__ import annotations

from django import forms

from donations.models import StockItem
from lddh.ward.forms import DayField, WardForm

__all__ = ["StockCountForm", "StockDateForm", "StockDecisionForm"]


class StockDateForm(WardForm):
    ngay = DayField(label="Tồn kho đến hết ngày", required=False)


class StockCountForm(WardForm):
    item = forms.ModelChoiceField(
        label="Hiện vật",
        queryset=StockItem.objects.order_by("name", "unit"),
        error_messages={"required": "Chọn hiện vật đã kiểm kê."},
    )
    date = DayField(label="Ngày kiểm kê", error_messages={"required": "Ghi ngày kiểm kê."})
    # Text: the service parses “12,5” and names the field when it cannot.
    counted = forms.CharField(
        label="Số lượng đếm được",
        max_length=20,
        error_messages={"required": "Ghi số lượng đếm được."},
    )
    note = forms.CharField(label="Ghi chú", max_length=300, required=False)


class StockDecisionForm(WardForm):
    reason = forms.CharField(label="Lý do", max_length=300, required=False)
