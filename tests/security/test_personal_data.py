"""Personal data: the data subject export of one household and the
anonymisation of households that left the register long ago, with the fund's figures
and its integrity check unchanged."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse

from donations.models import LedgerEntry, Receipt
from donations.selectors import fund_balance
from households import services
from households.models import Household, Member, Support
from households.services import personal_data
from lddh.supervision.integrity import run_check
from lddh.ward.models import AuditEvent
from tests.factories import MemberFactory, NeedFactory, PlanItemFactory
from tests.households.support_helpers import Books, approve, household, pay, propose

TODAY = datetime.date(2026, 6, 1)
LONG_AGO = datetime.date(2019, 3, 15)  # more than 5 years before TODAY
RECENTLY = datetime.date(2024, 12, 1)


def _exit(target: Household, day: datetime.date) -> Household:
    """Leave the register on a given (past) day, as the exit service would have."""
    Household.objects.filter(pk=target.pk).update(
        status=Household.Status.EXITED, exit_date=day, exit_reason="Chuyển đi nơi khác, Hà Nam"
    )
    target.refresh_from_db()
    return target


@pytest.fixture
def paid_household(world):
    """A household of group 2 with a CCCD, a phone, a sick member, a need, a plan step
    and one support paid from the fund (a ledger line, a handover record)."""
    books = Books(world, amount=50_000_000)
    target = household(
        world,
        head_name="Phạm Thị Nguyệt",
        head_cccd="001170099999",
        phone="0987 654 321",
        head_title="bà",
        public_consent=True,
    )
    MemberFactory(
        household=target,
        full_name="Lê Văn Khôi",
        health_note="Suy thận giai đoạn 3, chạy thận tuần 2 lần",
        is_seriously_ill=True,
        school="THCS Ngô Sĩ Liên",
    )
    NeedFactory(household=target, description="Nhà ở ngõ 12 Lê Đại Hành dột nát")
    PlanItemFactory(household=target, action="Gặp bà Nguyệt bàn việc sửa mái")
    support = pay(world, approve(world, propose(world, books, target)))
    return books, target, support


def test_export_holds_everything_about_the_household_and_is_logged(
    world, paid_household, committee_client
):
    _books, target, support = paid_household
    response = committee_client.get(reverse("households:data_export", args=[target.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert f"du-lieu-ho-{target.pk}.json" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["household"]["head_name"] == "Phạm Thị Nguyệt"
    assert data["household"]["head_cccd"] == "001170099999"
    assert data["household"]["phone"] == "0987 654 321"
    assert data["consents"]["public_consent"] is True
    assert data["consents"]["public_pseudonym"].startswith("Hộ bà P.T.N.")
    [member] = data["members"]
    assert member["full_name"] == "Lê Văn Khôi"
    assert member["health_note"].startswith("Suy thận")
    assert data["needs"][0]["description"] == "Nhà ở ngõ 12 Lê Đại Hành dột nát"
    assert data["plan_items"][0]["action"] == "Gặp bà Nguyệt bàn việc sửa mái"
    [paid] = data["supports"]
    assert paid["id"] == support.pk
    assert paid["amount"] == 30_000_000
    assert paid["status"] == Support.Status.PAID
    assert paid["handover"]["number"] == support.handover_number
    assert paid["handover"]["receiver_name"] == "Phạm Thị Nguyệt"
    assert paid["ledger_entry_id"] == support.ledger_entry_id
    actions = {event["action"] for event in data["audit_events"]}
    assert {"support.propose", "support.approve", "support.pay"} <= actions
    # The download itself is in the audit trail and in the log of sensitive reads.
    event = AuditEvent.objects.filter(
        action="household.export_sensitive", object_id=str(target.pk)
    ).get()
    assert event.actor == world.users["committee"]
    sensitive_log = world.client("supervisor").get(reverse("supervision:audit_sensitive"))
    assert sensitive_log.status_code == 200
    assert personal_data.EXPORT_NOTE in sensitive_log.content.decode()


def test_export_link_shows_for_the_committee_only(world, paid_household, staff_client):
    _books, target, _support = paid_household
    url = reverse("households:data_export", args=[target.pk])
    detail = reverse("households:detail", args=[target.pk])
    assert url in world.client("committee").get(detail).content.decode()
    assert url not in staff_client.get(detail).content.decode()
    assert url not in world.client("leader2").get(detail).content.decode()
    assert world.client("leader2").get(url).status_code == 403
    assert world.client("leader1").get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="household.export_sensitive").exists()


def _figures() -> dict:
    """What the fund's reports are made of."""
    supports = Support.objects.order_by().values("category", "group", "status", "campaign")
    return {
        "balances": {f.pk: fund_balance(f) for f in _funds()},
        "ledger": list(
            LedgerEntry.objects.order_by("pk").values_list(
                "pk", "amount", "date", "description", "hash"
            )
        ),
        "receipts": list(Receipt.objects.order_by("pk").values_list("number", "amount")),
        "supports": list(supports.annotate(total=Sum("amount")).order_by("category", "group")),
        "support_dates": list(
            Support.objects.order_by("pk").values_list(
                "pk", "amount", "handover_date", "decision_date", "handover_number", "fund"
            )
        ),
    }


