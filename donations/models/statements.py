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
    credit_column = models.CharField("cột ghi có (tiền vào)", max_length=100)
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
    csv_delimiter = models.CharField(
        "dấu phân cách cột (CSV)",
        max_length=1,
        blank=True,
        help_text="Để trống để tự nhận biết (dấu phẩy, chấm phẩy hoặc tab).",
    )
    active = models.BooleanField("đang dùng", default=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=1)

    class Meta:
        verbose_name = "mẫu sao kê ngân hàng"
        verbose_name_plural = "mẫu sao kê ngân hàng"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class StatementImport(models.Model):
    """One uploaded file that added lines. A file that adds nothing leaves no record."""

    account = models.ForeignKey(
        Account, verbose_name="tài khoản", on_delete=models.PROTECT, related_name="imports"
    )
    layout = models.ForeignKey(
        BankLayout, verbose_name="mẫu sao kê", on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField("mã băm tệp", max_length=64)
    size = models.PositiveIntegerField("dung lượng (byte)")
    line_count = models.PositiveIntegerField("số dòng trong tệp")
    new_count = models.PositiveIntegerField("số dòng mới")
    first_date = models.DateField("từ ngày")
    last_date = models.DateField("đến ngày")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        on_delete=models.PROTECT,
        related_name="+",
    )
    imported_at = models.DateTimeField("nhập lúc", auto_now_add=True)

    class Meta:
        verbose_name = "lần nhập sao kê"
        verbose_name_plural = "lần nhập sao kê"
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.new_count}/{self.line_count} dòng mới)"


class StatementLine(models.Model):
    """One line of a bank statement, stored once per account (by its fingerprint)."""

    class Status(models.TextChoices):
        UNMATCHED = "unmatched", "Chưa khớp"
        MATCHED = "matched", "Đã khớp"
        IGNORED = "ignored", "Không phải ủng hộ"

    account = models.ForeignKey(
        Account, verbose_name="tài khoản", on_delete=models.PROTECT, related_name="bank_lines"
    )
    statement_import = models.ForeignKey(
        StatementImport,
        verbose_name="lần nhập",
        on_delete=models.PROTECT,
        related_name="lines",
    )
    fingerprint = models.CharField("dấu vân tay", max_length=64)
    date = models.DateField("ngày")
    reference = models.CharField("số tham chiếu", max_length=100, blank=True)
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
            models.Index(fields=["account", "status", "-date"], name="statement_queue_idx"),
            models.Index(fields=["account", "date"], name="statement_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.credit or -self.debit}"

    @property
    def is_credit(self) -> bool:
        return self.credit > 0
