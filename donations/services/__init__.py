"""Writes that move money or change money records.

Every function is keyword-only, atomic, validates before writing, writes its ledger
entries and audit events in the same transaction, and returns what it made. Errors are
``DonationError`` (a ValidationError) with a Vietnamese message fit to show as is.

Lock order, the same everywhere so that concurrent writers never deadlock:
receipt counter → void request → receipt → fund.
"""

from donations.services.common import (
    DonationError,
    DuplicateDonorError,
    InsufficientFundsError,
    ItemLine,
)
from donations.services.donors import donor_create, donor_duplicates, donor_update
from donations.services.ledger import account_transfer, fund_pay_out, lock_funds
from donations.services.pledges import (
    PledgeError,
    pledge_cancel,
    pledge_create,
    pledge_enter,
    pledge_payment_link,
)
from donations.services.receipts import donation_enter, donation_record, receipt_print
from donations.services.rounds import (
    LineInput,
    RoundError,
    round_check,
    round_create,
    round_delete,
    round_post,
    round_save_lines,
    round_update,
)
from donations.services.seals import chain_heads_sign
from donations.services.statement_bulk import BulkEntry, statement_lines_record
from donations.services.statements import (
    StatementError,
    balance_gap_explain,
    statement_import,
    statement_import_accept,
    statement_import_cancel,
    statement_import_retry,
    statement_line_ignore,
    statement_line_match,
    statement_line_record,
    statement_read,
    statement_upload,
)
from donations.services.stock import (
    GoodsOut,
    stock_check_out,
    stock_count_approve,
    stock_count_record,
    stock_count_reject,
    stock_take_out,
)
from donations.services.totals import rebuild_day_totals
from donations.services.voids import void_approve, void_reject, void_request

__all__ = [
    "BulkEntry",
    "DonationError",
    "DuplicateDonorError",
    "GoodsOut",
    "InsufficientFundsError",
    "ItemLine",
    "LineInput",
    "PledgeError",
    "RoundError",
    "StatementError",
    "account_transfer",
    "balance_gap_explain",
    "chain_heads_sign",
    "donation_enter",
    "donation_record",
    "donor_create",
    "donor_duplicates",
    "donor_update",
    "fund_pay_out",
    "lock_funds",
    "pledge_cancel",
    "pledge_create",
    "pledge_enter",
    "pledge_payment_link",
    "rebuild_day_totals",
    "receipt_print",
    "round_check",
    "round_create",
    "round_delete",
    "round_post",
    "round_save_lines",
    "round_update",
    "statement_import",
    "statement_import_accept",
    "statement_import_cancel",
    "statement_import_retry",
    "statement_line_ignore",
    "statement_line_match",
    "statement_line_record",
    "statement_lines_record",
    "statement_read",
    "statement_upload",
    "stock_check_out",
    "stock_count_approve",
    "stock_count_record",
    "stock_count_reject",
    "stock_take_out",
    "void_approve",
    "void_reject",
    "void_request",
]
