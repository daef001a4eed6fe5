"""Tamper evidence that survives database access: someone who can write the database
rewrites an entry's amount and recomputes the whole hash chain, so the chain holds.
The check still fails, naming that entry, because the chain no longer matches the heads
signed with LEDGER_SIGNING_KEY (kept outside the database) or printed on published
reports. Without the anchors (the check as it was) the rewrite passes."""

from __future__ import annotations

import datetime
import json
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from donations.models import Fund, LedgerEntry, SignedChainHead
from donations.models.books import CHAIN_FIELDS, GENESIS_HASH, ledger_hash
from donations.seals import FILE_NAME, Seal, verify
from donations.services import chain_heads_sign
from lddh.supervision.integrity import chain_findings, check_chain, run_check
from lddh.ward.models import AuditEvent
from tests.factories import record_donation
from tests.supervision.test_integrity import Scene, sql, table

TODAY = datetime.date(2024, 12, 1)
POSITION = 2  # the third entry of the fund: well below every head


@pytest.fixture
def scene(world):
    return Scene(world)


@pytest.fixture(autouse=True)
def _leave_the_damage_unchecked(db):
    from django.db import transaction

    yield
    transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _no_anchor_file(settings):
    settings.LEDGER_ANCHOR_DIR = None


def entries(scene) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(fund=scene.fund).order_by("sequence"))


def rewrite(scene, position: int = POSITION, delta: int = 1_000_000) -> LedgerEntry:
    return rewrite_fund(scene.fund, position, delta)


def rewrite_fund(fund, position: int = POSITION, delta: int = 1_000_000) -> LedgerEntry:
    """What an insider with SQL access does: change an amount, then recompute every hash
    of the fund from the values as stored, so the chain is internally consistent."""
    target = list(LedgerEntry.objects.filter(fund=fund).order_by("sequence"))[position]
    sql(f"UPDATE {table(LedgerEntry)} SET amount = amount + %s WHERE id = %s", [delta, target.pk])
    previous = GENESIS_HASH
    rows = (
        LedgerEntry.objects.filter(fund=fund).order_by("sequence").values_list("pk", *CHAIN_FIELDS)
    )
    for pk, *values in rows:
        previous = ledger_hash(previous, values)
        sql(f"UPDATE {table(LedgerEntry)} SET hash = %s WHERE id = %s", [previous, pk])
    return target


def titles(findings) -> list[str]:
    return [f.title for f in findings]


def paths() -> list[bool]:
    """The Python path everywhere; the SQL path too on PostgreSQL."""
    return [False, True] if connection.vendor == "postgresql" else [False]


def test_signing_records_each_funds_head_with_a_valid_signature(scene, world):
    made = chain_heads_sign(actor=world.users["committee"], day=TODAY)
    last = entries(scene)[-1]
    assert [(r.fund_code, r.first_sequence, r.sequence, r.hash) for r in made] == [
        (scene.fund.code, 1, last.sequence, last.hash)
    ]
    assert verify(Seal.of(made[0]))
    assert len(made[0].prefixes) == 16 * last.sequence
    assert AuditEvent.objects.filter(action="ledger.sign_head").count() == 1
    assert chain_heads_sign(actor=None, day=TODAY) == []  # nothing new to sign
    gift = record_donation(actor=world.users["staff"], fund=scene.fund)
    (more,) = chain_heads_sign(actor=None)
    entry = LedgerEntry.objects.get(donation=gift)
    assert (more.first_sequence, more.sequence, more.hash) == (
        last.sequence + 1,
        entry.sequence,
        entry.hash,
    )


def test_a_signature_needs_the_key(scene, world, settings):
    (record,) = chain_heads_sign(actor=None, day=TODAY)
    settings.LEDGER_SIGNING_KEY = "another-key-" + "x" * 40
    assert not verify(Seal.of(record))


def test_the_clean_books_match_their_signed_and_published_heads(scene, world):
    chain_heads_sign(actor=None, day=TODAY)
    record_donation(actor=world.users["staff"], fund=scene.fund)
    chain_heads_sign(actor=None)
    for in_database in paths():
        assert check_chain({scene.fund.pk: scene.fund}, in_database=in_database) == []


