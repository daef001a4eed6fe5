"""The demo: one inspection and one verified sample; the chain heads are signed (the
published report signs the heads it prints); the check passes on it."""

from django.core.management import call_command

from donations.models import LedgerEntry, SignedChainHead
from lddh.supervision.models import Inspection, Sample, SampleItem


def test_demo_passes_the_check_and_is_idempotent(db, capsys):
    call_command("seed_demo")
    counts = (Inspection.objects.count(), Sample.objects.count(), SampleItem.objects.count())
    assert counts[0] >= 1 and counts[1] == 1
    assert not SampleItem.objects.filter(result="pending").exists()
    assert Sample.objects.get().inspection is not None
    call_command("seed_demo")
    assert (
        Inspection.objects.count(),
        Sample.objects.count(),
        SampleItem.objects.count(),
    ) == counts
    signed = set(SignedChainHead.objects.values_list("fund_id", flat=True))
    assert signed and signed == set(LedgerEntry.objects.values_list("fund_id", flat=True))
    call_command("check_fund")  # raises SystemExit(1) when the check fails
    assert "KẾT QUẢ: sổ quỹ khớp chứng từ" in capsys.readouterr().out
