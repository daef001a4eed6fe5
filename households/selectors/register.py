"""Reads of the register, always scoped to the viewer (404 outside the scope): pages, exports
and any later PDF go through households_for(access), so a leader never reaches another
group's household by any door."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from campaigns.models import Campaign
from households.models import (
    Category,
    DifficultyReason,
    Household,
    Member,
    Need,
    NeedType,
    PlanItem,
    Proposal,
    Review,
    ReviewRound,
)
from lddh.ward.access import Access, access_for
from lddh.ward.audit import AuditAction, action_label
from lddh.ward.dates import format_date
from lddh.ward.models import AuditEvent, ResidentialGroup
from lddh.ward.money import format_dong

__all__ = [
    "DIFFICULT",
    "PAGE_SIZE",
    "RETURNED_RECENT_DAYS",
    "TIMELINE_SOURCES",
    "VIEW_ACTIONS",
    "GroupProgress",
    "ListFilters",
    "ProposalFilters",
    "TimelineEntry",
    "TimelineSource",
    "campaigns_for_review",
    "describe_changes",
    "filter_households",
    "group_for",
    "group_review_rows",
    "groups_for",
    "household_detail",
    "household_for",
    "household_for_update",
    "household_list",
    "household_timeline",
    "households_for",
    "list_counts",
    "proposal_for",
    "proposal_for_update",
    "proposal_rows",
    "proposals_for",
    "register_access",
    "review_progress",
    "sensitive_view_log",
    "unreviewed_households",
]

PAGE_SIZE = 25
DIFFICULT = "difficult"
"""The list's category filter also offers the Front's own working category."""

VIEW_ACTIONS = (AuditAction.HOUSEHOLD_VIEW_SENSITIVE, AuditAction.HOUSEHOLD_EXPORT_SENSITIVE)


# ---------------------------------------------------------------- scope


def households_for(access: Access):
    """Every household this person may see; nothing for someone without a role."""
    if access.reads_all:
        return Household.objects.all()
    if access.is_leader:
        return Household.objects.filter(group_id__in=access.group_ids)
    return Household.objects.none()


def register_access(user) -> Access:
    """The viewer's access for a list page of the register: the ward's roles and group
    leaders; anyone else (the level above included) gets 403."""
    access = access_for(user)
    if not (access.reads_all or access.is_leader):
        raise PermissionDenied
    return access


def household_for(access: Access, pk: int) -> Household:
    """The household to read: 404 outside the viewer's scope (the level above included, it
    never sees a household)."""
    return get_object_or_404(households_for(access).select_related("group"), pk=pk)


def household_for_update(access: Access, pk: int) -> Household:
    """The household to change: 404 outside scope, 403 for a read-only role."""
    household = household_for(access, pk)
    if not access.can_edit_group(household.group_id):
        raise PermissionDenied
    return household


def groups_for(access: Access):
    groups = ResidentialGroup.objects.order_by("number", "pk")
    return groups if access.reads_all else groups.filter(pk__in=access.group_ids)


def proposals_for(access: Access):
    if access.reads_all:
        return Proposal.objects.all()
    if access.is_leader:
        return Proposal.objects.filter(group_id__in=access.group_ids)
    return Proposal.objects.none()


RETURNED_RECENT_DAYS = 30
"""A returned proposal waits in its proposer's inbox this many days after the return."""


@dataclass
class ProposalFilters:
    """The proposal list's filters: a status ("all" for every one), the viewer's own
    proposals only (`cua_toi=1`), and decided in the last N days (`ngay=N`). A value the
    list cannot use is named in `errors` and that filter is not applied."""

    status: str = Proposal.Status.PENDING
    mine: bool = False
    days: int | None = None
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, params) -> ProposalFilters:
        errors = []
        status = params.get("trang_thai", Proposal.Status.PENDING)
        if status not in (*Proposal.Status.values, "all"):
            errors.append(f"Trạng thái “{status}” không có; danh sách hiện các đề xuất chờ xử lý.")
            status = Proposal.Status.PENDING
        days = params.get("ngay", "")
        if days and not (days.isdigit() and 0 < int(days) <= 3660):
            errors.append(f"Số ngày “{days}” phải là số nguyên từ 1 đến 3660.")
            days = ""
        mine = params.get("cua_toi", "")
        if mine not in ("", "1"):
            errors.append(f"“Đề xuất của tôi” chỉ nhận giá trị 1, không nhận “{mine}”.")
        return cls(
            status=status,
            mine=mine == "1",
            days=int(days) if days else None,
            errors=errors,
        )

    def query(self) -> dict[str, str]:
        query = {"trang_thai": self.status}
        if self.mine:
            query["cua_toi"] = "1"
        if self.days:
            query["ngay"] = str(self.days)
        return query


