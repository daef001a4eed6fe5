"""Bank statements: import (each line stored once), match, record, ignore."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import logging
import os
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone

from campaigns.models import BoardMember, Campaign
from donations.models import (
    Account,
    BalanceGap,
    BankLayout,
    CollectionRound,
    Donation,
    Donor,
    Fund,
    StatementImport,
    StatementLine,
    StatementRow,
)
from donations.services.common import DonationError
from donations.services.receipts import donation_enter
from donations.statements.files import (
    HEAD_BYTES,
    MAX_STATEMENT_BYTES,
    FileRefused,
    StatementFile,
    sniff_head,
)
from donations.statements.parse import (
    BalanceBreak,
    Fingerprints,
    ParsedLine,
    SkippedRow,
    StatementReader,
    money_text,
)
from lddh.ward.audit import AuditAction, log_event
from lddh.ward.models import MemberOrganisation, ResidentialGroup

logger = logging.getLogger(__name__)
STATEMENT_ACCOUNT_KINDS = (Account.Kind.BANK, Account.Kind.TREASURY)
BATCH = 2000
PROGRESS_EVERY = 5000


class StatementError(DonationError):
    """A statement file or a match refused (Vietnamese message)."""


class _Stop(Exception):
    """Leaves the import's transaction so that nothing it wrote stays."""


def _check_account(account: Account) -> None:
    if account.kind not in STATEMENT_ACCOUNT_KINDS or not account.active:
        raise StatementError(
            "Hãy chọn tài khoản ngân hàng (hoặc Kho bạc) đang dùng.", code="account"
        )


def progress_path(statement_import: StatementImport) -> Path:
    return Path(settings.VAR_DIR) / "progress" / f"statement-{statement_import.pk}.json"


def _write_progress(statement_import, *, phase: str, done: int, total: int, rows: int) -> None:
    """The import's progress, for the page that waits on it. A file, not a database row:
    the import writes inside one transaction, which no other connection sees."""
    path = progress_path(statement_import)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"phase": phase, "done": done, "total": total, "rows": rows}))
    os.replace(temporary, path)


def read_progress(statement_import: StatementImport) -> dict:
    try:
        return json.loads(progress_path(statement_import).read_text())
    except (OSError, ValueError):
        return {}


@transaction.atomic
def statement_upload(
    *, actor, account: Account, layout: BankLayout, upload, filename: str, enqueue: bool = True
) -> StatementImport:
    """Keep an uploaded statement and queue it for reading. The file is refused at once
    when its first bytes say it cannot be a statement (PDF, old .xls, binary, too large);
    otherwise it is stored (it is the evidence) and read by the task worker."""
    _check_account(account)
    stream = io.BytesIO(upload) if isinstance(upload, bytes | bytearray) else upload
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    try:
        sniff_head(head, size, MAX_STATEMENT_BYTES)
    except FileRefused as refused:
        raise StatementError(refused.message, code="file") from None
    stream.seek(0)
    digest = hashlib.sha256()
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
    stream.seek(0)
    batch = StatementImport(
        account=account,
        layout=layout,
        filename=(filename or "sao-ke")[:255],
        sha256=digest.hexdigest(),
        size=size,
        imported_by=actor,
    )
    batch.file.save(Path(batch.filename).name or "sao-ke", File(stream), save=False)
    batch.save()
    log_event(
        actor=actor,
        action=AuditAction.STATEMENT_UPLOAD,
        obj=batch,
        after={"account": account.pk, "file": batch.filename, "sha256": batch.sha256, "size": size},
    )
    if enqueue:
        _enqueue(batch)
    return batch


def _enqueue(batch: StatementImport) -> None:
    """Queue the reading. The database backend stores the task in this transaction, so
    the worker sees it once the upload is committed; the immediate backend (tests, a
    setup with no worker) reads it here and now."""
    from donations.tasks import read_statement

    read_statement.enqueue(batch.pk)


def statement_import(
    *,
    actor,
    account: Account,
    layout: BankLayout,
    data,
    filename: str,
    accept_reason: str = "",
) -> StatementImport:
    """Upload and read a statement in one call (the command line, tests): the result is
    the import, done, held on a balance break or refused."""
    with transaction.atomic():
        batch = statement_upload(
            actor=actor,
            account=account,
            layout=layout,
            upload=data,
            filename=filename,
            enqueue=False,
        )
        if accept_reason:
            batch.accept_reason = accept_reason
            batch.accepted_by = actor
            batch.save(update_fields=["accept_reason", "accepted_by"])
    return statement_read(batch)


