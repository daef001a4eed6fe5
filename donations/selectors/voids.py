"""Reads of void requests."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from donations.models import VoidRequest
from lddh.ward.access import Access
from lddh.ward.roles import Role

__all__ = ["void_request_for", "void_request_for_update", "void_requests_for"]


def void_requests_for(access: Access) -> QuerySet[VoidRequest]:
    return VoidRequest.objects.all() if access.reads_all else VoidRequest.objects.none()


def void_request_for(access: Access, pk: int) -> VoidRequest:
    """One void request, for the roles that read everything; 404 for anyone else."""
    return get_object_or_404(void_requests_for(access), pk=pk)


def void_request_for_update(access: Access, pk: int) -> VoidRequest:
    """The void request to decide on: only the standing committee decides (403)."""
    void = void_request_for(access, pk)
    if not access.has(Role.COMMITTEE):
        raise PermissionDenied
    return void
