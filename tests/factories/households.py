import factory

from households.models import Category, Household, Member, Need, PlanItem, Proposal
from tests.factories.ward import ResidentialGroupFactory, UserFactory

__all__ = [
    "HouseholdFactory",
    "MemberFactory",
    "NeedFactory",
    "PlanItemFactory",
    "ProposalFactory",
]


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    group = factory.SubFactory(ResidentialGroupFactory)
    head_name = factory.Sequence(lambda n: f"Nguyễn Thị Hộ {n}")
    head_birth_year = 1955
    address = factory.Sequence(lambda n: f"Số {n} ngõ 2 phố Lê Đại Hành")
    category = Category.NEAR_POOR
    decision_number = "125/QĐ-UBND"
    decision_year = 2024
    circumstances = "Chồng mất sớm, một mình nuôi hai con đi học."


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    household = factory.SubFactory(HouseholdFactory)
    full_name = factory.Sequence(lambda n: f"Trần Văn Con {n}")
    birth_year = 2010
    relation = Member.Relation.CHILD


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    household = factory.SubFactory(HouseholdFactory)
    type = "house_repair"
    description = "Mái tôn thủng, tường thấm"
    estimated_cost = 60_000_000


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanItem

    household = factory.SubFactory(HouseholdFactory)
    action = "Vận động doanh nghiệp hỗ trợ sửa mái"
    responsible = "Ban công tác Mặt trận tổ"


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    household = factory.SubFactory(HouseholdFactory)
    group = factory.LazyAttribute(lambda o: o.household.group)
    kind = Proposal.Kind.CLASSIFY
    payload = factory.LazyFunction(
        lambda: {
            "category": "none",
            "decision_number": "",
            "decision_year": None,
            "standard": "",
            "especially_difficult": True,
            "difficulty_reasons": ["serious_illness"],
        }
    )
    before = factory.LazyFunction(lambda: {"category": "near_poor"})
    note = "Chồng bị ung thư, mất khả năng lao động"
    proposed_by = factory.SubFactory(UserFactory)
