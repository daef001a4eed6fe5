"""Bank statements: a column mapping per bank, each import, and the lines stored once.

A line's raw description is private: it may carry names, account numbers and messages
the payer never meant to publish (DOMAIN.md §6). Only office pages show it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from donations.models.books import Account
from donations.models.donations import Donation
from donations.models.rounds import CollectionRound


class BankLayout(models.Model):
    """Where a bank puts each column of its statement export. Header names are compared
    without diacritics or case, so "Số tiền ghi có" matches "SO TIEN GHI CO"."""

    class FileKind(models.TextChoices):
        ANY = "any", "CSV hoặc Excel"
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (.xlsx)"

    class Separator(models.TextChoices):
        DOT = ".", "dấu chấm (1.500.000)"
        COMMA = ",", "dấu phẩy (1,500,000)"
        SPACE = " ", "dấu cách (1 500 000)"
        NONE = "", "không có (1500000)"

    name = models.CharField("tên mẫu", max_length=100, unique=True)
    file_kind = models.CharField(
        "loại tệp", max_length=4, choices=FileKind.choices, default=FileKind.ANY
    )
    header_row = models.PositiveSmallIntegerField(
        "dòng tiêu đề",
        default=1,
        help_text="Dòng chứa tên cột (đếm từ 1). Nếu không khớp, hệ thống tìm trong 30 dòng đầu.",
    )
    date_column = models.CharField("cột ngày", max_length=100)
    reference_column = models.CharField("cột số tham chiếu", max_length=100, blank=True)
    transaction_id_column = models.CharField(
        "cột mã giao dịch duy nhất",
        max_length=100,
        blank=True,
        help_text="Mã ngân hàng cấp riêng cho từng giao dịch, không bao giờ dùng lại (nếu có).",
    )
    credit_column = models.CharField(
        "cột ghi có (tiền vào)",
        max_length=100,
        help_text="Nếu ngân hàng ghi một cột số tiền và một cột Nợ/Có: cột số tiền.",
    )
    direction_column = models.CharField(
        "cột Nợ/Có",
        max_length=100,
        blank=True,
        help_text="Chỉ khi ngân hàng ghi chiều giao dịch ở cột riêng (C/D, Có/Nợ, +/-).",
    )
    debit_column = models.CharField("cột ghi nợ (tiền ra)", max_length=100, blank=True)
    balance_column = models.CharField("cột số dư", max_length=100, blank=True)
    description_column = models.CharField("cột nội dung", max_length=100)
    date_format = models.CharField(
        "định dạng ngày",
        max_length=30,
        default="%d/%m/%Y",
        help_text="Theo cú pháp strftime, ví dụ %d/%m/%Y. Giờ phút sau ngày được bỏ qua.",
    )
    thousands_separator = models.CharField(
        "dấu tách hàng nghìn",
        max_length=1,
        choices=Separator.choices,
        default=Separator.DOT,
        blank=True,
    )
    decimal_separator = models.CharField(
        "dấu thập phân",
        max_length=1,
        choices=[(",", "dấu phẩy (1.500.000,00)"), (".", "dấu chấm (1,500,000.00)")],
        blank=True,
        help_text="Để trống: ngược với dấu tách hàng nghìn.",
    )
    csv_delimiter = models.CharField(
        "dấu phân cách cột (CSV)",
        max_length=1,
        blank=True,
        help_text="Để trống để tự nhận biết (dấu phẩy, chấm phẩy hoặc tab).",
    )
    active = models.BooleanField("đang dùng", default=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=1)
    preset = models.BooleanField(
        "mẫu có sẵn", default=False, help_text="Mẫu đi kèm phần mềm, theo tệp xuất của ngân hàng."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người lập mẫu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("lập lúc", null=True, blank=True, auto_now_add=True)

    class Meta:
        verbose_name = "mẫu sao kê ngân hàng"
        verbose_name_plural = "mẫu sao kê ngân hàng"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class StatementImport(models.Model):
    """One uploaded statement file and what became of every row in it.

    Every upload leaves a record, whatever the outcome: row_count = new_count +
    known_count + skipped_count once it is done, and each known or skipped row is kept
    as a StatementRow with its reason and raw text. The file itself is kept (it is the
    evidence) under MEDIA_ROOT."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ đọc"
        RUNNING = "running", "Đang đọc"
        HELD = "held", "Số dư không liên tục: chờ quyết định"
        DONE = "done", "Đã nhập"
        REFUSED = "refused", "Không nhập"

    account = models.ForeignKey(
        Account, verbose_name="tài khoản", on_delete=models.PROTECT, related_name="imports"
    )
    layout = models.ForeignKey(
        BankLayout, verbose_name="mẫu sao kê", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    error = models.TextField("lý do không nhập", blank=True)
    file = models.FileField("tệp", upload_to="sao-ke/%Y/%m/", max_length=255, blank=True)
    filename = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField("mã băm tệp", max_length=64)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    row_count = models.PositiveIntegerField("số dòng trong tệp", default=0)
    line_count = models.PositiveIntegerField("số dòng giao dịch", default=0)
    new_count = models.PositiveIntegerField("số dòng mới", default=0)
    known_count = models.PositiveIntegerField("số dòng đã có", default=0)
    skipped_count = models.PositiveIntegerField("số dòng không phải giao dịch", default=0)
    credit_sum = models.PositiveBigIntegerField("tổng ghi có trong tệp (đồng)", default=0)
    debit_sum = models.PositiveBigIntegerField("tổng ghi nợ trong tệp (đồng)", default=0)
    descending = models.BooleanField("tệp xếp mới trước", default=False)
    opening_balance = models.BigIntegerField("số dư đầu (đồng)", null=True, blank=True)
    closing_balance = models.BigIntegerField("số dư cuối (đồng)", null=True, blank=True)
    first_date = models.DateField("từ ngày", null=True, blank=True)
    last_date = models.DateField("đến ngày", null=True, blank=True)
    breaks = models.JSONField("chỗ số dư không liên tục", default=list, blank=True)
    accept_reason = models.TextField("lý do vẫn nhập khi số dư không liên tục", blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người chấp nhận",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        on_delete=models.PROTECT,
        related_name="+",
    )
    imported_at = models.DateTimeField("tải lên lúc", auto_now_add=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)

    class Meta:
        verbose_name = "lần nhập sao kê"
        verbose_name_plural = "lần nhập sao kê"
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.new_count}/{self.row_count} dòng mới)"


