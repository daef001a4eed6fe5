import io

from campaigns.models import (
    PERIOD_OVER_LABEL,
    Activity,
    BoardMember,
    Campaign,
    PlanBlock,
    Target,
)
from lddh.demo import campaigns as campaigns_demo
from lddh.demo import ward as ward_demo
from lddh.ward.models import AuditEvent


def _state():
    return {
        "campaigns": list(Campaign.objects.values()),
        "blocks": list(PlanBlock.objects.values()),
        "board": list(BoardMember.objects.values()),
        "groups": list(BoardMember.groups.through.objects.values()),
        "targets": list(Target.objects.values()),
        "activities": list(Activity.objects.values()),
    }


def test_seed_is_idempotent_and_complete(db):
    out = io.StringIO()
    ward_demo.seed(stdout=out)
    events = AuditEvent.objects.count()  # the ward's demo sign-in failures
    campaigns_demo.seed(stdout=out)
    first = _state()
    campaigns_demo.seed(stdout=out)
    assert _state() == first  # nothing written, not even updated_at
    assert AuditEvent.objects.count() == events

    campaign = Campaign.objects.get()
    assert campaign.status == Campaign.Status.ACTIVE and campaign.target == 600_000_000
    # Seeded after 18/11/2024: the demo shows an ended campaign waiting to be closed.
    assert campaign.period_over and campaign.status_label == PERIOD_OVER_LABEL
    assert "chờ Ban Thường trực kết thúc chiến dịch" in out.getvalue()
    assert campaign.legal_basis.startswith("Thực hiện Kế hoạch số 24/KH-MTTQ-BTT ngày 10/09/2024")
    assert 7 <= campaign.board.count() <= 10
    assert campaign.targets.filter(group__isnull=False).count() == 9
    assert campaign.targets.filter(organisation__isnull=False).count() == 7
    assert 8 <= campaign.activities.count() <= 12
    assert campaign.activities.filter(status="done").count() >= 8
    assert sum(a.is_overdue for a in campaign.activities.all()) == 3
    sections = set(campaign.blocks.values_list("section", flat=True))
    assert set(PlanBlock.Section.values) - sections == {"front_committees"}
    assert campaign.blocks.count() == 20  # every paragraph of the ward's 2024 plan
    assert campaign.board.get(full_name="Phạm Thị Thanh Hà").groups.count() == 3


def test_seed_keeps_the_status_the_committee_set(db):
    out = io.StringIO()
    ward_demo.seed(stdout=out)
    campaigns_demo.seed(stdout=out)
    Campaign.objects.update(status=Campaign.Status.CLOSED)
    campaigns_demo.seed(stdout=out)
    assert Campaign.objects.get().status == Campaign.Status.CLOSED
