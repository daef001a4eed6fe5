"""Inspections and samples: who may write, what is validated, reproducible draws."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lddh.supervision import services
from lddh.supervision.models import Inspection, Sample, SampleItem
from lddh.ward.models import AuditEvent
from lddh.ward.roles import Role
from tests.factories import HouseholdFactory, MembershipFactory, UserFactory
from tests.households.support_helpers import PNG, Books, approve, pay, propose, upload

DAY = datetime.date(2024, 11, 25)


def data(world, **overrides):
    values = {
        "date": DAY,
        "title": "Kiểm tra tổ 2",
        "team": "Hoàng Minh Đức",
        "scope": Inspection.Scope.GROUP,
        "group": world.groups[2],
        "findings": "Sổ thu của tổ khớp tiền nộp.",
    }
    values.update(overrides)
    return values


def test_supervisor_records_an_inspection_with_its_records_and_audit(world):
    books = Books(world)
    receipt = books.give(200_000).receipt
    inspection = services.inspection_create(
        actor=world.users["supervisor"], data=data(world), receipt_numbers=[receipt.number.lower()]
    )
    assert inspection.created_by == world.users["supervisor"]
    assert [r.label for r in inspection.records.all()] == [f"Biên nhận {receipt.number}"]
    event = AuditEvent.objects.get(action="inspection.create")
    assert event.after["receipts"] == [receipt.number]


@pytest.mark.parametrize("persona", ["staff", "committee", "treasurer", "higher", "leader1"])
def test_only_the_supervisor_records_inspections(world, persona):
    with pytest.raises(PermissionDenied):
        services.inspection_create(actor=world.users[persona], data=data(world))


def test_scope_needs_its_object_and_a_construction_is_a_house_support(world):
    with pytest.raises(ValidationError) as error:
        services.inspection_create(actor=world.users["supervisor"], data=data(world, group=None))
    assert "group" in error.value.message_dict
    books = Books(world, amount=10_000_000)
    medical = propose(world, books, category="medical", amount=1_000_000)
    with pytest.raises(ValidationError) as error:
        services.inspection_create(
            actor=world.users["supervisor"],
            data=data(world, scope=Inspection.Scope.CONSTRUCTION, support=medical),
        )
    assert "support" in error.value.message_dict


def test_unknown_receipt_numbers_and_future_dates_are_refused(world):
    with pytest.raises(ValidationError) as error:
        services.inspection_create(
            actor=world.users["supervisor"],
            data=data(world, date=datetime.date.today() + datetime.timedelta(days=2)),
            receipt_numbers=["VNN-2024-999999"],
        )
    assert "date" in error.value.message_dict


def test_only_the_author_edits_and_the_committee_may_follow_up(world):
    inspection = services.inspection_create(actor=world.users["supervisor"], data=data(world))
    other = UserFactory(username="giamsat2")
    MembershipFactory(user=other, role=Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        services.inspection_update(actor=other, inspection=inspection, data=data(world))
    with pytest.raises(PermissionDenied):
        services.inspection_set_status(
            actor=world.users["staff"], inspection=inspection, status="closed", note="Xong"
        )
    with pytest.raises(ValidationError):
        services.inspection_set_status(
            actor=world.users["committee"], inspection=inspection, status="closed", note=""
        )
    done = services.inspection_set_status(
        actor=world.users["committee"], inspection=inspection, status="closed", note="Đã bổ sung"
    )
    assert done.status == Inspection.Status.CLOSED
    assert "Đã bổ sung" in done.status_note


def test_attachments_are_judged_by_content(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    inspection = services.inspection_create(actor=world.users["supervisor"], data=data(world))
    with pytest.raises(ValidationError):
        services.inspection_attach(
            actor=world.users["supervisor"],
            inspection=inspection,
            upload=upload(b"<html>not an image</html>", "bien-ban.png"),
        )
    attachment = services.inspection_attach(
        actor=world.users["supervisor"], inspection=inspection, upload=upload(PNG, "anh.jpg")
    )
    assert attachment.content_type == "image/png" and attachment.extension == "png"


def _households(world, n=12):
    return [HouseholdFactory(group=world.groups[1 + i % 9]) for i in range(n)]


def test_same_seed_draws_the_same_sample(world):
    _households(world)
    first = services.sample_draw(
        actor=world.users["supervisor"], kind=Sample.Kind.HOUSEHOLDS, size=4, seed=42
    )
    second = services.sample_draw(
        actor=world.users["supervisor"], kind=Sample.Kind.HOUSEHOLDS, size=4, seed=42
    )
    ids = [list(s.items.values_list("household_id", flat=True)) for s in (first, second)]
    assert ids[0] == ids[1]
    assert first.population_size == 12 and len(set(ids[0])) == 4
    assert services.draw(first.population, 4, 42) == ids[0]
    other = services.sample_draw(
        actor=world.users["supervisor"], kind=Sample.Kind.HOUSEHOLDS, size=4, seed=43
    )
    assert list(other.items.values_list("household_id", flat=True)) != ids[0]


def test_sample_without_seed_records_the_one_chosen(world):
    _households(world, 3)
    sample = services.sample_draw(
        actor=world.users["supervisor"], kind=Sample.Kind.HOUSEHOLDS, size=10
    )
    assert sample.size == 3 and sample.seed >= 0
    assert AuditEvent.objects.get(action="sample.draw").after["seed"] == sample.seed


def test_sample_of_paid_supports_only(world):
    books = Books(world, amount=50_000_000)
    paid = pay(world, approve(world, propose(world, books, amount=1_000_000)))
    approve(world, propose(world, books, amount=2_000_000))  # approved, not paid
    sample = services.sample_draw(
        actor=world.users["supervisor"], kind=Sample.Kind.SUPPORTS, size=5, seed=1
    )
    assert [(i.support_id, i.household_id) for i in sample.items.all()] == [
        (paid.pk, paid.household_id)
    ]


@pytest.mark.parametrize("size", [0, -1, 201])
def test_sample_size_is_checked(world, size):
    _households(world, 2)
    with pytest.raises(ValidationError):
        services.sample_draw(
            actor=world.users["supervisor"], kind=Sample.Kind.HOUSEHOLDS, size=size
        )


def test_leader_cannot_draw(world):
    with pytest.raises(PermissionDenied):
        services.sample_draw(actor=world.users["leader1"], kind=Sample.Kind.HOUSEHOLDS, size=1)


def test_results_feed_an_inspection(world):
    _households(world, 5)
    supervisor = world.users["supervisor"]
    sample = services.sample_draw(actor=supervisor, kind=Sample.Kind.HOUSEHOLDS, size=3, seed=5)
    items = list(sample.items.order_by("position"))
    with pytest.raises(ValidationError) as error:
        services.sample_record(
            actor=supervisor, item=items[0], result="discrepancy", note="", checked_on=DAY
        )
    assert "note" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.sample_to_inspection(actor=supervisor, sample=sample, date=DAY, team="Đoàn")
    for item in items[:2]:
        services.sample_record(
            actor=supervisor, item=item, result="confirmed", note="", checked_on=DAY
        )
    services.sample_record(
        actor=supervisor,
        item=items[2],
        result="discrepancy",
        note="Hộ đã chuyển đi",
        checked_on=DAY,
    )
    with pytest.raises(PermissionDenied):
        services.sample_record(
            actor=world.users["committee"],
            item=items[0],
            result="confirmed",
            note="",
            checked_on=DAY,
        )
    inspection = services.sample_to_inspection(
        actor=supervisor, sample=sample, date=DAY, team="Đoàn kiểm tra"
    )
    assert inspection.status == Inspection.Status.OPEN
    assert "2 đúng thực tế, 1 có sai lệch" in inspection.findings
    assert "Hộ đã chuyển đi" in inspection.findings
    assert inspection.records.count() == 3
    sample.refresh_from_db()
    assert sample.inspection == inspection
    with pytest.raises(ValidationError):
        services.sample_record(
            actor=supervisor, item=items[0], result="confirmed", note="", checked_on=DAY
        )
    with pytest.raises(ValidationError):
        services.sample_to_inspection(actor=supervisor, sample=sample, date=DAY, team="Đoàn")
    assert SampleItem.objects.filter(result="discrepancy").count() == 1
