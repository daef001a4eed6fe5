"""Demo collection rounds and an imported bank statement, made through the real services.

Two posted rounds (tổ dân phố số 3, one receipt per person; Hội Người cao tuổi, one
receipt for the total with the list attached), one draft prepared by the leader of
tổ dân phố số 5, and a statement of the fund's bank account for the peak month,
generated here and imported through the same service as an uploaded file: its lines
for recorded transfers are matched, a few stay in the queue (an unknown transfer, a
transfer carrying a round's code, interest)."""

from __future__ import annotations

import csv
import datetime
import io
import random

from django.utils import timezone

from campaigns.models import Campaign
from donations import services
from donations.models import (
    Account,
    BankLayout,
    CollectionRound,
    Donation,
    Fund,
    StatementLine,
)
from donations.selectors import suggestions_for
from donations.statements.payer import suggest_payer
from donations.statements.presets import ensure_presets
from lddh.ward.models import MemberOrganisation, ResidentialGroup
from lddh.ward.text import normalise

D = datetime.date
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Ngô", "Đặng"]
MIDDLE = ["Văn", "Thị", "Đức", "Thu", "Minh", "Ngọc", "Quang", "Thanh"]
GIVEN = ["An", "Bình", "Hà", "Hạnh", "Hùng", "Lan", "Long", "Mai", "Nam", "Thảo", "Tuấn"]
AMOUNTS = [50_000, 100_000, 100_000, 200_000, 200_000, 300_000, 500_000]
STREETS = ["phố Lê Đại Hành", "phố Tăng Bạt Hổ", "ngõ Hòa Bình", "phố Hòa Mã"]
LAYOUT = "Mẫu chung (Ngày, Số tham chiếu, Ghi nợ, Ghi có, Số dư, Nội dung)"


def _lines(rng: random.Random, count: int, street_numbers: bool = True):
    lines = []
    for _ in range(count):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        lines.append(
            services.LineInput(
                name=name,
                phone=(
                    f"09{rng.randint(10, 99)}{rng.randint(100000, 999999)}"
                    if rng.random() < 0.3
                    else ""
                ),
                address=f"Số {rng.randint(1, 99)} {rng.choice(STREETS)}" if street_numbers else "",
                amount_text=f"{rng.choice(AMOUNTS):,}".replace(",", "."),
                anonymous=rng.random() < 0.08,
            )
        )
    return lines


LATE_NOTE = "Ghi sổ lại đợt thu năm 2024 từ danh sách giấy (dữ liệu minh họa)"


def seed_rounds(*, campaign: Campaign, staff, committee, leader, stdout) -> None:
    if CollectionRound.objects.exists():
        return
    rng = random.Random(42)  # noqa: S311 - reproducible demo data
    vnn = Fund.objects.get(code="VNN")
    cash = Account.objects.filter(kind=Account.Kind.CASH).order_by("order", "pk").first()
    group3 = ResidentialGroup.objects.filter(code__startswith="TDP", number=3).first()
    group5 = ResidentialGroup.objects.filter(code__startswith="TDP", number=5).first()
    elders = MemberOrganisation.objects.filter(short_name="Hội Người cao tuổi").first()
    made = 0
    for owner, mode, day, count, collector in [
        (group3, CollectionRound.ReceiptMode.PER_LINE, D(2024, 10, 25), 24, "Bùi Quang Hải"),
        (elders, CollectionRound.ReceiptMode.SINGLE, D(2024, 11, 5), 30, "Trần Văn Thọ"),
    ]:
        if owner is None:
            continue
        lines = _lines(rng, count)
        total = sum(int(line.amount_text.replace(".", "")) for line in lines)
        round = services.round_create(
            actor=staff,
            group=owner if isinstance(owner, ResidentialGroup) else None,
            organisation=owner if isinstance(owner, MemberOrganisation) else None,
            campaign=campaign,
            fund=vnn,
            account=cash,
            collector=collector,
            date=day,
            expected_count=count,
            expected_total=total,
            receipt_mode=mode,
        )
        services.round_save_lines(actor=staff, round=round, lines=lines)
        # The staff member checked the lines with a known donor's name: other people.
        check = services.round_check(round)
        choices = {item.line.position: 0 for item in check.lines if item.candidates}
        # Seeded after the late-entry deadline of 2024: the standing committee posts,
        # with a reason, as the rule asks (and the audit log shows it).
        late = campaign.entry_is_late(timezone.localdate())
        services.round_post(
            actor=committee if late else staff,
            round=round,
            revision=round.revision + 1,
            choices=choices,
            late_reason=LATE_NOTE if late else "",
        )
        made += 1
    if group5 is not None and leader is not None:
        lines = _lines(rng, 12)
        lines[3] = services.LineInput(name="", amount_text="200.000")  # missing name
        lines[7] = services.LineInput(name=lines[7].name, amount_text="15O.000")  # a letter O
        round = services.round_create(
            actor=leader,
            group=group5,
            campaign=campaign,
            fund=vnn,
            account=cash,
            collector="Phan Thị Ngọc",
            date=D(2024, 11, 15),
            expected_count=12,
            expected_total=2_500_000,
        )
        services.round_save_lines(actor=leader, round=round, lines=lines)
        made += 1
    stdout.write(f"Đợt thu: {made} đợt mẫu (2 đã ghi sổ, 1 nháp của trưởng ban tổ 5).")


