"""`manage.py seed_demo --scale N`: N more donations of the 2024 campaign month
written in bulk, whose books still pass the integrity check; re-running tops up to N."""

import datetime
import io
import statistics

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Max, Sum

from campaigns.models import Campaign
from donations.models import (
    DIRECT_SERIES,
    CollectionRound,
    Donation,
    Donor,
    LedgerEntry,
    Receipt,
    ReceiptCounter,
    RoundLine,
    VoidRequest,
)
from households.models import Household, Support, SupportSource
from lddh import scale
from lddh.public.cache import data_version
from lddh.supervision.integrity import run_check
from lddh.ward.models import AuditEvent
from lddh.ward.vocab import DonorSource

N = 2_000
START, END = datetime.date(2024, 10, 17), datetime.date(2024, 11, 18)


def _seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def scaled(django_db_setup, django_db_blocker):
    """The demo, then N scale donations in chunks of 700 (so several transactions)."""
    with django_db_blocker.unblock():
        _seed()
        before = {
            "donations": Donation.objects.count(),
            "last_donation": Donation.objects.aggregate(m=Max("pk"))["m"],
            "households": Household.objects.count(),
        }
        output = _seed("--scale", str(N), "--chunk", "700")
    yield {"before": before, "output": output}
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def _new(scaled):
    return Donation.objects.filter(pk__gt=scaled["before"]["last_donation"])


def test_adds_n_donations_each_with_its_receipt_and_entry(scaled, db):
    new = _new(scaled)
    assert new.count() == N
    assert Donation.objects.count() == scaled["before"]["donations"] + N
    assert scale.scale_seeded() == N
    assert AuditEvent.objects.filter(action=scale.ACTION).count() == 3  # 700 + 700 + 600
    assert Receipt.objects.filter(donation__in=new).count() == N
    fund = new.filter(purpose=Donation.Purpose.FUND)
    entries = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.RECEIPT, donation__in=fund)
    assert entries.count() == fund.count()
    assert not LedgerEntry.objects.filter(donation__in=new.filter(purpose="direct")).exists()
    # collection rounds: posted, one line per donation, counts and totals as on paper
    lines = RoundLine.objects.filter(donation__in=new)
    assert lines.count() > N // 3
    for round_ in CollectionRound.objects.filter(lines__donation__in=new).distinct()[:20]:
        figures = round_.lines.aggregate(n=Count("id"), total=Sum("amount"))
        assert round_.status == CollectionRound.Status.POSTED
        assert (figures["n"], figures["total"]) == (round_.expected_count, round_.expected_total)
        assert round_.code == CollectionRound.format_code(round_.pk)
    # households and their supports, proportional to N
    assert Household.objects.count() - scaled["before"]["households"] >= N // 1000
    assert Support.objects.filter(status=Support.Status.PAID, source=SupportSource.FUND).exists()
    assert "Nhân rộng: đã thêm 2.000 khoản ủng hộ" in scaled["output"]


def test_distribution_is_plausible(scaled, db):
    new = _new(scaled)
    rows = list(new.values_list("amount", "donor__source", "date", "campaign_id", "fund__code"))
    residents = [a for a, source, *_ in rows if source == DonorSource.RESIDENTS]
    businesses = [a for a, source, *_ in rows if source == DonorSource.BUSINESS]
    assert 0.7 < len(residents) / N < 0.9  # many small resident amounts
    assert statistics.median(residents) <= 300_000
    assert businesses and statistics.mean(businesses) > 20 * statistics.mean(residents)
    assert new.values("credited_group").exclude(credited_group=None).distinct().count() == 9
    in_campaign = [day for _, _, day, campaign, _ in rows if campaign is not None]
    assert min(in_campaign) >= START and max(in_campaign) <= END
    # peaks at the launch and at the end of the month, fewer gifts in between
    first_week = sum(day < START + datetime.timedelta(days=7) for day in in_campaign)
    middle_week = sum(
        START + datetime.timedelta(days=13) <= day < START + datetime.timedelta(days=20)
        for day in in_campaign
    )
    assert first_week > middle_week
    relief = [day for _, _, day, campaign, code in rows if code == "CT"]
    assert relief and all(day.month == 9 for day in relief)
    direct = new.filter(purpose=Donation.Purpose.DIRECT)
    assert direct.exists()
    assert set(Receipt.objects.filter(donation__in=direct).values_list("series", flat=True)) == {
        DIRECT_SERIES
    }
    anonymous = Donor.objects.filter(donations__in=new, anonymous=True).distinct().count()
    donors = Donor.objects.filter(donations__in=new).distinct().count()
    assert 0.03 < anonymous / donors < 0.2
    assert donors < N  # some residents give twice


