from django.apps import AppConfig

from lddh.ward.nav import NavItem
from lddh.ward.roles import Role


class PublicConfig(AppConfig):
    name = "lddh.public"
    label = "public"
    verbose_name = "Công khai"
    nav_items = [NavItem("Công khai", "public:publish", (Role.STAFF, Role.COMMITTEE), order=55)]

    def ready(self):
        from django.db.models.signals import post_save

        from campaigns.models import Campaign
        from donations.models import (
            Donation,
            Donor,
            LedgerEntry,
            Pledge,
            PledgePayment,
            Receipt,
            SignedChainHead,
        )
        from donations.services.totals import day_totals_changed
        from households.models import (
            DistributionRound,
            Household,
            RedactedScan,
            RedactedScanReview,
            RedactedScanWithdrawal,
            Support,
            SupportAttachment,
        )
        from lddh.public.cache import campaign_changed, money_moved

        # Any movement of money, or a change of what is shown about a donor or a
        # household (anonymity, consent), drops the cached public figures; so does a
        # newly signed chain head (the home page prints the latest). The proof of
        # spending shows the rounds, the scans kept and the redacted scans approved.
        models = (
            LedgerEntry,
            Receipt,
            Donation,
            Donor,
            Support,
            Household,
            SignedChainHead,
            DistributionRound,
            SupportAttachment,
            RedactedScan,
            RedactedScanReview,
            RedactedScanWithdrawal,
        )
        # The pledged and paid totals shown on the public page.
        models += (Pledge, PledgePayment)
        for model in models:
            post_save.connect(money_moved, sender=model, dispatch_uid=f"public:{model.__name__}")
        # Figures moved (also the writers in bulk, which send no post_save).
        day_totals_changed.connect(money_moved, dispatch_uid="public:day-totals")
        # A campaign's change (name, dates, status: which campaign the pages and their
        # menu show) drops the pages and the campaign-keyed values.
        post_save.connect(campaign_changed, sender=Campaign, dispatch_uid="public:Campaign")