def statement_read(batch: StatementImport) -> StatementImport:
    """Read a queued import and store it, or hold it, or refuse it; every row of the
    file ends as a new line, a line already stored, or a row that is not a transaction.

    All of it happens in one transaction: a refused or held file leaves no line behind.
    The account's row lock serialises two imports into one account. A balance break
    (in the file, or between this file and the lines stored around it) holds the file
    until someone accepts it with a reason; accepted, each break stays open as a
    BalanceGap until explained."""
    with transaction.atomic():
        batch = StatementImport.objects.select_for_update().get(pk=batch.pk)
        if batch.status != StatementImport.Status.QUEUED:
            return batch  # read already, or being read by another worker
        batch.status = StatementImport.Status.RUNNING
        batch.save(update_fields=["status"])
    outcome: dict = {}
    try:
        with transaction.atomic():
            outcome = _store(batch)
            if outcome["findings"] and not batch.accept_reason:
                raise _Stop
    except FileRefused as refused:
        return _finish(batch, StatementImport.Status.REFUSED, error=refused.message)
    except _Stop:
        return _finish(batch, StatementImport.Status.HELD, **outcome)
    except Exception:
        logger.exception("statement import %s failed", batch.pk)
        _finish(
            batch,
            StatementImport.Status.REFUSED,
            error="Lỗi hệ thống khi đọc tệp; chưa có dòng nào được lưu. Hãy báo quản trị.",
        )
        raise
    return StatementImport.objects.get(pk=batch.pk)


@transaction.atomic
def _finish(batch: StatementImport, status: str, **values) -> StatementImport:
    values.pop("findings", None)
    StatementImport.objects.filter(pk=batch.pk).update(
        status=status, finished_at=timezone.now(), **values
    )
    batch.refresh_from_db()
    log_event(
        actor=batch.imported_by,
        action=AuditAction.STATEMENT_IMPORT,
        obj=batch,
        after={"status": status, "rows": batch.row_count, "new": batch.new_count},
        note=batch.error[:500],
    )
    return batch


class _Inserter:
    """Rows of one model buffered as tuples of field values and written in batches: COPY
    on PostgreSQL (several times faster than INSERT for a big statement), bulk_create
    elsewhere."""

    def __init__(self, model, names: tuple[str, ...]):
        self.model = model
        fields = [model._meta.get_field(name) for name in names]
        self.columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        self.attnames = [f.attname for f in fields]
        self.rows: list[tuple] = []

    def add(self, *values) -> None:
        self.rows.append(values)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(self.model._meta.db_table)
            sql = f"COPY {table} ({self.columns}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in self.rows:
                    copy.write_row(row)
        else:
            self.model.objects.bulk_create(
                [self.model(**dict(zip(self.attnames, row, strict=True))) for row in self.rows],
                batch_size=BATCH,
            )
        self.rows.clear()


LINE_FIELDS = (
    "account",
    "statement_import",
    "fingerprint",
    "row",
    "raw",
    "date",
    "reference",
    "transaction_id",
    "credit",
    "debit",
    "balance",
    "description",
    "status",
)
ROW_FIELDS = ("statement_import", "row", "kind", "reason", "raw", "line")


