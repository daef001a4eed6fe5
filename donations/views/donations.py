"""Staff pages for money in. Every view: scoped getter → form → one service call →
message + redirect."""

from __future__ import annotations

import logging
from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from campaigns.inbox import share_campaigns
from campaigns.models import Campaign
from campaigns.selectors import active_campaign
from donations import documents, selectors, services
from donations.filters import DonationFilter, DonorFilter, LedgerFilter
from donations.forms import (
    ERROR_FIELDS,
    DonationForm,
    DonorForm,
    ItemFormSet,
    VoidDecisionForm,
    VoidRequestForm,
)
from donations.models import Donation, Donor, LedgerEntry, Pledge, VoidRequest
from donations.services.donors import DONOR_FIELDS
from donations.services.receipts import items_from
from donations.views import rows as list_rows
from donations.views.rounds import official_qr_for_entry
from lddh.ward.access import OFFICE_ROLES, READ_ALL_ROLES, access_for, role_required
from lddh.ward.dates import format_date
from lddh.ward.forms import add_service_error
from lddh.ward.pagination import Runs, paginate
from lddh.ward.pdf import pdf_response
from lddh.ward.review import Review, ReviewStep
from lddh.ward.roles import Role
from lddh.ward.sorting import SortSpec
from lddh.ward.templatetags.lddh import person_name
from lddh.ward.text import normalise

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
LIST_ROLES = (*READ_ALL_ROLES, Role.LEADER)


def _page(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


DONATION_SORTS = SortSpec(
    {"ngay": "date", "so_tien": "amount"},
    default="-ngay",
    descending_first={"ngay", "so_tien"},
)
DONOR_SORTS = SortSpec({"ten": "name_key"}, default="ten")


def filter_data(filterset) -> dict | None:
    """The filter's cleaned values, or None when the filter is unbound or invalid (the
    list then shows its whole scope)."""
    if filterset.is_bound and filterset.is_valid():
        return filterset.form.cleaned_data
    return None


def list_page(request, rows, *, totals: dict, rows_for=None):
    """A long staff list's page, told its count (see ``lddh.ward.pagination``): the
    totals come from the per-day totals or one aggregate (``donations.selectors``);
    ``rows_for`` reads a page's rows from their keys. With the rows of each day
    (``totals["days"]``) a page of a list by date starts its scan at its own day."""
    days = totals.get("days")
    page, query_string = paginate(
        request,
        rows,
        per_page=PAGE_SIZE,
        count=totals["count"],
        rows_for=rows_for,
        runs=Runs("date", days) if days is not None else None,
    )
    return page, query_string, totals


# --------------------------------------------------------------------------- donations


@role_required(*LIST_ROLES)
@require_GET
def donation_list(request):
    access = access_for(request.user)
    base = selectors.donations_for(access)
    filterset = DonationFilter(
        request.GET or None,
        queryset=base,
        group_ids=None if access.reads_all else sorted(access.group_ids),
    )
    # The filter's campaigns (read once for its options) give the inbox its campaign.
    share_campaigns(request, filterset.form.fields["campaign"].listed())
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    sort = DONATION_SORTS.from_request(request)
    rows = sort.apply(rows)
    data = filter_data(filterset)
    page, query_string, totals = list_page(
        request,
        rows,
        totals=selectors.donation_list_totals(access, data, rows),
        rows_for=lambda keys: list_rows.donations_by_key(rows.filter(pk__in=keys)),
    )
    return render(
        request,
        "donations/donation_list.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "page_obj": page,
            "rows": list_rows.donation_rows(page.object_list),
            "query_string": query_string,
            "total": totals["total"],
            "parts": selectors.donation_list_parts(access, data, rows, totals),
            "sort": sort,
            # The batch print takes the list's date range to the receipt register's filter.
            "batch_query": urlencode(
                [
                    (key, request.GET[key])
                    for key in ("date_from", "date_to")
                    if request.GET.get(key)
                ]
            ),
        },
    )


