"""The task worker's side of e-receipts."""

from __future__ import annotations

from django_tasks import task


@task()
def send_message(message_id: int) -> str:
    """One try at sending a donor's message (donations.services.messages.message_send)."""
    from donations.services.messages import message_send

    message = message_send(message_id)
    return message.status if message is not None else "missing"