def _store(batch: StatementImport) -> dict:
    account = Account.objects.select_for_update().get(pk=batch.account_id)
    StatementRow.objects.filter(statement_import=batch).delete()
    reader = StatementReader(batch.layout)
    keys = Fingerprints()
    file_ids: dict[str, int] = {}
    pending: list[tuple[str, ParsedLine]] = []
    lines = _Inserter(StatementLine, LINE_FIELDS)
    rows = _Inserter(StatementRow, ROW_FIELDS)
    counts = {"new": 0, "known": 0}
    unmatched, ignored = StatementLine.Status.UNMATCHED.value, StatementLine.Status.IGNORED.value
    known, skipped = StatementRow.Kind.KNOWN.value, StatementRow.Kind.SKIPPED.value

    def flush_lines() -> None:
        """One query tells which of the pending lines are stored already."""
        if not pending:
            return
        stored = {
            key: (pk, imp, row)
            for key, pk, imp, row in StatementLine.objects.filter(
                account=account, fingerprint__in=[key for key, _ in pending]
            ).values_list("fingerprint", "pk", "statement_import_id", "row")
        }
        for key, line in pending:
            found = stored.get(key)
            if found is not None:
                pk, imp, row = found
                rows.add(
                    batch.pk,
                    line.row,
                    known,
                    f"đã có (lần nhập số {imp}, dòng {row})",
                    line.raw,
                    pk,
                )
                counts["known"] += 1
                continue
            lines.add(
                account.pk,
                batch.pk,
                key,
                line.row,
                line.raw,
                line.date,
                line.reference,
                line.transaction_id,
                line.credit,
                line.debit,
                line.balance,
                line.description,
                unmatched if line.credit else ignored,
            )
            counts["new"] += 1
        pending.clear()

    with StatementFile(batch.file.path) as opened:
        layout = reader.layout
        wanted = batch.layout.file_kind
        if wanted in ("csv", "xlsx") and opened.kind != wanted:
            names = {"csv": "CSV", "xlsx": "Excel (.xlsx)"}
            raise FileRefused(
                f"Mẫu sao kê “{batch.layout}” cần tệp {names[wanted]}, nhưng tệp tải lên là "
                f"{names[opened.kind]}."
            )
        for item in reader.read(opened.rows(delimiter=layout.delimiter)):
            if isinstance(item, SkippedRow):
                rows.add(batch.pk, item.row, skipped, item.reason[:255], item.raw, None)
            else:
                key = keys.key(item)
                if item.transaction_id:
                    if key in file_ids:
                        reason = f"trùng mã giao dịch với dòng {file_ids[key]} của tệp này"
                        rows.add(batch.pk, item.row, known, reason, item.raw, None)
                        counts["known"] += 1
                        continue
                    file_ids[key] = item.row
                pending.append((key, item))
                if len(pending) >= BATCH:
                    flush_lines()
            if reader.summary.row_count % PROGRESS_EVERY == 0:
                _write_progress(
                    batch,
                    phase="read",
                    done=opened.bytes_read,
                    total=opened.size,
                    rows=reader.summary.row_count,
                )
        flush_lines()
        lines.flush()
        rows.flush()
    summary = reader.summary
    findings = [_break_record(b) for b in summary.breaks]
    findings += _edges(account, batch, summary)
    values = {
        "row_count": summary.row_count,
        "line_count": summary.line_count,
        "new_count": counts["new"],
        "known_count": counts["known"],
        "skipped_count": summary.skipped_count,
        "credit_sum": summary.credit_sum,
        "debit_sum": summary.debit_sum,
        "opening_balance": summary.opening_balance,
        "closing_balance": summary.closing_balance,
        "descending": summary.descending,
        "first_date": summary.first_date,
        "last_date": summary.last_date,
        "breaks": findings,
        "error": "",
    }
    if counts["new"] == 0:
        # Nothing new: every break lies between lines stored (and decided on) before.
        findings = []
        values["breaks"] = []
    if findings and not batch.accept_reason:
        # Held: nothing stays; the counts say what the file would add.
        values["new_count"] = 0
        values["known_count"] = 0
        return {**values, "findings": findings}
    StatementImport.objects.filter(pk=batch.pk).update(
        status=StatementImport.Status.DONE, finished_at=timezone.now(), **values
    )
    if account.statement_layout_id != batch.layout_id:
        # The layout that read this account's file is the one its next file is read with.
        Account.objects.filter(pk=account.pk).update(statement_layout=batch.layout_id)
    if counts["new"]:
        from donations.tasks import tidy_statement_index

        # Queued in this transaction: the worker merges the index once the lines are in.
        transaction.on_commit(tidy_statement_index.enqueue)
    for finding in findings:
        BalanceGap.objects.create(
            account=account,
            statement_import=batch,
            kind=finding["kind"],
            date=finding["date"] or summary.first_date,
            row_before=finding["row_before"],
            row=finding["row"],
            expected_balance=finding["expected"],
            found_balance=finding["found"],
            amount=finding["amount"],
            description=finding["message"][:500],
        )
    batch.refresh_from_db()
    log_event(
        actor=batch.imported_by,
        action=AuditAction.STATEMENT_IMPORT,
        obj=batch,
        after={
            "status": batch.status,
            "account": account.pk,
            "file": batch.filename,
            "sha256": batch.sha256,
            "rows": batch.row_count,
            "new": batch.new_count,
            "known": batch.known_count,
            "skipped": batch.skipped_count,
            "credit": batch.credit_sum,
            "debit": batch.debit_sum,
            "gaps": len(findings),
        },
        note=batch.accept_reason[:500],
    )
    return {**values, "findings": findings}