@role_required(*OFFICE_ROLES)
def donation_create(request):
    replaces = None
    replaces_id = request.GET.get("thay-the") or request.POST.get("replaces")
    if replaces_id:
        replaces = get_object_or_404(
            Donation.objects.select_related("donor", "receipt"),
            pk=replaces_id if str(replaces_id).isdigit() else 0,
            status=Donation.Status.VOIDED,
        )
    if request.method == "POST":
        items = ItemFormSet(request.POST, prefix="items")
        in_kind_total = (
            sum(row["valuation"] for row in items.cleaned_data if row and not row.get("DELETE"))
            if items.is_valid()
            else None
        )
        form = DonationForm(request.POST, in_kind_total=in_kind_total)
        if form.is_valid() and items.is_valid():
            token = form.cleaned_data["form_token"]
            done = Donation.objects.filter(form_token=token).first()
            if done is not None:
                messages.info(request, "Khoản này đã được lưu trước đó; không lưu lần hai.")
                return redirect("donations:detail", pk=done.pk)
            lines = [row for row in items.cleaned_data if row and not row.get("DELETE")]
            try:
                donation = services.donation_enter(
                    actor=request.user,
                    donor=form.cleaned_data["donor"],
                    new_donor=form.new_donor(),
                    allow_duplicate=form.cleaned_data["create_anyway"],
                    items=items_from(lines),
                    **form.donation_kwargs(),
                )
            except services.DuplicateDonorError as error:
                form.duplicates = error.matches
                add_service_error(form, error, fields=ERROR_FIELDS)
            except services.DonationError as error:
                add_service_error(form, error, fields=ERROR_FIELDS)
            except IntegrityError:
                # Two submissions of one form racing across series: the first one won.
                donation = Donation.objects.filter(form_token=token).first()
                if donation is None:
                    raise
                return redirect("donations:detail", pk=donation.pk)
            else:
                messages.success(
                    request,
                    f"Đã lưu khoản ủng hộ, biên nhận số {donation.receipt.number}.",
                )
                return redirect(reverse("donations:detail", args=[donation.pk]) + "?moi=1")
    else:
        initial = {}
        if replaces is not None:
            initial = {
                "replaces": replaces,
                "donor": replaces.donor,
                "donor_query": replaces.donor.name,
                "date": replaces.date,
                "amount": replaces.amount,
                "channel": replaces.channel,
                "purpose": replaces.purpose,
                "beneficiary": replaces.beneficiary,
                "fund": replaces.fund,
                "account": replaces.account,
                "campaign": replaces.campaign,
                "credited_group": replaces.credited_group,
                "credited_organisation": replaces.credited_organisation,
                "credited_board_member": replaces.credited_board_member,
                "note": replaces.note,
            }
        pledge_id = request.GET.get("cam-ket", "")
        pledge = (
            selectors.pledges_for(access_for(request.user))
            .filter(pk=pledge_id, status=Pledge.Status.OPEN)
            .first()
            if pledge_id.isdigit()
            else None
        )
        if pledge is not None and replaces is None:
            # "Ghi khoản nộp" from a pledge's page: its donor, campaign and what is left.
            initial = {
                "donor": pledge.donor,
                "donor_query": pledge.donor.name,
                "campaign": pledge.campaign,
                "fund": pledge.fund,
                "pledge": pledge,
                "amount": max(pledge.amount - pledge.paid, 0) or None,
            }
        form = DonationForm(initial=initial, campaign=active_campaign())
        items = ItemFormSet(prefix="items")
    picked = form.cleaned_data.get("donor") if form.is_bound and form.is_valid() else None
    if picked is None:
        picked = form.initial.get("donor")
        if form.is_bound and form.data.get("donor", "").isdigit():
            picked = Donor.objects.filter(pk=form.data["donor"]).first()
    return render(
        request,
        "donations/donation_form.html",
        {
            "form": form,
            "items": items,
            "replaces": replaces,
            "picked": picked,
            "official_qr": official_qr_for_entry(),
        },
    )


