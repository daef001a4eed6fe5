"""Every write leaves its trace: each write URL of the permission matrix, posted through
its page by a persona allowed to write with valid data, records exactly the expected
audit event (action, object, and the values before and after the change).

A write URL of the matrix (some signed-in persona's POST answers 200 or 302) must be
listed in WRITES (walked here) or in NOT_WALKED with the reason; a new write URL fails
test_every_write_url_is_walked_or_excused until it is added. The matrix's own cases
give the objects (kwargs); this module only adds the data and the expected event."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import models
from django.urls import reverse

from campaigns.models import Activity, BoardMember, Campaign, PlanBlock
from donations.models import Donor
from households.models import Household
from lddh.ward.audit import AuditAction
from lddh.ward.models import AuditEvent
from tests.test_permission_matrix import CASES

MATRIX = {case.url_name: case for case in CASES}


def _form_value(field, value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple):
        return [_form_value(field, v) for v in value]
    return str(value)


def form_data(client, url: str, **changes) -> dict:
    """What the page's form would send back unchanged (as a person sees it filled in),
    with `changes` typed over it."""
    form = client.get(url).context["form"]
    data = {}
    for name, bound in form._bound_items():
        value = _form_value(bound.field, bound.value())
        if value not in ("", []):
            data[form.add_prefix(name)] = value
    data.update({form.add_prefix(k): v for k, v in changes.items()})
    return {k: v for k, v in data.items() if v is not None}


@dataclass
class Write:
    url_name: str
    persona: str
    action: AuditAction
    target: Callable  # (kwargs) -> the object the event names
    data: Callable  # (client, url, kwargs) -> POST data
    before: dict | None = None  # expected subset of the event's "before"
    after: dict | None = None  # expected subset of the event's "after"

    def __str__(self) -> str:
        return self.url_name


def edit(**changes) -> Callable:
    return lambda client, url, kwargs: form_data(client, url, **changes)


def household_of(key: str = "pk") -> Callable:
    return lambda kwargs: Household.objects.get(pk=kwargs[key])


WRITES = [
    # ---------------------------------------------------------------- households
    Write(
        "households:member_edit",
        "leader2",
        AuditAction.HOUSEHOLD_MEMBER_UPDATE,
        household_of(),
        edit(school="Trường THCS Lê Đại Hành", is_student="on"),
        after={"school": "Trường THCS Lê Đại Hành"},
    ),
    Write(
        "households:need_edit",
        "leader2",
        AuditAction.HOUSEHOLD_NEED_UPDATE,
        household_of(),
        edit(description="Mái tôn dột nặng, cần thay trước mùa mưa"),
        after={"description": "Mái tôn dột nặng, cần thay trước mùa mưa"},
    ),
    Write(
        "households:plan_edit",
        "staff",
        AuditAction.HOUSEHOLD_PLAN_UPDATE,
        household_of(),
        edit(responsible="Chi hội Phụ nữ tổ 2"),
        after={"responsible": "Chi hội Phụ nữ tổ 2"},
    ),
    Write(
        "households:member_add",
        "leader2",
        AuditAction.HOUSEHOLD_MEMBER_ADD,
        household_of(),
        edit(full_name="Trần Văn Minh", birth_year="2010", relation="child", gender="male"),
        after={"full_name": "Trần Văn Minh", "birth_year": 2010},
    ),
    Write(
        "households:member_delete",
        "leader2",
        AuditAction.HOUSEHOLD_MEMBER_REMOVE,
        household_of(),
        lambda client, url, kwargs: {},
        before={"member": None},  # filled in by the test from the URL
    ),
    Write(
        "households:need_add",
        "leader2",
        AuditAction.HOUSEHOLD_NEED_ADD,
        household_of(),
        edit(type="loan", description="Vay vốn nuôi lợn", estimated_cost="15.000.000"),
        after={"type": "loan", "estimated_cost": 15_000_000},
    ),
    Write(
        "households:plan_add",
        "leader2",
        AuditAction.HOUSEHOLD_PLAN_ADD,
        household_of(),
        edit(action="Vận động sửa nhà", responsible="Tổ trưởng tổ 2"),
        after={"action": "Vận động sửa nhà", "responsible": "Tổ trưởng tổ 2"},
    ),
    # ---------------------------------------------------------------- campaigns
    Write(
        "campaigns:edit",
        "staff",
        AuditAction.CAMPAIGN_UPDATE,
        lambda kwargs: Campaign.objects.get(pk=kwargs["pk"]),
        edit(name="Tháng cao điểm Vì người nghèo 2024 (sửa)"),
        after={"name": "Tháng cao điểm Vì người nghèo 2024 (sửa)"},
    ),
    Write(
        "campaigns:block_edit",
        "staff",
        AuditAction.PLAN_BLOCK_UPDATE,
        lambda kwargs: PlanBlock.objects.get(pk=kwargs["block_pk"]),
        edit(text="Rà soát hộ nghèo theo chuẩn mới"),
        after={"text": "Rà soát hộ nghèo theo chuẩn mới"},
    ),
    Write(
        "campaigns:board_edit",
        "committee",
        AuditAction.BOARD_MEMBER_UPDATE,
        lambda kwargs: BoardMember.objects.get(pk=kwargs["member_pk"]),
        edit(position="Phó Chủ tịch UB MTTQ phường"),
        after={"position": "Phó Chủ tịch UB MTTQ phường"},
    ),
    Write(
        "campaigns:activity_edit",
        "staff",
        AuditAction.ACTIVITY_UPDATE,
        lambda kwargs: Activity.objects.get(pk=kwargs["activity_pk"]),
        edit(place="Nhà văn hóa tổ 2"),
        after={"place": "Nhà văn hóa tổ 2"},
    ),
    # ---------------------------------------------------------------- donations
    Write(
        "donations:donor_update",
        "staff",
        AuditAction.DONOR_UPDATE,
        lambda kwargs: Donor.objects.get(pk=kwargs["pk"]),
        edit(address="12 phố Lê Đại Hành"),
        after={"address": "12 phố Lê Đại Hành"},
    ),
]

NOT_WALKED = {
    # Not writes of the ward's records: signing in and out, the password, two-factor
    # set-up, the residents' receipt check, the import preview (writes nothing).
    "login": "sign-in events: tests/ward/test_signin.py",
    "logout": "sign-in events: tests/ward/test_signin.py",
    "password_change": "Django's own view; no ward record changes",
    "two_factor_setup": "auth.2fa_enabled: tests/ward/test_two_factor.py",
    "two_factor_verify": "auth.2fa_failed: tests/ward/test_two_factor.py",
    "public:receipt_check": "a look-up, writes nothing",
    "households:import": "a preview, writes nothing",
}
# Write URLs not yet walked here (their services' events are tested directly).
NOT_YET_WALKED = {
    "campaigns:create",
    "campaigns:activate",
    "campaigns:close",
    "campaigns:reopen",
    "campaigns:copy",
    "campaigns:block_create",
    "campaigns:block_move",
    "campaigns:block_delete",
    "campaigns:board_create",
    "campaigns:board_delete",
    "campaigns:targets",
    "campaigns:activity_create",
    "campaigns:activity_delete",
    "donations:create",
    "donations:void_request",
    "donations:receipt_batch",
    "donations:void_approve",
    "donations:void_reject",
    "donations:donor_create",
    "donations:round_create",
    "donations:round_detail",
    "donations:round_update",
    "donations:round_import",
    "donations:round_post",
    "donations:round_delete",
    "donations:statement_upload",
    "donations:statement_match",
    "donations:statement_record",
    "donations:statement_ignore",
    "households:anonymise",
    "households:create",
    "households:edit",
    "households:classify",
    "households:exit",
    "households:reactivate",
    "households:proposal_accept",
    "households:proposal_return",
    "households:review_record",
    "households:review_complete",
    "households:import_apply",
    "households:consent",
    "households:support_create",
    "households:support_edit",
    "households:support_approve",
    "households:support_reject",
    "households:support_pay",
    "households:support_cancel",
    "households:support_follow_up",
    "households:support_attach",
    "households:round_create",
    "households:round_approve",
    "households:round_pay",
    "public:publish",
    "supervision:inspection_create",
    "supervision:inspection_edit",
    "supervision:inspection_status",
    "supervision:inspection_attach",
    "supervision:sample_create",
    "supervision:sample_record",
    "supervision:sample_inspection",
}


def _write_urls() -> set[str]:
    return {
        case.url_name
        for case in CASES
        if case.post and any(status in (200, 302) for p, status in case.post.items() if p != "anon")
    }


def test_every_write_url_is_walked_or_excused():
    walked = {write.url_name for write in WRITES}
    listed = walked | set(NOT_WALKED) | NOT_YET_WALKED
    assert not sorted(_write_urls() - listed), "write URLs missing from tests/test_write_audit.py"
    assert not sorted(listed - _write_urls()), "listed URLs that are not write URLs"
    assert not walked & NOT_YET_WALKED


def _subset(expected: dict | None, actual: dict | None, what: str) -> None:
    if expected is None:
        return
    actual = actual or {}
    assert {k: actual.get(k) for k in expected} == expected, f"{what}: {actual}"


@pytest.mark.parametrize("write", WRITES, ids=str)
def test_a_write_through_its_page_records_its_event(world, write):
    case = MATRIX[write.url_name]
    assert case.post[write.persona] in (200, 302), "the persona must be allowed to write"
    kwargs = case.kwargs(world) if case.kwargs else {}
    url = reverse(write.url_name, kwargs=kwargs)
    client = world.client(write.persona)
    data = write.data(client, url, kwargs)
    target = write.target(kwargs)
    before = write.before
    if before == {"member": None}:
        before = {"member": kwargs["member_pk"]}
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    response = client.post(url, data)

    assert response.status_code == 302, (
        response.context["form"].errors if response.context else response.status_code
    )
    events = list(AuditEvent.objects.filter(pk__gt=last).order_by("pk"))
    assert [e.action for e in events] == [write.action.value]
    event = events[0]
    assert event.actor == world.users[write.persona]
    assert (event.object_type, event.object_id) == (target._meta.label_lower, str(target.pk))
    _subset(before, event.before, "before")
    _subset(write.after, event.after, "after")
    if write.after and event.before is not None and write.action.value.endswith("update"):
        # An edit records what it replaced: every changed key has its old value.
        assert set(write.after) <= set(event.before)
        assert all(event.before[k] != event.after[k] for k in write.after)