def test_check_fund_passes(scaled, db):
    report = run_check()
    assert report.errors == [], [f.title for f in report.errors]
    call_command("check_fund", stdout=io.StringIO())  # SystemExit(1) on any error
    # each receipt series is numbered 1..n and its counter stands at n
    for counter in ReceiptCounter.objects.all():
        numbers = Receipt.objects.filter(series=counter.series, year=counter.year)
        assert numbers.aggregate(m=Max("seq"))["m"] == counter.last == numbers.count()
    # a void has its approved request and its reversing entry
    voided = _new(scaled).filter(status=Donation.Status.VOIDED)
    for donation in voided:
        assert VoidRequest.objects.get(donation=donation).decided_by_id
        assert LedgerEntry.objects.filter(donation=donation, kind="void").count() == 1


def test_ledger_hash_chain_is_the_services_one(scaled, db):
    """Tampering with one scale entry breaks the chain exactly there."""
    entry = LedgerEntry.objects.filter(donation__in=_new(scaled)).order_by("-sequence").first()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {LedgerEntry._meta.db_table} SET amount = amount + 1 WHERE id = %s",
            [entry.pk],
        )
    chain = [f for f in run_check().errors if f.check == "chain"]
    assert len(chain) == 1 and f"-{entry.sequence}" in chain[0].title


def test_rerun_tops_up_to_n(scaled, db):
    counts = (Donation.objects.count(), LedgerEntry.objects.count(), Support.objects.count())
    output = _seed("--scale", str(N))
    assert "đã có 2.000 khoản ủng hộ nhân rộng" in output
    assert (Donation.objects.count(), LedgerEntry.objects.count(), Support.objects.count()) == (
        counts
    )
    version = data_version()
    _seed("--scale", str(N + 300))
    assert Donation.objects.count() == counts[0] + 300
    assert scale.scale_seeded() == N + 300
    assert data_version() != version  # the public caches were dropped
    assert run_check().errors == []


def test_refuses_clearly_without_the_demo_campaign(scaled, db):
    Campaign.objects.filter(year=2024).update(year=2031)
    count = Donation.objects.count()
    with pytest.raises(scale.ScaleError, match="Chưa có dữ liệu mẫu .*chiến dịch 2024"):
        scale.seed_scale(N + 10)
    assert Donation.objects.count() == count


def test_command_reports_a_refusal_as_an_error(scaled, db, monkeypatch):
    def refuse():
        raise scale.ScaleError("Chưa có dữ liệu mẫu để nhân rộng: thiếu quỹ VNN.")

    monkeypatch.setattr(scale, "load_world", refuse)
    with pytest.raises(CommandError, match="thiếu quỹ VNN"):
        call_command("seed_demo", "--scale", str(N + 10), stdout=io.StringIO())


def test_negative_scale_is_refused(db):
    with pytest.raises(CommandError):
        call_command("seed_demo", "--scale", "-1", stdout=io.StringIO())


@pytest.mark.postgres
def test_big_runs_rebuild_the_dropped_indexes(scaled, db, monkeypatch):
    """Large runs drop the plain indexes of the big tables and build them again: the
    same definitions come back, and the books still pass."""

    def definitions():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)",
                [[m._meta.db_table for m in scale.BIG_TABLES]],
            )
            return sorted(cursor.fetchall())

    before = definitions()
    monkeypatch.setattr(scale, "REBUILD_FROM", 1)
    out = io.StringIO()
    scale.seed_scale(N + 200, stdout=out, chunk_size=1000)
    assert "dựng lại" in out.getvalue()
    assert definitions() == before
    assert run_check().errors == []