def _funds():
    from donations.models import Fund

    return Fund.objects.all()


def _check_summary():
    report = run_check(today=TODAY)
    return sorted((f.check, f.severity, f.title) for f in report.findings), report.ok


def test_anonymise_replaces_personal_data_and_keeps_the_figures(world, paid_household):
    _books, target, support = paid_household
    _exit(target, LONG_AGO)
    before_figures = _figures()
    before_check = _check_summary()
    assert before_check[1], before_check

    out = io.StringIO()
    call_command("anonymise_households", "--today", TODAY.isoformat(), stdout=out)
    assert "1 hộ" in out.getvalue()

    target.refresh_from_db()
    assert target.head_name == f"Hộ đã ẩn danh số {target.pk}"
    assert target.head_cccd == ""
    assert target.phone == ""
    assert target.address == personal_data.ANONYMOUS_ADDRESS
    assert target.circumstances == ""
    assert target.exit_reason == ""
    assert target.public_consent is False
    assert target.public_pseudonym() == ""
    assert "nguyet" not in target.search_key
    member = Member.objects.get(household=target)
    assert member.full_name == "Thành viên 1"
    assert member.health_note == ""
    assert member.school == ""
    assert member.is_seriously_ill  # a statistic, no longer about a named person
    assert target.needs.get().description == ""
    assert "Nguyệt" not in target.plan_items.get().action
    support.refresh_from_db()
    assert support.receiver_name == personal_data.ANONYMOUS_PERSON
    assert support.recipient["head_name"] == target.head_name
    assert support.recipient["group_number"] == 2
    assert support.amount == 30_000_000
    assert support.status == Support.Status.PAID
    # Totals, receipts, the ledger (with its hash chain) and the check are all unchanged.
    assert _figures() == before_figures
    assert _check_summary() == before_check
    event = AuditEvent.objects.get(action="household.anonymise", object_id=str(target.pk))
    assert "Nguyệt" not in event.object_repr
    assert event.after["counts"]["members"] == 1
    # The export of an anonymised household holds no trace of the person in the register.
    data = personal_data.household_data(target)
    dumped = json.dumps(
        {k: v for k, v in data.items() if k not in ("audit_events", "consents")},
        ensure_ascii=False,
    )
    assert "001170099999" not in dumped
    assert "Suy thận" not in dumped
    assert "Lê Văn Khôi" not in dumped


