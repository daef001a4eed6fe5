"""The demo's proof of spending: scans of a few 2024 handover records, one redacted scan
approved and public, one waiting for the supervisor; no money moves; idempotent."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.test import Client

from donations.models import Donation, LedgerEntry
from households.models import RedactedScan, SupportAttachment
from lddh.demo import proof
from lddh.ward.access import access_for
from lddh.ward.inbox import inbox_for


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.slow
def test_the_demo_publishes_one_scan_and_leaves_one_for_review(db):
    from django.contrib.auth import get_user_model

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    approved = RedactedScan.objects.published().get()
    waiting = RedactedScan.objects.waiting().get()
    assert approved.support.household.public_consent
    assert SupportAttachment.objects.count() >= 2
    money = (Donation.objects.count(), LedgerEntry.objects.count())
    proof.seed(stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert RedactedScan.objects.count() == 2
    assert (Donation.objects.count(), LedgerEntry.objects.count()) == money

    client = Client()
    year = approved.support.campaign.year
    page = client.get(f"/cong-khai/{year}/chi-ho-tro/ho-tro/{approved.support.handover_number}/")
    html = page.content.decode()
    assert page.status_code == 200 and approved.token in html
    assert approved.support.household.head_name not in html
    scan = client.get(f"/cong-khai/{year}/chi-ho-tro/ban-chup/{approved.token}.png")
    assert scan.status_code == 200
    assert b"".join(scan.streaming_content).startswith(b"\x89PNG")
    assert (
        client.get(f"/cong-khai/{year}/chi-ho-tro/ban-chup/{waiting.token}.png").status_code == 404
    )
    supervisor = get_user_model().objects.get(username="giamsat")
    items = {i.key: i.count for i in inbox_for(access_for(supervisor))}
    assert items["scans_to_review"] == 1