def test_a_rewrite_below_a_signed_head_fails_naming_the_entry(scene, world):
    chain_heads_sign(actor=None, day=TODAY)
    target = rewrite(scene)
    funds = {scene.fund.pk: scene.fund}
    for in_database in paths():
        # The chain alone, as the check was: internally consistent, the rewrite passes.
        assert chain_findings(funds, in_database=in_database) == []
        found = titles(check_chain(funds, in_database=in_database))
        assert found == [
            f"{scene.fund.code}: bút toán {scene.fund.code}-{target.sequence} khác với mã "
            "kiểm tra đã ký / đã công bố"
        ]
    (finding,) = check_chain(funds)
    (link,) = finding.links
    assert link.label == f"bút toán {scene.fund.code}-{target.sequence}"
    assert quote(f"{target.date:%d/%m/%Y}", safe="") in link.url  # the ledger on that day
    assert not run_check(today=TODAY).ok


def test_a_rewrite_between_two_signed_heads_names_the_entry(scene, world):
    chain_heads_sign(actor=None, day=TODAY)
    for _ in range(3):
        record_donation(actor=world.users["staff"], fund=scene.fund)
    chain_heads_sign(actor=None)
    target = rewrite(scene, position=-2)
    for in_database in paths():
        found = titles(check_chain({scene.fund.pk: scene.fund}, in_database=in_database))
        assert len(found) == 1
        assert f"bút toán {scene.fund.code}-{target.sequence} khác" in found[0]


def test_the_supervision_page_names_the_rewritten_entry(scene, world, supervisor_client):
    chain_heads_sign(actor=None, day=TODAY)
    target = rewrite(scene)
    page = supervisor_client.get(reverse("supervision:check")).content.decode()
    assert "Phát hiện" in page
    assert f"bút toán {scene.fund.code}-{target.sequence} khác với mã kiểm tra" in page
    assert "chuỗi mã băm được tính lại" in page


def test_check_fund_fails_on_the_rewrite(scene, world, capsys):
    chain_heads_sign(actor=None, day=TODAY)
    target = rewrite(scene)
    with pytest.raises(SystemExit) as exit_:
        call_command("check_fund")
    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert "đối chiếu với 1 mã kiểm tra đã ký" in out
    assert f"bút toán {scene.fund.code}-{target.sequence} khác" in out


def test_a_forged_signed_head_is_a_failure(scene, world):
    """Rewriting the signed head too, to the recomputed chain: the signature fails."""
    chain_heads_sign(actor=None, day=TODAY)
    rewrite(scene)
    last = entries(scene)[-1]
    sql(f"UPDATE {table(SignedChainHead)} SET hash = %s", [last.hash])
    for in_database in paths():
        found = titles(check_chain({scene.fund.pk: scene.fund}, in_database=in_database))
        assert found == [
            f"{scene.fund.code}: chữ ký của mã kiểm tra đến bút toán số {last.sequence} "
            f"(ngày {TODAY:%d/%m/%Y}) không đúng"
        ]


def test_a_deleted_middle_signed_head_is_a_failure(scene, world):
    chain_heads_sign(actor=None, day=TODAY)
    record_donation(actor=world.users["staff"], fund=scene.fund)
    chain_heads_sign(actor=None)
    first = SignedChainHead.objects.order_by("sequence").first()
    sql(f"DELETE FROM {table(SignedChainHead)} WHERE id = %s", [first.pk])
    found = titles(check_chain({scene.fund.pk: scene.fund}))
    assert found == [
        f"{scene.fund.code}: thiếu mã kiểm tra đã ký cho bút toán số 1–{first.sequence}"
    ]


def test_deleting_the_tail_below_a_signed_head_is_a_failure(scene, world):
    chain_heads_sign(actor=None, day=TODAY)
    last = entries(scene)[-1]
    sql("PRAGMA foreign_keys = OFF" if connection.vendor == "sqlite" else "SELECT 1")
    if connection.vendor == "postgresql":
        sql("SET CONSTRAINTS ALL DEFERRED")
    sql(f"DELETE FROM {table(LedgerEntry)} WHERE id = %s", [last.pk])
    for in_database in paths():
        # The chain alone cannot see a deleted tail.
        assert chain_findings({scene.fund.pk: scene.fund}, in_database=in_database) == []
        found = titles(check_chain({scene.fund.pk: scene.fund}, in_database=in_database))
        assert found == [
            f"{scene.fund.code}: mất bút toán {scene.fund.code}-{last.sequence} đã có trong "
            "mã kiểm tra đã ký / đã công bố"
        ]


