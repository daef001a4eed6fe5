"""Each provider's adapter by its code (BankFeed.provider)."""

from donations.feeds import casso, sepay

ADAPTERS = {"sepay": sepay, "casso": casso}
AUTHS = {"sepay": ("api_key", "hmac"), "casso": ("hmac",)}
"""The ways each provider documents to authenticate: SePay an API key or an HMAC-SHA256
signature (OAuth 2.0 and none are not offered here), Casso its HMAC-SHA512 signature."""
