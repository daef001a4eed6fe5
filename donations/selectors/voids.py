"""Reads of void requests."""

from __future__ import annotations

from django.db.models import QuerySet

from donations.models import VoidRequest
from lddh.ward.access import Access

__all__ = ["void_requests_for"]


def void_requests_for(access: Access) -> QuerySet[VoidRequest]:
    return VoidRequest.objects.all() if access.reads_all else VoidRequest.objects.none()
