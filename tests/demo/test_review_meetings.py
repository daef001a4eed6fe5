"""The demo's review meetings: one per group in the 2024 round, six posted lists all
closed before the committee's decisions, one objection answered; idempotent; and the
posting gate blocks no demo support."""

from households.models import Objection, Posting, ReviewMeeting, Support
from households.services import posting_blocking
from lddh.demo import households as households_demo
from lddh.demo import review_meetings
from lddh.demo import ward as ward_demo
from tests.factories import CampaignFactory


class _Out:
    text = ""

    def write(self, text):
        self.text = text


def test_demo_meetings_one_per_group_postings_closed_before_the_decisions(db):
    ward_demo.seed(stdout=_Out())
    CampaignFactory(year=2024, status="closed")
    households_demo.seed(stdout=_Out())
    review_meetings.seed(stdout=_Out())
    assert sorted(ReviewMeeting.objects.values_list("group__number", flat=True)) == list(
        range(1, 10)
    )
    assert set(ReviewMeeting.objects.values_list("round__campaign__year", flat=True)) == {2024}
    statuses = dict(ReviewMeeting.objects.values_list("group__number", "status"))
    assert [statuses[n] for n in range(1, 10)] == ["closed"] * 4 + ["held"] * 2 + ["preparing"] * 3
    assert Posting.objects.count() == 6
    assert max(Posting.objects.values_list("end_date", flat=True)).isoformat() < "2024-11-20"
    objection = Objection.objects.get()
    assert objection.status == "closed" and objection.answer
    assert objection.posting.meeting.group.number == 3
    for support in Support.objects.all():
        assert posting_blocking(support) is None
    out = _Out()
    review_meetings.seed(stdout=out)
    assert ReviewMeeting.objects.count() == 9 and "không tạo thêm" in out.text


def test_demo_meetings_without_the_register_do_nothing(db):
    out = _Out()
    review_meetings.seed(stdout=out)
    assert not ReviewMeeting.objects.exists() and "bỏ qua" in out.text
