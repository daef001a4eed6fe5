"""The form a treasurer fills to make a statement layout from a file: each column is
picked among the file's real header cells."""

from __future__ import annotations

import datetime

from django import forms
from django.core import signing

from donations.models import Account, BankLayout
from donations.services.statements import STATEMENT_ACCOUNT_KINDS
from donations.statements.detect import DATE_FORMATS, FIELD_LABELS, FIELDS, cell_text
from lddh.ward.form_messages import field_name
from lddh.ward.forms import WardForm

__all__ = [
    "DATE_FORMAT_LABELS",
    "REQUIRED_FIELDS",
    "SAMPLE_ROWS",
    "SAMPLE_SALT",
    "LayoutForm",
    "SampleForm",
    "header_cells",
    "load_sample",
    "sign_sample",
]

SAMPLE_ROWS = 200
"""Rows of the uploaded file kept (signed, in the form) to re-check the layout."""
SAMPLE_SALT = "donations.bank-layout-sample"
REQUIRED_FIELDS = ("date", "credit", "description")
DATE_FORMAT_LABELS = {
    fmt: datetime.datetime(2024, 12, 31, 14, 5, 9).strftime(fmt) for fmt in DATE_FORMATS
}


class SampleForm(WardForm):
    file = forms.FileField(
        label="Tệp sao kê mẫu (CSV hoặc Excel .xlsx, tối đa 100 MB; chỉ đọc các dòng đầu)",
        allow_empty_file=True,
    )


def _encode(cell):
    if isinstance(cell, datetime.datetime):
        return {"dt": cell.isoformat()}
    if isinstance(cell, datetime.date):
        return {"d": cell.isoformat()}
    if isinstance(cell, (int, float, str)) or cell is None:
        return cell
    return str(cell)


def _decode(cell):
    if isinstance(cell, dict):
        if "dt" in cell:
            return datetime.datetime.fromisoformat(cell["dt"])
        return datetime.date.fromisoformat(cell["d"])
    return cell


def sign_sample(rows: list[list]) -> str:
    return signing.dumps(
        [[_encode(c) for c in row] for row in rows[:SAMPLE_ROWS]], salt=SAMPLE_SALT, compress=True
    )


def load_sample(token: str) -> list[list] | None:
    if not token:
        return None
    try:
        rows = signing.loads(token, salt=SAMPLE_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        return None
    return [[_decode(c) for c in row] for row in rows]


def header_cells(rows: list[list] | None, header_row: int | None) -> list[str]:
    if not rows or not header_row or not 1 <= header_row <= len(rows):
        return []
    return list(dict.fromkeys(t for t in (cell_text(c) for c in rows[header_row - 1]) if t))


class LayoutForm(WardForm):
    """Column fields are selects of the header cells of the sample's header row (or,
    without a sample, of the layout's own column names)."""

    name = forms.CharField(label="Tên mẫu", max_length=100)
    account = forms.ModelChoiceField(
        label="Dùng cho tài khoản",
        queryset=Account.objects.filter(active=True, kind__in=STATEMENT_ACCOUNT_KINDS),
        required=False,
        empty_label="— chưa gắn tài khoản nào —",
    )
    header_row = forms.IntegerField(
        label="Dòng tiêu đề (đếm từ 1)",
        min_value=1,
        max_value=SAMPLE_ROWS,
        help_text=(
            "Dòng chứa tên các cột. Đổi dòng này rồi bấm “Kiểm tra và lưu mẫu”: các cột "
            "được chọn lại theo dòng mới."
        ),
    )
    date_format = forms.ChoiceField(
        label="Định dạng ngày",
        choices=[(fmt, f"{DATE_FORMAT_LABELS[fmt]}") for fmt in DATE_FORMATS],
    )
    thousands_separator = forms.ChoiceField(
        label="Dấu tách hàng nghìn", choices=BankLayout.Separator.choices, required=False
    )
    decimal_separator = forms.ChoiceField(
        label="Dấu thập phân",
        choices=[(",", "dấu phẩy (1.500.000,00)"), (".", "dấu chấm (1,500,000.00)")],
    )
    sample = forms.CharField(widget=forms.HiddenInput, required=False)
    confirm = forms.BooleanField(
        label="Tôi đã xem kết quả kiểm tra ở trên, vẫn lưu mẫu này", required=False
    )

    def __init__(self, *args, headers: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— không có —"), *((h, h) for h in headers)]
        for name in FIELDS:
            label = field_name(FIELD_LABELS[name])
            column = label if label.lower().startswith("cột") else f"cột {label}"
            self.fields[f"{name}_column"] = forms.ChoiceField(
                label=FIELD_LABELS[name],
                choices=choices,
                required=name in REQUIRED_FIELDS,
                error_messages={
                    "required": f"Hãy chọn {column}.",
                    "invalid_choice": (
                        f"Cột “%(value)s” không có ở dòng tiêu đề; hãy chọn lại {column}."
                    ),
                },
            )
        self.column_names = [f"{name}_column" for name in FIELDS]

    def clean(self):
        data = super().clean()
        picked = [(n, data.get(n)) for n in self.column_names if data.get(n)]
        seen: dict[str, str] = {}
        for name, value in picked:
            if value in seen:
                self.add_error(
                    name,
                    f"Cột “{value}” đã được chọn cho "
                    f"{self.fields[seen[value]].label.lower()}; mỗi cột chỉ dùng cho một việc.",
                )
            else:
                seen[value] = name
        thousands = data.get("thousands_separator")
        decimal = data.get("decimal_separator")
        if thousands and thousands == decimal:
            self.add_error("decimal_separator", "Dấu thập phân phải khác dấu tách hàng nghìn.")
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"].strip(),
            "header_row": data["header_row"],
            "date_format": data["date_format"],
            "thousands_separator": data["thousands_separator"],
            "decimal_separator": data["decimal_separator"],
            **{n: data.get(n) or "" for n in self.column_names},
        }

    def check_settings(self) -> dict:
        data = self.cleaned_data
        return {
            "header_row": data["header_row"],
            "columns": {n.removesuffix("_column"): data.get(n) or "" for n in self.column_names},
            "date_format": data["date_format"],
            "thousands": data["thousands_separator"],
            "decimal": data["decimal_separator"],
        }