def demo_statement(bank: Account, start: datetime.date, end: datetime.date) -> bytes:
    """A statement CSV (layout "Mẫu chung") of the bank account for the period: a line
    for every recorded transfer (banks prefix the note), plus lines nobody recorded."""
    rng = random.Random(7)  # noqa: S311
    donations = list(
        Donation.objects.filter(
            account=bank, channel=Donation.Channel.BANK, date__range=(start, end)
        )
        .select_related("receipt", "donor")
        .order_by("date", "pk")
    )
    rows = []
    for index, donation in enumerate(donations):
        # What banks print: the payer's name in capitals without diacritics, in each
        # bank's shape around it (donations.statements.payer reads it back).
        name = normalise(donation.donor.name).upper()
        ref = rng.randint(1000000000, 9999999999)
        shapes = (
            f"MBVCB.{rng.randint(1000000, 9999999)}.{donation.receipt.number} ung ho quy",
            f"IBFT {name} chuyen tien ung ho quy VNN",
            f"MBVCB.{ref}.{rng.randint(100000, 999999)}.{name} ung ho quy vi nguoi ngheo.CT tu "
            f"00110040{rng.randint(10000, 99999)} {name} toi 0021000123456 UB MTTQ PHUONG LDH",
            f"{rng.randint(100000, 999999)}.{donation.date:%d%m%y}.{rng.randint(70000, 215959):06d}"
            f".{name} chuyen tien",
            f"TKThe :0123{rng.randint(100000, 999999)}, tai VCB. {name} chuyen tien ung ho",
        )
        note = shapes[0] if index % 3 == 0 else shapes[1 + index % 4]
        rows.append((donation.date, f"FT24{rng.randint(10**9, 10**10 - 1)}", 0,
                     donation.amount, note))  # fmt: skip
    rows += [
        (D(2024, 10, 30), "FT24000000001", 0, 3_000_000, "NGUYEN VAN TOAN CK UNG HO NGUOI NGHEO"),
        (D(2024, 11, 8), "FT24000000002", 0, 1_500_000, "VNN R9999 TO 7 NOP TIEN DOT THU"),
        (D(2024, 11, 12), "FT24000000003", 0, 500_000, "CHUYEN KHOAN ZALOPAY 0912xxx678"),
        (D(2024, 10, 31), "LAI1024", 0, 36_512, "Tra lai tien gui thang 10/2024"),
        (D(2024, 11, 18), "PHI1124", 22_000, 0, "Phi quan ly tai khoan"),
        # Transfers nobody recorded yet, in the banks' shapes: the queue suggests the
        # payer's name and they can be recorded together ("Ghi thành khoản ủng hộ").
        (D(2024, 10, 18), "FT24000000004", 0, 200_000,
         "MBVCB.7001234567.123456.TRAN VAN HAI ung ho quy vi nguoi ngheo.CT tu 0011004022394 "
         "TRAN VAN HAI toi 0021000123456 UB MTTQ PHUONG LDH"),
        (D(2024, 10, 19), "FT24000000005", 0, 500_000,
         "448801.191024.093012.VU THI HONG NHUNG chuyen tien ung ho nguoi ngheo"),
        (D(2024, 10, 21), "FT24000000006", 0, 300_000, "R51118 Royal City ung ho"),
        (D(2024, 10, 22), "FT24000000007", 0, 1_000_000,
         "TKThe :0123456789, tai VCB. PHAM THI THU HA chuyen tien ung ho"),
        (D(2024, 10, 24), "FT24000000008", 0, 5_000_000,
         "IBFT CONG TY TNHH AN PHAT chuyen khoan ung ho quy VNN"),
        (D(2024, 10, 25), "FT24000000009", 0, 100_000, "MOMO-DANG QUOC BAO-ung ho nguoi ngheo"),
        (D(2024, 10, 28), "FT24000000010", 0, 250_000, "P R1203 CK"),
        (D(2024, 11, 2), "FT24000000011", 0, 2_000_000,
         "HO VAN NAM ung ho quy vi nguoi ngheo FT24307123456789"),
    ]  # fmt: skip
    rows.sort(key=lambda row: row[0])
    balance = 150_000_000
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Ngày", "Số tham chiếu", "Ghi nợ", "Ghi có", "Số dư", "Nội dung"])
    for day, reference, debit, credit, note in rows:
        balance += credit - debit
        writer.writerow(
            [f"{day:%d/%m/%Y}", reference, _dots(debit), _dots(credit), _dots(balance), note]
        )
    return out.getvalue().encode("utf-8")