def _break_record(found: BalanceBreak) -> dict:
    return {
        "kind": BalanceGap.Kind.IN_FILE,
        "row_before": found.row_before,
        "row": found.row,
        "date": found.date.isoformat() if found.date else None,
        "expected": found.expected,
        "found": found.found,
        "amount": found.amount,
        "message": found.message(),
    }


def _day_end(lines: list[tuple], *, last: bool) -> tuple | None:
    """The line that closes (or opens) a day, among lines (row, balance, credit, debit,
    descending) of that day, in their files' order."""
    if not lines:
        return None
    ordered = sorted(lines, key=lambda line: (line[5], -line[0] if line[4] else line[0]))
    return ordered[-1] if last else ordered[0]


def _edges(account: Account, batch: StatementImport, summary) -> list[dict]:
    """Between files: the file's opening balance must be the balance the stored lines
    reached at the end of the day before, and the lines stored after it must start from
    the file's closing balance."""
    if summary.opening_balance is None or summary.first_date is None:
        return []
    others = StatementLine.objects.filter(account=account, balance__isnull=False).exclude(
        statement_import=batch
    )
    fields = (
        "row",
        "balance",
        "credit",
        "debit",
        "statement_import__descending",
        "statement_import_id",
    )
    found = []
    before = (
        others.filter(date__lt=summary.first_date)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    if before is not None:
        line = _day_end(list(others.filter(date=before).values_list(*fields)), last=True)
        if line and line[1] != summary.opening_balance:
            found.append(
                _gap(
                    summary.first_date,
                    expected=line[1],
                    found=summary.opening_balance,
                    text=(
                        f"Số dư đầu tệp {money_text(summary.opening_balance)} khác số dư cuối ngày "
                        f"{before:%d/%m/%Y} đã lưu {money_text(line[1])}"
                    ),
                )
            )
    after = (
        others.filter(date__gt=summary.last_date)
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    if after is not None and summary.closing_balance is not None:
        line = _day_end(list(others.filter(date=after).values_list(*fields)), last=False)
        if line:
            opening = line[1] - line[2] + line[3]
            if opening != summary.closing_balance:
                found.append(
                    _gap(
                        after,
                        expected=summary.closing_balance,
                        found=opening,
                        text=(
                            f"Số dư cuối tệp {money_text(summary.closing_balance)} khác số dư đầu "
                            f"ngày {after:%d/%m/%Y} đã lưu {money_text(opening)}"
                        ),
                    )
                )
    return found


def _gap(date, *, expected: int, found: int, text: str) -> dict:
    amount = found - expected
    way = "vào" if amount > 0 else "ra"
    return {
        "kind": BalanceGap.Kind.BETWEEN_FILES,
        "row_before": None,
        "row": None,
        "date": date.isoformat(),
        "expected": expected,
        "found": found,
        "amount": amount,
        "message": f"{text}: có {money_text(abs(amount))} tiền {way} chưa có trong sao kê nào.",
    }


@transaction.atomic
def statement_import_accept(*, actor, statement_import: StatementImport, reason: str):
    """Store a held file with its breaks, each kept open as a BalanceGap."""
    reason = " ".join((reason or "").split())
    if len(reason) < 10:
        raise StatementError(
            "Hãy ghi rõ lý do vẫn nhập tệp (ít nhất 10 ký tự), ví dụ: ngân hàng xác nhận "
            "giao dịch bị thiếu sẽ có trong sao kê sau.",
            code="reason",
        )
    batch = StatementImport.objects.select_for_update().get(pk=statement_import.pk)
    if batch.status != StatementImport.Status.HELD:
        raise StatementError("Lần nhập này không chờ quyết định.", code="status")
    batch.status = StatementImport.Status.QUEUED
    batch.accept_reason = reason
    batch.accepted_by = actor
    batch.save(update_fields=["status", "accept_reason", "accepted_by"])
    log_event(
        actor=actor,
        action=AuditAction.STATEMENT_ACCEPT,
        obj=batch,
        after={"breaks": len(batch.breaks)},
        note=reason,
    )
    _enqueue(batch)
    return batch


@transaction.atomic
def statement_import_cancel(*, actor, statement_import: StatementImport) -> StatementImport:
    batch = StatementImport.objects.select_for_update().get(pk=statement_import.pk)
    if batch.status != StatementImport.Status.HELD:
        raise StatementError("Lần nhập này không chờ quyết định.", code="status")
    batch.status = StatementImport.Status.REFUSED
    batch.error = "Không nhập: số dư không liên tục, người nhập đã hủy."
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "error", "finished_at"])
    log_event(actor=actor, action=AuditAction.STATEMENT_CANCEL, obj=batch, after={})
    return batch


