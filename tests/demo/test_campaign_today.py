"""`seed_demo --campaign-today` (`make run`): a campaign runs today, so that a transfer
the bank feed records now shows on the dashboard and the public page, while the 2024
demo's figures stay exactly as they were."""

import io
import json

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from donations.feeds import sepay
from donations.models import BankFeed, Donation, Donor
from donations.selectors import campaign_progress
from donations.statements.codes import donor_note
from lddh.demo.donations import DEMO_FEED_SECRET, DEMO_FEED_TOKEN
from lddh.public import cache as public_cache
from lddh.ward.models import AuditEvent
from lddh.ward.money import format_dong


def _figures(campaign):
    progress = campaign_progress(campaign)
    return progress.total, progress.count, dict(progress.by_source), dict(progress.by_channel)


def test_campaign_today_closes_2024_keeps_its_figures_and_is_idempotent(db):
    call_command("seed_demo", stdout=io.StringIO())
    demo = Campaign.objects.get(year=2024)
    before = _figures(demo)
    assert demo.status == Campaign.Status.ACTIVE  # the tests' demo: 2024 stays active

    call_command("seed_demo", "--campaign-today", stdout=io.StringIO())
    today = timezone.localdate()
    demo.refresh_from_db()
    assert demo.status == Campaign.Status.CLOSED
    assert _figures(demo) == before
    current = Campaign.objects.get(status=Campaign.Status.ACTIVE)
    assert current.year == today.year and current.contains(today)
    assert not current.overlaps(demo.start_date, demo.end_date)
    assert AuditEvent.objects.filter(action="campaign.close", object_id=str(demo.pk)).exists()

    events = AuditEvent.objects.count()
    call_command("seed_demo", "--campaign-today", stdout=io.StringIO())
    assert AuditEvent.objects.count() == events
    assert Campaign.objects.count() == 4  # 2022 and 2023 (lddh/demo/history.py), 2024, today


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_a_signed_transfer_with_a_donor_code_shows_on_the_public_page(db, client):
    call_command("seed_demo", "--campaign-today", stdout=io.StringIO())
    current = Campaign.objects.get(status=Campaign.Status.ACTIVE)
    feed = BankFeed.objects.get(token=DEMO_FEED_TOKEN)
    donor = Donor.objects.filter(anonymous=False).exclude(code=None).order_by("pk").first()
    assert client.get("/").status_code == 200  # cached before the transfer

    data = sepay.payload(
        id=777_001,
        amount=1_234_000,
        content=f"MBVCB.3278907687.{donor_note(donor)}.CT tu 0011 NGUYEN VAN HUNG",
        when=timezone.localtime(),
        reference="MBVCB.3278907687",
        account_number=feed.account.official_account.account_number,
    )
    body = json.dumps(data).encode()
    headers = sepay.sign(auth=feed.auth, secret=DEMO_FEED_SECRET, body=body, now=timezone.now())
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    extra.pop("HTTP_CONTENT_TYPE", None)
    url = reverse("feed_receiver:receive", args=["sepay", feed.token])
    answer = client.post(url, data=body, content_type="application/json", **extra)
    assert answer.status_code == 200

    donation = Donation.objects.get(donor=donor, amount=1_234_000)
    assert donation.campaign == current
    page = client.get("/").content.decode()
    assert format_dong(campaign_progress(current).total) in page
    staff = Client()
    staff.force_login(get_user_model().objects.get(username="canbo"))
    home = staff.get("/quan-ly/")
    assert home.status_code == 200
    assert format_dong(campaign_progress(current).total) in home.content.decode()


def test_public_pages_expire_sooner_in_a_per_process_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert public_cache.ttl() == public_cache.LOCAL_TTL <= 60
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "x"}
    }
    assert public_cache.ttl() == public_cache.TTL


def test_make_run_demo_then_the_simulator_shows_on_the_public_page(transactional_db, live_server):
    """`make run`'s seed, then `manage.py simulate_bank_feed --url` over HTTP, as a
    person would try it: the transfers with a donor's and a campaign's code are recorded
    into today's campaign and the public page counts them."""
    import urllib.request

    call_command("seed_demo", "--campaign-today", stdout=io.StringIO())
    current = Campaign.objects.get(status=Campaign.Status.ACTIVE)
    out = io.StringIO()
    call_command("simulate_bank_feed", "--url", live_server.url, "--wait", "10", stdout=out)
    printed = out.getvalue()
    assert printed.count("Đã ghi khoản ủng hộ tự động") == 2, printed
    assert "không có chiến dịch nào đang chạy" not in printed
    assert "401" in printed  # the wrong key, refused
    recorded = Donation.objects.filter(campaign=current)
    assert recorded.count() == 2
    with urllib.request.urlopen(live_server.url + "/") as answer:  # noqa: S310 - test server
        page = answer.read().decode()
    assert format_dong(campaign_progress(current).total) in page
    assert "2 khoản ủng hộ" in page
