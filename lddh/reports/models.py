"""The committee's thresholds for the commendation list (đề nghị khen thưởng)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from lddh.ward.fields import MoneyField

DEFAULT_INDIVIDUAL_MIN = 5_000_000
DEFAULT_ORGANISATION_MIN = 20_000_000
DEFAULT_FORM = "Giấy khen của Ủy ban MTTQ Việt Nam phường"


class CommendationRule(models.Model):
    """One row: the least a donor gives in a campaign to be proposed, for individuals and
    for agencies, businesses and organisations, and the form of commendation proposed.
    Changed only through the page by the committee, each change audited."""

    individual_min = MoneyField("mức tối thiểu cho cá nhân (đồng)", default=DEFAULT_INDIVIDUAL_MIN)
    organisation_min = MoneyField(
        "mức tối thiểu cho cơ quan, doanh nghiệp, tổ chức (đồng)",
        default=DEFAULT_ORGANISATION_MIN,
    )
    individual_form = models.CharField(
        "hình thức đề nghị cho cá nhân", max_length=200, default=DEFAULT_FORM
    )
    organisation_form = models.CharField(
        "hình thức đề nghị cho cơ quan, doanh nghiệp, tổ chức",
        max_length=200,
        default=DEFAULT_FORM,
    )
    updated_at = models.DateTimeField("cập nhật lúc", null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người cập nhật",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "mức đề nghị khen thưởng"
        verbose_name_plural = "mức đề nghị khen thưởng"
        constraints = [
            models.CheckConstraint(
                condition=Q(individual_min__gt=0) & Q(organisation_min__gt=0),
                name="commendation_rule_positive",
            )
        ]

    def __str__(self) -> str:
        return f"Mức khen thưởng: cá nhân {self.individual_min}, tập thể {self.organisation_min}"
