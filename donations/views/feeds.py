"""Bank feeds: the receivers the providers call, and the office's feed pages.

The receivers (``/nhan-tien/<provider>/<token>/``) are public: the provider cannot sign
in. Each account's feed has its own address with a random token of about 190 bits, so an
address names exactly one feed and cannot be guessed; the provider's signature (or API
key) then proves who sends. Unknown token: 404; not authenticated: 401; body not the
documented JSON: 400; accepted, a repeat included: 200 ``{"success": true}`` (the
answer both providers wait for). Every request is logged, and a client that keeps
failing is refused for a while (429) before anything is read or stored.

The pages: every statement role reads the feeds and their logs and may replay a
delivery; only the standing committee sets up a feed, chooses its rules and rotates its
key. A key is shown whole once, on the page that answers its creation."""

from __future__ import annotations

import datetime
import logging
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from campaigns.models import Campaign
from donations.feeds.base import MAX_BODY, FeedMalformed
from donations.feeds.providers import ADAPTERS, AUTHS
from donations.models import Account, BankFeed, FeedDelivery, Fund
from donations.selectors import STATEMENT_ROLES
from donations.services import feeds as feed_services
from donations.statements.codes import campaign_note
from lddh.ward import throttle
from lddh.ward.access import access_for, role_required
from lddh.ward.forms import DayField, WardForm
from lddh.ward.models import ThrottleHit
from lddh.ward.roles import Role

logger = logging.getLogger(__name__)
PAGE_SIZE = 50
FAILURES = 30
FAILURE_WINDOW = datetime.timedelta(minutes=10)
KEPT_HEADERS = (
    "Content-Type",
    "User-Agent",
    "X-SePay-Timestamp",
    "X-SePay-Signature",
    "X-Casso-Signature",
)
"""Headers kept with a delivery. Never Authorization: with an API key it is the key."""


# --------------------------------------------------------------------------- receivers


def _answer(status: int, message: str = "") -> JsonResponse:
    body = {"success": status == 200}
    if message:
        body["message"] = message
    return JsonResponse(body, status=status)


def _blocked(address: str) -> bool:
    since = timezone.now() - FAILURE_WINDOW
    hits = ThrottleHit.objects.filter(scope="feed", key=address or "unknown", at__gt=since)
    return hits.count() >= FAILURES


def _failed(address: str) -> None:
    throttle.claim("feed", address or "unknown", limit=FAILURES, window=FAILURE_WINDOW)


RECEIVER_FIELDS = (
    "account", "provider", "auth", "token", "secret", "previous_secret",
    "previous_valid_until", "fund", "active",
    "account__official_account", "account__official_account__account_number",
)  # fmt: skip
"""What a delivery's acknowledgement reads of its feed: its keys, what it accepts and
the account number a transaction must name."""


def _feed_by_token(token: str) -> BankFeed | None:
    """The feed at this address. Only the columns the receiver reads and no ordering
    (the token is unique): the full query (three tables, every column, the model's
    ordering by account) cost a fifth of a delivery's CPU more."""
    feeds = (
        BankFeed.objects.select_related("account__official_account")
        .only(*RECEIVER_FIELDS)
        .filter(token=token[:64])
        .order_by()
    )
    return next(iter(feeds[:1]), None)


