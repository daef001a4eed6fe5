"""Every URL of the supervision app × every persona. Readers: staff, committee,
treasurer, supervisor; leaders and the level above get 403. The supervisor writes (their own
records); the committee may move an inspection's follow-up along."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from lddh.supervision import services
from lddh.supervision.models import Inspection, Sample
from tests.factories import HouseholdFactory
from tests.permissions import Case, only

# Not the level above: the audit log, inspections and samples name people (403).
READERS = ("staff", "committee", "treasurer", "supervisor")


def _inspection(world) -> Inspection:
    return services.inspection_create(
        actor=world.users["supervisor"],
        data={
            "date": datetime.date(2024, 11, 15),
            "title": "Kiểm tra tổ 2",
            "team": "Đoàn kiểm tra",
            "scope": Inspection.Scope.GROUP,
            "group": world.groups[2],
            "findings": "Đúng quy định.",
        },
    )


def _inspection_kwargs(world):
    return {"pk": _inspection(world).pk}


def _attachment_kwargs(world):
    inspection = _inspection(world)
    attachment = services.inspection_attach(
        actor=world.users["supervisor"],
        inspection=inspection,
        upload=SimpleUploadedFile("bb.png", b"\x89PNG\r\n\x1a\n" + b"0" * 40),
    )
    return {"pk": inspection.pk, "attachment_pk": attachment.pk}


def _sample(world) -> Sample:
    HouseholdFactory(group=world.groups[2])
    return services.sample_draw(
        actor=world.users["supervisor"], kind=Sample.Kind.HOUSEHOLDS, size=1, seed=7
    )


def _sample_kwargs(world):
    return {"pk": _sample(world).pk}


def _item_kwargs(world):
    sample = _sample(world)
    return {"pk": sample.pk, "item_pk": sample.items.get().pk}


CASES = [
    Case("supervision:home", get=only(*READERS), post=only(*READERS, ok=405)),
    Case("supervision:check", get=only(*READERS), post=only(*READERS, ok=405)),
    Case("supervision:compare_head", get=only(*READERS), post=only(*READERS, ok=405)),
    Case("supervision:audit", get=only(*READERS), post=only(*READERS, ok=405)),
    Case("supervision:audit_sensitive", get=only(*READERS), post=only(*READERS, ok=405)),
    Case("supervision:inspection_list", get=only(*READERS), post=only(*READERS, ok=405)),
    Case(
        "supervision:inspection_create",
        get=only("supervisor"),
        post=only("supervisor"),  # an empty form shows its errors
    ),
    Case(
        "supervision:inspection_detail",
        get=only(*READERS),
        post=only(*READERS, ok=405),
        kwargs=_inspection_kwargs,
    ),
    Case(
        "supervision:inspection_edit",
        get=only("supervisor"),
        post=only("supervisor"),
        kwargs=_inspection_kwargs,
    ),
    Case(
        "supervision:inspection_status",
        get=only("supervisor", "committee", ok=405),
        post=only("supervisor", "committee", ok=302),
        kwargs=_inspection_kwargs,
    ),
    Case(
        "supervision:inspection_attach",
        get=only("supervisor", ok=405),
        post=only("supervisor", ok=302),
        kwargs=_inspection_kwargs,
    ),
    Case(
        "supervision:inspection_attachment",
        get=only(*READERS),
        post=only(*READERS, ok=405),
        kwargs=_attachment_kwargs,
    ),
    Case("supervision:calendar", get=only(*READERS), post=only(*READERS, ok=405)),
    Case("supervision:sample_list", get=only(*READERS), post=only(*READERS, ok=405)),
    Case("supervision:sample_create", get=only("supervisor"), post=only("supervisor")),
    Case(
        "supervision:sample_detail",
        get=only(*READERS),
        post=only(*READERS, ok=405),
        kwargs=_sample_kwargs,
    ),
    Case(
        "supervision:sample_record",
        get=only("supervisor", ok=405),
        post=only("supervisor", ok=302),
        kwargs=_item_kwargs,
    ),
    Case(
        "supervision:sample_inspection",
        get=only("supervisor", ok=405),
        post=only("supervisor", ok=302),
        kwargs=_sample_kwargs,
    ),
    Case(
        "supervision:sample_pdf",
        get=only(*READERS),
        post=only(*READERS, ok=405),
        kwargs=_sample_kwargs,
    ),
]