@role_required(*OFFICE_ROLES)
@require_GET
def donor_search(request):
    """htmx: donors matching the search box (name, phone or tax code, any diacritics)."""
    key = normalise(request.GET.get("donor_query", "")[:100])
    donors = []
    if len(key) >= 2:
        donors = list(
            Donor.objects.filter(search_key__icontains=key)
            .select_related("group", "organisation")
            .order_by("name_key", "pk")[:12]
        )
    return render(
        request, "donations/_donor_results.html", {"donors": donors, "searched": len(key) >= 2}
    )


@role_required(*LIST_ROLES)
@require_GET
def donation_detail(request, pk: int):
    access = access_for(request.user)
    donation = selectors.donation_for(access, pk)
    context = {
        "donation": donation,
        "receipt": donation.receipt,
        "items": list(donation.items.all()),
        "entries": list(donation.entries.select_related("account", "fund").order_by("pk")),
        "voids": list(donation.voids.select_related("requested_by", "decided_by")),
        "prints": donation.receipt.prints.count(),
        "replaced_by": Donation.objects.filter(replaces=donation).select_related("receipt").first(),
        "just_saved": request.GET.get("moi") == "1",
    }
    context["pending_void"] = next(
        (v for v in context["voids"] if v.status == VoidRequest.Status.PENDING), None
    )
    return render(request, "donations/donation_detail.html", context)


# --------------------------------------------------------------------------- voids


@role_required(*OFFICE_ROLES)
def void_request_create(request, pk: int):
    access = access_for(request.user)
    donation = selectors.donation_for(access, pk)
    form = VoidRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.void_request(
                actor=request.user, donation=donation, reason=form.cleaned_data["reason"]
            )
        except services.DonationError as error:
            form.add_error("reason", error.messages)
        else:
            messages.success(
                request, "Đã gửi đề nghị hủy. Ban Thường trực sẽ xem xét và quyết định."
            )
            return redirect("donations:detail", pk=donation.pk)
    return render(request, "donations/void_request_form.html", {"donation": donation, "form": form})


@role_required(*READ_ALL_ROLES)
@require_GET
def void_list(request):
    access = access_for(request.user)
    queryset = selectors.void_requests_for(access).select_related(
        "donation", "donation__donor", "donation__receipt", "requested_by", "decided_by"
    )
    status = request.GET.get("trang-thai", VoidRequest.Status.PENDING)
    if status in VoidRequest.Status.values:
        queryset = queryset.filter(status=status)
    page, query_string = _page(request, queryset)
    return render(
        request,
        "donations/void_list.html",
        {
            "page_obj": page,
            "query_string": query_string,
            "status": status,
            "statuses": VoidRequest.Status.choices,
            "can_decide": access.has(Role.COMMITTEE),
            "user_id": request.user.pk,
        },
    )


def _void_review(void: VoidRequest) -> Review:
    """What the approver confirms before a receipt is voided."""
    donation = void.donation
    ledger = (
        f"sổ của {donation.fund} ghi một bút toán đảo trừ lại số tiền này, ngày hôm nay"
        if donation.fund_id
        else "khoản hỗ trợ trực tiếp không qua sổ quỹ nên sổ quỹ không thay đổi"
    )
    return Review(
        title=f"Xác nhận duyệt hủy biên nhận {donation.receipt.number}",
        confirm_label="Xác nhận duyệt hủy",
        danger=True,
        happens=(
            f"Biên nhận {donation.receipt.number} và khoản ủng hộ mang trạng thái “Đã hủy”; "
            f"{ledger}. Việc hủy không hoàn tác được; biên nhận vẫn được lưu với dấu đã hủy."
        ),
        amounts=[("Số tiền của biên nhận bị hủy", donation.amount)],
        rows=[
            ("Biên nhận số", donation.receipt.number),
            ("Người ủng hộ", donation.donor.name),
            ("Ngày nhận tiền", format_date(donation.date)),
            ("Lý do hủy", void.reason),
            ("Người đề nghị hủy", person_name(void.requested_by)),
        ],
        back_url=reverse("donations:void_list"),
        breadcrumb=[("Đề nghị hủy", reverse("donations:void_list"))],
    )


