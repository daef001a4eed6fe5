"""The report page and the downloads. Every download is written to the audit log."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from campaigns.models import Campaign
from campaigns.selectors import active_campaign, campaigns_list
from donations.models import Fund
from lddh.reports.commendation import (
    RULE_FIELDS,
    commendation_rows,
    commendation_rule,
    commendation_rule_update,
)
from lddh.reports.documents import (
    TooManyRows,
    commendation_pdf,
    donor_list_pdf,
    fund_report_pdf,
)
from lddh.reports.exports import Report, ReportContext, build_exports
from lddh.reports.exports.commendation import CommendationList
from lddh.reports.exports.render import report_xlsx_response
from lddh.reports.forms import CommendationRuleForm, ReportForm, initial_for
from lddh.reports.periods import Preset, period_for
from lddh.ward.access import FIGURES_ROLES, READ_ALL_ROLES, access_for, role_required
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


# --------------------------------------------------------------------------- commendation


BY_YEAR = "nam"
"""`?theo=nam&nam=2024`: the gifts dated in a calendar year, whatever their campaign;
otherwise the gifts of a campaign (`?chien-dich=<id>`)."""


def _commendation_campaign(request) -> Campaign | None:
    """The campaign asked for (404 if unknown), else the active one, else the latest."""
    chosen = request.GET.get("chien-dich", "")
    if chosen:
        if not chosen.isdigit():
            raise Http404
        return get_object_or_404(campaigns_list(), pk=chosen)
    return active_campaign() or campaigns_list().first()


def _commendation_years(campaign: Campaign | None) -> list[int]:
    """The years offered: every campaign's year and this year, latest first."""
    years = set(campaigns_list().values_list("year", flat=True))
    years.add(timezone.localdate().year)
    if campaign is not None:
        years.add(campaign.year)
    return sorted(years, reverse=True)


def _commendation_scope(request) -> tuple[Campaign | None, int | None]:
    """(campaign, None) by campaign, (None, year) by calendar year; a year that is not
    a year is 404, like an unknown campaign."""
    if request.GET.get("theo", "") != BY_YEAR:
        return _commendation_campaign(request), None
    year = request.GET.get("nam", "")
    if not year:
        return None, timezone.localdate().year
    # ASCII digits only: "²" passes isdigit() and breaks int(), "٢٠٢٤" is no year typed here.
    if not re.fullmatch(r"[0-9]{4}", year) or not 1900 <= int(year) <= 9999:
        raise Http404
    return None, int(year)


def _commendation_query(campaign: Campaign | None, year: int | None) -> str:
    return f"theo={BY_YEAR}&nam={year}" if year is not None else f"chien-dich={campaign.pk}"


@role_required(*READ_ALL_ROLES)
def commendation(request):
    """The commendation list of a campaign or a calendar year; the committee changes the
    thresholds here."""
    access = access_for(request.user)
    campaign, year = _commendation_scope(request)
    rule = commendation_rule()
    initial = {field: getattr(rule, field) for field in RULE_FIELDS}
    form = CommendationRuleForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not access.is_committee:
            raise PermissionDenied
        if form.is_valid():
            commendation_rule_update(actor=request.user, **form.cleaned_data)
            messages.success(request, "Đã lưu mức đề nghị khen thưởng.")
            return redirect(request.get_full_path())
    chosen = campaign is not None or year is not None
    rows = commendation_rows(campaign, rule, year=year) if chosen else []
    shown = campaign or active_campaign() or campaigns_list().first()
    return render(
        request,
        "reports/commendation.html",
        {
            "campaign": campaign,
            "year": year,
            "chosen": chosen,
            "shown_campaign": shown,
            "shown_year": year or (shown.year if shown else timezone.localdate().year),
            "years": _commendation_years(shown),
            "query": _commendation_query(campaign, year) if chosen else "",
            "campaigns": campaigns_list().only("pk", "name", "year"),
            "rule": rule,
            "form": form,
            "rows": rows,
            "total": sum(row.total for row in rows),
        },
    )


@role_required(*READ_ALL_ROLES)
@require_GET
def commendation_download(request):
    """The list as PDF (official layout) or Excel; every download is audited."""
    campaign, year = _commendation_scope(request)
    fmt = request.GET.get("dinh-dang", "pdf")
    if (campaign is None and year is None) or fmt not in ("pdf", "xlsx"):
        raise Http404
    rule = commendation_rule()
    rows = commendation_rows(campaign, rule, year=year)
    today = timezone.localdate()
    context = ReportContext(
        period=(
            period_for(Preset.YEAR, year=year)
            if year is not None
            else period_for(Preset.CAMPAIGN, campaign=campaign)
        ),
        fund=None,
        today=today,
        ward=WardProfile.current(today),
        campaign=campaign,
    )
    filename = (
        f"de-nghi-khen-thuong-nam-{year}"
        if year is not None
        else f"de-nghi-khen-thuong-{campaign.year}"
    )
    if fmt == "pdf":
        response = pdf_response(
            commendation_pdf(context, rows, rule), f"{filename}.pdf", inline=False
        )
    else:
        response, _ = report_xlsx_response(CommendationList(context, rows, rule), filename=filename)
    with transaction.atomic():
        log_event(
            actor=request.user,
            action=AuditAction.REPORT_DOWNLOAD,
            after={
                "report": "de-nghi-khen-thuong",
                "format": fmt,
                "campaign": campaign.pk if campaign is not None else None,
                "year": year,
                "rows": len(rows),
                "individual_min": rule.individual_min,
                "organisation_min": rule.organisation_min,
            },
            note=(
                f"Danh sách đề nghị khen thưởng – năm {year}"
                if year is not None
                else f"Danh sách đề nghị khen thưởng – {campaign.name}"
            ),
        )
    return response
