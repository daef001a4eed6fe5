"""The residents' pages (anonymous, cached figures) and the committee's publication page.

Every public view answers bad input with a friendly page: an unknown year is a 404 page
that lists the years there are, a bad search is the form with its message, a bad page
number is page 1, too many receipt checks is a 429 page. Never a 500."""

from __future__ import annotations

import calendar
import datetime
import hashlib
from functools import lru_cache

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from campaigns.models import Campaign
from donations.selectors.public import (
    DonorFilters,
    public_donation_rows,
    public_donations,
    public_donations_in,
    public_keys_by_name,
    receipt_check,
)
from donations.selectors.reports import latest_signed_heads
from households.selectors.postings_public import public_postings
from households.selectors.public import (
    public_round,
    public_rounds,
    public_support,
    public_support_rows,
    public_supports,
    published_scan,
)
from lddh.public import selectors, services, throttle
from lddh.public.cache import cached, cached_page, cached_per_campaign
from lddh.public.exports import DonorListExport, SpendingExport
from lddh.public.forms import DonorSearchForm, PublishForm, ReceiptCheckForm
from lddh.public.models import PublishedReport
from lddh.ward.access import access_for, role_required
from lddh.ward.exports import csv_response, xlsx_response
from lddh.ward.forms import add_service_error
from lddh.ward.models import WardProfile
from lddh.ward.roles import Role
from lddh.ward.vietqr import VietQRError, build_payload, qr_svg

PAGE_SIZE = 50
# A search never counts more rows than this: 20 pages, then "refine" (a day's whole list
# is a download). Counting 10.000 rows of a broad name took ~0,2 s at 1.000.000 donations.
COUNT_CAP = 1_000
# The whole list pages by OFFSET: its pages stop at this row (a ward's year is far less).
LIST_CAP = 10_000


def account_payload(account) -> str | None:
    """The static VietQR payload of an official bank account (None when it has no BIN)."""
    if not account.bank_bin:
        return None
    try:
        return build_payload(bin=account.bank_bin, account=account.account_number)
    except VietQRError:
        return None


def account_qr(account) -> str:
    """The account's VietQR as inline SVG ('' when it has none)."""
    payload = account_payload(account)
    if payload is None:
        return ""
    return mark_safe(_qr_svg(payload, f"VietQR {account.account_number}"))


@lru_cache(maxsize=64)
def _qr_svg(payload: str, title: str) -> str:
    # Drawing a QR code costs ~12 ms, half of a cached page: the same payload always
    # gives the same picture. segno escapes the title and emits only SVG elements.
    return qr_svg(payload, scale=4, title=title)


def _official_accounts(ward: WardProfile | None) -> list:
    accounts = list(ward.accounts.filter(is_public=True)) if ward else []
    for account in accounts:
        account.qr_svg = account_qr(account)
    return accounts


def _no_campaign(request, year: int | None = None):
    return render(
        request,
        "public/no_campaign.html",
        {"year": year, "years": selectors.public_years()},
        status=404,
    )


def _page_number(request) -> int:
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or len(raw) > 6:
        return 1
    return max(int(raw), 1)


