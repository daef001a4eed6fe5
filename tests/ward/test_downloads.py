"""The "download has started" signal used by static/js/busy.js."""

from django.http import HttpResponse
from django.test import RequestFactory

from lddh.ward.downloads import DownloadStartedMiddleware

TOKEN = "0123456789abcdef01234567"


def _run(query: str, *, attachment: bool = True):
    def view(request):
        response = HttpResponse(b"x")
        if attachment:
            response["Content-Disposition"] = 'attachment; filename="bao-cao.xlsx"'
        return response

    return DownloadStartedMiddleware(view)(RequestFactory().get("/quan-ly/bao-cao/tai/" + query))


def test_a_file_answer_sets_the_cookie_named_after_the_token():
    cookie = _run(f"?tai_ve={TOKEN}").cookies[f"tai_ve_{TOKEN}"]
    assert cookie.value == "1"
    assert cookie["max-age"] == 120
    assert cookie["samesite"] == "Lax"


def test_no_cookie_for_a_page_without_a_token_or_with_a_bad_token():
    assert not _run(f"?tai_ve={TOKEN}", attachment=False).cookies  # e.g. the form with errors
    assert not _run("").cookies
    for bad in ("x" * 20, "abc", "0123456789abcdef;path=/", "A" * 70):
        assert not _run(f"?tai_ve={bad}").cookies, bad


def test_the_report_form_asks_for_the_download_signal(world):
    from django.urls import reverse

    response = world.client("higher").get(reverse("reports:index"))
    assert b'data-busy="download"' in response.content
