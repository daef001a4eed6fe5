"""The bank statement layouts every installation starts with: one per bank export.

Column names are the header cells of the bank's export as the office receives it
(compared without diacritics, case or line breaks, so "Ngày hạch toán↵Accounting date"
is typed "Ngày hạch toán Accounting date"). tests/donations/statement_samples/ holds a
sample of each export, and its README says which parts are documented and which are
inferred. The office makes its own layouts from a file at /quan-ly/ung-ho/sao-ke/mau/;
presets are read-only there and are kept up to date by migrations (sync_presets)."""

from __future__ import annotations

GENERIC_NAME = "Mẫu chung (Ngày, Số tham chiếu, Ghi nợ, Ghi có, Số dư, Nội dung)"

_DEFAULTS = {
    "file_kind": "any",
    "reference_column": "",
    "transaction_id_column": "",
    "direction_column": "",
    "debit_column": "",
    "balance_column": "",
    "date_format": "%d/%m/%Y",
    "thousands_separator": ".",
    "decimal_separator": ",",
    "csv_delimiter": "",
}


def _preset(**values) -> dict:
    return {**_DEFAULTS, **values}


PRESETS = [
    _preset(
        name="Vietcombank – sao kê tài khoản (VCB iB@nking CSV, VCB DigiBiz Excel)",
        header_row=10,
        date_column="Ngày giao dịch",
        reference_column="Số tham chiếu",
        credit_column="Số tiền ghi có",
        debit_column="Số tiền ghi nợ",
        balance_column="Số dư",
        description_column="Mô tả",
        order=1,
    ),
    _preset(
        name="VietinBank – lịch sử giao dịch eFAST (Excel)",
        header_row=7,
        date_column="Ngày hạch toán Accounting date",
        transaction_id_column="Số giao dịch/ Transaction number",
        credit_column="Có / Credit",
        debit_column="Nợ/ Debit",
        balance_column="Số dư TK/ Account balance",
        description_column="Mô tả giao dịch Transaction description",
        date_format="%d/%m/%Y %H:%M:%S",
        thousands_separator=",",
        decimal_separator=".",
        order=2,
    ),
    _preset(
        name="BIDV – báo cáo chi tiết số dư tài khoản (iBank, Excel)",
        header_row=8,
        date_column="Ngày hiệu lực",
        reference_column="Số tham chiếu",
        credit_column="Ghi có",
        debit_column="Ghi nợ",
        balance_column="Số dư",
        description_column="Mô tả",
        thousands_separator=",",
        decimal_separator=".",
        order=3,
    ),
    _preset(
        name="Agribank – sao kê tài khoản (CSV)",
        header_row=7,
        date_column="Ngày GD",
        reference_column="Mã GD",
        credit_column="Số tiền ghi có",
        debit_column="Số tiền ghi nợ",
        balance_column="Số dư",
        description_column="Nội dung",
        date_format="%d/%m/%Y %H:%M:%S",
        thousands_separator=",",
        decimal_separator=".",
        csv_delimiter=",",
        order=4,
    ),
    _preset(
        name="Techcombank – sao kê tài khoản (Excel)",
        header_row=8,
        date_column="Ngày giao dịch/ Transaction Date",
        credit_column="Có/ Credit",
        debit_column="Nợ/ Debit",
        balance_column="Số dư/ Balance",
        description_column="Diễn giải/ Description",
        thousands_separator=",",
        decimal_separator=".",
        order=5,
    ),
    _preset(
        name="MB Bank – sao kê chi tiết tài khoản (Excel)",
        header_row=7,
        date_column="Ngày hạch toán/ Posting date",
        reference_column="Số bút toán/ Ref No",
        credit_column="Phát sinh có/ Credit",
        debit_column="Phát sinh nợ/ Debit",
        balance_column="Số dư/ Balance",
        description_column="Nội dung/ Description",
        date_format="%d/%m/%Y %H:%M:%S",
        thousands_separator=",",
        decimal_separator=".",
        order=6,
    ),
    _preset(
        name="Kho bạc Nhà nước – sao kê tài khoản tiền gửi (Excel)",
        header_row=7,
        date_column="Ngày hạch toán",
        reference_column="Số chứng từ",
        credit_column="Phát sinh Có",
        debit_column="Phát sinh Nợ",
        balance_column="Số dư",
        description_column="Nội dung",
        order=7,
    ),
    _preset(
        name=GENERIC_NAME,
        header_row=1,
        date_column="Ngày",
        reference_column="Số tham chiếu",
        credit_column="Ghi có",
        debit_column="Ghi nợ",
        balance_column="Số dư",
        description_column="Nội dung",
        order=8,
    ),
]

RENAMED = {
    "Vietcombank – sao kê Excel (VCB Digibiz)": PRESETS[0]["name"],
    "VietinBank – sao kê CSV (eFAST)": PRESETS[1]["name"],
}
"""Earlier preset names → today's, so the rows (and the imports that point at them) stay."""


def sync_presets(model=None) -> None:
    """Make the preset rows match PRESETS: rename the ones known by an earlier name,
    create the missing ones and bring the others up to date (presets are not edited in
    the app). Fields the model does not have yet (an older migration state) are left
    out."""
    if model is None:
        from donations.models import BankLayout as model
    fields = {field.name for field in model._meta.get_fields()}
    for old, new in RENAMED.items():
        if not model.objects.filter(name=new).exists():
            model.objects.filter(name=old).update(name=new)
    for preset in PRESETS:
        values = {key: value for key, value in preset.items() if key in fields}
        if "preset" in fields:
            values["preset"] = True
        model.objects.update_or_create(name=values.pop("name"), defaults=values)


ensure_presets = sync_presets
"""The name the demo and the test set-up use."""