def _decide(request, pk: int, approve: bool):
    access = access_for(request.user)
    void = selectors.void_request_for_update(access, pk)
    form = VoidDecisionForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    step = ReviewStep(request)
    try:
        if approve:
            decide = partial(services.void_approve, actor=request.user, void=void, note=reason)
            if not step.confirmed:
                return step.review(decide, _void_review(void))
            decide()
        else:
            services.void_reject(actor=request.user, void=void, reason=reason)
    except services.DonationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("donations:void_list")
    if approve:
        messages.success(request, "Đã duyệt hủy: biên nhận mang trạng thái “Đã hủy”.")
    else:
        messages.success(request, "Đã từ chối đề nghị hủy.")
    return redirect("donations:detail", pk=void.donation_id)


@role_required(Role.COMMITTEE)
@require_POST
def void_approve(request, pk: int):
    return _decide(request, pk, approve=True)


@role_required(Role.COMMITTEE)
@require_POST
def void_reject(request, pk: int):
    return _decide(request, pk, approve=False)


# --------------------------------------------------------------------------- donors


@role_required(*READ_ALL_ROLES)
@require_GET
def donor_list(request):
    access = access_for(request.user)
    base = selectors.donors_for(access)
    filterset = DonorFilter(request.GET or None, queryset=base)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    sort = DONOR_SORTS.from_request(request)
    rows = sort.apply(rows)
    page, query_string, _totals = list_page(
        request,
        rows.select_related("group", "organisation"),
        totals=selectors.row_totals(rows),
    )
    # The page's donors first, then their totals in one query: summing every donor's
    # donations before paging would aggregate the whole table for 50 rows.
    sums = selectors.donor_totals([donor.pk for donor in page.object_list])
    for donor in page.object_list:
        donor.total, donor.count = sums.get(donor.pk, (0, 0))
    return render(
        request,
        "donations/donor_list.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "page_obj": page,
            "rows": list_rows.donor_rows(page.object_list, with_phone=access.sees_personal_data),
            "query_string": query_string,
            "sort": sort,
        },
    )


@role_required(*READ_ALL_ROLES)
@require_GET
def donor_detail(request, pk: int):
    access = access_for(request.user)
    donor = selectors.donor_for(access, pk)
    donations = list(
        donor.donations.select_related("receipt", "campaign", "fund").order_by("-date", "-pk")
    )
    campaigns = {d.campaign for d in donations if d.campaign is not None}
    return render(
        request,
        "donations/donor_detail.html",
        {
            "donor": donor,
            "donations": donations,
            "campaigns": sorted(campaigns, key=lambda c: c.start_date, reverse=True),
            "total": sum(d.amount for d in donations if not d.is_voided),
            "history": selectors.donor_history(donor),
            "statement_years": selectors.donor_statement_years(donor),
            "pledges": selectors.donor_pledges(donor),
            "can_pledge": access.is_office,
        },
    )


@role_required(*OFFICE_ROLES)
def donor_create(request):
    form = DonorForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        try:
            donor = services.donor_create(actor=request.user, **form.service_kwargs())
        except services.DuplicateDonorError as error:
            duplicates = error.matches
            add_service_error(form, error, fields=ERROR_FIELDS)
        except services.DonationError as error:
            add_service_error(form, error, fields=ERROR_FIELDS)
        else:
            messages.success(request, f"Đã thêm người ủng hộ “{donor.name}”.")
            return redirect("donations:donor_detail", pk=donor.pk)
    return render(request, "donations/donor_form.html", {"form": form, "duplicates": duplicates})