STALE_AFTER = datetime.timedelta(minutes=10)
"""A read that has written no progress for this long was interrupted (a worker stopped
or restarted): its transaction was rolled back, nothing of it stayed."""


def is_interrupted(batch: StatementImport, now=None) -> bool:
    if batch.status != StatementImport.Status.RUNNING:
        return False
    now = now or timezone.now()
    try:
        seen = datetime.datetime.fromtimestamp(
            progress_path(batch).stat().st_mtime, tz=datetime.UTC
        )
    except OSError:
        seen = batch.imported_at
    return now - max(seen, batch.imported_at) > STALE_AFTER


@transaction.atomic
def statement_import_retry(*, actor, statement_import: StatementImport) -> StatementImport:
    """Queue again a read that was interrupted; it starts from the first row."""
    batch = StatementImport.objects.select_for_update().get(pk=statement_import.pk)
    if not is_interrupted(batch):
        raise StatementError("Lần nhập này không bị ngắt: không cần đọc lại.", code="status")
    batch.status = StatementImport.Status.QUEUED
    batch.save(update_fields=["status"])
    log_event(actor=actor, action=AuditAction.STATEMENT_RETRY, obj=batch, after={})
    _enqueue(batch)
    return batch


@transaction.atomic
def balance_gap_explain(*, actor, gap: BalanceGap, explanation: str) -> BalanceGap:
    explanation = " ".join((explanation or "").split())
    if len(explanation) < 10:
        raise StatementError(
            "Hãy ghi giải trình (ít nhất 10 ký tự): khoản tiền đó là gì, ai xác nhận.",
            code="explanation",
        )
    gap = BalanceGap.objects.select_for_update().get(pk=gap.pk)
    if not gap.is_open:
        raise StatementError("Chỗ chênh lệch này đã được giải trình.", code="status")
    gap.explanation = explanation
    gap.explained_by = actor
    gap.explained_at = timezone.now()
    gap.save(update_fields=["explanation", "explained_by", "explained_at"])
    log_event(
        actor=actor,
        action=AuditAction.STATEMENT_GAP_EXPLAIN,
        obj=gap,
        after={"amount": gap.amount},
        note=explanation,
    )
    return gap


def line_channel(line: StatementLine) -> str:
    """How the money of a bank line came: by bank transfer, or into the Treasury."""
    if line.account.kind == Account.Kind.BANK:
        return Donation.Channel.BANK
    return Donation.Channel.TREASURY


def _lock_open_line(line: StatementLine) -> StatementLine:
    """The line and its account (read with it) locked until commit. FOR NO KEY UPDATE:
    two writers of the account's lines, or a writer and a statement import of the
    account (which locks it FOR UPDATE), still wait for each other, while a row that
    only refers to the account (a bank feed storing the account's next transaction
    while this one is recorded) is not held up."""
    line = (
        StatementLine.objects.select_for_update(no_key=True)
        .select_related("account")
        .get(pk=line.pk)
    )
    if not line.is_credit:
        raise StatementError("Chỉ đối chiếu các dòng ghi có (tiền vào).", code="line")
    if line.status != StatementLine.Status.UNMATCHED:
        raise StatementError("Dòng sao kê này đã được xử lý (đã khớp hoặc đã bỏ qua).", code="line")
    return line


def close_line(actor, line: StatementLine, status: str, **targets) -> StatementLine:
    line.status = status
    line.donation = targets.get("donation")
    line.round = targets.get("round")
    line.matched_by = actor
    line.matched_at = timezone.now()
    line.save(update_fields=["status", "donation", "round", "matched_by", "matched_at"])
    return line