def _dots(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") if amount else ""


def _same_payer(line: StatementLine, suggestion) -> bool:
    """A receipt number in the note names its donation; a suggestion on the amount alone
    is taken only when the note's payer is that donation's donor, as a clerk would check."""
    if suggestion.kind == "receipt":
        return True
    payer = suggest_payer(line.description)
    return payer is not None and normalise(payer.name) == normalise(suggestion.donation.donor.name)


def seed_statement(*, campaign: Campaign, staff, stdout) -> None:
    bank = Account.objects.filter(kind=Account.Kind.BANK).order_by("order", "pk").first()
    ensure_presets()  # a flushed database (tests) has lost the migration's rows
    layout = BankLayout.objects.filter(name=LAYOUT).first()
    if bank is None or layout is None or StatementLine.objects.filter(account=bank).exists():
        return
    data = demo_statement(bank, campaign.start_date, campaign.end_date)
    result = services.statement_import(
        actor=staff, account=bank, layout=layout, data=data, filename="sao-ke-VCB-T10-T11-2024.csv"
    )
    lines = list(StatementLine.objects.filter(statement_import=result, credit__gt=0))
    suggestions = suggestions_for(lines)
    # Lines carrying a receipt number first, so an amount-only suggestion never takes
    # the donation another line names.
    lines.sort(key=lambda line: not any(s.kind == "receipt" for s in suggestions[line.pk]))
    matched, used = 0, set()
    for index, line in enumerate(lines):
        if line.description.startswith("Tra lai"):
            services.statement_line_ignore(actor=staff, line=line, reason="Lãi tiền gửi")
            continue
        usable = [
            s
            for s in suggestions.get(line.pk, [])
            if s.usable and s.donation and s.donation.pk not in used and _same_payer(line, s)
        ]
        if usable and index % 4 != 3:  # a quarter stays in the queue to show suggestions
            services.statement_line_match(actor=staff, line=line, donation=usable[0].donation)
            used.add(usable[0].donation.pk)
            matched += 1
    stdout.write(f"Sao kê: {result.new_count} dòng nhập từ tệp mẫu, {matched} dòng đã khớp.")
    seed_later_statements(bank=bank, layout=layout, staff=staff, first=result, stdout=stdout)


def seed_later_statements(*, bank, layout, staff, first, stdout) -> None:
    """Two later exports of the same account, so every outcome shows: the next week
    downloaded with two days of overlap (known rows), one line of which the bank left
    without an amount though the balance moved (held, then accepted with a reason: an
    open gap to explain); and a file starting from a balance the stored lines never
    reached (held, waiting for the treasurer)."""
    stored = list(StatementLine.objects.filter(statement_import=first).order_by("date", "row"))
    if not stored or stored[-1].balance is None:
        return
    header = "Ngày,Số tham chiếu,Ghi nợ,Ghi có,Số dư,Nội dung"
    overlap = [line.raw for line in stored if line.date >= stored[-1].date]
    balance = stored[-1].balance
    day = stored[-1].date + datetime.timedelta(days=1)
    later = []
    for offset, (credit, note, missing) in enumerate(
        [
            (200_000, "MBVCB.8812.77120.PHAM THI LAN chuyen tien ung ho quy VNN", False),
            (1_000_000, "IBFT CONG TY TNHH AN PHAT UNG HO NGUOI NGHEO", False),
            (300_000, "NOP TIEN MAT TAI QUAY", True),
            (150_000, "TRAN VAN HAI ung ho", False),
        ]
    ):
        balance += credit
        amount = "" if missing else _dots(credit)
        date = day + datetime.timedelta(days=offset)
        later.append(f"{date:%d/%m/%Y},FT2411{offset:05d},,{amount},{_dots(balance)},{note}")
    data = "\n".join([header, *overlap, *later, ""]).encode("utf-8")
    held = services.statement_import(
        actor=staff, account=bank, layout=layout, data=data, filename="sao-ke-VCB-tuan-sau.csv"
    )
    if held.status == held.Status.HELD:
        services.statement_import_accept(
            actor=staff,
            statement_import=held,
            reason="Ngân hàng xác nhận có khoản nộp tiền mặt 300.000 đ, sẽ bổ sung chứng từ.",
        )
        held = services.statement_read(held)
    start = day + datetime.timedelta(days=10)
    stray_balance = _dots(balance + 5_500_000)
    stray = f"{header}\n{start:%d/%m/%Y},FT2412,,500.000,{stray_balance},NGUYEN VAN BINH ung ho\n"
    waiting = services.statement_import(
        actor=staff,
        account=bank,
        layout=layout,
        data=stray.encode("utf-8"),
        filename="sao-ke-VCB-thang-12.csv",
    )
    stdout.write(
        f"Sao kê tuần sau: {held.new_count} dòng mới, {held.known_count} dòng đã có, "
        f"{held.gaps.count()} chỗ số dư chờ giải trình; tệp tháng 12: "
        f"{waiting.get_status_display().lower()}."
    )
