"""Pledges (cam kết ủng hộ): the list with its filters (campaign, status, due and
overdue), one pledge (instalments, payments with their receipts, QR), recording one,
the launch ceremony's quick entry of many, cancelling, and counting a donation already
recorded against a pledge.

Ward staff and the committee record; the treasurer and the supervisors read; the
level above reads the totals in the reports only; group leaders open nothing."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from donations import selectors, services
from donations.forms import (
    InstalmentFormSet,
    PledgeCancelForm,
    PledgeFilterForm,
    PledgeForm,
    PledgeLinkForm,
    QuickPledgeForm,
    QuickRowFormSet,
)
from donations.models import Donor, Pledge
from lddh.ward.access import OFFICE_ROLES, READ_ALL_ROLES, access_for, role_required
from lddh.ward.forms import add_service_error
from lddh.ward.vietqr import VietQRError, build_payload, qr_svg

PAGE_SIZE = 50
PLEDGE_FIELDS = {
    "amount": "amount",
    "campaign": "campaign",
    "fund": "fund",
    "pledged_on": "pledged_on",
    "due_date": "due_date",
    "goods": "goods",
    "kind": "kind",
    "channel": "channel",
    "name": "donor_name",
    "source": "source",
}


def pledge_qr(pledge: Pledge) -> dict | None:
    """The pledge's VietQR: the fund's official bank account, what is left to pay, and
    the pledge's code as transfer note (which the bank feed recognises)."""
    account = selectors.fund_bank_account(pledge.fund)
    if account is None or pledge.is_cancelled:
        return None
    official = account.official_account
    remaining = max(pledge.amount - pledge.paid, 0)
    try:
        payload = build_payload(
            bin=official.bank_bin,
            account=official.account_number,
            amount=remaining or None,
            note=pledge.transfer_note,
        )
    except VietQRError:
        return None
    return {
        "svg": mark_safe(qr_svg(payload, scale=4, title=f"VietQR cam kết {pledge.code}")),
        "official": official,
        "note": pledge.transfer_note,
        "amount": remaining,
    }


def _donor_names() -> list[Donor]:
    """Suggestions for the donor box (a datalist): organisations and businesses first."""
    return list(Donor.objects.only("name", "code").order_by("name_key")[:500])


@role_required(*READ_ALL_ROLES)
@require_GET
def pledge_list(request):
    access = access_for(request.user)
    form = PledgeFilterForm(request.GET or None)
    pledges = selectors.pledges_for(access).order_by("-pledged_on", "-pk")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data.get("chien_dich"):
            pledges = pledges.filter(campaign=data["chien_dich"])
        if data.get("trang_thai"):
            pledges = pledges.filter(progress=data["trang_thai"])
        if data.get("han") == "den-han":
            due = selectors.pledges_due_soon(access).values("pk")
            pledges = pledges.filter(pk__in=due)
    totals = {
        "count": pledges.count(),
        "amount": sum(p.amount for p in pledges if not p.is_cancelled),
        "paid": sum(min(p.paid, p.amount) for p in pledges if not p.is_cancelled),
    }
    page = Paginator(pledges, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "donations/pledge_list.html",
        {
            "form": form,
            "page_obj": page,
            "query_string": query.urlencode(),
            "totals": totals,
            "progress": Pledge.Progress,
            "can_write": access.is_office,
        },
    )


@role_required(*READ_ALL_ROLES)
@require_GET
def pledge_detail(request, pk: int):
    access = access_for(request.user)
    pledge = selectors.pledge_for(access, pk)
    instalments = selectors.pledge_instalments(pledge)
    return render(
        request,
        "donations/pledge_detail.html",
        {
            "pledge": pledge,
            "progress": selectors.pledge_status_of(pledge),
            "instalments": instalments,
            "payments": selectors.pledge_payments(pledge),
            "remaining": max(pledge.amount - pledge.paid, 0),
            "qr": pledge_qr(pledge),
            "can_write": access.is_office and not pledge.is_cancelled,
            "cancel_form": PledgeCancelForm(),
            "link_form": PledgeLinkForm(pledge=pledge),
        },
    )


@role_required(*OFFICE_ROLES)
@require_http_methods(["GET", "POST"])
def pledge_create(request):
    initial = {}
    donor_id = request.GET.get("nguoi-ung-ho", "")
    if donor_id.isdigit():
        donor = selectors.donors_for(access_for(request.user)).filter(pk=donor_id).first()
        if donor is not None:
            initial["donor_name"] = donor.code or donor.name
    form = PledgeForm(request.POST or None, initial=initial)
    parts = InstalmentFormSet(request.POST or None, prefix="dot")
    if request.method == "POST" and form.is_valid() and parts.is_valid():
        data = form.cleaned_data
        instalments = [
            (row["due_date"], row["amount"])
            for row in parts.cleaned_data
            if row.get("due_date") and row.get("amount")
        ]
        try:
            pledge = services.pledge_enter(
                actor=request.user,
                **form.donor_kwargs(),
                campaign=data["campaign"],
                fund=data["fund"],
                pledged_on=data["pledged_on"],
                kind=data["kind"],
                amount=data["amount"],
                goods=data["goods"],
                channel=data["channel"],
                due_date=data["due_date"],
                instalments=instalments,
                note=data["note"],
                form_token=data["form_token"],
            )
        except ValidationError as error:
            add_service_error(form, error, fields=PLEDGE_FIELDS)
        else:
            messages.success(request, f"Đã ghi cam kết {pledge.transfer_note}.")
            return redirect("donations:pledge_detail", pk=pledge.pk)
    return render(
        request,
        "donations/pledge_form.html",
        {"form": form, "parts": parts, "donor_names": _donor_names()},
    )


