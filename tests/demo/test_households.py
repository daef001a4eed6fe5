from collections import Counter

from households.models import Household, Proposal, Review
from lddh.demo import households as households_demo
from lddh.demo import ward as ward_demo
from tests.factories import CampaignFactory


class _Out:
    def write(self, text):
        self.text = text


def test_demo_seed_is_idempotent_and_reads_like_the_ward(db):
    ward_demo.seed(stdout=_Out())
    CampaignFactory(year=2024, status="closed")
    households_demo.seed(stdout=_Out())
    counts = (Household.objects.count(), Proposal.objects.count(), Review.objects.count())
    households_demo.seed(stdout=_Out())
    assert (Household.objects.count(), Proposal.objects.count(), Review.objects.count()) == counts
    assert 60 <= counts[0] <= 90
    per_group = Counter(Household.objects.values_list("group__number", flat=True))
    assert sorted(per_group) == list(range(1, 10))
    assert Proposal.objects.filter(status="pending").count() >= 3
    waiting_new = Proposal.objects.filter(status="pending", kind="new")
    assert waiting_new and all(p.payload["needs"] for p in waiting_new)
    assert any(p.payload["members"] for p in waiting_new)
    assert Household.objects.filter(especially_difficult=True).count() > counts[0] // 2
    assert Review.objects.exists()


def test_demo_seed_without_the_core_does_nothing(db):
    out = _Out()
    households_demo.seed(stdout=out)
    assert not Household.objects.exists()
    assert "bỏ qua" in out.text


def test_demo_support_covers_every_status_and_category_and_is_idempotent(db):
    from donations.models import Fund, LedgerEntry
    from donations.selectors import fund_balance
    from households.models import DistributionRound, FollowUp, Support, SupportCategory
    from lddh.demo import campaigns as campaigns_demo
    from lddh.demo import donations as donations_demo

    out = _Out()
    ward_demo.seed(stdout=out)
    campaigns_demo.seed(stdout=out)
    donations_demo.seed(stdout=out)
    vnn = Fund.objects.get(code="VNN")
    before_support = fund_balance(vnn)
    households_demo.seed(stdout=out)
    counts = (Support.objects.count(), LedgerEntry.objects.count(), FollowUp.objects.count())
    households_demo.seed(stdout=out)
    assert (Support.objects.count(), LedgerEntry.objects.count(), FollowUp.objects.count()) == (
        counts
    )
    assert set(Support.objects.values_list("status", flat=True)) == set(Support.Status.values)
    assert set(Support.objects.values_list("category", flat=True)) == set(SupportCategory.values)
    paid_from_fund = Support.objects.filter(status="paid", source="fund")
    assert before_support - fund_balance(vnn) == sum(s.amount for s in paid_from_fund)
    assert Support.objects.filter(source="direct", status="paid", ledger_entry=None).exists()
    round = DistributionRound.objects.get()
    assert round.supports.filter(status="paid").count() >= 9
    repairs = Support.objects.filter(category="house_repair", status="paid", source="fund")
    assert repairs.filter(follow_ups__status="completed").distinct().count() >= 2
    for support in Support.objects.filter(status__in=("approved", "paid")):
        assert support.decided_by_id != support.proposed_by_id
