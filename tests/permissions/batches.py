"""Receipt batches printed by the task worker × every persona: the office only, and only
the person who asked for the batch (another office member gets 404 by id)."""

from donations.models import ReceiptBatch
from tests.permissions import Case, only

PDF = b"%PDF-1.4\n% a batch of the permission matrix\n%%EOF\n"


def _batch_kwargs(world):
    batch = ReceiptBatch.objects.create(
        requested_by=world.users["staff"],
        receipt_ids=[],
        count=1,
        first_number="VNN-2024-000001",
        last_number="VNN-2024-000001",
        status=ReceiptBatch.Status.DONE,
        pdf=PDF,
    )
    return {"pk": batch.pk}


MINE = {**only("staff"), "committee": 404}

CASES = [
    Case(
        "donations:receipt_batch_job",
        get=MINE,
        post=only("staff", ok=405, other=403) | {"committee": 405},
        kwargs=_batch_kwargs,
    ),
    Case(
        "donations:receipt_batch_progress",
        get=MINE,
        post=only("staff", ok=405, other=403) | {"committee": 405},
        kwargs=_batch_kwargs,
    ),
    Case(
        "donations:receipt_batch_download",
        get=MINE,
        post=only("staff", ok=405, other=403) | {"committee": 405},
        kwargs=_batch_kwargs,
    ),
]
