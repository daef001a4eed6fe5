"""Reads of campaigns, for every app and page (the dashboard reads targets from here)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404

from campaigns.models import Activity, BoardMember, Campaign, PlanBlock
from lddh.ward.access import Access
from lddh.ward.compiled import model_rows, value_rows
from lddh.ward.models import AuditEvent, MemberOrganisation, ResidentialGroup

# ---------------------------------------------------------------------------- campaigns


def active_campaign() -> Campaign | None:
    return Campaign.objects.filter(status=Campaign.Status.ACTIVE).first()


def active_in(campaigns) -> Campaign | None:
    """``active_campaign()`` found among every campaign already read in the model's
    order (``Campaign.Meta.ordering``, which ``first()`` follows too)."""
    return next((c for c in campaigns if c.status == Campaign.Status.ACTIVE), None)


def next_campaign_year(today: datetime.date) -> int:
    """The year a copied plan is for: the year after the latest campaign, but never a
    year whose peak month (the latest campaign's dates moved to that year) has already
    ended by today."""
    latest = Campaign.objects.order_by("-year", "-start_date").only("year", "end_date").first()
    if latest is None:
        return today.year
    year = max(latest.year + 1, today.year)
    end = latest.end_date
    try:
        end = end.replace(year=end.year + year - latest.year)
    except ValueError:  # 29/02
        end = end.replace(year=end.year + year - latest.year, day=28)
    return year + 1 if end < today else year


def campaign_on(day: datetime.date) -> Campaign | None:
    """The campaign whose period contains `day` (periods never overlap)."""
    return Campaign.objects.filter(start_date__lte=day, end_date__gte=day).first()


def campaigns_list():
    return Campaign.objects.all()


def campaign_rows() -> QuerySet[Campaign]:
    """The campaign list: only the columns shown, with counts in the same query."""
    return (
        Campaign.objects.only(
            "pk", "year", "name", "start_date", "end_date", "document_number", "target", "status"
        )
        .annotate(
            block_count=Count("blocks", distinct=True),
            activity_count=Count("activities", distinct=True),
        )
        .order_by("-start_date", "-pk")
    )


def campaign_for(access: Access, pk: int) -> Campaign:
    """The scoped getter: every role that sees campaigns sees all of them."""
    if not (access.reads_figures or access.is_leader):
        raise Http404
    try:
        return Campaign.objects.get(pk=pk)
    except Campaign.DoesNotExist:
        raise Http404 from None


def campaign_for_update(access: Access, pk: int) -> Campaign:
    """The campaign to change: 404 as for reading, 403 unless ward staff or the standing
    committee (a closed campaign is refused by the services, with the way forward)."""
    campaign = campaign_for(access, pk)
    if not access.is_office:
        raise PermissionDenied
    return campaign


def previous_campaign(campaign: Campaign) -> Campaign | None:
    return (
        Campaign.objects.filter(start_date__lt=campaign.start_date).order_by("-start_date").first()
    )


def campaign_history(campaign: Campaign, limit: int = 20) -> list[AuditEvent]:
    """The audit events of the campaign itself: creation, edits, status, targets, copy."""
    return list(
        AuditEvent.objects.filter(
            object_type=Campaign._meta.label_lower, object_id=str(campaign.pk)
        ).order_by("-at", "-pk")[:limit]
    )


# ---------------------------------------------------------------------------- plan

# Numbered headings of the document; the actors' parts are numbered 1, 2, ... inside IV.
SECTION_HEADINGS = {
    PlanBlock.Section.PURPOSES: "I. MỤC ĐÍCH, YÊU CẦU:",
    PlanBlock.Section.CONTENTS: "II. NỘI DUNG THỰC HIỆN:",
    PlanBlock.Section.TIMING: "III. THỜI GIAN THỰC HIỆN",
}
ORGANISATION_HEADING = "IV. TỔ CHỨC THỰC HIỆN:"
ACTOR_HEADINGS = {
    PlanBlock.Section.WARD_COMMITTEE: "Ủy ban MTTQ Việt Nam phường:",
    PlanBlock.Section.PEOPLES_COMMITTEE: "Đề nghị Ủy ban nhân dân phường:",
    PlanBlock.Section.BOARD: "Các thành viên Ban vận động Quỹ “Vì người nghèo” phường:",
    PlanBlock.Section.ORGANISATIONS: "Các tổ chức thành viên của Ủy ban MTTQ Việt Nam phường:",
    PlanBlock.Section.FRONT_COMMITTEES: "Các Ban công tác Mặt trận tổ dân phố:",
}


@dataclass
class PlanPart:
    section: str
    label: str
    heading: str
    blocks: list[PlanBlock] = field(default_factory=list)
    numbered: bool = False  # "1.", "2." before each paragraph (the contents)

    @property
    def bulleted(self) -> bool:
        """Several paragraphs read as a list ("- ..."), as in the ward's document."""
        return not self.numbered and len(self.blocks) > 1


@dataclass
class Plan:
    preamble: PlanPart
    main: list[PlanPart]  # I, II, III
    actors: list[PlanPart]  # IV.1, IV.2, ...
    closing: PlanPart
    timing_default: str

    @property
    def has_actors(self) -> bool:
        return any(part.blocks for part in self.actors)

    @property
    def is_empty(self) -> bool:
        parts = [self.preamble, *self.main, *self.actors, self.closing]
        return not any(part.blocks for part in parts)


def plan_for(campaign: Campaign) -> Plan:
    """The plan's paragraphs grouped by section in document order: one query."""
    by_section: dict[str, list[PlanBlock]] = {s: [] for s in PlanBlock.Section.values}
    for block in campaign.blocks.order_by("order", "pk"):
        by_section[block.section].append(block)

    def part(section: PlanBlock.Section, heading: str, **kwargs) -> PlanPart:
        return PlanPart(section, section.label, heading, by_section[section], **kwargs)

    sections = PlanBlock.Section
    actors = []
    for number, (section, heading) in enumerate(ACTOR_HEADINGS.items(), start=1):
        actors.append(part(section, f"{number}. {heading}"))
    return Plan(
        preamble=part(sections.PREAMBLE, ""),
        main=[
            part(sections.PURPOSES, SECTION_HEADINGS[sections.PURPOSES]),
            part(sections.CONTENTS, SECTION_HEADINGS[sections.CONTENTS], numbered=True),
            part(sections.TIMING, SECTION_HEADINGS[sections.TIMING]),
        ],
        actors=actors,
        closing=part(sections.CLOSING, ""),
        timing_default=(
            f"Thời gian triển khai {campaign.name} từ ngày {campaign.start_date:%d/%m/%Y} "
            f"đến ngày {campaign.end_date:%d/%m/%Y}."
        ),
    )


# ---------------------------------------------------------------------------- targets


def group_targets(campaign: Campaign) -> dict[int, int]:
    """{residential group id: sub-target in đồng} of the campaign."""
    return dict(campaign.targets.filter(group__isnull=False).values_list("group_id", "amount"))


def organisation_targets(campaign: Campaign) -> dict[int, int]:
    """{member organisation id: sub-target in đồng} of the campaign."""
    return dict(
        campaign.targets.filter(organisation__isnull=False).values_list("organisation_id", "amount")
    )


def target_totals(campaign: Campaign) -> dict[str, int]:
    """Sums of the groups' and the organisations' sub-targets, to compare with the whole."""
    totals = campaign.targets.aggregate(
        groups=Sum("amount", filter=Q(group__isnull=False), default=0),
        organisations=Sum("amount", filter=Q(organisation__isnull=False), default=0),
    )
    return {"groups": totals["groups"], "organisations": totals["organisations"]}


def target_groups(campaign: Campaign) -> list[ResidentialGroup]:
    """Groups that can hold a target: those in force at the campaign's start, and any
    already given one (a group renumbered later keeps its old target visible)."""
    return list(_target_groups(campaign))


def _target_groups(campaign: Campaign) -> QuerySet[ResidentialGroup]:
    in_force = ResidentialGroup.objects.valid_on(campaign.start_date).values("pk")
    targeted = campaign.targets.filter(group__isnull=False).values("group_id")
    return ResidentialGroup.objects.filter(Q(pk__in=in_force) | Q(pk__in=targeted)).order_by(
        "number", "pk"
    )


def groups_with_targets(campaign: Campaign) -> list[ResidentialGroup]:
    """``target_groups``, each with ``target_amount``: its sub-target in đồng, or None
    without one (``group_targets``), in one query."""

    def build():
        amount = campaign.targets.filter(group=OuterRef("pk")).order_by().values("amount")[:1]
        return _target_groups(campaign).annotate(target_amount=Subquery(amount))

    # Compiled once per campaign and start date (lddh/ward/compiled.py): every dashboard.
    return model_rows(("groups_with_targets", campaign.pk, campaign.start_date), build)


def target_organisations(campaign: Campaign) -> list[MemberOrganisation]:
    return list(_target_organisations(campaign))


def _target_organisations(campaign: Campaign) -> QuerySet[MemberOrganisation]:
    targeted = campaign.targets.filter(organisation__isnull=False).values("organisation_id")
    return MemberOrganisation.objects.filter(Q(active=True) | Q(pk__in=targeted)).order_by(
        "order", "name"
    )


def organisations_with_targets(campaign: Campaign) -> list[MemberOrganisation]:
    """``target_organisations``, each with ``target_amount`` (its sub-target or None),
    in one query."""

    def build():
        amount = (
            campaign.targets.filter(organisation=OuterRef("pk")).order_by().values("amount")[:1]
        )
        return _target_organisations(campaign).annotate(target_amount=Subquery(amount))

    return model_rows(("organisations_with_targets", campaign.pk), build)


# ---------------------------------------------------------------------------- board


def board_with_targets(campaign: Campaign) -> QuerySet[BoardMember]:
    """The board in order, with organisation and assigned groups loaded (2 queries)."""
    return (
        campaign.board.select_related("organisation")
        .prefetch_related("groups")
        .order_by("order", "pk")
    )


def board_lines(campaign: Campaign) -> list[tuple[int, str, str, int | None]]:
    """The board in order as (id, full name, position, sub-target), in one query: what a
    progress table shows of each member."""
    return value_rows(
        ("board_lines", campaign.pk),
        lambda: campaign.board.order_by("order", "pk").values_list(
            "pk", "full_name", "position", "sub_target"
        ),
    )


# ---------------------------------------------------------------------------- activities


def activities_for(campaign: Campaign) -> QuerySet[Activity]:
    """The campaign calendar by date. `activity.is_overdue`: the date has passed and it
    is still only planned; `overdue_activities()` counts them in the database."""
    return campaign.activities.select_related("group").order_by("date", "pk")


def overdue_activities(campaign: Campaign, today: datetime.date) -> QuerySet[Activity]:
    return campaign.activities.overdue(today).order_by("date", "pk")


def filter_activities(
    rows: QuerySet[Activity],
    today: datetime.date,
    *,
    status: str = "",
    kind: str = "",
    group_id: int | None = None,
) -> QuerySet[Activity]:
    """The calendar's filters: status "overdue" (planned, date passed), "due" (planned,
    date today or passed) or an activity status; a kind; a residential group."""
    if status == "overdue":
        rows = rows.overdue(today)
    elif status == "due":
        rows = rows.due(today)
    elif status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if group_id:
        rows = rows.filter(group_id=group_id)
    return rows