def proposal_rows(access: Access, filters: ProposalFilters, now: datetime.datetime | None = None):
    """The proposals of the list, filtered; the inbox counts the same rows."""
    rows = proposals_for(access)
    if filters.status != "all":
        rows = rows.filter(status=filters.status)
    if filters.mine:
        rows = rows.filter(proposed_by_id=access.user_id)
    if filters.days:
        since = (now or timezone.now()) - datetime.timedelta(days=filters.days)
        rows = rows.filter(decided_at__gte=since)
    return rows


def unreviewed_households(group_id: int, campaign: Campaign):
    """The group's households on the list that the campaign's review has not reached."""
    return (
        Household.objects.active()
        .filter(group_id=group_id)
        .exclude(Exists(Review.objects.filter(household=OuterRef("pk"), round__campaign=campaign)))
    )


def proposal_for(access: Access, pk: int) -> Proposal:
    return get_object_or_404(
        proposals_for(access).select_related("group", "household", "proposed_by", "decided_by"),
        pk=pk,
    )


def proposal_for_update(access: Access, pk: int) -> Proposal:
    """The proposal to decide on: only the office decides (403), 404 outside scope."""
    proposal = proposal_for(access, pk)
    if not access.is_office:
        raise PermissionDenied
    return proposal


def group_for(access: Access, pk: int) -> ResidentialGroup:
    return get_object_or_404(groups_for(access), pk=pk)


# ---------------------------------------------------------------- the list


@dataclass
class ListFilters:
    group: int | None = None
    category: str = ""
    need_type: str = ""
    status: str = Household.Status.ACTIVE
    q: str = ""

    @classmethod
    def from_query(cls, params) -> ListFilters:
        def as_int(value):
            try:
                return int(value)
            except (TypeError, ValueError):
                return None

        status = params.get("trang_thai", Household.Status.ACTIVE)
        category = params.get("phan_loai", "")
        need_type = params.get("nhu_cau", "")
        return cls(
            group=as_int(params.get("to")),
            category=category if category in (*Category.values, DIFFICULT) else "",
            need_type=need_type if need_type in NeedType.values else "",
            status=status if status in (*Household.Status.values, "all") else "active",
            q=(params.get("q") or "").strip()[:100],
        )


def filter_households(qs, filters: ListFilters):
    if filters.group:
        qs = qs.filter(group_id=filters.group)
    if filters.category == DIFFICULT:
        qs = qs.filter(especially_difficult=True)
    elif filters.category:
        qs = qs.filter(category=filters.category)
    if filters.need_type:
        open_need = Need.objects.filter(
            household=OuterRef("pk"),
            type=filters.need_type,
            status__in=(Need.Status.OPEN, Need.Status.PLANNED),
        )
        qs = qs.filter(Exists(open_need))
    if filters.status != "all":
        qs = qs.filter(status=filters.status)
    return qs.search(filters.q)