@csrf_exempt
@login_not_required
@require_POST
def receive(request, provider: str, token: str):
    """A provider's delivery: stored durably, answered at once; the work is a task.

    A signed request costs no throttle query: only a refusal counts against its sender,
    and a sender refused too often is answered 429 before anything more is stored."""
    adapter = ADAPTERS.get(provider)
    address = throttle.client_address(request)

    def refuse(status: int, message: str, *, feed=None, reason="", logged=True, verified=False):
        if _blocked(address):
            return _answer(429, "Quá nhiều yêu cầu không hợp lệ.")
        _failed(address)
        if logged:
            feed_services.feed_log_refused(
                feed=feed,
                provider=provider if provider in ADAPTERS else "sepay",
                body=body,
                headers=headers,
                remote=address,
                reason=reason or message,
                status=(
                    FeedDelivery.Status.REJECTED if status != 400 else FeedDelivery.Status.ERROR
                ),
                verified=verified,
            )
        return _answer(status, message)

    body, headers = b"", {}
    try:
        size = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        size = 0
    if size > MAX_BODY:
        return refuse(413, "Nội dung quá lớn.", logged=False)
    body = request.body[: MAX_BODY + 1]
    if len(body) > MAX_BODY:
        body = b""
        return refuse(413, "Nội dung quá lớn.", logged=False)
    present = [name for name in KEPT_HEADERS if name in request.headers]
    headers = {name: request.headers[name][:300] for name in present}
    feed = _feed_by_token(token) if adapter is not None else None
    if feed is None or feed.provider != provider or not feed.active:
        return refuse(
            404,
            "Không có nguồn tiền này.",
            reason="Đường dẫn không đúng nguồn tiền nào đang nhận.",
        )
    now = timezone.now()
    refusal = None  # None until the signature is checked: Casso's needs the parsed body
    try:
        refusal = adapter.verify(
            auth=feed.auth, keys=feed.keys(now), headers=request.headers, body=body, now=now
        )
        if refusal:
            logger.warning("bank feed %s refused a request from %s: %s", feed.pk, address, refusal)
            return refuse(401, "Không xác thực được.", feed=feed, reason=refusal)
        tx = adapter.parse(body)
        if not tx.test:  # Casso's "Gọi thử" sends a sample of its own: answered, not stored
            feed_services.feed_check_transaction(feed, tx, today=timezone.localdate(now))
    except FeedMalformed as error:
        return refuse(400, str(error), feed=feed, verified=refusal == "")
    feed_services.feed_receive(feed=feed, tx=tx, body=body, headers=headers, remote=address)
    return _answer(200)


# --------------------------------------------------------------------------- pages


class FeedCreateForm(WardForm):
    account = forms.ModelChoiceField(
        label="Tài khoản ngân hàng",
        queryset=Account.objects.filter(kind=Account.Kind.BANK, active=True),
    )
    provider = forms.ChoiceField(label="Dịch vụ", choices=BankFeed.Provider.choices)
    auth = forms.ChoiceField(label="Cách xác thực", choices=BankFeed.Auth.choices)
    fund = forms.ModelChoiceField(
        label="Quỹ ghi nhận (mã người ủng hộ)", queryset=Fund.objects.filter(active=True)
    )
    secret = forms.CharField(
        label="Khóa bí mật",
        required=False,
        max_length=200,
        help_text="Để trống để hệ thống tạo khóa (dán khóa này vào trang của dịch vụ). Với "
        "Casso: dán “Key bảo mật” Casso đã tạo.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


def _rule(name: str) -> forms.BooleanField:
    field = BankFeed._meta.get_field(name)
    return forms.BooleanField(
        label=str(field.verbose_name).capitalize(), help_text=field.help_text, required=False
    )


class FeedRulesForm(WardForm):
    active = forms.BooleanField(label="Đang nhận", required=False)
    auto_receipts = _rule("auto_receipts")
    auto_rounds = _rule("auto_rounds")
    auto_donor_codes = _rule("auto_donor_codes")
    auto_campaign_codes = _rule("auto_campaign_codes")


def _receiver_url(request, feed: BankFeed) -> str:
    return request.build_absolute_uri(
        reverse("feed_receiver:receive", args=[feed.provider, feed.token])
    )


def _show_secret(request, feed: BankFeed, *, created: bool):
    """The one page that shows a key whole: the answer to the POST that made it."""
    response = render(
        request,
        "donations/feed/secret.html",
        {"feed": feed, "created": created, "receiver_url": _receiver_url(request, feed)},
    )
    response["Cache-Control"] = "no-store"
    return response


@role_required(*STATEMENT_ROLES)
def feed_list(request):
    feeds = BankFeed.objects.select_related("account", "fund").order_by("account__name", "provider")
    is_committee = access_for(request.user).is_committee
    form = None
    if is_committee:
        form = FeedCreateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                feed = feed_services.feed_create(actor=request.user, **form.cleaned_data)
            except feed_services.FeedError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                return _show_secret(request, feed, created=True)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "donations/feed/list.html",
        {"feeds": feeds, "form": form, "auths": AUTHS, "is_committee": is_committee},
    )


