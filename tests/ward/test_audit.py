import pytest
from django.db import transaction

from lddh.ward.audit import AuditAction, changed, log_event, snapshot
from lddh.ward.models import AppendOnlyError, AuditEvent


@pytest.fixture
def event(world):
    group = world.groups[3]
    with transaction.atomic():
        return log_event(
            actor=world.users["staff"],
            action=AuditAction.HOUSEHOLD_UPDATE,
            obj=group,
            before={"name": "Tổ 3"},
            after={"name": "Tổ dân phố số 3"},
        )


def test_log_event_records_who_what_and_values(event, world):
    assert event.actor == world.users["staff"]
    assert event.actor_name == "canbo"
    assert event.object_type == "ward.residentialgroup"
    assert event.object_id == str(world.groups[3].pk)
    assert event.before == {"name": "Tổ 3"}
    assert event.after == {"name": "Tổ dân phố số 3"}


def test_an_audit_event_cannot_be_changed(event):
    event.action = "something.else"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_an_audit_event_cannot_be_deleted(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    assert AuditEvent.objects.get(pk=event.pk).action == "household.update"


def test_log_event_refuses_to_run_outside_a_transaction(world, django_db_blocker):
    # pytest-django wraps each test in a transaction; leave it to see the guard.
    connection = transaction.get_connection()
    atomic_blocks = connection.atomic_blocks
    connection.atomic_blocks = []
    connection.in_atomic_block = False
    try:
        with pytest.raises(RuntimeError, match="inside transaction.atomic"):
            log_event(actor=None, action=AuditAction.HOUSEHOLD_UPDATE)
    finally:
        connection.atomic_blocks = atomic_blocks
        connection.in_atomic_block = True


def test_snapshot_and_changed_keep_only_differences(world):
    group = world.groups[1]
    before = snapshot(group, ["name", "number", "ward", "valid_from"])
    assert before["ward"] == world.ward.pk
    group.name = "Tổ mới"
    after = snapshot(group, ["name", "number", "ward", "valid_from"])
    assert changed(before, after) == ({"name": "Tổ dân phố số 1"}, {"name": "Tổ mới"})


def test_admin_cannot_change_or_delete_audit_events(event, client, django_user_model):
    """The audit log is not in the admin at all: it is read on the supervision pages."""
    admin = django_user_model.objects.create_superuser("root", password="x" * 12)
    client.force_login(admin)
    assert client.get(f"/admin/ward/auditevent/{event.pk}/delete/").status_code == 404
    assert (
        client.post(f"/admin/ward/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 404
    )
    response = client.post(f"/admin/ward/auditevent/{event.pk}/change/", {"action": "x"})
    assert response.status_code == 404
    assert AuditEvent.objects.get(pk=event.pk).action == "household.update"