def _count_subquery(model, **conditions):
    rows = (
        model.objects.filter(household=OuterRef("pk"), **conditions)
        .order_by()
        .values("household")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def household_list(access: Access, filters: ListFilters):
    """The rows of the list page: a fixed number of queries however many households."""
    open_statuses = (Need.Status.OPEN, Need.Status.PLANNED)
    cost = (
        Need.objects.filter(household=OuterRef("pk"), status__in=open_statuses)
        .order_by()
        .values("household")
        .annotate(total=Sum("estimated_cost"))
        .values("total")
    )
    qs = filter_households(households_for(access), filters)
    return (
        qs.select_related("group")
        .only(
            "pk",
            "head_name",
            "head_birth_year",
            "address",
            "category",
            "especially_difficult",
            "status",
            "group__name",
            "group__number",
        )
        .annotate(
            member_count=_count_subquery(Member),
            open_need_count=_count_subquery(Need, status__in=open_statuses),
            open_need_cost=Coalesce(Subquery(cost), Value(0)),
        )
        .order_by("group__number", "head_name", "pk")
    )


def list_counts(access: Access, filters: ListFilters) -> dict[str, int]:
    """Counts for the filtered list in one query: total, near-poor, especially difficult."""
    qs = filter_households(households_for(access), filters)
    return qs.aggregate(
        total=Count("pk"),
        poor=Count("pk", filter=Q(category=Category.POOR)),
        near_poor=Count("pk", filter=Q(category=Category.NEAR_POOR)),
        difficult=Count("pk", filter=Q(especially_difficult=True)),
    )


# ---------------------------------------------------------------- one household


def household_detail(household: Household) -> dict[str, Any]:
    members = list(household.members.all())
    needs = list(household.needs.all())
    plan_items = list(household.plan_items.select_related("need"))
    open_needs = [n for n in needs if n.is_open]
    return {
        "members": members,
        "needs": needs,
        "plan_items": plan_items,
        "open_need_cost": sum(n.estimated_cost for n in open_needs),
        "pending_proposals": list(
            household.proposals.filter(status=Proposal.Status.PENDING).select_related("proposed_by")
        ),
    }


def sensitive_view_log(household: Household, limit: int = 10) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type=Household._meta.label_lower,
            object_id=str(household.pk),
            action__in=VIEW_ACTIONS,
        )[:limit]
    )


# ---------------------------------------------------------------- the timeline


@dataclass
class TimelineEntry:
    at: datetime.datetime
    kind: str  # "change", "review", "proposal", "support"
    title: str
    actor: str = ""
    note: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)


_MONEY = {"estimated_cost", "income_per_person"}
_DATES = {"exit_date", "due_date"}
_HIDDEN = {"member", "need", "plan_item", "campaign", "household"}
_LISTS = {"members": "Thành viên khác", "needs": "Nhu cầu"}
_MODEL_FOR_ACTION = {
    "household.member": Member,
    "household.need": Need,
    "household.plan": PlanItem,
    "household.review": Review,
}


def _model_for(action: str):
    for prefix, model in _MODEL_FOR_ACTION.items():
        if action.startswith(prefix):
            return model
    return Household


def _field(model, name: str):
    for candidate in (model, Household):
        try:
            return candidate._meta.get_field(name)
        except Exception:  # noqa: S112 - not a field of this model, try the next
            continue
    return None


def _display(model, name: str, value: Any, groups: dict[int, str]) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if name == "group":
        return groups.get(value, str(value))
    if name == "members":
        relations = dict(Member.Relation.choices)
        return "; ".join(
            f"{row.get('full_name')} ("
            + ", ".join(
                part
                for part in (
                    f"sinh năm {row['birth_year']}" if row.get("birth_year") else "",
                    str(relations.get(row.get("relation"), row.get("relation"))),
                )
                if part
            )
            + ")"
            for row in value
        )
    if name == "needs":
        types = dict(NeedType.choices)
        return "; ".join(
            str(types.get(row.get("type"), row.get("type")))
            + (f" – {format_dong(int(row['estimated_cost']))}" if row.get("estimated_cost") else "")
            + (f": {row['description']}" if row.get("description") else "")
            for row in value
        )
    if name == "difficulty_reasons":
        labels = dict(DifficultyReason.choices)
        return ", ".join(labels.get(code, code) for code in value)
    if name in _MONEY:
        return format_dong(int(value))
    if name in _DATES:
        try:
            return format_date(datetime.date.fromisoformat(value))
        except (TypeError, ValueError):
            return str(value)
    model_field = _field(model, name)
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def describe_changes(
    before: dict | None,
    after: dict | None,
    groups: dict[int, str] | None = None,
    model=Household,
) -> list[tuple[str, str, str]]:
    """(label, before, after) rows a person can read: labels, choices, đồng, dates.
    A value only recorded after (a creation) shows when it says something."""
    before, after, groups = before or {}, after or {}, groups or {}
    rows = []
    for name in [k for k in {**before, **after} if k not in _HIDDEN]:
        model_field = None if name in _LISTS else _field(model, name)
        label = (
            str(model_field.verbose_name).capitalize() if model_field else _LISTS.get(name, name)
        )
        old = _display(model, name, before.get(name), groups) if name in before else ""
        new = _display(model, name, after.get(name), groups) if name in after else ""
        if not before and new in ("—", "Không"):
            continue
        rows.append((label, old, new))
    return rows


