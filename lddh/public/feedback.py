"""The residents' feedback pages (phản ánh, kiến nghị), without signing in: the form with
the monthly counts and the published answers, the thank-you page with the tracking code,
and the status look-up by that code. The feedback itself lives in lddh/supervision.

The look-up shows the status, the dates and the answer once the standing committee
published it; never the content, the contact or the attachments, so a code read over a
shoulder reveals little. Sending and looking up are throttled per client."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from lddh.public import throttle
from lddh.supervision.feedback import selectors, services
from lddh.supervision.feedback.forms import FeedbackForm, TrackForm
from lddh.ward.forms import add_service_error
from lddh.ward.models import WardProfile

SUBMITS = 5
SUBMIT_WINDOW = datetime.timedelta(hours=1)
LOOKUPS = 20
SESSION_KEY = "feedback_code"
ANSWERS_SHOWN = 20


def _noindex(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def feedback(request):
    form = FeedbackForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        # Counted only for a feedback about to be stored: a resident whose first tries
        # were refused (a box left empty, a phone mistyped) still sends hers.
        if not throttle.allow(request, "phan-anh", limit=SUBMITS, window=SUBMIT_WINDOW):
            return render(
                request,
                "public/feedback_too_many.html",
                {"ward": WardProfile.current()},
                status=429,
            )
        data = form.cleaned_data
        try:
            item = services.feedback_submit(
                actor=None,
                topic=data["topic"],
                content=data["content"],
                group=data["group"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                contact_email=data["contact_email"],
                uploads=data["attachments"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            request.session[SESSION_KEY] = item.code
            return redirect("public:feedback_sent")
    return render(
        request,
        "public/feedback.html",
        {
            "form": form,
            "months": selectors.public_months(),
            "answers": list(selectors.public_answers()[:ANSWERS_SHOWN]),
            "max_attachments": services.MAX_ATTACHMENTS,
            "due_days": settings.FEEDBACK_DUE_DAYS,
        },
    )


@login_not_required
@require_GET
def feedback_sent(request):
    code = request.session.get(SESSION_KEY, "")
    response = render(request, "public/feedback_sent.html", {"code": code})
    response["Cache-Control"] = "no-store, private"
    return _noindex(response)


@login_not_required
@require_http_methods(["GET", "POST"])
def feedback_track(request):
    form = TrackForm(request.POST or None)
    found = None
    checked = False
    if request.method == "POST":
        if not throttle.allow(request, "phan-anh-tra-cuu", limit=LOOKUPS):
            return render(
                request,
                "public/feedback_too_many.html",
                {"ward": WardProfile.current()},
                status=429,
            )
        if form.is_valid():
            checked = True
            found = selectors.feedback_by_code(form.cleaned_data["ma"])
    response = render(
        request,
        "public/feedback_track.html",
        {"form": form, "found": found, "checked": checked},
    )
    response["Cache-Control"] = "no-store, private"
    return _noindex(response)
