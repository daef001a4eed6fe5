"""Domain vocabularies shared by several apps (docs/domain.md §3)."""

from django.db import models


class DonorSource(models.TextChoices):
    """The sources of money in: the rows of every report."""

    AGENCY = "agency", "Cơ quan, đơn vị"
    BUSINESS = "business", "Doanh nghiệp"
    ORGANISATION = "organisation", "Tổ chức thành viên"
    RESIDENTS = "residents", "Nhân dân qua tổ dân phố"
    INDIVIDUAL = "individual", "Cá nhân, nhà hảo tâm"
    HIGHER_LEVEL = "higher_level", "Cấp trên điều tiết"
    INTEREST = "interest", "Lãi tiền gửi"
    OTHER = "other", "Khác"