@role_required(*STATEMENT_ROLES)
def feed_detail(request, pk: int):
    feed = get_object_or_404(BankFeed.objects.select_related("account", "fund"), pk=pk)
    if request.method == "POST":
        return _answer_post_only()
    deliveries = FeedDelivery.objects.filter(feed=feed).select_related("line")
    status = request.GET.get("trang-thai", "")
    if status in FeedDelivery.Status.values:
        deliveries = deliveries.filter(status=status)
    day = request.GET.get("ngay", "")
    day_error = ""
    try:
        chosen = DayField(label="Ngày", required=False).clean(day)
    except ValidationError as error:
        chosen, day_error = None, error.messages[0]
    if chosen is not None:
        deliveries = deliveries.filter(received_at__date=chosen)
    page = Paginator(deliveries.order_by("-received_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rules = FeedRulesForm(
        initial={name: getattr(feed, name) for name in ("active", *feed_services.RULE_FIELDS)}
    )
    return render(
        request,
        "donations/feed/detail.html",
        {
            "feed": feed,
            "page_obj": page,
            "query_string": urlencode(
                {k: v for k, v in (("trang-thai", status), ("ngay", day if chosen else "")) if v}
            ),
            "statuses": FeedDelivery.Status.choices,
            "status": status,
            "day": day,
            "day_error": day_error,
            "rules": rules,
            "is_committee": access_for(request.user).is_committee,
            "receiver_url": _receiver_url(request, feed),
            "campaign_notes": [
                (campaign, campaign_note(campaign, feed.fund))
                for campaign in Campaign.objects.exclude(status=Campaign.Status.CLOSED)
            ],
        },
    )


def _answer_post_only():
    from django.http import HttpResponseNotAllowed

    return HttpResponseNotAllowed(["GET"])


@role_required(Role.COMMITTEE)
@require_POST
def feed_rules(request, pk: int):
    feed = get_object_or_404(BankFeed, pk=pk)
    form = FeedRulesForm(request.POST)
    form.is_valid()  # only check boxes: always valid
    feed_services.feed_update_rules(actor=request.user, feed=feed, **form.cleaned_data)
    messages.success(request, "Đã lưu quy tắc ghi tự động.")
    return redirect("feeds:detail", pk=feed.pk)


@role_required(Role.COMMITTEE)
@require_POST
def feed_rotate(request, pk: int):
    feed = get_object_or_404(BankFeed, pk=pk)
    try:
        feed = feed_services.feed_rotate_key(
            actor=request.user, feed=feed, secret=request.POST.get("secret", "")
        )
    except feed_services.FeedError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("feeds:detail", pk=feed.pk)
    return _show_secret(request, feed, created=False)


@role_required(*STATEMENT_ROLES)
def delivery_detail(request, pk: int):
    delivery = get_object_or_404(
        FeedDelivery.objects.select_related("feed", "feed__account", "line", "duplicate_of"),
        pk=pk,
    )
    if request.method == "POST":
        return _answer_post_only()
    return render(request, "donations/feed/delivery.html", {"delivery": delivery})


@role_required(*STATEMENT_ROLES)
@require_POST
def delivery_replay(request, pk: int):
    delivery = get_object_or_404(FeedDelivery, pk=pk)
    try:
        delivery = feed_services.feed_replay(actor=request.user, delivery=delivery)
    except feed_services.FeedError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Đã xử lý lại: {delivery.get_status_display()}. {delivery.error}".strip()
        )
    return redirect("feeds:delivery", pk=delivery.pk)
