"""The bank statement layouts every installation starts with. Column names are those of
the banks' exports as the office receives them (compared without diacritics or case);
the office adds or corrects layouts in the admin."""

PRESETS = [
    {
        "name": "Vietcombank – sao kê Excel (VCB Digibiz)",
        "file_kind": "any",
        "header_row": 8,
        "date_column": "Ngày giao dịch",
        "reference_column": "Số tham chiếu",
        "credit_column": "Số tiền ghi có",
        "debit_column": "Số tiền ghi nợ",
        "balance_column": "Số dư",
        "description_column": "Mô tả",
        "date_format": "%d/%m/%Y",
        "thousands_separator": ",",
        "csv_delimiter": "",
        "order": 1,
    },
    {
        "name": "VietinBank – sao kê CSV (eFAST)",
        "file_kind": "any",
        "header_row": 3,
        "date_column": "Ngày hạch toán",
        "reference_column": "Số giao dịch",
        "credit_column": "Có",
        "debit_column": "Nợ",
        "balance_column": "Số dư",
        "description_column": "Nội dung giao dịch",
        "date_format": "%d-%m-%Y %H:%M:%S",
        "thousands_separator": ".",
        "csv_delimiter": ";",
        "order": 2,
    },
    {
        "name": "Mẫu chung (Ngày, Số tham chiếu, Ghi nợ, Ghi có, Số dư, Nội dung)",
        "file_kind": "any",
        "header_row": 1,
        "date_column": "Ngày",
        "reference_column": "Số tham chiếu",
        "credit_column": "Ghi có",
        "debit_column": "Ghi nợ",
        "balance_column": "Số dư",
        "description_column": "Nội dung",
        "date_format": "%d/%m/%Y",
        "thousands_separator": ".",
        "csv_delimiter": "",
        "order": 3,
    },
]


def ensure_presets(model=None) -> None:
    """Create the preset layouts that are missing (the migration, the demo, the tests)."""
    if model is None:
        from donations.models import BankLayout as model
    for preset in PRESETS:
        values = dict(preset)
        model.objects.get_or_create(name=values.pop("name"), defaults=values)
