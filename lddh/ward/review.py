"""A review step between an accepted form and an irreversible write.

A form that pays, voids or applies something posts; the server validates it fully and
rehearses the write (runs the service inside a transaction that is always rolled back,
so a refusal such as an insufficient balance or a decision by the wrong person is shown
before anything is asked). Only then does the page show what will be done: the amounts
in figures and in words, who receives, what will happen, and two buttons. "Xác nhận …"
posts the same values again, with the confirmation flag, to the same address: the form
is validated again in full (a tampered confirmation is refused like any other post) and
only then is the service called. "Quay lại sửa" posts them back without the flag: the
form comes back with what was typed. The review step writes nothing, audit included.

A view adds two or three lines::

    step = ReviewStep(request)
    form = PayForm(step.data, step.files)
    if step.accepts(form):
        pay = partial(services.support_pay, actor=request.user, **form.cleaned_data)
        try:
            if not step.confirmed:
                return step.review(pay, Review(...))
            pay()
        except ValidationError as exc:
            add_service_error(form, exc)

A view may carry values of its own on the review page (``step.review(..., carry={name:
value})``), e.g. a fingerprint of what the review listed, and compare them on the
confirmed post.

Files cannot travel in hidden fields: an uploaded file is kept in the person's session
between the review and the confirmation, under a random key the review page carries, one
entry per review (so a second review in another tab keeps its own files; only the
``KEPT_REVIEWS`` most recent are kept), and given back to the form on the confirmed post
(where it is checked again). A confirmed post naming a key that is no longer kept is
refused on the form's file field: it is never carried on without the file it reviewed.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.datastructures import MultiValueDict

from lddh.ward.money import Amount

CONFIRM = "xac_nhan"
"""The flag of the post that performs the write (its value is "1")."""
BACK = "quay_lai"
"""The flag of the post that goes back to the form with the typed values."""
KEPT_FILES = "tep_giu"
"""The hidden field naming the files kept in the session between review and confirmation."""
SESSION_FILES = "review_files"
KEPT_REVIEWS = 3
"""How many reviews' files the session keeps at most; the oldest is dropped first."""
FILES_GONE = (
    "Tệp đã chọn không còn được giữ (quá lâu hoặc đã mở trang xem lại khác): hãy chọn lại tệp."
)
CONTROL = frozenset({CONFIRM, BACK, KEPT_FILES, "csrfmiddlewaretoken"})


@dataclass
class Review:
    """What the review page says. ``rows`` are (label, value) lines of the summary,
    ``amounts`` (label, đồng) pairs, ``happens`` what the confirmation will do.
    ``back_url`` is where "Quay lại" goes when the action has no form of its own to
    return to (an approval from a list); without it, "Quay lại sửa" posts the values
    back to the form."""

    title: str
    confirm_label: str
    happens: str
    rows: Sequence[tuple[str, object]] = ()
    amounts: Sequence[tuple[str, int]] = ()
    warnings: Sequence[str] = ()
    back_url: str = ""
    danger: bool = False
    breadcrumb: Sequence[tuple[str, str]] = field(default_factory=tuple)

    def amount_lines(self) -> list[Amount]:
        return [Amount(str(label), int(amount)) for label, amount in self.amounts]


class _Rehearsed(Exception):
    """Raised inside the rehearsal's transaction to roll it back."""


def rehearse(write: Callable[[], object]) -> None:
    """Run ``write`` and undo everything it wrote to the database; its refusal
    (``ValidationError``, ``PermissionDenied``) propagates unchanged. Callbacks it
    registered with ``transaction.on_commit`` are dropped with the rollback. Files are
    not: storage is outside the transaction, so a write is rehearsed without its uploads
    (they are checked by the form, and stored only by the confirmed write)."""
    try:
        with transaction.atomic():
            write()
            raise _Rehearsed
    except _Rehearsed:
        pass


