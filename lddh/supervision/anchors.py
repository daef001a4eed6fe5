"""The ledger against its anchors outside the database's reach: every chain head ever
signed with LEDGER_SIGNING_KEY (in the database and in the append-only file) or printed
on a published report.

The hash chain alone is plain SHA-256: whoever can write the database can rewrite an
entry and recompute every hash after it, and the chain still holds. What they cannot do
is sign the new head or recall the paper: an entry whose stored hash is no longer the
anchored one was rewritten, and the signed hash prefixes name the first entry that
differs. A signature that does not verify, a signed head missing from the database but
present in the file, or a gap between signed heads is tampering too."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from donations import seals
from donations.models import Fund, LedgerEntry, SignedChainHead
from lddh.public.selectors import published_chain_heads
from lddh.supervision.integrity.base import ERROR, WARNING, Finding, entry_label, ledger_link
from lddh.ward.dates import format_date


@dataclass(frozen=True)
class Anchor:
    sequence: int
    hash: str
    source: str  # where it was anchored, in Vietnamese


def _seal_source(seal: seals.Seal, *, in_file: bool = False) -> str:
    where = " (tệp lưu ngoài cơ sở dữ liệu)" if in_file else ""
    return f"mã kiểm tra đã ký ngày {format_date(seal.date)}{where}"


def _bad_signature(seal: seals.Seal, fund: Fund | None, *, in_file: bool) -> Finding:
    where = "trong tệp lưu ngoài" if in_file else "trong cơ sở dữ liệu"
    return Finding(
        "chain",
        ERROR,
        f"{seal.fund}: chữ ký của mã kiểm tra đến bút toán số {seal.sequence} "
        f"(ngày {format_date(seal.date)}) không đúng",
        f"Mã kiểm tra {where} không khớp chữ ký bằng khóa ký sổ quỹ (LEDGER_SIGNING_KEY): "
        "nó đã bị sửa hoặc thêm vào mà không qua phần mềm, hoặc khóa ký đã bị thay.",
        [ledger_link(fund.pk, label=entry_label(fund.code, seal.sequence))] if fund else [],
    )


def _collect(funds: dict[int, Fund]):
    """Every anchor and every valid seal per fund id, and the findings met on the way."""
    by_code = {fund.code: fund for fund in funds.values()}
    # A head of a fund left out of ``funds`` is not this check's; one of no fund at all is.
    existing = set(Fund.objects.values_list("code", flat=True))
    anchors: dict[int, list[Anchor]] = defaultdict(list)
    valid: dict[int, list[seals.Seal]] = defaultdict(list)
    findings: list[Finding] = []
    in_database = set()
    records = SignedChainHead.objects.order_by("fund_id", "sequence")
    for record in records.iterator():
        seal = seals.Seal.of(record)
        fund = funds.get(record.fund_id)
        if fund is None:
            continue
        if not seal.valid:
            findings.append(_bad_signature(seal, fund, in_file=False))
            continue
        in_database.add((seal.fund, seal.sequence, seal.signature))
        valid[fund.pk].append(seal)
        anchors[fund.pk].append(Anchor(seal.sequence, seal.hash, _seal_source(seal)))
    for fund_id, fund_seals in valid.items():
        fund = funds[fund_id]
        expected = 1
        for seal in fund_seals:
            if seal.first_sequence != expected:
                findings.append(
                    Finding(
                        "chain",
                        ERROR,
                        f"{fund.code}: thiếu mã kiểm tra đã ký cho bút toán số {expected}–"
                        f"{seal.first_sequence - 1}",
                        "Các mã kiểm tra đã ký nối liền nhau từ bút toán số 1; mã kiểm tra "
                        "đã ký bị xóa trực tiếp trong cơ sở dữ liệu.",
                        [ledger_link(fund.pk, label=entry_label(fund.code, expected))],
                    )
                )
            expected = seal.sequence + 1
    file_seals, bad_lines = seals.read_file()
    if bad_lines:
        findings.append(
            Finding(
                "chain",
                ERROR,
                f"Tệp mã kiểm tra đã ký có {len(bad_lines)} dòng không đọc được",
                f"Tệp {seals.anchor_file()}: dòng "
                + ", ".join(str(n) for n in bad_lines[:50])
                + ". Tệp chỉ được ghi thêm bởi lệnh ký, không được sửa tay.",
            )
        )
    for seal in file_seals:
        fund = by_code.get(seal.fund)
        if fund is None and seal.fund in existing:
            continue
        if not seal.valid:
            findings.append(_bad_signature(seal, fund, in_file=True))
            continue
        if fund is None:
            if seal.fund not in existing:
                findings.append(_unknown_fund(seal.fund, _seal_source(seal, in_file=True)))
            continue
        anchors[fund.pk].append(Anchor(seal.sequence, seal.hash, _seal_source(seal, in_file=True)))
        if (seal.fund, seal.sequence, seal.signature) not in in_database:
            valid[fund.pk].append(seal)
            findings.append(
                Finding(
                    "chain",
                    ERROR,
                    f"{seal.fund}: mã kiểm tra đã ký ngày {format_date(seal.date)} (đến bút "
                    f"toán số {seal.sequence}) không còn trong cơ sở dữ liệu",
                    "Tệp lưu ngoài vẫn giữ mã kiểm tra này nhưng bản trong cơ sở dữ liệu "
                    "đã bị xóa hoặc thay.",
                    [ledger_link(fund.pk, label=entry_label(fund.code, seal.sequence))],
                )
            )
    for report in published_chain_heads():
        source = (
            f"báo cáo công khai “{report['title']}” công bố ngày "
            f"{format_date(timezone.localtime(report['published_at']).date())}"
        )
        for head in report["chain_heads"] or []:
            try:
                code, sequence, digest = str(head["fund"]), int(head["sequence"]), head["hash"]
            except (KeyError, TypeError, ValueError):
                continue
            fund = by_code.get(code)
            if fund is None:
                if code not in existing:
                    findings.append(_unknown_fund(code, source))
                continue
            anchors[fund.pk].append(Anchor(sequence, str(digest), source))
    return anchors, valid, findings


def _unknown_fund(code: str, source: str) -> Finding:
    return Finding(
        "chain",
        ERROR,
        f"Quỹ {code} có trong {source} nhưng không còn trong sổ",
        "Mã quỹ đã bị đổi hoặc quỹ đã bị xóa trực tiếp trong cơ sở dữ liệu.",
    )


def _first_difference(fund: Fund, lower: int, upper: int, fund_seals: list[seals.Seal]) -> tuple:
    """In entries lower+1..upper, the first one missing or whose hash differs from its
    signed prefix: (sequence, "missing" | "changed", the date of the entry there or
    after the hole); (None, None, None) when an entry before any difference has no
    signed prefix (only a published head covers it)."""
    covering = sorted(
        (s for s in fund_seals if s.sequence > lower and s.first_sequence <= upper),
        key=lambda s: s.first_sequence,
    )
    rows = (
        LedgerEntry.objects.filter(fund=fund, sequence__gt=lower, sequence__lte=upper)
        .order_by("sequence")
        .values_list("sequence", "hash", "date")
        .iterator(chunk_size=5000)
    )
    expected = lower + 1
    for sequence, digest, day in rows:
        if sequence != expected:
            return expected, "missing", day
        prefix = next((p for s in covering if (p := s.prefix_of(sequence))), None)
        if prefix is None:
            return None, None, None
        if digest[: seals.PREFIX_LENGTH] != prefix:
            return sequence, "changed", day
        expected += 1
    if expected <= upper:
        return expected, "missing", None
    return None, None, None


def _fund_finding(
    fund: Fund, fund_anchors: list[Anchor], fund_seals: list[seals.Seal]
) -> Finding | None:
    """The first entry of ``fund`` that no longer matches one of its anchors."""
    wanted = {a.sequence for a in fund_anchors}
    stored = dict(
        LedgerEntry.objects.filter(fund=fund, sequence__in=wanted).values_list("sequence", "hash")
    )
    failing = sorted(
        (a for a in fund_anchors if stored.get(a.sequence) != a.hash),
        key=lambda a: a.sequence,
    )
    if not failing:
        return None
    lowest = failing[0]
    lower = max((a.sequence for a in fund_anchors if a.sequence < lowest.sequence), default=0)
    sequence, how, day = _first_difference(fund, lower, lowest.sequence, fund_seals)
    anchored = (
        f"Theo {lowest.source} (đến bút toán số {lowest.sequence}, mã "
        f"{lowest.hash[:16]}…); {len({a.source for a in failing})} nguồn mã kiểm tra "
        "không còn khớp sổ quỹ."
    )
    if how == "changed":
        title = (
            f"{fund.code}: {entry_label(fund.code, sequence)} khác với mã kiểm tra "
            "đã ký / đã công bố"
        )
        detail = (
            "Bút toán này đã bị sửa trực tiếp trong cơ sở dữ liệu và chuỗi mã băm được "
            f"tính lại; các bút toán trước nó vẫn khớp. {anchored}"
        )
    elif how == "missing":
        title = (
            f"{fund.code}: mất {entry_label(fund.code, sequence)} đã có trong mã kiểm "
            "tra đã ký / đã công bố"
        )
        detail = f"Bút toán đã bị xóa trực tiếp trong cơ sở dữ liệu. {anchored}"
    else:
        sequence = lower + 1
        title = (
            f"{fund.code}: một bút toán từ {entry_label(fund.code, lower + 1)} đến số "
            f"{lowest.sequence} khác với mã kiểm tra đã công bố"
        )
        detail = (
            "Một bút toán trong khoảng này đã bị sửa trực tiếp trong cơ sở dữ liệu và "
            f"chuỗi mã băm được tính lại. {anchored}"
        )
    return Finding(
        "chain",
        ERROR,
        title,
        detail,
        [ledger_link(fund.pk, day=day, label=entry_label(fund.code, sequence))],
    )


def check_anchors(funds: dict[int, Fund]) -> list[Finding]:
    """Per fund, the first entry that no longer matches a signed or published head."""
    anchors, valid, findings = _collect(funds)
    for fund_id, fund_anchors in anchors.items():
        finding = _fund_finding(funds[fund_id], fund_anchors, valid.get(fund_id, []))
        if finding is not None:
            findings.append(finding)
    return findings


PRINTED = "mã in trên giấy đem đối chiếu"


def compare_printed_head(fund: Fund, sequence: int, digest: str) -> list[Finding]:
    """A head read off paper (any printed report, not only a published one) against
    the ledger: no finding when entry ``sequence`` still carries ``digest`` and the
    chain up to it holds, i.e. entries 1..sequence are as when it was printed."""
    from lddh.supervision.integrity.chain import chain_findings

    funds = {fund.pk: fund}
    anchors, valid, _ = _collect(funds)
    printed = Anchor(sequence, digest, PRINTED)
    finding = _fund_finding(fund, [*anchors.get(fund.pk, []), printed], valid.get(fund.pk, []))
    if finding is not None:
        return [finding]
    # The chain itself: a hash column edited without recomputing breaks it.
    return chain_findings(funds, in_database=None)


def check_signing(funds: dict[int, Fund], today: datetime.date) -> list[Finding]:
    """A warning per fund whose entries written before yesterday are not yet under a
    signed head: the daily signing (cron) is not running, and until it runs a rewrite
    of those entries is caught only by a printed head."""
    since = today - datetime.timedelta(days=1)
    cutoff = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    latest = (
        SignedChainHead.objects.values("fund_id")
        .annotate(last=Max("sequence"), day=Max("day"))
        .values_list("fund_id", "last", "day")
        .order_by()
    )
    signed = {fund_id: (last, day) for fund_id, last, day in latest}
    findings = []
    for fund in funds.values():
        unsigned = LedgerEntry.objects.filter(
            fund=fund, sequence__gt=signed.get(fund.pk, (0, None))[0], created_at__lt=cutoff
        ).count()
        if not unsigned:
            continue
        last = signed.get(fund.pk, (0, None))[1]
        findings.append(
            Finding(
                "chain",
                WARNING,
                f"{fund.code}: {unsigned} bút toán ghi trước ngày {format_date(since)} chưa "
                "được ký mã kiểm tra",
                "Mã kiểm tra được ký hằng ngày bằng lệnh manage.py sign_chain_heads (chạy theo "
                "lịch). "
                + (f"Lần ký gần nhất: ngày {format_date(last)}. " if last else "Chưa ký lần nào. ")
                + "Báo cán bộ kỹ thuật kiểm tra lịch chạy lệnh ký.",
                [ledger_link(fund.pk)],
            )
        )
    return findings