def test_the_file_copy_survives_the_signed_heads_deleted_from_the_database(
    scene, world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.LEDGER_ANCHOR_DIR = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        (record,) = chain_heads_sign(actor=None, day=TODAY)
    lines = (tmp_path / FILE_NAME).read_text().splitlines()
    assert [json.loads(line)["signature"] for line in lines] == [record.signature]
    target = rewrite(scene)
    sql(f"DELETE FROM {table(SignedChainHead)}")
    found = titles(check_chain({scene.fund.pk: scene.fund}))
    code = scene.fund.code
    assert found == [
        f"{code}: mã kiểm tra đã ký ngày {TODAY:%d/%m/%Y} (đến bút toán số {record.sequence}) "
        "không còn trong cơ sở dữ liệu",
        f"{code}: bút toán {code}-{target.sequence} khác với mã kiểm tra đã ký / đã công bố",
    ]
    (tmp_path / FILE_NAME).write_text(lines[0].replace(record.hash[:8], "0" * 8) + "\nhỏng\n")
    found = titles(check_chain({scene.fund.pk: scene.fund}))
    assert "Tệp mã kiểm tra đã ký có 1 dòng không đọc được" in found
    assert any("chữ ký của mã kiểm tra" in title for title in found)


def test_a_rewrite_below_a_published_head_fails_even_without_signed_heads(scene, world):
    """The printed head alone: the signed heads were deleted and no file is kept, so
    the check names the range the printed head covers."""
    from lddh.public.services import report_publish

    report = report_publish(
        actor=world.users["committee"],
        title="Kết quả Tháng cao điểm 2024",
        period_start=datetime.date(2024, 10, 17),
        period_end=datetime.date(2024, 11, 18),
    )
    code = scene.fund.code
    (head,) = [h for h in report.chain_heads if h["fund"] == code]
    assert SignedChainHead.objects.filter(fund=scene.fund, sequence=head["sequence"]).exists()
    rewrite(scene)
    sql(f"DELETE FROM {table(SignedChainHead)}")
    for in_database in paths():
        found = titles(check_chain({scene.fund.pk: scene.fund}, in_database=in_database))
        assert found == [
            f"{code}: một bút toán từ bút toán {code}-1 đến số {head['sequence']} khác với "
            "mã kiểm tra đã công bố"
        ]


def test_sign_chain_heads_command_signs_and_refuses_a_broken_chain(scene, world, capsys):
    call_command("sign_chain_heads")
    assert SignedChainHead.objects.count() == 1
    assert "Đã ký 1 mã kiểm tra" in capsys.readouterr().out
    call_command("sign_chain_heads")
    assert "Đã ký 0 mã kiểm tra" in capsys.readouterr().out
    rewrite(scene)
    record_donation(actor=world.users["staff"], fund=scene.fund)
    with pytest.raises(SystemExit) as exit_:
        call_command("sign_chain_heads")
    assert exit_.value.code == 1
    assert "Không ký" in capsys.readouterr().out
    assert SignedChainHead.objects.count() == 1


def test_the_public_page_and_the_check_page_show_the_latest_signed_head(
    scene, world, anon_client, supervisor_client
):
    anon_client.get("/")  # the page is stored until the data changes
    (record,) = chain_heads_sign(actor=None, day=TODAY)
    home = anon_client.get("/").content.decode()
    assert record.hash in home
    assert f"đến bút toán số {record.sequence}, ký ngày {TODAY:%d/%m/%Y}" in home
    assert record.signature not in home
    check = supervisor_client.get(reverse("supervision:check")).content.decode()
    assert record.hash in check and record.signature in check
    assert "Sổ quỹ khớp chứng từ" in check


def _compare(client, fund, sequence, digest) -> str:
    url = reverse("supervision:compare_head")
    query = {"fund": fund.code, "sequence": sequence, "hash": digest}
    return client.get(url, query).content.decode()


def test_a_printed_head_is_compared_through_the_page(scene, world, supervisor_client):
    """The supervisor types in the head printed on a money report (never stored)."""
    printed = entries(scene)[-2]
    spaced = f"  {printed.hash[:30]}\n{printed.hash[30:].upper()} "
    assert "Khớp." in _compare(supervisor_client, scene.fund, printed.sequence, spaced)
    chain_heads_sign(actor=None, day=TODAY)
    target = rewrite(scene)
    page = _compare(supervisor_client, scene.fund, printed.sequence, printed.hash)
    assert "Không khớp." in page
    code = scene.fund.code
    assert f"bút toán {code}-{target.sequence} khác với mã kiểm tra" in page


def test_a_printed_head_alone_names_the_range_it_covers(scene, world, supervisor_client):
    printed = entries(scene)[-1]
    rewrite(scene)
    page = _compare(supervisor_client, scene.fund, printed.sequence, printed.hash)
    code = scene.fund.code
    assert "Không khớp." in page
    assert f"một bút toán từ bút toán {code}-1 đến số {printed.sequence}" in page


def test_a_mistyped_printed_head_is_refused_with_a_message(scene, supervisor_client):
    page = _compare(supervisor_client, scene.fund, 1, "abc")
    assert "Mã kiểm tra gồm đúng 64 ký tự 0–9, a–f." in page
    assert "Khớp." not in page and "Không khớp." not in page


def test_a_published_head_of_a_fund_gone_from_the_books_is_a_failure(scene, world):
    """Renaming the fund's code in SQL (or deleting the fund) cannot shed its heads."""
    from lddh.public.models import PublishedReport

    last = entries(scene)[-1]
    PublishedReport.objects.create(
        title="Báo cáo quý IV",
        period_start=datetime.date(2024, 10, 1),
        period_end=datetime.date(2024, 12, 31),
        file="cong-khai/x.pdf",
        size=1,
        sha256="a" * 64,
        published_by=world.users["committee"],
        chain_heads=[{"fund": scene.fund.code, "sequence": last.sequence, "hash": last.hash}],
    )
    assert check_chain({scene.fund.pk: scene.fund}) == []
    sql(f"UPDATE {table(Fund)} SET code = 'KHAC' WHERE id = %s", [scene.fund.pk])
    scene.fund.refresh_from_db()
    found = titles(check_chain({scene.fund.pk: scene.fund}))
    assert len(found) == 1
    assert found[0].startswith("Quỹ VNN có trong báo cáo công khai “Báo cáo quý IV”")
    assert found[0].endswith("nhưng không còn trong sổ")


def test_the_supervision_home_says_how_far_the_books_are_signed(scene, supervisor_client):
    home = reverse("supervision:home")
    assert "Chưa ký mã kiểm tra nào" in supervisor_client.get(home).content.decode()
    (record,) = chain_heads_sign(actor=None, day=TODAY)
    page = supervisor_client.get(home).content.decode()
    assert f"{record.fund_code}: đã ký đến bút toán {record.sequence} ngày {TODAY:%d/%m/%Y}" in page
    assert reverse("supervision:compare_head") in page


def test_entries_left_unsigned_past_a_day_are_a_warning(scene, world):
    from django.utils import timezone

    later = timezone.localdate() + datetime.timedelta(days=2)
    count = len(entries(scene))
    assert [f for f in run_check().warnings if "ký mã kiểm tra" in f.title] == []  # today's
    (warning,) = [f for f in run_check(today=later).warnings if f.check == "chain"]
    assert warning.title == (
        f"{scene.fund.code}: {count} bút toán ghi trước ngày "
        f"{later - datetime.timedelta(days=1):%d/%m/%Y} chưa được ký mã kiểm tra"
    )
    assert "Chưa ký lần nào" in warning.detail
    chain_heads_sign(actor=None)
    assert [f for f in run_check(today=later).warnings if f.check == "chain"] == []
    assert run_check(today=later).ok
