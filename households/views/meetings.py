"""Review meetings (họp bình xét) and their posting (niêm yết). A group's leader
prepares their own group's meeting (another group answers 404); ward staff and the
standing committee record the votes, open the posting and handle objections; the roles
that only read get 403 on every write. The services check the rights again."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from campaigns.selectors import active_campaign
from households import documents, forms, selectors, services
from households.models import Household, ReviewMeeting
from lddh.ward.access import Access, access_for
from lddh.ward.forms import add_service_error


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _refused(request, form, exc: ValidationError) -> None:
    add_service_error(form, exc)
    for error in form.non_field_errors():
        messages.error(request, error)


@require_GET
def meeting_list(request):
    access = selectors.register_access(request.user)
    meetings = (
        selectors.meetings_for(access)
        .select_related("group", "round__campaign")
        .order_by("-date", "group__number", "pk")
    )
    to_prepare = request.GET.get(selectors.TO_PREPARE) == "1"
    rows = selectors.groups_to_prepare(access, active_campaign()) if to_prepare else meetings
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "households/meeting_list.html",
        {
            "page_obj": page,
            "to_prepare": to_prepare,
            "can_create": access.is_office or access.is_leader,
        },
    )


def meeting_create(request):
    access = access_for(request.user)
    _require(access.is_office or access.is_leader)
    groups = selectors.groups_for(access)
    if not access.is_office:
        groups = groups.filter(pk__in=access.group_ids)
    campaign = active_campaign()
    form = forms.MeetingForm(
        request.POST or None,
        groups=groups,
        initial={
            "campaign": campaign,
            "group": groups.first() if groups.count() == 1 else None,
            "date": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_prepare(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _refused(request, form, exc)
        else:
            messages.success(
                request,
                f"Đã lập cuộc họp bình xét {meeting.group.name} ngày "
                f"{meeting.date:%d/%m/%Y} với {meeting.items.count()} nội dung.",
            )
            return redirect("households:meeting_detail", pk=meeting.pk)
    return render(request, "households/meeting_form.html", {"form": form})


def _households(meeting: ReviewMeeting):
    return Household.objects.active().filter(group_id=meeting.group_id).order_by("head_name", "pk")


def _detail(request, access: Access, meeting: ReviewMeeting, **forms_in_error):
    can_edit = access.can_edit_group(meeting.group_id)
    posting = getattr(meeting, "posting", None)
    context = {
        "meeting": meeting,
        "attendees": list(meeting.attendees.all()),
        "items": list(meeting.items.select_related("household", "proposal")),
        "scans": list(meeting.scans.all()),
        "posting": posting,
        "objections": list(posting.objections.all()) if posting else [],
        "can_prepare": can_edit and meeting.status != ReviewMeeting.Status.CLOSED,
        "can_add_items": can_edit and meeting.is_preparing,
        "can_record": access.is_office
        and meeting.status != ReviewMeeting.Status.CLOSED
        and posting is None,
        "can_close": access.is_office and meeting.status == ReviewMeeting.Status.HELD,
        "can_post": access.is_office and not meeting.is_preparing and posting is None,
        "can_scan": can_edit and not meeting.is_preparing,
        "can_object": can_edit and posting is not None,
        "can_answer": access.is_office,
        "today": timezone.localdate(),
        "attendee_form": forms.AttendeeForm(prefix="attendee"),
        "item_form": forms.AgendaItemForm(prefix="item", households=_households(meeting)),
        "scan_form": forms.AttachmentForm(prefix="scan"),
        "posting_form": forms.PostingForm(
            prefix="posting",
            initial={
                "start_date": max(timezone.localdate(), meeting.date),
                "days": settings.POSTING_DAYS,
                "place": f"Bảng tin {meeting.group.name}",
            },
        ),
        "objection_form": forms.ObjectionForm(prefix="objection"),
    }
    context.update(forms_in_error)
    return render(request, "households/meeting_detail.html", context)


@require_GET
def meeting_detail(request, pk: int):
    access = access_for(request.user)
    return _detail(request, access, selectors.meeting_for(access, pk))


@require_POST
def meeting_attendee_add(request, pk: int):
    access = access_for(request.user)
    meeting = selectors.meeting_for_update(access, pk)
    form = forms.AttendeeForm(request.POST, prefix="attendee")
    if form.is_valid():
        try:
            services.meeting_attendee_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            _refused(request, form, exc)
        else:
            messages.success(request, f"Đã thêm {form.cleaned_data['name']} vào thành phần dự họp.")
            return redirect("households:meeting_detail", pk=meeting.pk)
    return _detail(request, access, meeting, attendee_form=form)


@require_POST
def meeting_item_add(request, pk: int):
    access = access_for(request.user)
    meeting = selectors.meeting_for_update(access, pk)
    form = forms.AgendaItemForm(request.POST, prefix="item", households=_households(meeting))
    if form.is_valid():
        try:
            services.meeting_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            _refused(request, form, exc)
        else:
            messages.success(request, "Đã thêm nội dung bình xét.")
            return redirect("households:meeting_detail", pk=meeting.pk)
    return _detail(request, access, meeting, item_form=form)


def meeting_votes(request, pk: int):
    """Ward staff record the count present and each item's votes and conclusion."""
    access = access_for(request.user)
    meeting = selectors.meeting_for(access, pk)
    _require(access.is_office)
    items = list(meeting.items.select_related("household", "proposal"))
    form = forms.VotesForm(
        request.POST or None,
        items=items,
        initial={"present_count": meeting.present_count, "conclusion": meeting.conclusion},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_record_votes(
                actor=request.user,
                meeting=meeting,
                present_count=form.cleaned_data["present_count"],
                votes=form.votes(),
                conclusion=form.cleaned_data["conclusion"],
            )
        except ValidationError as exc:
            _refused(request, form, exc)
        else:
            messages.success(request, "Đã ghi kết quả biểu quyết.")
            return redirect("households:meeting_detail", pk=meeting.pk)
    return render(request, "households/meeting_votes.html", {"meeting": meeting, "form": form})


@require_POST
def meeting_close(request, pk: int):
    access = access_for(request.user)
    meeting = selectors.meeting_for(access, pk)
    _require(access.is_office)
    try:
        services.meeting_close(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, "Đã kết thúc cuộc họp bình xét.")
    return redirect("households:meeting_detail", pk=meeting.pk)


@require_GET
def meeting_minutes(request, pk: int):
    """Biên bản họp bình xét (PDF), through the same scope as the meeting."""
    meeting = selectors.meeting_for(access_for(request.user), pk)
    return documents.pdf_response(
        documents.minutes_pdf(meeting), f"bien-ban-hop-binh-xet-{meeting.pk}.pdf"
    )


@require_POST
def meeting_scan(request, pk: int):
    access = access_for(request.user)
    meeting = selectors.meeting_for_update(access, pk)
    form = forms.AttachmentForm(request.POST, request.FILES, prefix="scan")
    if form.is_valid():
        try:
            services.meeting_attach_scan(
                actor=request.user,
                meeting=meeting,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            messages.success(request, "Đã đính kèm bản quét biên bản đã ký.")
            return redirect("households:meeting_detail", pk=meeting.pk)
    return _detail(request, access, meeting, scan_form=form)


@require_GET
def meeting_scan_file(request, pk: int, scan_pk: int):
    meeting = selectors.meeting_for(access_for(request.user), pk)
    scan = get_object_or_404(meeting.scans, pk=scan_pk)
    response = FileResponse(
        scan.file.open("rb"),
        content_type=scan.content_type,
        filename=f"bien-ban-binh-xet-{meeting.pk}-{scan.pk}.{scan.extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def posting_open(request, pk: int):
    access = access_for(request.user)
    meeting = selectors.meeting_for(access, pk)
    _require(access.is_office)
    form = forms.PostingForm(request.POST, prefix="posting")
    if form.is_valid():
        try:
            posting = services.posting_open(
                actor=request.user, meeting=meeting, **form.cleaned_data
            )
        except ValidationError as exc:
            _refused(request, form, exc)
        else:
            messages.success(
                request,
                f"Đã niêm yết danh sách từ {posting.start_date:%d/%m/%Y} đến hết "
                f"{posting.end_date:%d/%m/%Y}.",
            )
            return redirect("households:meeting_detail", pk=meeting.pk)
    return _detail(request, access, meeting, posting_form=form)


@require_GET
def posting_pdf(request, pk: int):
    meeting = selectors.meeting_for(access_for(request.user), pk)
    if not hasattr(meeting, "posting"):
        raise Http404("Danh sách chưa được niêm yết.")
    return documents.pdf_response(
        documents.posting_pdf(meeting), f"niem-yet-binh-xet-{meeting.pk}.pdf"
    )


@require_POST
def objection_record(request, pk: int):
    access = access_for(request.user)
    meeting = selectors.meeting_for_update(access, pk)
    posting = getattr(meeting, "posting", None)
    if posting is None:
        raise Http404("Danh sách chưa được niêm yết.")
    form = forms.ObjectionForm(request.POST, prefix="objection")
    if form.is_valid():
        try:
            services.objection_record(actor=request.user, posting=posting, **form.cleaned_data)
        except ValidationError as exc:
            _refused(request, form, exc)
        else:
            messages.success(request, "Đã ghi kiến nghị; chờ Ban Thường trực, cán bộ xử lý.")
            return redirect("households:meeting_detail", pk=meeting.pk)
    return _detail(request, access, meeting, objection_form=form)


def objection_answer(request, pk: int, objection_pk: int):
    access = access_for(request.user)
    meeting = selectors.meeting_for(access, pk)
    objection = selectors.objection_for(access, meeting, objection_pk)
    _require(access.is_office)
    form = forms.ObjectionAnswerForm(
        request.POST or None,
        initial={"handling": objection.handling, "answer": objection.answer},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_answer(actor=request.user, objection=objection, **form.cleaned_data)
        except ValidationError as exc:
            _refused(request, form, exc)
        else:
            messages.success(request, "Đã ghi việc xử lý kiến nghị.")
            return redirect("households:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "households/objection_answer.html",
        {"meeting": meeting, "objection": objection, "form": form},
    )
