"""Send realistic signed deliveries to a running app over HTTP, as the provider would.

    manage.py simulate_bank_feed [--url http://127.0.0.1:8000] [--account <feed id or
    account name>]

The feed (its provider, address and key) is read from this installation's database, so
run it beside the app (``make run``: the demo has a SePay feed). It sends, in order: a
transfer with a donor's personal code, one with a round's code, one with a campaign's
code, one without a code (a payer's name only), the first one again (a provider's retry),
one signed with a wrong key, and an outgoing transfer; prints each answer; then waits
for the worker and prints what became of each in the feed's log."""

from __future__ import annotations

import http.client
import json
import random
import time
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from donations.feeds.providers import ADAPTERS
from donations.models import BankFeed, CollectionRound, Donor, FeedDelivery
from donations.statements.codes import campaign_note, donor_note

PAYERS = ("NGUYEN VAN HUNG", "TRAN THI MAI", "LE MINH TUAN", "PHAM THU HA", "VU DUC ANH")


class Command(BaseCommand):
    help = "Gửi thử các lần báo giao dịch có chữ ký tới ứng dụng đang chạy, như SePay/Casso."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="Địa chỉ ứng dụng.")
        parser.add_argument("--account", default="", help="Số của nguồn tiền hoặc tên tài khoản.")
        parser.add_argument("--wait", type=float, default=20.0, help="Giây chờ worker xử lý.")

    def handle(self, *args, **options):
        feed = self._feed(options["account"])
        adapter = ADAPTERS[feed.provider]
        target = urlsplit(options["url"])
        if target.scheme not in ("http", "https") or not target.hostname:
            raise CommandError("--url phải là http://máy:cổng hoặc https://…")
        path = reverse("feed_receiver:receive", args=[feed.provider, feed.token])
        base = int(time.time() * 1000) % 1_000_000_000
        rng = random.Random()  # noqa: S311 - demo amounts, not security
        sends = self._plan(feed, rng)
        self.stdout.write(f"Gửi tới {options['url']}{path} ({feed}):")
        sent_ids = []
        first = None
        for n, (label, note, amount, incoming, tamper) in enumerate(sends):
            if label == "Gửi lại lần 1 (dịch vụ thử lại)":
                body, headers = first
            else:
                data = adapter.payload(
                    id=base + n,
                    amount=amount,
                    content=note,
                    when=timezone.localtime(),
                    reference=f"FT{base + n:012d}",
                    account_number=feed.account.official_account.account_number
                    if feed.account.official_account_id
                    else "0011000000000",
                    incoming=incoming,
                )
                body = json.dumps(data, ensure_ascii=False).encode()
                secret = "khoa-sai-" + feed.secret[::-1] if tamper else feed.secret
                headers = adapter.sign(auth=feed.auth, secret=secret, body=body, now=timezone.now())
                if first is None:
                    first = (body, headers)
                sent_ids.append(str(base + n))
            status, answer, ms = self._post(target, path, body, headers)
            self.stdout.write(f"  {label}: {status} {answer} ({ms:.0f} ms)")
        self._report(feed, sent_ids, options["wait"])
        today = timezone.localdate()
        running = Campaign.objects.exclude(status=Campaign.Status.CLOSED).filter(
            start_date__lte=today, end_date__gte=today
        )
        if not running.exists():
            self.stdout.write(
                self.style.WARNING(
                    f"Lưu ý: hôm nay ({today:%d/%m/%Y}) không có chiến dịch nào đang chạy: các "
                    "khoản ghi tự động vào Quỹ không thuộc chiến dịch nào, nên không hiện trên "
                    "Tổng quan hay trang công khai (xem ở Sổ biên nhận). Dữ liệu mẫu có chiến "
                    "dịch năm nay khi tạo bằng `manage.py seed_demo --campaign-today` "
                    "(`make run` làm vậy)."
                )
            )

    def _feed(self, account: str) -> BankFeed:
        feeds = BankFeed.objects.select_related("account", "account__official_account")
        if account:
            match = Q(account__name__icontains=account)
            if account.isdigit():
                match |= Q(pk=int(account))
            feeds = feeds.filter(match)
        feed = feeds.filter(active=True).order_by("pk").first()
        if feed is None:
            raise CommandError(
                "Không có nguồn tiền nào đang nhận. Chạy `manage.py seed_demo` (nguồn SePay "
                "demo) hoặc thiết lập một nguồn ở trang Nguồn tiền tự động."
            )
        return feed

    def _plan(self, feed: BankFeed, rng) -> list[tuple[str, str, int, bool, bool]]:
        def amount() -> int:
            return rng.choice((100, 200, 300, 500, 1000, 2000)) * 1000

        payer = rng.choice(PAYERS)
        plan = []
        donor = Donor.objects.filter(anonymous=False).exclude(code=None).order_by("?").first()
        if donor is not None:
            note = f"MBVCB.{rng.randint(10**9, 10**10 - 1)}.{donor_note(donor)}.CT tu 0011 {payer}"
            plan.append(("Lần 1: mã người ủng hộ " + donor.code, note, amount(), True, False))
        posted = CollectionRound.objects.filter(status=CollectionRound.Status.POSTED)
        # a round paid into this account matches; another one shows why it waits
        round = (
            posted.filter(account=feed.account).select_related("fund").order_by("?").first()
            or posted.select_related("fund").order_by("?").first()
        )
        if round is not None:
            plan.append(
                (
                    f"Mã đợt thu {round.code}",
                    f"{round.transfer_note} nop tien",
                    amount(),
                    True,
                    False,
                )
            )
        campaign = (
            Campaign.objects.exclude(status=Campaign.Status.CLOSED).order_by("-start_date").first()
        )
        if campaign is not None:
            note = f"{payer} chuyen tien {campaign_note(campaign, feed.fund)}"
            plan.append(("Mã chiến dịch", note, amount(), True, False))
        plan.append(("Không có mã", f"{payer} chuyen tien ung ho quy", amount(), True, False))
        if donor is not None:
            plan.append(("Gửi lại lần 1 (dịch vụ thử lại)", "", 0, True, False))
        plan.append(("Chữ ký sai", f"{payer} ung ho", amount(), True, True))
        plan.append(("Tiền ra", "Chi ho tro ho ngheo", amount(), False, False))
        return plan

    def _post(self, target, path: str, body: bytes, headers: dict) -> tuple[int, str, float]:
        port = target.port or (443 if target.scheme == "https" else 80)
        kind = (
            http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
        )
        connection = kind(target.hostname, port, timeout=10)
        started = time.perf_counter()
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            answer = response.read().decode("utf-8", errors="replace")[:200]
        except OSError as error:
            raise CommandError(f"Không gửi được tới {target.geturl()}: {error}") from None
        finally:
            connection.close()
        return response.status, answer, (time.perf_counter() - started) * 1000

    def _report(self, feed: BankFeed, ids: list[str], wait: float) -> None:
        deadline = time.monotonic() + wait
        pending = {FeedDelivery.Status.VERIFIED, FeedDelivery.Status.STORED}
        while True:
            rows = list(
                FeedDelivery.objects.filter(feed=feed, provider_id__in=ids, duplicate_of=None)
                .order_by("pk")
                .values_list("provider_id", "status", "processed_at", "error")
            )
            if all(processed or status not in pending for _, status, processed, _ in rows):
                break
            if time.monotonic() > deadline:
                self.stdout.write("  (worker chưa xử lý hết: `make run` chạy worker bên cạnh)")
                break
            time.sleep(0.5)
        self.stdout.write("Nhật ký của nguồn tiền:")
        labels = dict(FeedDelivery.Status.choices)
        for provider_id, status, _, error in rows:
            self.stdout.write(f"  #{provider_id}: {labels.get(status, status)} – {error}")
