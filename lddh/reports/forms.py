"""The report form: which report, for which period (a preset or two dates), which fund,
which campaign, and the file format."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from campaigns.models import Campaign
from donations.models import Fund
from lddh.reports.exports import NEEDS_CAMPAIGN, NEEDS_FUND, PDF_REPORTS, Report
from lddh.reports.periods import Period, Preset, period_for
from lddh.ward.fields import DongField
from lddh.ward.forms import DayField, WardForm


def _date_field(label: str) -> DayField:
    return DayField(label=label, required=False)


class ReportForm(WardForm):
    bao_cao = forms.ChoiceField(
        label="Báo cáo", choices=Report.choices, widget=forms.RadioSelect, initial=Report.FUND
    )
    ky = forms.ChoiceField(label="Kỳ báo cáo", choices=Preset.choices, initial=Preset.CAMPAIGN)
    chien_dich = forms.ModelChoiceField(
        label="Chiến dịch",
        queryset=Campaign.objects.none(),
        required=False,
        empty_label="— Chọn chiến dịch —",
        help_text="Cho kỳ “Tháng cao điểm” và báo cáo tiến độ.",
    )
    nam = forms.IntegerField(
        label="Năm",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="Cho kỳ 6 tháng, 9 tháng, cả năm.",
        error_messages={"min_value": "Năm không hợp lệ.", "max_value": "Năm không hợp lệ."},
    )
    tu_ngay = _date_field("Từ ngày")
    den_ngay = _date_field("Đến ngày")
    quy = forms.ModelChoiceField(
        label="Quỹ",
        queryset=Fund.objects.none(),
        required=False,
        empty_label=None,
        help_text="Cho báo cáo Quỹ, sổ theo dõi ủng hộ và sổ biên nhận.",
    )
    dinh_dang = forms.ChoiceField(
        label="Định dạng",
        choices=[("xlsx", "Excel (.xlsx)"), ("pdf", "PDF để in")],
        initial="xlsx",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, campaigns, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chien_dich"].queryset = campaigns
        self.fields["quy"].queryset = funds

    def clean(self):
        data = super().clean()
        report, preset = data.get("bao_cao"), data.get("ky")
        if not report or not preset:
            return data
        campaign = data.get("chien_dich")
        if (preset == Preset.CAMPAIGN or report in NEEDS_CAMPAIGN) and campaign is None:
            self.add_error("chien_dich", "Hãy chọn chiến dịch.")
        if preset in (Preset.SIX_MONTHS, Preset.NINE_MONTHS, Preset.YEAR) and not data.get("nam"):
            self.add_error("nam", "Hãy nhập năm báo cáo, ví dụ 2024.")
        if preset == Preset.CUSTOM:
            start, end = data.get("tu_ngay"), data.get("den_ngay")
            if start is None and "tu_ngay" not in self.errors:
                self.add_error("tu_ngay", "Hãy nhập ngày bắt đầu (dd/mm/yyyy).")
            if end is None and "den_ngay" not in self.errors:
                self.add_error("den_ngay", "Hãy nhập ngày kết thúc (dd/mm/yyyy).")
            if start and end and end < start:
                self.add_error("den_ngay", "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu.")
            if start and end and (end - start).days > 366 * 5:
                self.add_error("den_ngay", "Kỳ báo cáo dài tối đa 5 năm.")
        if report in NEEDS_FUND and data.get("quy") is None:
            self.add_error("quy", "Hãy chọn quỹ.")
        if data.get("dinh_dang") == "pdf" and report not in PDF_REPORTS:
            self.add_error(
                "dinh_dang",
                "Bản PDF có cho báo cáo Quỹ và sổ theo dõi ủng hộ; báo cáo này hãy tải Excel.",
            )
        return data

    def period(self) -> Period:
        data = self.cleaned_data
        return period_for(
            data["ky"],
            year=data.get("nam"),
            campaign=data.get("chien_dich"),
            start=data.get("tu_ngay"),
            end=data.get("den_ngay"),
        )


def initial_for(campaign: Campaign | None, fund: Fund | None) -> dict:
    return {
        "bao_cao": Report.FUND,
        "ky": Preset.CAMPAIGN if campaign else Preset.YEAR,
        "chien_dich": campaign.pk if campaign else None,
        "nam": campaign.year if campaign else timezone.localdate().year,
        "quy": fund.pk if fund else None,
        "dinh_dang": "xlsx",
    }


class CommendationRuleForm(WardForm):
    """The committee's thresholds and the form of commendation proposed for each kind."""

    individual_min = DongField(label="Cá nhân ủng hộ từ (đồng)")
    organisation_min = DongField(label="Cơ quan, doanh nghiệp, tổ chức ủng hộ từ (đồng)")
    individual_form = forms.CharField(label="Hình thức đề nghị cho cá nhân", max_length=200)
    organisation_form = forms.CharField(
        label="Hình thức đề nghị cho cơ quan, doanh nghiệp, tổ chức", max_length=200
    )