def _audit_entries(household: Household) -> list[TimelineEntry]:
    proposal_ids = [str(pk) for pk in household.proposals.values_list("pk", flat=True)]
    events = AuditEvent.objects.filter(
        Q(object_type=Household._meta.label_lower, object_id=str(household.pk))
        | Q(object_type=Proposal._meta.label_lower, object_id__in=proposal_ids)
    ).exclude(action__in=VIEW_ACTIONS)
    groups = dict(ResidentialGroup.objects.values_list("pk", "name"))
    return [
        TimelineEntry(
            at=event.at,
            kind="proposal" if event.action.startswith("proposal.") else "change",
            title=action_label(event.action)
            + (f" số {event.object_id}" if event.action.startswith("proposal.") else ""),
            actor=event.actor_name,
            note=event.note,
            changes=describe_changes(
                event.before, event.after, groups, model=_model_for(event.action)
            ),
        )
        for event in events
    ]


TimelineSource = Callable[[Household], list[TimelineEntry]]
TIMELINE_SOURCES: list[TimelineSource] = [_audit_entries]
"""Where a household's history comes from. The audit log already holds the register's
changes, reviews and needs; the support issue appends its own source (support received)."""


def household_timeline(household: Household) -> list[TimelineEntry]:
    entries = [entry for source in TIMELINE_SOURCES for entry in source(household)]
    return sorted(entries, key=lambda e: e.at, reverse=True)


# ---------------------------------------------------------------- review rounds


def campaigns_for_review():
    return Campaign.objects.order_by("-start_date", "-pk")


@dataclass
class GroupProgress:
    group: ResidentialGroup
    households: int
    reviewed: int
    by_outcome: dict[str, int]
    pending_proposals: int
    completed_at: datetime.datetime | None

    @property
    def left(self) -> int:
        return max(self.households - self.reviewed, 0)

    @property
    def percent(self) -> int:
        return self.reviewed * 100 // self.households if self.households else 100


def review_progress(access: Access, campaign: Campaign, groups=None) -> list[GroupProgress]:
    """Per visible group: active households, how many reviewed, proposals waiting."""
    groups = list(groups_for(access) if groups is None else groups)
    active = dict(
        Household.objects.active()
        .filter(group__in=groups)
        .values("group")
        .annotate(n=Count("pk"))
        .values_list("group", "n")
    )
    reviewed: dict[int, dict[str, int]] = {}
    for group_id, outcome, n in (
        Review.objects.filter(round__campaign=campaign, household__status="active")
        .order_by()
        .values("round__group", "outcome")
        .annotate(n=Count("pk"))
        .values_list("round__group", "outcome", "n")
    ):
        reviewed.setdefault(group_id, {})[outcome] = n
    waiting = dict(
        Proposal.objects.filter(status=Proposal.Status.PENDING, group__in=groups)
        .values("group")
        .annotate(n=Count("pk"))
        .values_list("group", "n")
    )
    completed = dict(
        ReviewRound.objects.filter(campaign=campaign, group__in=groups).values_list(
            "group", "completed_at"
        )
    )
    return [
        GroupProgress(
            group=group,
            households=active.get(group.pk, 0),
            reviewed=sum(reviewed.get(group.pk, {}).values()),
            by_outcome=reviewed.get(group.pk, {}),
            pending_proposals=waiting.get(group.pk, 0),
            completed_at=completed.get(group.pk),
        )
        for group in groups
    ]


def group_review_rows(group: ResidentialGroup, campaign: Campaign) -> list[dict[str, Any]]:
    households = list(Household.objects.active().filter(group=group).select_related("group"))
    reviews = {
        review.household_id: review
        for review in Review.objects.filter(
            round__campaign=campaign, round__group=group
        ).select_related("reviewed_by")
    }
    waiting = set(
        Proposal.objects.filter(
            status=Proposal.Status.PENDING, household__in=households, kind=Proposal.Kind.EXIT
        ).values_list("household_id", flat=True)
    )
    return [
        {"household": h, "review": reviews.get(h.pk), "exit_waiting": h.pk in waiting}
        for h in households
    ]
