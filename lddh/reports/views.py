"""The report page and the downloads. Every download is written to the audit log."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from campaigns.selectors import active_campaign, campaigns_list
from donations.models import Fund
from lddh.reports.documents import TooManyRows, donor_list_pdf, fund_report_pdf
from lddh.reports.exports import Report, ReportContext, build_exports
from lddh.reports.exports.render import report_xlsx_response
from lddh.reports.forms import ReportForm, initial_for
from lddh.ward.access import FIGURES_ROLES, access_for, role_required
from lddh.ward.audit import AuditAction, log_event
from lddh.ward.models import WardProfile
from lddh.ward.money import format_number
from lddh.ward.pdf import pdf_response

REPORT_ROLES = FIGURES_ROLES


def _form(request, data=None) -> ReportForm:
    campaigns = campaigns_list().only("pk", "name", "year", "start_date", "end_date")
    funds = Fund.objects.order_by("order", "pk")
    if data is None:
        return ReportForm(
            initial=initial_for(active_campaign() or campaigns.first(), funds.first()),
            campaigns=campaigns,
            funds=funds,
        )
    return ReportForm(data, campaigns=campaigns, funds=funds)


def _page(request, form, status=200, error=""):
    context = {
        "form": form,
        "error": error,
        "names_people": names_people(access_for(request.user)),
    }
    return render(request, "reports/index.html", context, status=status)


@role_required(*REPORT_ROLES)
@require_GET
def index(request):
    return _page(request, _form(request))


def names_people(access) -> bool:
    """The ward's own roles see names; the level above gets the same reports without a
    household's name, an anonymous donor's name or a void's free-text reason."""
    return access.reads_all


@role_required(*REPORT_ROLES)
@require_GET
def download(request):
    form = _form(request, request.GET)
    if not form.is_valid():
        return _page(request, form)
    access = access_for(request.user)
    today = timezone.localdate()
    period = form.period()
    report = form.cleaned_data["bao_cao"]
    fund = form.cleaned_data["quy"]
    context = ReportContext(
        period=period,
        fund=fund,
        today=today,
        ward=WardProfile.current(period.end) or WardProfile.current(today),
        names_people=names_people(access),
        campaign=form.cleaned_data["chien_dich"],
    )
    fmt = form.cleaned_data["dinh_dang"]
    filename = f"{report}-{period.slug}"
    if fmt == "pdf":
        try:
            pdf = fund_report_pdf(context) if report == Report.FUND else donor_list_pdf(context)
        except TooManyRows as too_many:
            error = (
                f"Sổ theo dõi ủng hộ của kỳ này có {format_number(too_many.count)} dòng, quá "
                f"nhiều để in PDF (tối đa {format_number(too_many.limit)} dòng). Hãy tải bản "
                "Excel, hoặc chọn kỳ ngắn hơn."
            )
            return _page(request, form, error=error)
        response = pdf_response(pdf, f"{filename}.pdf", inline=False)
        rows = None
    else:
        response, summaries = report_xlsx_response(
            *build_exports(report, context), filename=filename
        )
        rows = sum(s.rows for s in summaries)
    with transaction.atomic():
        log_event(
            actor=request.user,
            action=AuditAction.REPORT_DOWNLOAD,
            after={
                "report": report,
                "format": fmt,
                "start": period.start,
                "end": period.end,
                "fund": fund.code if fund else None,
                "campaign": context.campaign.pk if context.campaign else None,
                "rows": rows,
                "names": context.names_people,
            },
            note=f"{Report(report).label} – {period.label}",
        )
    return response
