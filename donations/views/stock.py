"""The in-kind stock pages: on hand per item at a date, an item's movements, the stock
count form and the standing committee's decision on a count."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from donations import selectors, services
from donations.forms import StockCountForm, StockDateForm, StockDecisionForm
from donations.models import StockCount
from lddh.ward.access import READ_ALL_ROLES, access_for, role_required
from lddh.ward.forms import add_service_error
from lddh.ward.roles import Role

COUNT_ROLES = (Role.STAFF, Role.COMMITTEE, Role.TREASURER)


@role_required(*READ_ALL_ROLES)
@require_GET
def stock_list(request):
    form = StockDateForm(request.GET or None)
    at = form.cleaned_data.get("ngay") if form.is_bound and form.is_valid() else None
    rows = selectors.stock_on_hand(at)
    access = access_for(request.user)
    return render(
        request,
        "donations/stock_list.html",
        {
            "form": form,
            "at": at,
            "rows": rows,
            "total_value": sum(r.value for r in rows),
            "pending": selectors.stock_counts(StockCount.Status.PENDING),
            "decided": selectors.stock_counts()
            .exclude(status=StockCount.Status.PENDING)
            .order_by("-decided_at")[:10],
            "can_count": access.has(*COUNT_ROLES),
            "can_decide": access.is_committee,
        },
    )


@role_required(*READ_ALL_ROLES)
@require_GET
def stock_item(request, pk: int):
    item = selectors.stock_item_for(access_for(request.user), pk)
    rows = selectors.stock_movements(item)
    return render(
        request,
        "donations/stock_item.html",
        {"item": item, "rows": list(reversed(rows)), "last": rows[-1] if rows else None},
    )


@role_required(*COUNT_ROLES)
@require_http_methods(["GET", "POST"])
def stock_count(request):
    initial = {"date": timezone.localdate(), "item": request.GET.get("hien-vat")}
    form = StockCountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            count = services.stock_count_record(
                actor=request.user,
                item=data["item"],
                date=data["date"],
                counted=data["counted"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"Đã ghi kiểm kê {count.item.name}: chênh lệch chờ Ban Thường trực duyệt.",
            )
            return redirect("donations:stock_list")
    return render(request, "donations/stock_count.html", {"form": form})


def _decide(request, pk: int, *, approve: bool):
    count = selectors.stock_count_for_update(access_for(request.user), pk)
    form = StockDecisionForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    decide = services.stock_count_approve if approve else services.stock_count_reject
    try:
        decide(actor=request.user, count=count, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "Đã duyệt chênh lệch kiểm kê: sổ kho đã ghi."
            if approve
            else "Đã từ chối kiểm kê: sổ kho không đổi.",
        )
    return redirect("donations:stock_list")


@role_required(Role.COMMITTEE)
@require_POST
def stock_count_approve(request, pk: int):
    return _decide(request, pk, approve=True)


@role_required(Role.COMMITTEE)
@require_POST
def stock_count_reject(request, pk: int):
    return _decide(request, pk, approve=False)