def test_anonymise_is_idempotent_and_leaves_recent_and_active_households(world, paid_household):
    _books, old, _support = paid_household
    _exit(old, LONG_AGO)
    recent = _exit(household(world, head_name="Đỗ Văn Gần"), RECENTLY)
    active = household(world, head_name="Vũ Thị Đang")

    dry = io.StringIO()
    call_command("anonymise_households", "--today", TODAY.isoformat(), "--dry-run", stdout=dry)
    assert "Phạm Thị Nguyệt" not in dry.getvalue()  # the dry run lists numbers, not names
    assert f"số {old.pk}" in dry.getvalue()
    old.refresh_from_db()
    assert old.head_name == "Phạm Thị Nguyệt"
    assert not AuditEvent.objects.filter(action="household.anonymise").exists()

    call_command("anonymise_households", "--today", TODAY.isoformat(), stdout=io.StringIO())
    first = AuditEvent.objects.filter(action="household.anonymise").count()
    old.refresh_from_db()
    anonymised_at = old.updated_at
    again = io.StringIO()
    call_command("anonymise_households", "--today", TODAY.isoformat(), stdout=again)
    assert "Không có hộ nào" in again.getvalue()
    assert AuditEvent.objects.filter(action="household.anonymise").count() == first == 1
    old.refresh_from_db()
    assert old.updated_at == anonymised_at
    recent.refresh_from_db()
    active.refresh_from_db()
    assert recent.head_name == "Đỗ Văn Gần"
    assert active.head_name == "Vũ Thị Đang"
    # A shorter period (setting or option) takes the recent one too.
    call_command(
        "anonymise_households", "--today", TODAY.isoformat(), "--years", "1", stdout=io.StringIO()
    )
    recent.refresh_from_db()
    assert recent.head_name.startswith("Hộ đã ẩn danh")


def test_setting_decides_the_period(world, settings):
    settings.HOUSEHOLD_ANONYMISE_AFTER_YEARS = 10
    target = _exit(household(world), LONG_AGO)
    assert not personal_data.households_to_anonymise(TODAY).filter(pk=target.pk).exists()
    settings.HOUSEHOLD_ANONYMISE_AFTER_YEARS = 5
    assert personal_data.households_to_anonymise(TODAY).filter(pk=target.pk).exists()


def test_an_active_household_is_never_anonymised(world):
    target = household(world)
    with pytest.raises(ValueError):
        personal_data.household_anonymise(actor=None, household=target)
    target.refresh_from_db()
    assert not target.head_name.startswith("Hộ đã ẩn danh")


def test_the_exit_service_then_anonymise_keeps_the_register_consistent(world):
    target = household(world, head_cccd="001099000111")
    services.household_exit(
        actor=world.users["committee"],
        household=target,
        exit_date=LONG_AGO,
        reason="Đã thoát nghèo",
    )
    personal_data.anonymise_due(actor=None, today=TODAY)
    target.refresh_from_db()
    assert target.status == Household.Status.EXITED
    assert target.exit_date == LONG_AGO
    # The CCCD is free again: a new household may be registered with it.
    household(world, head_cccd="001099000111")


def test_the_committee_page_lists_and_anonymises_the_households_due(world, paid_household):
    _books, old, _support = paid_household
    _exit(old, datetime.date(2015, 1, 10))
    recent = _exit(household(world, head_name="Đỗ Văn Gần"), datetime.date.today())
    url = reverse("households:anonymise")
    committee = world.client("committee")
    page = committee.get(url).content.decode()
    assert "Phạm Thị Nguyệt" in page and "Đỗ Văn Gần" not in page
    assert url in committee.get(reverse("dashboard:home")).content.decode()  # in the menu
    # Without the confirmation box nothing happens.
    committee.post(url, {})
    old.refresh_from_db()
    assert old.head_name == "Phạm Thị Nguyệt"
    response = committee.post(url, {"xac_nhan": "1"}, follow=True)
    assert "Đã ẩn danh 1 hộ" in response.content.decode()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.head_name.startswith("Hộ đã ẩn danh")
    assert recent.head_name == "Đỗ Văn Gần"
    event = AuditEvent.objects.get(action="household.anonymise")
    assert event.actor == world.users["committee"]
    assert world.client("staff").post(url, {"xac_nhan": "1"}).status_code == 403