class StatementRow(models.Model):
    """A row of an imported file that did not become a new line: a transaction stored
    before (``line`` is the stored one), or a row that is not a transaction (a title, a
    header, a total, a balance). Kept so every row of every file can be shown."""

    class Kind(models.TextChoices):
        KNOWN = "known", "Giao dịch đã có"
        SKIPPED = "skipped", "Không phải giao dịch"

    statement_import = models.ForeignKey(
        StatementImport,
        verbose_name="lần nhập",
        on_delete=models.CASCADE,
        related_name="rows",
    )
    row = models.PositiveIntegerField("dòng")
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    reason = models.CharField("lý do", max_length=255)
    raw = models.TextField("nội dung dòng trong tệp", blank=True)
    line = models.ForeignKey(
        "StatementLine",
        verbose_name="dòng sao kê đã có",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "dòng tệp sao kê"
        verbose_name_plural = "dòng tệp sao kê"
        ordering = ["statement_import", "row"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement_import", "row"], name="statement_row_once_per_import"
            ),
        ]

    def __str__(self) -> str:
        return f"dòng {self.row}: {self.reason}"


class StatementLine(models.Model):
    """One line of a bank statement, stored once per account (by its fingerprint)."""

    class Status(models.TextChoices):
        UNMATCHED = "unmatched", "Chưa khớp"
        MATCHED = "matched", "Đã khớp"
        IGNORED = "ignored", "Không phải ủng hộ"

    account = models.ForeignKey(
        Account, verbose_name="tài khoản", on_delete=models.PROTECT, related_name="bank_lines"
    )
    # Empty for a line that came by the bank feed (its FeedDelivery says which request).
    statement_import = models.ForeignKey(
        StatementImport,
        verbose_name="lần nhập",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lines",
    )
    fingerprint = models.CharField("dấu vân tay", max_length=64)
    row = models.PositiveIntegerField("dòng trong tệp", default=0)
    raw = models.TextField("nội dung dòng trong tệp", blank=True)
    date = models.DateField("ngày")
    reference = models.CharField("số tham chiếu", max_length=100, blank=True)
    transaction_id = models.CharField("mã giao dịch", max_length=100, blank=True)
    credit = models.PositiveBigIntegerField("ghi có (đồng)", default=0)
    debit = models.PositiveBigIntegerField("ghi nợ (đồng)", default=0)
    balance = models.BigIntegerField("số dư (đồng)", null=True, blank=True)
    description = models.TextField("nội dung (không công khai)", blank=True)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.UNMATCHED
    )
    donation = models.OneToOneField(
        Donation,
        verbose_name="khoản ủng hộ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bank_line",
    )
    round = models.OneToOneField(
        CollectionRound,
        verbose_name="đợt thu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bank_line",
    )
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người đối chiếu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    matched_at = models.DateTimeField("đối chiếu lúc", null=True, blank=True)

    class Meta:
        verbose_name = "dòng sao kê"
        verbose_name_plural = "dòng sao kê"
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "fingerprint"], name="statement_line_once_per_account"
            ),
            models.CheckConstraint(
                condition=(Q(credit__gt=0) & Q(debit=0)) | (Q(credit=0) & Q(debit__gt=0)),
                name="statement_line_one_direction",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="matched")
                    & (
                        Q(donation__isnull=False, round__isnull=True)
                        | Q(donation__isnull=True, round__isnull=False)
                    )
                )
                | (~Q(status="matched") & Q(donation__isnull=True, round__isnull=True)),
                name="statement_line_matched_iff_target",
            ),
        ]
        indexes = [
            # The queue of one account, in its order (newest first), read from the index
            # however the account's lines are dated against the other accounts'.
            models.Index(
                fields=["account", "status", "-date", "-id"], name="statement_account_queue_idx"
            ),
            models.Index(fields=["account", "date"], name="statement_period_idx"),
            # The queue without an account chosen: its order, and its count and sum
            # read from the index alone (PostgreSQL INCLUDE).
            models.Index(
                fields=["status", "-date", "-id"],
                include=["credit", "account"],
                name="statement_status_date_idx",
            ),
            # An amount range without an account: counted from the index alone.
            models.Index(fields=["status", "credit", "date"], name="statement_status_credit_idx"),
            # The queue's filters on one account: status, date range, amount range.
            models.Index(
                fields=["account", "status", "date", "credit"], name="statement_filter_idx"
            ),
            # The text filter has a trigram index on PostgreSQL (migration 0013).
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.credit or -self.debit}"

    @property
    def is_credit(self) -> bool:
        return self.credit > 0


