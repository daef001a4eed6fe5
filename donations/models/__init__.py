"""Money in: funds, accounts, donors, donations, receipts, voids and the fund ledger.

Money records are append-only: a mistake is voided, never edited. The only changes
ever made to an issued donation or receipt are the status changes of a void, and they
go through ``donations.services``; everything else raises ``AppendOnlyError``.
"""

from donations.models.batches import ReceiptBatch
from donations.models.books import Account, Fund, LedgerEntry, SignedChainHead
from donations.models.constants import ANONYMOUS_NAME, DIRECT_SERIES, MAX_DONATION
from donations.models.donations import (
    Donation,
    DonationItem,
    MoneyRecordQuerySet,
    Receipt,
    ReceiptCounter,
    ReceiptPrint,
    VoidRequest,
)
from donations.models.donors import ConsentHow, Donor
from donations.models.feeds import BankFeed, FeedDelivery
from donations.models.messages import Message, MessageAttempt
from donations.models.pledges import (
    PLEDGE_CODE_PREFIX,
    Pledge,
    PledgeInstalment,
    PledgePayment,
    pledge_progress,
)
from donations.models.rounds import CollectionRound, RoundLine
from donations.models.statements import (
    BalanceGap,
    BankLayout,
    StatementImport,
    StatementLine,
    StatementRow,
)
from donations.models.stock import StockCount, StockItem, StockMovement, item_key
from donations.models.totals import DayTotal

__all__ = [
    "ANONYMOUS_NAME",
    "DIRECT_SERIES",
    "MAX_DONATION",
    "PLEDGE_CODE_PREFIX",
    "Account",
    "BalanceGap",
    "BankFeed",
    "BankLayout",
    "CollectionRound",
    "ConsentHow",
    "DayTotal",
    "Donation",
    "DonationItem",
    "Donor",
    "FeedDelivery",
    "Fund",
    "LedgerEntry",
    "Message",
    "MessageAttempt",
    "MoneyRecordQuerySet",
    "Pledge",
    "PledgeInstalment",
    "PledgePayment",
    "Receipt",
    "ReceiptBatch",
    "ReceiptCounter",
    "ReceiptPrint",
    "RoundLine",
    "SignedChainHead",
    "StatementImport",
    "StatementLine",
    "StatementRow",
    "StockCount",
    "StockItem",
    "StockMovement",
    "VoidRequest",
    "item_key",
    "pledge_progress",
]
