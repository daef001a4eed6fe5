"""Who gives."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from donations.models.constants import ANONYMOUS_NAME
from lddh.ward.models import AppendOnlyError, MemberOrganisation, ResidentialGroup
from lddh.ward.text import digits, normalise
from lddh.ward.vocab import DonorSource

DONOR_CODE_PREFIX = "UH"
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base 32: no I, L, O or U, so a code read aloud or typed is not misread."""
DONOR_CODE_BODY = 6
_CODE_SPACE = len(CODE_ALPHABET) ** DONOR_CODE_BODY  # 2**30 donors
_CODE_MULTIPLIER = 0x2E5BF271  # odd: a permutation of the code space
_CODE_OFFSET = 0x1B3F5A7


def code_check(body: str) -> str:
    """The check character of a code body: a weighted sum modulo 31, so one mistyped
    character or two swapped neighbours make a code that is nobody's."""
    total = sum((i + 1) * CODE_ALPHABET.index(c) for i, c in enumerate(body))
    return CODE_ALPHABET[total % 31]


def donor_code_for(pk: int) -> str:
    """A donor's personal code: UH, six characters, a check character (UH7K3M9QX).

    Derived from the donor's id through a fixed permutation, so two donors never share
    one and no retry is needed, while neighbouring donors' codes look unrelated. The
    codes are printed on paper and in QR codes: this function never changes."""
    if not 0 < pk < _CODE_SPACE:
        raise ValueError(f"no personal code for donor id {pk}")
    number = (pk * _CODE_MULTIPLIER + _CODE_OFFSET) % _CODE_SPACE
    body = ""
    for _ in range(DONOR_CODE_BODY):
        number, digit = divmod(number, len(CODE_ALPHABET))
        body = CODE_ALPHABET[digit] + body
    return f"{DONOR_CODE_PREFIX}{body}{code_check(body)}"


def donor_keys(name: str, phone: str, tax_code: str) -> tuple[str, str, str, str]:
    """A donor's look-up keys (search, name, phone, tax code), kept on the row so that
    searching and the duplicate warning ignore case, diacritics, spacing and separators."""
    name_key = normalise(name)[:200]
    phone_key = digits(phone)[:30]
    tax_key = digits(tax_code)[:20]
    search_key = " ".join(p for p in (name_key, phone_key, tax_key) if p)[:300]
    return search_key, name_key, phone_key, tax_key


class ConsentHow(models.TextChoices):
    """How a donor agreed to be sent receipts by email or text message."""

    PAPER = "phieu", "Ký trên phiếu / sổ ủng hộ"
    IN_PERSON = "truc-tiep", "Nói trực tiếp với cán bộ"
    PHONE = "dien-thoai", "Qua điện thoại"
    WRITING = "van-ban", "Bằng văn bản, email hoặc tin nhắn"


class Donor(models.Model):
    """Who gives. Not a money record: details may be corrected (receipts keep a snapshot)."""

    source = models.CharField("nguồn", max_length=20, choices=DonorSource.choices)
    name = models.CharField("họ tên / tên đơn vị", max_length=200)
    representative = models.CharField("người đại diện", max_length=200, blank=True)
    address = models.CharField("địa chỉ", max_length=300, blank=True)
    group = models.ForeignKey(
        ResidentialGroup,
        verbose_name="tổ dân phố",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donors",
    )
    phone = models.CharField("điện thoại", max_length=30, blank=True)
    tax_code = models.CharField("mã số thuế", max_length=20, blank=True)
    organisation = models.ForeignKey(
        MemberOrganisation,
        verbose_name="tổ chức thành viên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donors",
    )
    anonymous = models.BooleanField(
        "giấu tên khi công khai",
        default=False,
        help_text=f"Trang công khai và mã QR chỉ hiện “{ANONYMOUS_NAME}”.",
    )
    note = models.TextField("ghi chú", blank=True)
    # Contact for e-receipts: only with the donor's consent, recorded with when, how and
    # who entered it; an opt-out (the link in every message) withdraws it.
    email = models.EmailField("email", max_length=254, blank=True)
    contact_consent = models.BooleanField(
        "đồng ý nhận biên nhận qua email / tin nhắn", default=False
    )
    consent_how = models.CharField(
        "cách đồng ý", max_length=20, choices=ConsentHow.choices, blank=True
    )
    consent_at = models.DateTimeField("ghi nhận đồng ý lúc", null=True, blank=True)
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi nhận đồng ý",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opted_out_at = models.DateTimeField("từ chối nhận tin lúc", null=True, blank=True)
    # NULL only between the insert and the update that follows it (the code comes from
    # the id): a unique column admits many NULLs where "" would collide.
    code = models.CharField(  # noqa: DJ001
        "mã người ủng hộ",
        max_length=12,
        unique=True,
        null=True,
        editable=False,
        help_text="Mã riêng ghi trong nội dung chuyển khoản để khoản tiền tự tìm đúng người.",
    )
    # Keys kept on save: diacritic- and case-insensitive search, duplicate detection.
    search_key = models.CharField(max_length=300, editable=False, db_index=True)
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    phone_key = models.CharField(max_length=30, editable=False, blank=True)
    tax_key = models.CharField(max_length=20, editable=False, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tạo",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    class Meta:
        verbose_name = "người ủng hộ"
        verbose_name_plural = "người ủng hộ"
        ordering = ["name_key", "pk"]
        indexes = [
            models.Index(fields=["name_key", "id"], name="donor_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.refresh_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "search_key",
                "name_key",
                "phone_key",
                "tax_key",
            }
        super().save(*args, **kwargs)
        if self.code is None:
            # Every donor has a code from its creation, whoever creates it.
            self.code = donor_code_for(self.pk)
            type(self)._base_manager.filter(pk=self.pk).update(code=self.code)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Không xóa người ủng hộ: hồ sơ gắn với các khoản ủng hộ.")

    def refresh_keys(self) -> None:
        self.search_key, self.name_key, self.phone_key, self.tax_key = donor_keys(
            self.name, self.phone, self.tax_code
        )

    @property
    def contactable(self) -> bool:
        """Agreed to receive receipts and has not opted out since."""
        return self.contact_consent and self.opted_out_at is None

    @property
    def transfer_note(self) -> str:
        """What this donor writes in a transfer so that it finds them (``donor_note``)."""
        from donations.statements.codes import donor_note

        return donor_note(self) if self.code else ""

    @property
    def display_name(self) -> str:
        return ANONYMOUS_NAME if self.anonymous else self.name
