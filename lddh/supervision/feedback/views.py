"""The inspection team's feedback pages. Only the inspection team (Ban Thanh tra nhân
dân) and the standing committee reach them: a feedback may be about the ward's own staff
("thái độ cán bộ"), so ward staff, the treasurer, group leaders and the level above get
403. Publishing an answer is the committee's."""

from __future__ import annotations

import datetime
import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lddh.supervision.feedback import selectors, services
from lddh.supervision.feedback.forms import (
    AnswerForm,
    AssignForm,
    CloseForm,
    PublishForm,
    UnpublishForm,
)
from lddh.supervision.models import Feedback
from lddh.ward.access import access_for, role_required
from lddh.ward.audit import action_label
from lddh.ward.forms import add_service_error
from lddh.ward.roles import Role

PAGE_SIZE = 50
handlers_only = role_required(*services.HANDLER_ROLES)
committee_only = role_required(Role.COMMITTEE)


def _month(text: str) -> datetime.date | None:
    # Four ASCII digits, and a year whose following month exists (9999-12 has none) and
    # converts to UTC (0001-01 does not): anything else shows every month, never a 500.
    match = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", text or "")
    if match is None:
        return None
    year, month = int(match[1]), int(match[2])
    if not 1900 <= year < 9999 or not 1 <= month <= 12:
        return None
    return datetime.date(year, month, 1)


@handlers_only
@require_GET
def feedback_list(request):
    access = access_for(request.user)
    rows = selectors.feedback_for(access)
    status = request.GET.get("trang_thai", "")
    if status in Feedback.Status.values:
        rows = rows.filter(status=status)
    overdue = request.GET.get("qua_han") == "1"
    today = timezone.localdate()
    if overdue:
        rows = selectors.feedback_overdue(rows, today)
    month_text = request.GET.get("thang", "")
    month = _month(month_text)
    if month is not None:
        rows = selectors.feedback_in_month(rows, month)
    page = Paginator(rows.order_by("-received_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "supervision/feedback_list.html",
        {
            "page_obj": page,
            "query_string": query.urlencode(),
            "statuses": Feedback.Status.choices,
            "status": status,
            "overdue": overdue,
            "months": selectors.feedback_months(),
            "month": month,
            "today": today,
        },
    )


def _detail_context(request, feedback: Feedback, **forms) -> dict:
    access = access_for(request.user)
    history = [(e, action_label(e.action)) for e in selectors.feedback_history(feedback)]
    return {
        "feedback": feedback,
        "attachments": feedback.attachments.all(),
        "history": history,
        "today": timezone.localdate(),
        "can_publish": services.can_publish(access),
        "assign_form": forms.get("assign_form")
        or AssignForm(initial={"assignee": feedback.assignee_id or request.user.pk}),
        "close_form": CloseForm(),
        "unpublish_form": UnpublishForm(),
    }


@handlers_only
@require_GET
def feedback_detail(request, pk: int):
    feedback = selectors.feedback_get(access_for(request.user), pk)
    return render(request, "supervision/feedback_detail.html", _detail_context(request, feedback))


@handlers_only
@require_POST
def feedback_assign(request, pk: int):
    feedback = selectors.feedback_get(access_for(request.user), pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            services.feedback_assign(actor=request.user, feedback=feedback, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Đã giao xử lý phản ánh.")
            return redirect("supervision:feedback_detail", pk=feedback.pk)
    context = _detail_context(request, feedback, assign_form=form)
    return render(request, "supervision/feedback_detail.html", context)


@handlers_only
@require_http_methods(["GET", "POST"])
def feedback_answer(request, pk: int):
    feedback = selectors.feedback_get(access_for(request.user), pk)
    form = AnswerForm(request.POST or None, initial={"answer": feedback.answer})
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_answer(
                actor=request.user, feedback=feedback, answer=form.cleaned_data["answer"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                "Đã ghi trả lời. Người gửi chỉ đọc được khi Ban Thường trực công khai trả lời.",
            )
            return redirect("supervision:feedback_detail", pk=feedback.pk)
    return render(request, "supervision/feedback_answer.html", {"feedback": feedback, "form": form})


@handlers_only
@require_POST
def feedback_close(request, pk: int):
    feedback = selectors.feedback_get(access_for(request.user), pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.feedback_close(
                actor=request.user, feedback=feedback, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Đã kết thúc phản ánh.")
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("supervision:feedback_detail", pk=feedback.pk)


@committee_only
@require_http_methods(["GET", "POST"])
def feedback_publish(request, pk: int):
    feedback = selectors.feedback_get(access_for(request.user), pk)
    # Never the sender's own words as a starting point: publishing them unchanged would
    # publish whatever names or addresses they wrote. The committee writes the question.
    initial = {"public_question": feedback.public_question}
    form = PublishForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_publish(
                actor=request.user,
                feedback=feedback,
                public_question=form.cleaned_data["public_question"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Đã công khai trả lời trên trang Phản ánh, kiến nghị.")
            return redirect("supervision:feedback_detail", pk=feedback.pk)
    return render(
        request, "supervision/feedback_publish.html", {"feedback": feedback, "form": form}
    )


@committee_only
@require_POST
def feedback_unpublish(request, pk: int):
    feedback = selectors.feedback_get(access_for(request.user), pk)
    form = UnpublishForm(request.POST)
    if not form.is_valid():  # a reason typed too long is refused, never dropped
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("supervision:feedback_detail", pk=feedback.pk)
    reason = form.cleaned_data["reason"]
    try:
        services.feedback_unpublish(actor=request.user, feedback=feedback, reason=reason)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Đã thôi công khai trả lời.")
    return redirect("supervision:feedback_detail", pk=feedback.pk)


@handlers_only
@require_GET
def feedback_attachment(request, pk: int, attachment_pk: int):
    feedback = selectors.feedback_get(access_for(request.user), pk)
    attachment = get_object_or_404(feedback.attachments, pk=attachment_pk)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        filename=f"phan-anh-{feedback.pk}-{attachment.pk}.{attachment.extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
