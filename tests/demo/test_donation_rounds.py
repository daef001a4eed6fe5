import io

from django.core.management import call_command

from donations.models import CollectionRound, StatementImport, StatementLine
from lddh.demo import donation_rounds
from lddh.demo import donations as donations_demo
from lddh.ward.models import AuditEvent


def _counts():
    return (
        CollectionRound.objects.count(),
        StatementImport.objects.count(),
        StatementLine.objects.count(),
        StatementLine.objects.filter(status="matched").count(),
    )


def test_demo_has_rounds_and_a_matched_statement_and_is_idempotent(db):
    call_command("seed_demo", stdout=io.StringIO())
    posted = CollectionRound.objects.filter(status="posted")
    assert posted.count() == 2
    assert set(posted.values_list("receipt_mode", flat=True)) == {"per_line", "single"}
    draft = CollectionRound.objects.get(status="draft")
    assert draft.created_by.username == "to5" and draft.group.number == 5
    assert draft.lines.filter(amount__isnull=True).exists()  # a problem for the dry run
    lines = StatementLine.objects.filter(credit__gt=0)
    assert lines.filter(status="matched").count() >= 10
    assert lines.filter(status="unmatched").count() >= 3
    # Every outcome of an import shows: a first export, a later one with overlap and an
    # accepted break (one gap open), and a file held for the treasurer.
    imports = list(StatementImport.objects.order_by("pk"))
    assert [i.status for i in imports] == ["done", "done", "held"]
    assert imports[1].known_count > 0 and imports[1].gaps.filter(explained_at=None).count() == 1
    before = _counts()
    donations_demo.seed(stdout=io.StringIO())
    assert _counts() == before


def test_demo_seeded_after_the_deadline_posts_rounds_as_the_committee_with_a_reason(db, settings):
    settings.CAMPAIGN_LATE_ENTRY_DAYS = 30  # the demo runs in 2026, long after 2024
    call_command("seed_demo", stdout=io.StringIO())
    posted = CollectionRound.objects.filter(status="posted")
    assert {r.posted_by.username for r in posted} == {"thuongtruc"}
    events = AuditEvent.objects.filter(action="round.late_entry")
    assert events.count() == 2 and all(e.note == donation_rounds.LATE_NOTE for e in events)
