"""Distribution rounds: choose households by filters, create their supports in one step,
approve them in one step (committee), pay them in one step (treasurer), and print the
signed recipient list as PDF and Excel. A leader works with their own group only: the
candidates, the rows, the PDF and the Excel all come from the viewer's scope."""

from __future__ import annotations

from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from campaigns.selectors import active_campaign
from households import documents, exports, forms, selectors, services
from households.models import Category, NeedType, Support, SupportSource
from lddh.ward import exports as ward_exports
from lddh.ward.access import access_for
from lddh.ward.dates import format_date
from lddh.ward.forms import add_service_error
from lddh.ward.models import WardProfile
from lddh.ward.money import format_dong
from lddh.ward.review import Review, ReviewStep
from lddh.ward.roles import Role

FILTER_KEYS = ("to", "phan_loai", "nhu_cau")


@require_GET
def round_list(request):
    access = selectors.register_access(request.user)
    visible = selectors.supports_for(access)
    rounds = (
        selectors.rounds_for(access)
        .select_related("campaign")
        .annotate(
            households=Count("supports", filter=Q(supports__in=visible), distinct=True),
            paid=Count(
                "supports",
                filter=Q(supports__in=visible, supports__status=Support.Status.PAID),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-pk")
    )
    page = Paginator(rounds, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "households/round_list.html",
        {"page_obj": page, "can_create": access.is_office or access.is_leader},
    )


def _candidates(access, params):
    filters = selectors.ListFilters.from_query(params)
    filters.status = "active"
    households = selectors.filter_households(selectors.households_for(access), filters)
    return filters, list(
        households.select_related("group").order_by("group__number", "head_name", "pk")
    )


def round_create(request):
    access = access_for(request.user)
    if not (access.is_office or access.is_leader):
        raise PermissionDenied
    filters, candidates = _candidates(access, request.GET)
    if request.method == "POST":
        # Any active household the person may edit can be chosen; the service checks too.
        _, allowed = _candidates(access, {})
        allowed = [h for h in allowed if access.can_edit_group(h.group_id)]
        form = forms.RoundForm(request.POST, candidates=allowed)
        if form.is_valid():
            data = dict(form.cleaned_data)
            wanted = set(data.pop("households"))
            chosen = [h for h in allowed if h.pk in wanted]
            try:
                round = services.round_create(
                    actor=request.user,
                    households=chosen,
                    filters={k: request.GET.get(k, "") for k in FILTER_KEYS},
                    **data,
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    f"Đã lập đợt “{round.name}” với {len(chosen)} hộ; các khoản hỗ trợ chờ "
                    "Ban Thường trực duyệt.",
                )
                return redirect("households:round_detail", pk=round.pk)
    else:
        form = forms.RoundForm(
            candidates=candidates,
            initial={
                "campaign": active_campaign(),
                "households": [h.pk for h in candidates],
                "source": SupportSource.FUND,
            },
        )
    return render(
        request,
        "households/round_form.html",
        {
            "form": form,
            "filters": filters,
            "candidates": candidates,
            "groups": list(selectors.groups_for(access)),
            "categories": [*Category.choices, (selectors.DIFFICULT, "Hoàn cảnh đặc biệt khó khăn")],
            "need_types": NeedType.choices,
            "query_string": urlencode(
                {k: request.GET[k] for k in FILTER_KEYS if request.GET.get(k)}
            ),
            "chosen": {int(v) for v in request.POST.getlist("households") if v.isdigit()}
            if request.method == "POST"
            else {h.pk for h in candidates},
        },
    )


def _detail(request, access, round, **forms_in_error):
    rows = list(selectors.round_rows(access, round))
    summary = selectors.round_summary(access, round)
    context = {
        "round": round,
        "rows": rows,
        "summary": summary,
        "total": sum(s.amount for s in rows if s.status in ("approved", "paid")),
        "can_approve": access.has(Role.COMMITTEE) and summary["proposed"] > 0,
        "can_pay": access.has(Role.TREASURER) and summary["approved"] > 0,
        "approve_form": forms.DecisionForm(prefix="approve"),
        "pay_form": forms.RoundPayForm(prefix="pay"),
    }
    context.update(forms_in_error)
    return render(request, "households/round_detail.html", context)


@require_GET
def round_detail(request, pk: int):
    access = access_for(request.user)
    return _detail(request, access, selectors.round_for(access, pk))


@require_POST
def round_approve(request, pk: int):
    access = access_for(request.user)
    round = selectors.round_for(access, pk)
    if not access.has(Role.COMMITTEE):
        raise PermissionDenied
    form = forms.DecisionForm(request.POST, prefix="approve")
    if form.is_valid():
        try:
            approved = services.round_approve(actor=request.user, round=round, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Đã duyệt {len(approved)} khoản hỗ trợ của đợt.")
            return redirect("households:round_detail", pk=round.pk)
    return _detail(request, access, round, approve_form=form)


REVIEWED_SET = "tap_duyet"
"""The hidden field of the round's payment review: the fingerprint of the supports it listed."""


def _pay_review(access, round, data: dict, *, changed: bool = False) -> tuple[Review, str]:
    """What the treasurer confirms before a whole round is paid, and the fingerprint of
    the set of supports it lists (the confirmation pays that set or nothing)."""
    supports = list(selectors.round_rows(access, round).filter(status=Support.Status.APPROVED))
    detail = reverse("households:round_detail", args=[round.pk])
    review = Review(
        title=f"Xác nhận chi / trao cả đợt “{round.name}”",
        confirm_label=f"Xác nhận đã trao cho {len(supports)} hộ",
        happens=(
            f"{len(supports)} khoản hỗ trợ chuyển sang “Đã chi / bàn giao”, mỗi hộ một số biên "
            "bản (chủ hộ là người nhận); khoản chi từ quỹ được ghi vào sổ quỹ, mỗi hộ một bút "
            "toán. Nếu quỹ không đủ tiền thì không ghi gì cả. Sau khi xác nhận không sửa được."
        ),
        amounts=[("Tổng số tiền / trị giá cả đợt", sum(s.amount for s in supports))],
        rows=[
            ("Đợt trao", round.name),
            ("Số hộ được trao", len(supports)),
            ("Ngày trao", format_date(data["handover_date"])),
            ("Người chứng kiến", data["witness_name"]),
            *(
                (s.household.head_name, f"{s.household.group.name} · {format_dong(s.amount)}")
                for s in supports
            ),
        ],
        warnings=[services.REVIEWED_SET_CHANGED] if changed else [],
        breadcrumb=[("Đợt trao", reverse("households:round_list")), (round.name, detail)],
    )
    return review, services.supports_fingerprint(supports)


@require_POST
def round_pay(request, pk: int):
    """Pay a whole round after a review; the confirmation names the set of supports it
    reviewed, and a set changed since (a support approved in between) goes back to the
    review with the new set instead of being paid."""
    access = access_for(request.user)
    round = selectors.round_for(access, pk)
    if not access.has(Role.TREASURER):
        raise PermissionDenied
    step = ReviewStep(request)
    form = forms.RoundPayForm(step.data, prefix="pay")
    if step.accepts(form):
        pay = partial(services.round_pay, actor=request.user, round=round, **form.cleaned_data)
        try:
            if not step.confirmed:
                review, reviewed = _pay_review(access, round, form.cleaned_data)
                return step.review(pay, review, carry={REVIEWED_SET: reviewed})
            paid = pay(reviewed=request.POST.get(REVIEWED_SET, ""))
        except ValidationError as exc:
            if getattr(exc, "code", None) != "reviewed_set":
                add_service_error(form, exc)
            else:
                try:
                    review, reviewed = _pay_review(access, round, form.cleaned_data, changed=True)
                    return step.review(pay, review, carry={REVIEWED_SET: reviewed})
                except ValidationError as again:
                    add_service_error(form, again)
        else:
            messages.success(
                request,
                f"Đã chi / trao {len(paid)} khoản hỗ trợ. Hãy in danh sách ký nhận để các hộ ký.",
            )
            return redirect("households:round_detail", pk=round.pk)
    return _detail(request, access, round, pay_form=form)


@require_GET
def round_signed_pdf(request, pk: int):
    access = access_for(request.user)
    round = selectors.round_for(access, pk)
    rows = selectors.signed_list_rows(access, round)
    return documents.pdf_response(
        documents.signed_list_pdf(round, rows), f"danh-sach-ky-nhan-dot-{round.pk}.pdf"
    )


@require_GET
def round_signed_xlsx(request, pk: int):
    access = access_for(request.user)
    round = selectors.round_for(access, pk)
    rows = selectors.signed_list_rows(access, round)
    export = exports.SignedListExport(round, rows, ward=WardProfile.current())
    return ward_exports.xlsx_response(export)