class ReviewStep:
    """The state of one request of a reviewed form: see the module's docstring."""

    template = "ward/review.html"

    def __init__(self, request: HttpRequest):
        self.request = request
        posted = request.method == "POST"
        self.back = posted and BACK in request.POST
        self.confirmed = posted and not self.back and request.POST.get(CONFIRM) == "1"
        self.data = request.POST if posted else None
        self.files_gone = False
        self.files = self._files() if posted else None

    def _kept(self) -> dict:
        """The files kept in the session, one entry per review key, oldest first."""
        kept = self.request.session.get(SESSION_FILES)
        if not isinstance(kept, dict):
            return {}
        return {
            key: entry
            for key, entry in kept.items()
            if isinstance(entry, dict) and isinstance(entry.get("files"), dict)
        }

    def _files(self) -> MultiValueDict:
        files = self.request.FILES.copy()
        key = self.request.POST.get(KEPT_FILES, "")
        if not key:
            return files
        kept = self._kept()
        entry = kept.pop(key, None)
        if entry is None:
            if self.back:
                messages.info(
                    self.request, "Tệp đã chọn chưa được gửi: hãy chọn lại tệp nếu cần gửi kèm."
                )
            else:
                self.files_gone = True
            return files
        if kept:
            self.request.session[SESSION_FILES] = kept
        else:
            del self.request.session[SESSION_FILES]
        for name, stored in entry["files"].items():
            if self.back:
                messages.info(
                    self.request,
                    f"Tệp “{stored['name']}” chưa được gửi: hãy chọn lại tệp nếu cần gửi kèm.",
                )
            elif name not in files:
                files[name] = SimpleUploadedFile(
                    stored["name"], base64.b64decode(stored["data"]), stored["content_type"]
                )
        return files

    def accepts(self, form) -> bool:
        """A post that goes forward (not "Quay lại sửa") with a valid form. A post naming
        kept files that are gone is refused on the form's file fields."""
        if self.data is None or self.back:
            return False
        valid = form.is_valid()
        if self.files_gone:
            file_fields = [
                name
                for name, field in form.fields.items()
                if isinstance(field, forms.FileField) and not self.files.get(form.add_prefix(name))
            ]
            for name in file_fields or [None]:
                form.add_error(name, FILES_GONE)
            return False
        return valid

    def review(
        self,
        write: Callable[[], object],
        review: Review,
        *,
        context=None,
        carry: Mapping[str, str] | None = None,
    ) -> HttpResponse:
        """Rehearse ``write`` (a refusal propagates to the view's own handling), then
        show the review page carrying the posted values, and ``carry``'s values in
        hidden fields of their own (replacing posted values of the same names)."""
        rehearse(write)
        carry = dict(carry or {})
        return render(
            self.request,
            self.template,
            {
                "review": review,
                "carried": self._carried(exclude=carry.keys())
                + [(name, str(value)) for name, value in carry.items()],
                "kept_files": self._keep_files(),
                "CONFIRM": CONFIRM,
                "BACK": BACK,
                "KEPT_FILES": KEPT_FILES,
                **(context or {}),
            },
        )

    def _carried(self, exclude=()) -> list[tuple[str, str]]:
        return [
            (name, value)
            for name, values in self.request.POST.lists()
            if name not in CONTROL and name not in exclude
            for value in values
        ]

    def _keep_files(self) -> str:
        """Keep this post's files in the session for the confirmation; the key."""
        files = {}
        for name, upload in self.files.items():
            upload.seek(0)
            files[name] = {
                "name": upload.name,
                "content_type": upload.content_type or "application/octet-stream",
                "data": base64.b64encode(upload.read()).decode("ascii"),
            }
            upload.seek(0)
        if not files:
            return ""
        key = secrets.token_urlsafe(16)
        kept = self._kept()
        kept[key] = {"files": files}
        self.request.session[SESSION_FILES] = dict(list(kept.items())[-KEPT_REVIEWS:])
        return key
