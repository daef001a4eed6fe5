"""Personal data of households: the data subject request (everything held about one
household, as a JSON download for the standing committee, which answers such requests;
every download is logged) and the anonymisation of households that left long ago."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from households import selectors
from households.services.personal_data import (
    anonymise_after_years,
    anonymise_cutoff,
    anonymise_due,
    anonymised_ids,
    household_export,
    households_to_anonymise,
)
from lddh.ward.access import access_for
from lddh.ward.roles import Role


def may_export_data(access) -> bool:
    """Standing committee only: it answers data subject requests. Group leaders never
    see CCCD, phone or health notes, so they cannot download them either."""
    return access.has(Role.COMMITTEE)


@require_GET
def household_data_export(request, pk: int):
    access = access_for(request.user)
    household = selectors.household_for(access, pk)
    if not may_export_data(access):
        raise PermissionDenied
    data = household_export(actor=request.user, household=household)
    body = json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="du-lieu-ho-{household.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def anonymise(request):
    """The standing committee anonymises the households that left the register more
    than HOUSEHOLD_ANONYMISE_AFTER_YEARS years ago (the same as the management command)."""
    access = access_for(request.user)
    if not access.has(Role.COMMITTEE):
        raise PermissionDenied
    years = anonymise_after_years()
    if request.method == "POST":
        if request.POST.get("xac_nhan") != "1":
            messages.error(request, "Hãy đánh dấu ô xác nhận trước khi ẩn danh.")
            return redirect("households:anonymise")
        done = anonymise_due(actor=request.user, years=years)
        if done:
            messages.success(
                request,
                f"Đã ẩn danh {len(done)} hộ ra khỏi danh sách quá {years} năm; "
                "số liệu quỹ giữ nguyên.",
            )
        else:
            messages.info(request, "Không có hộ nào cần ẩn danh.")
        return redirect("households:anonymise")
    due = list(households_to_anonymise(years=years))
    return render(
        request,
        "households/anonymise.html",
        {
            "due": due,
            "years": years,
            "cutoff": anonymise_cutoff(years=years),
            "anonymised": len(anonymised_ids()),
        },
    )
