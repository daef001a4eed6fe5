"""Every value a person sends is cleaned at the door, so no form can forget it.

The query string and the posted form fields are put through ``clean_input`` (NFC,
no control characters, no bidirectional or zero-width marks) before any view or form
sees them. A NUL character is refused with a clear 400 page: no browser types one, and
PostgreSQL cannot store it (it used to answer 500 on a search).

Passwords are left exactly as typed (their bytes are what was hashed). A multipart
upload to a ``csrf_exempt`` view (one that must set its own upload handlers before the
body is read) is not read here; such views take files, whose text the importers clean.
"""

from __future__ import annotations

from django.http import QueryDict
from django.shortcuts import render

from lddh.ward.text import NUL, clean_input

UNTOUCHED_KEYS = ("password", "csrfmiddlewaretoken")
NUL_MESSAGE = (
    "Dữ liệu gửi lên có ký tự không hợp lệ (ký tự rỗng NUL), thường do sao chép từ tệp "
    "hoặc phần mềm khác. Hãy gõ lại nội dung rồi gửi lại."
)


def _untouched(key: str) -> bool:
    key = key.lower()
    return any(word in key for word in UNTOUCHED_KEYS)


def _has_nul(data: QueryDict) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


def _cleaned(data: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        if _untouched(key):
            cleaned.setlist(key, values)
        else:
            cleaned.setlist(clean_input(key), [clean_input(value) for value in values])
    cleaned._mutable = False
    return cleaned


def _body_readable(request, view_func) -> bool:
    """Reading a multipart body fixes its upload handlers: only done where the CSRF
    check reads it anyway (every view but a ``csrf_exempt`` one)."""
    if request.method != "POST":
        return False
    if hasattr(request, "_post") or not getattr(view_func, "csrf_exempt", False):
        return True
    return not request.content_type.startswith("multipart/")


class CleanInputMiddleware:
    """After CsrfViewMiddleware, so that the CSRF check has already parsed the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        body = _body_readable(request, view_func)
        sources = [request.GET, request.POST] if body else [request.GET]
        if any(_has_nul(data) for data in sources):
            return render(request, "400.html", {"message": NUL_MESSAGE}, status=400)
        request.GET = _cleaned(request.GET)
        if body:
            request.POST = _cleaned(request.POST)
        return None
