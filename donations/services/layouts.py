"""Statement layouts made by the office from a file (presets come with the software)."""

from __future__ import annotations

from django.db import transaction

from donations.models import Account, BankLayout
from donations.services.common import DonationError
from lddh.ward.audit import AuditAction, log_event

LAYOUT_FIELDS = (
    "name",
    "header_row",
    "date_column",
    "reference_column",
    "transaction_id_column",
    "credit_column",
    "debit_column",
    "direction_column",
    "balance_column",
    "description_column",
    "date_format",
    "thousands_separator",
    "decimal_separator",
)


@transaction.atomic
def bank_layout_save(
    *, actor, values: dict, account: Account | None, layout: BankLayout | None = None
) -> BankLayout:
    """Create a layout (``layout`` None) or change one the office made; presets are
    read-only. ``account``, when given, reads its statements with this layout from now
    on. One audit event records the settings and the account."""
    if layout is not None and layout.preset:
        raise DonationError("Mẫu có sẵn không sửa được; hãy chép thành mẫu mới rồi sửa.")
    if account is not None and account.kind not in (Account.Kind.BANK, Account.Kind.TREASURY):
        raise DonationError("Chỉ gắn mẫu sao kê cho tài khoản ngân hàng hoặc Kho bạc.")
    creating = layout is None
    before = {} if creating else {name: getattr(layout, name) for name in LAYOUT_FIELDS}
    if creating:
        layout = BankLayout(created_by=actor, preset=False, file_kind=BankLayout.FileKind.ANY)
    for name in LAYOUT_FIELDS:
        setattr(layout, name, values[name])
    if BankLayout.objects.filter(name=layout.name).exclude(pk=layout.pk).exists():
        raise DonationError(f"Đã có mẫu tên “{layout.name}”. Hãy đặt tên khác.")
    layout.save()
    if account is not None:
        Account.objects.filter(pk=account.pk).update(statement_layout=layout)
    after = {name: getattr(layout, name) for name in LAYOUT_FIELDS}
    after["account"] = account.name if account else ""
    log_event(
        actor=actor,
        action=AuditAction.BANK_LAYOUT_CREATE if creating else AuditAction.BANK_LAYOUT_UPDATE,
        obj=layout,
        before=before or None,
        after=after,
    )
    return layout
