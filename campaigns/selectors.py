"""Reads of campaigns, for every app and page."""

from __future__ import annotations

from campaigns.models import Campaign


def active_campaign() -> Campaign | None:
    return Campaign.objects.filter(status=Campaign.Status.ACTIVE).first()


def campaigns_list():
    return Campaign.objects.all()
