"""Errors and value types shared by the donations services."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError

from donations.models import Account, Donation, Donor

CHANNEL_ACCOUNT_KIND = {
    Donation.Channel.CASH: Account.Kind.CASH,
    Donation.Channel.BANK: Account.Kind.BANK,
    Donation.Channel.TREASURY: Account.Kind.TREASURY,
    Donation.Channel.IN_KIND: Account.Kind.GOODS,
}


class DonationError(ValidationError):
    """A money operation refused for a reason the person can act on (Vietnamese text)."""


class InsufficientFundsError(DonationError):
    """Paying out would make a fund's or an account's balance negative."""


class DuplicateDonorError(DonationError):
    """A donor with the same normalised name, or the same tax code, exists."""

    def __init__(self, message: str, matches: Sequence[Donor]):
        super().__init__(message, code="duplicate")
        self.matches = list(matches)


@dataclass(frozen=True)
class ItemLine:
    """One line of a gift in kind, as entered."""

    description: str
    quantity: Decimal
    unit: str
    valuation: int
