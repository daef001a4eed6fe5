import datetime

import factory

from campaigns.models import Activity, BoardMember, Campaign, PlanBlock, Target

__all__ = [
    "ActivityFactory",
    "BoardMemberFactory",
    "CampaignFactory",
    "PlanBlockFactory",
    "TargetFactory",
]


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


class PlanBlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanBlock

    campaign = factory.SubFactory(CampaignFactory)
    section = PlanBlock.Section.PURPOSES
    order = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Đoạn kế hoạch số {n}.")


class BoardMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMember
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    full_name = factory.Sequence(lambda n: f"Thành viên {n}")
    position = "Thành viên Ban vận động"
    phone = "0904 000 000"
    order = factory.Sequence(lambda n: n + 1)

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.groups.set(extracted)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    campaign = factory.SubFactory(CampaignFactory)
    amount = 30_000_000


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    campaign = factory.SubFactory(CampaignFactory)
    kind = Activity.Kind.PROPAGANDA
    title = factory.Sequence(lambda n: f"Hoạt động {n}")
    date = datetime.date(2024, 10, 20)
    status = Activity.Status.DONE
