from functools import lru_cache
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lddh.ward.background import worker_is_late
from lddh.ward.fields import DongField
from lddh.ward.money import MAX_AMOUNT, amount_in_words, format_dong


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 otherwise (for the reverse proxy and monitors).

    With the database task backend, "tasks" says "late" when a task has waited for a
    worker too long (none is running): the pages still answer, so the status stays 200,
    and a monitor alerts on the word."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        late = worker_is_late()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    answer = {"status": "ok", "database": "ok"}
    if late is not None:
        answer["tasks"] = "late" if late else "ok"
    return JsonResponse(answer)


@lru_cache(maxsize=1)
def _favicon_bytes() -> bytes | None:
    path = finders.find("img/favicon.ico")
    if path is None:
        return None
    with open(path, "rb") as file:
        return file.read()


@login_not_required
@require_GET
def favicon(request):
    """/favicon.ico, which browsers ask for on every site whatever the pages link: the
    same icon as static/img/favicon.svg, kept for a day."""
    content = _favicon_bytes()
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def my_sign_ins(request):
    """A person's own recent sign-ins, so they can spot one that was not theirs."""
    from lddh.ward.signin import recent_sign_ins

    return render(request, "ward/sign_ins.html", {"events": recent_sign_ins(request.user)})


@require_GET
def amount_words(request):
    """The amount a person is typing, read by the server's own field (DongField, with the
    page's limits): the figure and the words printed on receipts, or the message the form
    would refuse it with. The pages show it beside every money field, so what is seen is
    what the server will store."""

    def limit(name: str, default: int) -> int:
        value = request.GET.get(name, "")
        return min(int(value), MAX_AMOUNT) if value.isdigit() and len(value) <= 15 else default

    text = request.GET.get("so", "")
    if not text.strip():
        return JsonResponse({"ok": False, "error": ""})
    field = DongField(min_value=limit("toi-thieu", 0), max_value=limit("toi-da", MAX_AMOUNT))
    try:
        amount = field.clean(text)
    except ValidationError as error:
        return JsonResponse({"ok": False, "error": " ".join(error.messages)})
    return JsonResponse(
        {
            "ok": True,
            "amount": amount,
            "figure": format_dong(amount),
            "words": amount_in_words(amount),
        }
    )


@login_not_required
def admin_login(request):
    """/admin/login/ signs nobody in: it sends the person to /dang-nhap/, whose limits,
    lock-outs and two-factor step hold for the admin site too. A POST with a password is
    answered the same way and its password is never checked."""
    target = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(target)
        raise PermissionDenied  # signed in without the admin site: no login loop
    return redirect(f"{reverse('login')}?{urlencode({'next': target})}")