class BalanceGap(models.Model):
    """A place where the balance does not follow: inside a file (previous balance +
    credit − debit ≠ this balance) or between files of one account. Stored only when
    the treasurer accepts a file with a reason; it stays open until explained."""

    class Kind(models.TextChoices):
        IN_FILE = "in_file", "Trong tệp"
        BETWEEN_FILES = "between", "Giữa hai tệp"

    account = models.ForeignKey(
        Account, verbose_name="tài khoản", on_delete=models.PROTECT, related_name="balance_gaps"
    )
    statement_import = models.ForeignKey(
        StatementImport,
        verbose_name="lần nhập",
        on_delete=models.PROTECT,
        related_name="gaps",
    )
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    date = models.DateField("ngày")
    row_before = models.PositiveIntegerField("dòng trước", null=True, blank=True)
    row = models.PositiveIntegerField("dòng", null=True, blank=True)
    expected_balance = models.BigIntegerField("số dư đúng ra (đồng)")
    found_balance = models.BigIntegerField("số dư trên tệp (đồng)")
    amount = models.BigIntegerField("chênh lệch (đồng)")
    description = models.CharField("mô tả", max_length=500)
    explanation = models.TextField("giải trình", blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người giải trình",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    explained_at = models.DateTimeField("giải trình lúc", null=True, blank=True)
    created_at = models.DateTimeField("ghi lúc", auto_now_add=True)

    class Meta:
        verbose_name = "chỗ số dư không liên tục"
        verbose_name_plural = "chỗ số dư không liên tục"
        ordering = ["account", "date", "pk"]
        indexes = [models.Index(fields=["account", "explained_at"], name="balance_gap_open_idx")]

    def __str__(self) -> str:
        return self.description

    @property
    def is_open(self) -> bool:
        return self.explained_at is None
