"""Work the task worker does for the donations books."""

from __future__ import annotations

import datetime
import time

from django_tasks import task

FEED_REST = 1.0
"""While a feed keeps delivering, the task worker rests after each delivery it works on,
this many times as long as the delivery took. A burst of transfers then leaves most of
the CPU to the web server, whose answer the provider is timing (it resends what is not
answered in time); matching and recording trail by seconds. Once the deliveries stop,
the worker goes through what is left at full speed. Only a worker process rests: the
immediate backend (tests) runs the task inside the request, which must not wait."""

FEED_BUSY = datetime.timedelta(seconds=1)
"""A feed is still delivering when another delivery of it arrived this recently."""


@task()
def read_statement(import_id: int) -> str:
    """Read a queued statement import (donations.services.statement_read)."""
    from donations.models import StatementImport
    from donations.services import statement_read

    batch = StatementImport.objects.filter(pk=import_id).first()
    if batch is None:
        return "missing"
    return statement_read(batch).status


@task()
def tidy_statement_index() -> str:
    """Merge the trigram index's pending list after an import (PostgreSQL), so the
    queue's text search reads the index alone again."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return "nothing to do"
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('statement_line_description_trgm'::regclass)")
        pages = cursor.fetchone()[0]
    return f"{pages} pages merged"


@task()
def process_feed_delivery(delivery_id: int) -> str:
    """Match or record a bank feed's delivery (donations.services.feeds.feed_process)."""
    from donations.services.feeds import feed_process_pk

    began = time.monotonic()
    delivery = feed_process_pk(delivery_id)
    if delivery is None:
        return "missing"
    status = delivery.status
    if _in_worker() and _still_delivering(delivery):
        time.sleep((time.monotonic() - began) * FEED_REST)
    return status


def _in_worker() -> bool:
    """Whether tasks run in a worker process of their own (the database backend)."""
    from django_tasks_db import DatabaseBackend

    return isinstance(process_feed_delivery.get_backend(), DatabaseBackend)


def _still_delivering(delivery) -> bool:
    """Whether another delivery of the same feed arrived within ``FEED_BUSY``."""
    from django.utils import timezone

    from donations.models import FeedDelivery

    recent = FeedDelivery.objects.filter(
        feed_id=delivery.feed_id, received_at__gt=timezone.now() - FEED_BUSY
    )
    return recent.exclude(pk=delivery.pk).exists()


@task()
def print_receipt_batch(batch_id: int) -> str:
    """Log the prints and render a queued batch (donations.services.batches)."""
    from donations.services.batches import receipt_batch_render

    batch = receipt_batch_render(batch_id)
    return batch.status if batch is not None else "missing"


@task()
def send_message(message_id: int) -> str:
    """One try at sending a donor's message (donations.services.messages.message_send)."""
    from donations.services.messages import message_send

    message = message_send(message_id)
    return message.status if message is not None else "missing"