@transaction.atomic
def statement_line_match(
    *,
    actor,
    line: StatementLine,
    donation: Donation | None = None,
    round: CollectionRound | None = None,
) -> StatementLine:
    """Confirm that a bank credit is a donation already recorded (or a posted round)."""
    if (donation is None) == (round is None):
        raise StatementError("Hãy chọn một khoản ủng hộ hoặc một đợt thu để khớp.", code="target")
    line = _lock_open_line(line)
    if donation is not None:
        donation = Donation.objects.select_for_update().get(pk=donation.pk)
        if donation.is_voided:
            raise StatementError("Khoản ủng hộ này đã bị hủy.", code="target")
        if donation.account_id != line.account_id:
            raise StatementError(
                "Khoản ủng hộ này không ghi vào tài khoản của dòng sao kê.", code="target"
            )
        if donation.amount != line.credit:
            raise StatementError(
                "Số tiền của khoản ủng hộ khác số tiền ghi có trên sao kê.", code="target"
            )
        if StatementLine.objects.filter(donation=donation).exists():
            raise StatementError("Khoản ủng hộ này đã khớp với dòng sao kê khác.", code="target")
        close_line(actor, line, StatementLine.Status.MATCHED, donation=donation)
        target = {"donation": donation.pk}
    else:
        round = CollectionRound.objects.select_for_update().get(pk=round.pk)
        if not round.is_posted:
            raise StatementError(
                f"Đợt thu {round.code} chưa ghi sổ: hãy ghi sổ đợt thu trước.", code="target"
            )
        if round.account_id != line.account_id:
            raise StatementError(
                f"Đợt thu {round.code} không nộp vào tài khoản của dòng sao kê.", code="target"
            )
        total = sum(
            Donation.objects.filter(round_line__round=round).values_list("amount", flat=True)
        ) or (round.collective_donation.amount if round.collective_donation_id else 0)
        if total != line.credit:
            raise StatementError(
                f"Tổng đợt thu {round.code} khác số tiền ghi có trên sao kê.", code="target"
            )
        if StatementLine.objects.filter(round=round).exists():
            raise StatementError("Đợt thu này đã khớp với dòng sao kê khác.", code="target")
        close_line(actor, line, StatementLine.Status.MATCHED, round=round)
        target = {"round": round.code}
    log_event(
        actor=actor,
        action=AuditAction.STATEMENT_MATCH,
        obj=line,
        after={"amount": line.credit, **target},
    )
    return line


@transaction.atomic
def statement_line_record(
    *,
    actor,
    line: StatementLine,
    fund: Fund,
    donor: Donor | None = None,
    new_donor: dict | None = None,
    allow_duplicate: bool = False,
    campaign: Campaign | None = None,
    credited_group: ResidentialGroup | None = None,
    credited_organisation: MemberOrganisation | None = None,
    credited_board_member: BoardMember | None = None,
    note: str = "",
    late_reason: str = "",
    pledge=None,
) -> StatementLine:
    """Record a donation from a bank credit and match it, in one step: the amount,
    date and account come from the line; the donor is picked or created. Late entry
    into an ended campaign follows the entry page's rule (``late_entry_reason``).
    With a ``pledge`` the donation counts against it: the pledge's donor and campaign
    unless others are given (which the pledge then refuses)."""
    line = _lock_open_line(line)
    if pledge is not None:
        if donor is None and new_donor is None:
            donor = pledge.donor
        campaign = campaign or pledge.campaign
    donation = donation_enter(
        actor=actor,
        donor=donor,
        new_donor=new_donor,
        allow_duplicate=allow_duplicate,
        date=line.date,
        amount=line.credit,
        channel=line_channel(line),
        fund=fund,
        account=line.account,
        campaign=campaign,
        credited_group=credited_group,
        credited_organisation=credited_organisation,
        credited_board_member=credited_board_member,
        note=note,
        late_reason=late_reason,
        pledge=pledge,
    )
    close_line(actor, line, StatementLine.Status.MATCHED, donation=donation)
    log_event(
        actor=actor,
        action=AuditAction.STATEMENT_RECORD,
        obj=line,
        after={"amount": line.credit, "donation": donation.pk},
    )
    return line


@transaction.atomic
def statement_line_ignore(*, actor, line: StatementLine, reason: str) -> StatementLine:
    """Take a credit that is not a donation (interest, a refund) out of the queue."""
    reason = " ".join((reason or "").split())
    if len(reason) < 3:
        raise StatementError("Hãy ghi lý do (ví dụ: lãi tiền gửi, hoàn tiền).", code="reason")
    line = _lock_open_line(line)
    close_line(actor, line, StatementLine.Status.IGNORED)
    log_event(
        actor=actor,
        action=AuditAction.STATEMENT_IGNORE,
        obj=line,
        after={"amount": line.credit},
        note=reason,
    )
    return line
