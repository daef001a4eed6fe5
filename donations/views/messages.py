"""Messages to donors: the staff page of messages and their delivery log, "send again",
and the donor's public opt-out link."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from donations.messaging.tokens import read_opt_out_token
from donations.models import Donor, Message, MessageAttempt
from donations.services import messages as message_services
from donations.services.common import DonationError
from lddh.ward.access import OFFICE_ROLES, READ_ALL_ROLES, role_required

PAGE_SIZE = 50
STATUS_FILTERS = [("", "Tất cả"), *Message.Status.choices]


@role_required(*READ_ALL_ROLES)
@require_GET
def message_list(request):
    """Every message to donors, newest first, with each try; filter by status."""
    status = request.GET.get("trang-thai", "")
    rows = Message.objects.select_related("donor", "donation__receipt").prefetch_related(
        Prefetch("log", queryset=MessageAttempt.objects.order_by("at", "pk"))
    )
    if status in Message.Status.values:
        rows = rows.filter(status=status)
    else:
        status = ""
    page = Paginator(rows.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    return render(
        request,
        "donations/message_list.html",
        {"page_obj": page, "status": status, "statuses": STATUS_FILTERS},
    )


@role_required(*OFFICE_ROLES)
@require_POST
def message_resend(request, pk: int):
    message = get_object_or_404(Message.objects.select_related("donation"), pk=pk)
    try:
        again = message_services.message_resend(actor=request.user, message=message)
    except DonationError as error:
        flash.error(request, " ".join(error.messages))
    else:
        flash.success(
            request,
            f"Đã xếp lịch gửi lại biên nhận qua {again.get_channel_display()} tới {again.address}.",
        )
    back = request.POST.get("next", "")
    if back == "list":
        return redirect("donations:message_list")
    return redirect("donations:detail", pk=message.donation_id)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def opt_out(request, token: str):
    """The link at the foot of every e-receipt: a question (GET), then the opt-out (POST),
    so a mail scanner that follows links opts nobody out."""
    ids = read_opt_out_token(token)
    donor = Donor.objects.filter(pk=ids[0]).first() if ids else None
    if donor is None:
        response = render(request, "public/opt_out.html", {"invalid": True}, status=404)
    elif request.method == "POST":
        donor = message_services.donor_opt_out(donor_id=ids[0], message_id=ids[1])
        response = render(request, "public/opt_out.html", {"done": True, "donor": donor})
    else:
        already = donor.opted_out_at is not None and not donor.contact_consent
        response = render(
            request,
            "public/opt_out.html",
            {"donor": donor, "token": token, "already": already},
        )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
