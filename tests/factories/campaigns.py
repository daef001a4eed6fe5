import datetime

import factory

from campaigns.models import Campaign

__all__ = ["CampaignFactory"]


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    year = 2024
    name = "Tháng cao điểm “Vì người nghèo” và an sinh xã hội năm 2024"
    start_date = datetime.date(2024, 10, 17)
    end_date = datetime.date(2024, 11, 18)
    document_number = "24/KH-MTTQ-BTT"
    target = 500_000_000
    status = Campaign.Status.ACTIVE
