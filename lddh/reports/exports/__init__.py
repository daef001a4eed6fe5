"""The reports: each is one or more Export classes (one sheet each) that yield rows."""

from __future__ import annotations

from django.db import models

from lddh.reports.exports.base import ReportContext, ReportExport
from lddh.reports.exports.books import DonorList, ReceiptRegister
from lddh.reports.exports.fund import FundReport
from lddh.reports.exports.pledges import PledgeReport
from lddh.reports.exports.progress import CampaignProgressReport
from lddh.reports.exports.register import register_exports
from lddh.reports.exports.support import HouseholdsSupported, SupportList


class Report(models.TextChoices):
    FUND = "quy", "Báo cáo kết quả vận động và sử dụng Quỹ “Vì người nghèo”"
    DONORS = "so-ung-ho", "Sổ theo dõi ủng hộ (danh sách người ủng hộ)"
    RECEIPTS = "so-bien-nhan", "Sổ đăng ký biên nhận (kiểm tra số liên tục)"
    SUPPORTS = "ho-tro", "Danh sách hỗ trợ hộ gia đình"
    SUPPORTED = "ho-duoc-ho-tro", "Tổng hợp hộ được hỗ trợ theo tổ, phân loại, loại hỗ trợ"
    PROGRESS = "tien-do", "Tiến độ vận động so với chỉ tiêu (theo tổ, tổ chức, Ban vận động)"
    REGISTER = "danh-sach-ho", "Danh sách hộ và nhu cầu theo tổ dân phố"
    PLEDGES = "cam-ket", "Cam kết ủng hộ (đã cam kết, đã nộp, còn lại)"


PDF_REPORTS = (Report.FUND, Report.DONORS)
NEEDS_CAMPAIGN = (Report.PROGRESS, Report.PLEDGES)
NEEDS_FUND = (Report.FUND, Report.DONORS, Report.RECEIPTS)


def build_exports(report: str, context: ReportContext) -> list[ReportExport]:
    builders = {
        Report.FUND: lambda: [FundReport(context)],
        Report.DONORS: lambda: [DonorList(context)],
        Report.RECEIPTS: lambda: [ReceiptRegister(context)],
        Report.SUPPORTS: lambda: [SupportList(context)],
        Report.SUPPORTED: lambda: [HouseholdsSupported(context)],
        Report.PROGRESS: lambda: [CampaignProgressReport(context)],
        Report.REGISTER: lambda: register_exports(context),
        Report.PLEDGES: lambda: [PledgeReport(context)],
    }
    return builders[Report(report)]()


__all__ = [
    "NEEDS_CAMPAIGN",
    "NEEDS_FUND",
    "PDF_REPORTS",
    "Report",
    "ReportContext",
    "ReportExport",
    "build_exports",
]
