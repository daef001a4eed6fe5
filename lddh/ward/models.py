"""The ward core: the issuing body, its residential groups and member organisations,
who holds which role, and the append-only audit log."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from lddh.ward.roles import Role


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a record that must never change."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} records cannot be updated")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} records cannot be deleted")


class AppendOnlyModel(models.Model):
    """Rows are written once: save() on an existing row and delete() raise."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} records cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} records cannot be deleted")


class CheckedFile(AppendOnlyModel):
    """A scan or photo accepted by its content (lddh.ward.uploads.check_upload), stored
    under a random name. Subclasses add the `file` field (with their own folder) and
    the record it belongs to."""

    original_name = models.CharField("tên tệp gốc", max_length=200)
    content_type = models.CharField("loại tệp", max_length=50)
    size = models.PositiveIntegerField("dung lượng (byte)")
    sha256 = models.CharField("mã băm SHA-256", max_length=64)
    token = models.CharField(max_length=32, editable=False)
    extension = models.CharField(max_length=4, editable=False)
    note = models.CharField("ghi chú", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tải lên",
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    def store(self, checked, *, name: str, note: str, actor):
        """Fill in the checked upload's facts, write the file and save the row."""
        import hashlib
        import secrets

        from django.core.files.base import ContentFile

        self.original_name = (name or "tep")[-200:]
        self.content_type = checked.content_type
        self.size = len(checked.content)
        self.sha256 = hashlib.sha256(checked.content).hexdigest()
        self.token = secrets.token_hex(16)
        self.extension = checked.extension
        self.note = (note or "").strip()[:200]
        self.uploaded_by = actor
        self.file.save("tep", ContentFile(checked.content), save=False)
        self.save()
        return self


class DatedQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date | None = None):
        day = day or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class Dated(models.Model):
    """Configuration that changes over time (the 2025 reorganisation): valid from / to."""

    valid_from = models.DateField("hiệu lực từ ngày", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến ngày", null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": "Ngày hết hiệu lực phải sau ngày bắt đầu."})

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class WardProfile(Dated):
    """The issuing body: its names and the header lines printed on every document."""

    name = models.CharField("tên đơn vị", max_length=200)
    short_name = models.CharField("tên ngắn", max_length=100)
    header_lines = models.TextField(
        "dòng tiêu đề bên trái",
        help_text="Mỗi dòng một dòng in, ví dụ: ỦY BAN MTTQ VIỆT NAM / PHƯỜNG LÊ ĐẠI HÀNH / "
        "BAN THƯỜNG TRỰC. Dòng cuối được gạch chân.",
    )
    nation_line = models.CharField(
        "quốc hiệu", max_length=100, default="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    )
    motto_line = models.CharField("tiêu ngữ", max_length=100, default="Độc lập - Tự do - Hạnh phúc")
    place_name = models.CharField("địa danh ghi ngày tháng", max_length=100, default="Hà Nội")
    address = models.CharField("địa chỉ trụ sở", max_length=300, blank=True)
    phone = models.CharField("điện thoại", max_length=50, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    cash_instructions = models.TextField(
        "hướng dẫn ủng hộ tiền mặt", blank=True, help_text="Hiển thị trên trang công khai."
    )
    preparer_name = models.CharField(
        "người lập biểu: họ và tên",
        max_length=100,
        blank=True,
        help_text="Người lập các báo cáo của Quỹ; in ở ô “NGƯỜI LẬP BIỂU” của mọi báo cáo. "
        "Để trống thì ô này để trống cho người lập ký, ghi tên tay.",
    )
    preparer_title = models.CharField(
        "người lập biểu: chức danh",
        max_length=100,
        blank=True,
        help_text="Ví dụ: Cán bộ văn phòng Ủy ban MTTQ phường.",
    )
    accountant_name = models.CharField(
        "kế toán Quỹ: họ và tên",
        max_length=100,
        blank=True,
        help_text="Người giữ sổ sách của Quỹ; in ở ô “KẾ TOÁN” của mọi báo cáo.",
    )
    accountant_title = models.CharField(
        "kế toán Quỹ: chức danh",
        max_length=100,
        blank=True,
        help_text="Ví dụ: Kế toán Quỹ “Vì người nghèo”.",
    )
    successor = models.ForeignKey(
        "self",
        verbose_name="đơn vị kế thừa",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    class Meta:
        verbose_name = "hồ sơ đơn vị"
        verbose_name_plural = "hồ sơ đơn vị"
        ordering = ["-valid_from", "pk"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls, day: datetime.date | None = None) -> WardProfile | None:
        return cls.objects.valid_on(day).order_by("-valid_from", "pk").first()

    @property
    def header_line_list(self) -> list[str]:
        return [line.strip() for line in self.header_lines.splitlines() if line.strip()]

    def parent_on(self, day: datetime.date | None = None) -> ParentBody | None:
        return self.parents.valid_on(day).first()

    def signatory_on(self, day: datetime.date | None = None) -> Signatory | None:
        return self.signatories.valid_on(day).order_by("order", "pk").first()

    def report_signatures(self, day: datetime.date | None = None) -> list[tuple[str, str]]:
        """The signature blocks of a ward report, as (caption, name): the preparer and
        the accountant named in this profile (blank boxes when not named), then the
        signatory of the day. Whoever downloads a report is in the audit log, never on
        the paper."""
        signatory = self.signatory_on(day)
        if signatory is not None:
            head = "\n".join(p for p in (signatory.signs_for, signatory.title) if p)
            name = signatory.full_name
        else:
            head, name = DEFAULT_SIGNATORY, ""
        return [
            (_caption("NGƯỜI LẬP BIỂU", self.preparer_title), self.preparer_name),
            (_caption("KẾ TOÁN", self.accountant_title), self.accountant_name),
            (head, name),
        ]


DEFAULT_SIGNATORY = "TM. BAN THƯỜNG TRỰC\nCHỦ TỊCH"


def _caption(role: str, title: str) -> str:
    return f"{role}\n{title}" if title.strip() else role


class ParentBody(Dated):
    """The level above: the district MTTQ until 30/06/2025, the city MTTQ after."""

    ward = models.ForeignKey(WardProfile, on_delete=models.CASCADE, related_name="parents")
    name = models.CharField("tên cấp trên", max_length=200)
    short_name = models.CharField("tên ngắn", max_length=100, blank=True)

    class Meta:
        verbose_name = "cấp trên"
        verbose_name_plural = "cấp trên"
        ordering = ["valid_from", "pk"]

    def __str__(self) -> str:
        return self.name


class Signatory(Dated):
    ward = models.ForeignKey(WardProfile, on_delete=models.CASCADE, related_name="signatories")
    full_name = models.CharField("họ và tên", max_length=100)
    title = models.CharField("chức vụ", max_length=100, help_text="Ví dụ: CHỦ TỊCH")
    signs_for = models.CharField(
        "thay mặt", max_length=100, blank=True, help_text="Ví dụ: TM. BAN THƯỜNG TRỰC"
    )
    order = models.PositiveSmallIntegerField("thứ tự", default=1)

    class Meta:
        verbose_name = "người ký"
        verbose_name_plural = "người ký"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.title} {self.full_name}"


class OfficialAccount(models.Model):
    """An official account of the fund, published so residents give to the right place."""

    class Kind(models.TextChoices):
        BANK = "bank", "Tài khoản ngân hàng"
        TREASURY = "treasury", "Tài khoản Kho bạc Nhà nước"

    ward = models.ForeignKey(WardProfile, on_delete=models.CASCADE, related_name="accounts")
    kind = models.CharField("loại", max_length=20, choices=Kind.choices, default=Kind.BANK)
    account_name = models.CharField("tên tài khoản", max_length=200)
    account_number = models.CharField("số tài khoản", max_length=30)
    bank_name = models.CharField("ngân hàng / kho bạc", max_length=200)
    bank_bin = models.CharField(
        "mã BIN ngân hàng (VietQR)",
        max_length=6,
        blank=True,
        help_text="6 chữ số, ví dụ Vietcombank 970436. Để trống nếu không có mã QR.",
    )
    branch = models.CharField("chi nhánh", max_length=200, blank=True)
    is_public = models.BooleanField("công khai trên trang cho người dân", default=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=1)

    class Meta:
        verbose_name = "tài khoản chính thức"
        verbose_name_plural = "tài khoản chính thức"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bank_name", "account_number"], name="official_account_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_number} – {self.bank_name}"

    def clean(self):
        super().clean()
        if self.bank_bin and not (len(self.bank_bin) == 6 and self.bank_bin.isdigit()):
            raise ValidationError({"bank_bin": "Mã BIN ngân hàng phải gồm 6 chữ số."})


class ResidentialGroup(Dated):
    """A tổ dân phố; dated because the 2025 reorganisation renumbered groups."""

    ward = models.ForeignKey(
        WardProfile, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="groups"
    )
    number = models.PositiveSmallIntegerField("số tổ")
    code = models.CharField("mã tổ", max_length=20, unique=True)
    name = models.CharField("tên tổ", max_length=100)
    successor = models.ForeignKey(
        "self",
        verbose_name="tổ kế thừa",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    class Meta:
        verbose_name = "tổ dân phố"
        verbose_name_plural = "tổ dân phố"
        ordering = ["number", "pk"]

    def __str__(self) -> str:
        return self.name


class MemberOrganisation(models.Model):
    ward = models.ForeignKey(
        WardProfile,
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    name = models.CharField("tên tổ chức", max_length=200, unique=True)
    short_name = models.CharField("tên ngắn", max_length=60, blank=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=1)
    active = models.BooleanField("đang hoạt động", default=True)

    class Meta:
        verbose_name = "tổ chức thành viên"
        verbose_name_plural = "tổ chức thành viên"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Membership(models.Model):
    """A role held by a person; a leader's role is for one residential group."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="tài khoản",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    group = models.ForeignKey(
        ResidentialGroup,
        verbose_name="tổ dân phố",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    active = models.BooleanField("đang hiệu lực", default=True)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)

    class Meta:
        verbose_name = "vai trò"
        verbose_name_plural = "vai trò"
        ordering = ["user__username", "role"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="leader") & Q(group__isnull=False))
                | (~Q(role="leader") & Q(group__isnull=True)),
                name="membership_group_iff_leader",
                violation_error_message="Trưởng ban công tác Mặt trận phải gắn với một tổ dân "
                "phố; các vai trò khác không gắn tổ.",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "group"],
                condition=Q(group__isnull=False),
                name="membership_unique_per_group",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(group__isnull=True),
                name="membership_unique_without_group",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_role_display()
        return f"{label} – {self.group}" if self.group_id else label


class AuditEvent(AppendOnlyModel):
    """Who did what to which record, with the values before and after. Never changes."""

    at = models.DateTimeField("thời điểm", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField("tên đăng nhập", max_length=150, blank=True)
    action = models.CharField("hành động", max_length=80, db_index=True)
    object_type = models.CharField("loại đối tượng", max_length=100, blank=True)
    object_id = models.CharField("mã đối tượng", max_length=64, blank=True)
    object_repr = models.CharField("đối tượng", max_length=300, blank=True)
    before = models.JSONField("trước", null=True, blank=True)
    after = models.JSONField("sau", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "nhật ký thao tác"
        verbose_name_plural = "nhật ký thao tác"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_name} {self.action} {self.object_repr}"


class ThrottleHit(models.Model):
    """One counted attempt of one client against a throttled page (a receipt check).

    Kept in the database, not in a process's memory, so that a limit holds across every
    gunicorn worker and host. Rows older than the window are deleted as new ones come."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["scope", "key", "at"]),
            models.Index(fields=["scope", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} {self.at:%d/%m/%Y %H:%M:%S}"