class KnownCountPaginator(Paginator):
    """A paginator told its count: the cached total for the whole list, or a count
    capped at COUNT_CAP for a search, instead of a COUNT(*) over a million rows."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


# ---------------------------------------------------------------- disclosure pages


def _disclosure_page(request, campaign: Campaign | None):
    ward = WardProfile.current()
    context = {
        "ward": ward,
        "accounts": _official_accounts(ward),
        "campaign": campaign,
        "years": selectors.public_years(),
        "reports": list(selectors.published_reports()[:5]),
        "signed_heads": latest_signed_heads(),
        "search_form": DonorSearchForm(),
    }
    if campaign is not None:
        context["d"] = selectors.disclosure(campaign)
    return render(request, "public/home.html", context)


@login_not_required
@require_GET
@cached_page
def home(request):
    return _disclosure_page(request, selectors.current_campaign())


@login_not_required
@require_GET
@cached_page
def year(request, year: str):
    campaign = selectors.campaign_of_year(int(year))
    if campaign is None:
        return _no_campaign(request, int(year))
    return _disclosure_page(request, campaign)


def _search(campaign: Campaign, filters: DonorFilters) -> tuple[list[int] | None, int]:
    """(keys, count) of a search: the keys of a narrow name (one look-up of the name
    index) as far as pages reach, else no keys and the count capped at COUNT_CAP + 1."""
    keys = public_keys_by_name(campaign, filters)
    if keys is not None:
        return keys[: COUNT_CAP + 1], len(keys)
    return None, public_donations(campaign, filters).order_by()[: COUNT_CAP + 1].count()


@login_not_required
@require_GET
def donors(request, year: str):
    campaign = selectors.campaign_of_year(int(year))
    if campaign is None:
        return _no_campaign(request, int(year))
    direct = request.GET.get("loai") == "truc-tiep"
    form = DonorSearchForm(request.GET or None)
    filters = form.filters(direct=direct)
    figures = selectors.disclosure(campaign)
    narrowed = filters.narrowed
    if narrowed:
        # Kept per data version like the stored pages: a name shared on social media is
        # looked up once until money moves, not once per visitor.
        digest = hashlib.sha256(repr(filters).encode()).hexdigest()[:32]
        keys, count = cached(f"search:{campaign.pk}:{digest}", lambda: _search(campaign, filters))
    else:
        progress = figures.progress
        keys, count = None, progress.direct_support_count if direct else progress.count
    qs = public_donations(campaign, filters) if keys is None else keys
    cap = COUNT_CAP if narrowed else LIST_CAP
    paginator = KnownCountPaginator(qs, PAGE_SIZE, count=min(count, cap + 1))
    page = paginator.get_page(_page_number(request))
    day = filters.date_from if filters.date_from == filters.date_to and not direct else None
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "campaign": campaign,
        "d": figures,
        "form": form,
        "direct": direct,
        "page_obj": page,
        "rows": public_donation_rows(
            page.object_list if keys is None else public_donations_in(page.object_list)
        ),
        "capped": count > cap,
        "query_string": params.urlencode(),
        "narrowed": narrowed,
        "day": day,
        "day_slug": day.isoformat() if day else "",
    }
    return render(request, "public/donors.html", context)


@login_not_required
@require_GET
def spending(request, year: str):
    campaign = selectors.campaign_of_year(int(year))
    if campaign is None:
        return _no_campaign(request, int(year))
    figures = selectors.disclosure(campaign)
    number = _page_number(request)
    # Kept per data version: a new payment, scan or consent shows at once.
    rounds = cached(f"spending-rounds:{campaign.pk}", lambda: public_rounds(campaign))
    loose = public_supports(campaign, loose=True)
    count = cached(f"spending-loose-count:{campaign.pk}", lambda: loose.count())
    paginator = KnownCountPaginator(loose, PAGE_SIZE, count=min(count, LIST_CAP))
    page = paginator.get_page(number)
    rows = cached(
        f"spending-loose:{campaign.pk}:{page.number}",
        lambda: public_support_rows(page.object_list),
    )
    return render(
        request,
        "public/spending.html",
        {"campaign": campaign, "d": figures, "rounds": rounds, "page_obj": page, "rows": rows},
    )


def _spending_missing(request, campaign: Campaign):
    return render(request, "public/spending_missing.html", {"campaign": campaign}, status=404)


@login_not_required
@require_GET
@cached_page
def spending_round(request, year: str, token: str):
    """A distribution round: its decision, the households (initials only with consent),
    the handover records signed and scanned, the redacted scans approved."""
    campaign = selectors.campaign_of_year(int(year))
    if campaign is None:
        return _no_campaign(request, int(year))
    found = public_round(campaign, token)
    if found is None:
        return _spending_missing(request, campaign)
    rows = public_support_rows(public_supports(campaign, round_token=token)[:LIST_CAP])
    return render(
        request,
        "public/spending_round.html",
        {"campaign": campaign, "round": found, "rows": rows, "as_of": timezone.now()},
    )


@login_not_required
@require_GET
@cached_page
def spending_support(request, year: str, number: str):
    """One paid support, by its handover record number."""
    campaign = selectors.campaign_of_year(int(year))
    if campaign is None:
        return _no_campaign(request, int(year))
    found = public_support(campaign, number)
    if found is None:
        return _spending_missing(request, campaign)
    return render(
        request,
        "public/spending_support.html",
        {"campaign": campaign, "s": found, "as_of": timezone.now()},
    )


@login_not_required
@require_GET
def spending_scan(request, year: str, token: str, ext: str):
    """An approved redacted scan of a signed handover record. Only redacted scans that a
    second person approved are reached here; an original scan never is."""
    campaign = selectors.campaign_of_year(int(year))
    scan = published_scan(campaign, token) if campaign is not None else None
    if scan is None or scan.extension != ext:
        if campaign is None:
            return _no_campaign(request, int(year))
        return _spending_missing(request, campaign)
    response = FileResponse(
        scan.file.open("rb"),
        content_type=scan.content_type,
        filename=f"bien-ban-da-che-{scan.support.handover_number}.{scan.extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Robots-Tag"] = "noindex"
    return response


def _period(text: str) -> tuple[datetime.date, datetime.date, str] | None:
    """'2024-10' → the month; '2024-10-20' → the day; None when it is no real date."""
    try:
        parts = [int(p) for p in text.split("-")]
        if len(parts) == 2:
            start = datetime.date(parts[0], parts[1], 1)
            end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
            return start, end, f"Tháng {start:%m/%Y}"
        day = datetime.date(*parts)
        return day, day, f"Ngày {day:%d/%m/%Y}"
    except (TypeError, ValueError):
        return None


@login_not_required
@require_GET
def download(request, year: str, kind: str, period: str, fmt: str):
    campaign = selectors.campaign_of_year(int(year))
    bounds = _period(period)
    if campaign is None or bounds is None:
        return _no_campaign(request, int(year))
    start, end, label = bounds
    export_class = DonorListExport if kind == "ung-ho" else SpendingExport
    export = export_class(campaign, start, end, label)
    if fmt == "csv":
        return csv_response(export, export.filename)
    return xlsx_response(export, filename=export.filename)


@login_not_required
@require_GET
def postings(request):
    """The review lists posted for objections (niêm yết): group, initials of the
    households that consented and the kind of proposal; never a name or an address.
    Not cached whole: a posting changes without any money moving."""
    today = timezone.localdate()
    return render(
        request, "public/postings.html", {"postings": public_postings(today), "today": today}
    )


@login_not_required
@require_GET
def reports(request):
    return render(request, "public/reports.html", {"reports": list(selectors.published_reports())})


@login_not_required
@require_GET
def report_file(request, sha256: str):
    report = selectors.published_report(sha256)
    if report is None:
        return render(request, "public/report_missing.html", status=404)
    response = FileResponse(
        report.file.open("rb"), content_type="application/pdf", filename=report.filename
    )
    response["ETag"] = f'"{report.sha256}"'
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


# ---------------------------------------------------------------- receipt check


def _lookup_year() -> int:
    """The year a receipt number typed without one is looked for in: the year of the
    campaign the public pages show, else this year."""
    year = cached_per_campaign(
        "lookup-year", lambda: getattr(selectors.current_campaign(), "year", None)
    )
    return year or timezone.localdate().year


@login_not_required
@require_http_methods(["GET", "POST"])
def receipt_check_view(request):
    form = ReceiptCheckForm(request.POST or None)
    receipt = None
    checked = False
    if request.method == "POST":
        if not throttle.allow(request, "tra-cuu"):
            return render(request, "public/too_many.html", status=429)
        if form.is_valid():
            checked = True
            receipt = receipt_check(
                form.cleaned_data["so"], form.cleaned_data["tien"], default_year=_lookup_year()
            )
    response = render(
        request,
        "public/receipt_check.html",
        {
            "form": form,
            "receipt": receipt,
            "checked": checked,
            "lookup_year": _lookup_year(),
            "ward": WardProfile.current(),
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# ---------------------------------------------------------------- publication (staff)


@role_required(Role.STAFF, Role.COMMITTEE)
@require_http_methods(["GET", "POST"])
def publish(request):
    can_publish = access_for(request.user).has(Role.COMMITTEE)
    campaign = selectors.current_campaign()
    if request.method == "POST":
        if not can_publish:
            raise PermissionDenied
        form = PublishForm(request.POST)
        if form.is_valid():
            try:
                report = services.report_publish(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    f"Đã công bố “{report.title}”. Mã SHA-256: {report.sha256}",
                )
                return redirect("public:publish")
    else:
        initial = {}
        if campaign is not None:
            initial = {
                "title": f"Kết quả vận động và sử dụng Quỹ – {campaign.name}",
                "period_start": campaign.start_date,
                "period_end": campaign.end_date,
            }
        form = PublishForm(initial=initial)
    return render(
        request,
        "public/publish.html",
        {
            "form": form,
            "can_publish": can_publish,
            "reports": list(PublishedReport.objects.select_related("published_by")),
        },
    )