@role_required(*OFFICE_ROLES)
def donor_update(request, pk: int):
    access = access_for(request.user)
    donor = selectors.donor_for_update(access, pk)
    initial = {name: getattr(donor, name) for name in DONOR_FIELDS}
    form = DonorForm(request.POST or None, initial=initial)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        try:
            services.donor_update(actor=request.user, donor=donor, **form.service_kwargs())
        except services.DuplicateDonorError as error:
            duplicates = error.matches
            add_service_error(form, error, fields=ERROR_FIELDS)
        except services.DonationError as error:
            add_service_error(form, error, fields=ERROR_FIELDS)
        else:
            messages.success(request, "Đã lưu thông tin người ủng hộ.")
            return redirect("donations:donor_detail", pk=donor.pk)
    return render(
        request,
        "donations/donor_form.html",
        {"form": form, "donor": donor, "duplicates": duplicates},
    )


@role_required(*OFFICE_ROLES)
@require_GET
def thank_you_pdf(request, pk: int):
    access = access_for(request.user)
    donor = selectors.donor_for(access, pk)
    campaign_id = request.GET.get("chien-dich", "")
    if campaign_id.isdigit():
        campaign = get_object_or_404(Campaign, pk=campaign_id)
    else:
        campaign = active_campaign()
        if campaign is None:
            raise Http404
    donations = list(selectors.donor_contributions(donor, campaign))
    if not donations:
        messages.warning(request, "Người ủng hộ này chưa có khoản hợp lệ trong chiến dịch.")
        return redirect("donations:donor_detail", pk=donor.pk)
    try:
        pdf = documents.thank_you_pdf(donor, campaign, donations)
    except Exception:
        logger.exception("Thank-you letter for donor %s: PDF rendering failed", donor.pk)
        return render(
            request,
            "donations/pdf_error.html",
            {"retry_url": request.get_full_path()},
            status=503,
        )
    return pdf_response(pdf, f"thu-cam-on-{donor.pk}.pdf")


@role_required(*OFFICE_ROLES)
@require_GET
def donor_statement_pdf(request, pk: int, year: int):
    """The donor's yearly statement; a year without a valid gift goes back to the donor
    page with a message; a year no date can carry is 404."""
    access = access_for(request.user)
    donor = selectors.donor_for(access, pk)
    if not 1900 <= year <= 9999:
        raise Http404
    donations = list(selectors.donor_statement_gifts(donor, year))
    if not donations:
        messages.warning(request, f"Người ủng hộ này không có khoản hợp lệ nào trong năm {year}.")
        return redirect("donations:donor_detail", pk=donor.pk)
    try:
        pdf = documents.donor_statement_pdf(donor, year, donations)
    except Exception:
        logger.exception("Yearly statement %s for donor %s: PDF rendering failed", year, donor.pk)
        return render(
            request,
            "donations/pdf_error.html",
            {"retry_url": request.get_full_path()},
            status=503,
        )
    return pdf_response(pdf, f"xac-nhan-ung-ho-{year}-{donor.code or donor.pk}.pdf")


# --------------------------------------------------------------------------- ledger


@role_required(*READ_ALL_ROLES)
@require_GET
def ledger(request):
    queryset = (
        LedgerEntry.objects.select_related("fund", "account", "receipt")
        .only(
            "sequence",
            "date",
            "amount",
            "kind",
            "description",
            "document_type",
            "document_id",
            "donation_id",
            "fund__code",
            "account__name",
            "receipt__number",
        )
        .order_by("-pk")
    )
    filterset = LedgerFilter(request.GET or None, queryset=queryset)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    page, query_string = _page(request, rows)
    data = filter_data(filterset) or {}
    balances = selectors.fund_balances()
    movements = selectors.movements_by_fund(
        data.get("date_from"), data.get("date_to"), account=data.get("account")
    )
    chosen = data.get("fund")
    return render(
        request,
        "donations/ledger.html",
        {
            "balances": balances,
            "tables": [
                (b.fund, movements.get(b.fund.pk) or selectors.Movements())
                for b in balances
                if chosen is None or b.fund.pk == chosen.pk
            ],
            "period_start": data.get("date_from"),
            "period_end": data.get("date_to"),
            "account": data.get("account"),
            "filter": filterset,
            "form": filterset.form,
            "page_obj": page,
            "query_string": query_string,
        },
    )
