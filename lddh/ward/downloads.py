"""Tell the page that a requested file has started to download.

A download leaves the page where it is, so the page cannot see when the server has
finished preparing the file. static/js/busy.js adds ``?tai_ve=<random token>`` to a
download request; when the answer is a file (``Content-Disposition: attachment``) this
middleware sets a short-lived cookie ``tai_ve_<token>``, which the script waits for to
stop its spinner. The cookie carries nothing but the token the page made itself.
"""

from __future__ import annotations

import re

PARAM = "tai_ve"
COOKIE_PREFIX = "tai_ve_"
_TOKEN = re.compile(r"[0-9a-f]{8,64}")


class DownloadStartedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        token = request.GET.get(PARAM, "")
        disposition = response.get("Content-Disposition", "")
        if token and _TOKEN.fullmatch(token) and disposition.startswith("attachment"):
            response.set_cookie(
                COOKIE_PREFIX + token,
                "1",
                max_age=120,
                samesite="Lax",
                secure=request.is_secure(),
                httponly=False,  # read by busy.js; holds no secret
            )
        return response