def _row_token(token: uuid.UUID | None, number: int) -> uuid.UUID | None:
    """The quick-entry row's own token: the same screen sent twice saves each row once."""
    return uuid.uuid5(token, str(number)) if token is not None else None


@role_required(*OFFICE_ROLES)
@require_http_methods(["GET", "POST"])
def pledge_quick(request):
    """The launch ceremony: many pledges typed one row after another. Each filled row
    is saved on its own or refused with a message naming the row and the field; the
    refused rows come back filled in to be corrected, the saved ones are listed."""
    header = QuickPledgeForm(request.POST or None)
    rows = QuickRowFormSet(request.POST or None, prefix="dong")
    saved: list[Pledge] = []
    refused: list[str] = []
    if request.method == "POST" and header.is_valid():
        shared = header.cleaned_data
        keep = []
        for number, row in enumerate(rows.forms, start=1):
            if not row.is_valid():
                keep.append(row)
                refused += [
                    f"Dòng {number} – {row.fields[name].label if name in row.fields else ''}: "
                    + " ".join(errors)
                    for name, errors in row.errors.items()
                ]
                continue
            if row.empty or not row.cleaned_data:  # an unchanged extra row is not cleaned
                continue
            data = row.cleaned_data
            try:
                with transaction.atomic():
                    pledge = services.pledge_enter(
                        actor=request.user,
                        **row.donor_kwargs(),
                        campaign=shared["campaign"],
                        fund=shared["fund"],
                        pledged_on=shared["pledged_on"],
                        amount=data["amount"],
                        due_date=data["due_date"],
                        channel=data["channel"],
                        form_token=_row_token(shared["form_token"], number),
                    )
            except ValidationError as error:
                add_service_error(row, error, fields=PLEDGE_FIELDS)
                keep.append(row)
                refused.append(f"Dòng {number}: " + " ".join(error.messages))
            else:
                saved.append(pledge)
        if saved:
            messages.success(
                request,
                f"Đã ghi {len(saved)} cam kết: " + ", ".join(p.transfer_note for p in saved) + ".",
            )
        if not refused:
            if saved:
                return redirect("donations:pledge_quick")
            header.add_error(None, "Chưa nhập dòng nào.")
        else:
            # The refused rows again, filled in as typed, with empty rows after them,
            # under a new token: their numbers change, the rows saved are not sent again.
            data = {k: v for k, v in request.POST.items() if not k.startswith("dong-")}
            data["form_token"] = str(uuid.uuid4())
            header = QuickPledgeForm(data)
            header.is_valid()
            for index, row in enumerate(keep):
                for name in row.fields:
                    data[f"dong-{index}-{name}"] = row.data.get(row.add_prefix(name), "")
            data["dong-TOTAL_FORMS"] = str(len(keep) + 3)
            data["dong-INITIAL_FORMS"] = "0"
            errors = [row.errors for row in keep]
            rows = QuickRowFormSet(data, prefix="dong")
            rows.is_valid()
            for row, row_errors in zip(rows.forms, errors, strict=False):
                for name, messages_ in row_errors.items():
                    if name not in row.errors:
                        row.add_error(name if name in row.fields else None, messages_)
    return render(
        request,
        "donations/pledge_quick.html",
        {
            "header": header,
            "rows": rows,
            "saved": saved,
            "refused": refused,
            "donor_names": _donor_names(),
        },
    )


@role_required(*OFFICE_ROLES)
@require_POST
def pledge_cancel(request, pk: int):
    pledge = selectors.pledge_for_update(access_for(request.user), pk)
    form = PledgeCancelForm(request.POST)
    form.is_valid()
    try:
        services.pledge_cancel(
            actor=request.user, pledge=pledge, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Đã hủy cam kết {pledge.transfer_note}.")
    return redirect("donations:pledge_detail", pk=pledge.pk)


@role_required(*OFFICE_ROLES)
@require_POST
def pledge_link(request, pk: int):
    pledge = selectors.pledge_for_update(access_for(request.user), pk)
    form = PledgeLinkForm(request.POST, pledge=pledge)
    if not form.is_valid():
        messages.error(request, "Hãy chọn một khoản ủng hộ đã ghi của người cam kết.")
        return redirect("donations:pledge_detail", pk=pledge.pk)
    donation = form.cleaned_data["donation"]
    try:
        services.pledge_payment_link(actor=request.user, pledge=pledge, donation=donation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Đã tính biên nhận {donation.receipt.number} vào cam kết {pledge.transfer_note}.",
        )
    return redirect("donations:pledge_detail", pk=pledge.pk)
