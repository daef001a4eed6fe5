"""Who gives."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from donations.models.constants import ANONYMOUS_NAME
from lddh.ward.models import AppendOnlyError, MemberOrganisation, ResidentialGroup
from lddh.ward.text import digits, normalise
from lddh.ward.vocab import DonorSource


def donor_keys(name: str, phone: str, tax_code: str) -> tuple[str, str, str, str]:
    """A donor's look-up keys (search, name, phone, tax code), kept on the row so that
    searching and the duplicate warning ignore case, diacritics, spacing and separators."""
    name_key = normalise(name)[:200]
    phone_key = digits(phone)[:30]
    tax_key = digits(tax_code)[:20]
    search_key = " ".join(p for p in (name_key, phone_key, tax_key) if p)[:300]
    return search_key, name_key, phone_key, tax_key


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

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Không xóa người ủng hộ: hồ sơ gắn với các khoản ủng hộ.")

    def refresh_keys(self) -> None:
        self.search_key, self.name_key, self.phone_key, self.tax_key = donor_keys(
            self.name, self.phone, self.tax_code
        )

    @property
    def display_name(self) -> str:
        return ANONYMOUS_NAME if self.anonymous else self.name
