"""No signed-in page is ever stored by a browser, proxy or shared computer's cache."""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers


class PrivatePagesMiddleware:
    """Every answer to a signed-in person gets `Cache-Control: no-store, private`.

    Signed-in pages carry CCCD numbers, health notes, the register workbook and receipt
    PDFs; a page stored by a proxy or left in a shared computer's browser cache would
    give them to the next person. Downloads with personal data are all behind sign-in,
    so this one rule covers them; public pages for visitors keep their own caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
