"""Personal data of a household: everything held about it for a data subject request,
and the anonymisation of households that left the register long ago.

Anonymising keeps what the fund's figures are made of (supports' amounts, categories,
dates, group, status; donations, receipts and the ledger) and replaces what identifies
people (names, CCCD, phone, address, health notes, free-text notes). Three records are
kept as they are on purpose:

- the fund's ledger and its receipts: append-only, hash-chained, kept under the rules
  for accounting records (a ledger line of a payout names the head of household);
- the audit trail: append-only evidence of who did what (it never held CCCD, phone or
  health notes: ``SENSITIVE_FIELDS`` are logged as changed, never by value);
- the signed handover scans and follow-up notes: accounting vouchers / append-only.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from households.models import (
    FollowUp,
    Household,
    Member,
    Need,
    PlanItem,
    Proposal,
    Review,
    Support,
    SupportAttachment,
    SupportCategory,
    SupportItem,
)
from lddh.ward.audit import AuditAction, log_event
from lddh.ward.models import AuditEvent

EXPORT_ACTION = AuditAction.HOUSEHOLD_EXPORT_SENSITIVE
ANONYMISE_ACTION = AuditAction.HOUSEHOLD_ANONYMISE
EXPORT_NOTE = "Xuất toàn bộ dữ liệu của hộ (yêu cầu của chủ thể dữ liệu)"
FORMAT_VERSION = 1

ANONYMOUS_ADDRESS = "(đã ẩn danh)"
ANONYMOUS_PERSON = "(đã ẩn danh)"


def anonymous_head_name(household: Household) -> str:
    return f"Hộ đã ẩn danh số {household.pk}"


# ---------------------------------------------------------------- export


def _value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _row(obj, fields: list[str]) -> dict[str, Any]:
    row = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.is_relation:
            related = getattr(obj, name)
            row[name] = str(related) if related is not None else None
        else:
            row[name] = _value(getattr(obj, name))
            if field.choices and getattr(obj, name) not in ("", None):
                row[f"{name}_label"] = getattr(obj, f"get_{name}_display")()
    return row


def _fields(model, exclude=()) -> list[str]:
    skip = {"id", "search_key", "household", *exclude}
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.name not in skip and not (f.is_relation and f.name.endswith("_by"))
    ]


def _people(obj, names: list[str]) -> dict[str, str | None]:
    """Who proposed, decided, paid...: usernames, not the user records."""
    out = {}
    for name in names:
        user = getattr(obj, name, None)
        out[name] = user.get_username() if user is not None else None
    return out


def audit_events_about(household: Household) -> QuerySet[AuditEvent]:
    """The audit events concerning the household: on the household itself and on its
    members, needs, plan items, reviews, proposals and supports."""
    related = {
        Household: [household.pk],
        Member: list(household.members.values_list("pk", flat=True)),
        Need: list(household.needs.values_list("pk", flat=True)),
        PlanItem: list(household.plan_items.values_list("pk", flat=True)),
        Review: list(household.reviews.values_list("pk", flat=True)),
        Proposal: list(household.proposals.values_list("pk", flat=True)),
        Support: list(Support.objects.filter(household=household).values_list("pk", flat=True)),
    }
    condition = Q(pk__in=[])
    for model, pks in related.items():
        if pks:
            condition |= Q(
                object_type=model._meta.label_lower, object_id__in=[str(pk) for pk in pks]
            )
    return AuditEvent.objects.filter(condition).order_by("at", "pk")


def household_data(household: Household) -> dict[str, Any]:
    """Everything held about one household, as JSON-safe data (no side effects)."""
    household = Household.objects.select_related("group").get(pk=household.pk)
    supports = (
        Support.objects.filter(household=household)
        .select_related(
            "campaign", "round", "fund", "account", "need", "donation", "ledger_entry", "group"
        )
        .select_related("proposed_by", "decided_by", "paid_by", "cancelled_by", "edited_by")
        .order_by("proposed_at", "pk")
    )
    support_ids = [s.pk for s in supports]
    items: dict[int, list] = {}
    for item in SupportItem.objects.filter(support_id__in=support_ids).order_by("pk"):
        items.setdefault(item.support_id, []).append(
            {"description": item.description, "quantity": item.quantity, "unit": item.unit}
        )
    follow_ups: dict[int, list] = {}
    for follow_up in FollowUp.objects.filter(support_id__in=support_ids).order_by("date", "pk"):
        follow_ups.setdefault(follow_up.support_id, []).append(
            {
                "date": _value(follow_up.date),
                "status": follow_up.get_status_display(),
                "note": follow_up.note,
            }
        )
    attachments: dict[int, list] = {}
    for attachment in SupportAttachment.objects.filter(support_id__in=support_ids).order_by("pk"):
        attachments.setdefault(attachment.support_id, []).append(
            {
                "original_name": attachment.original_name,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "sha256": attachment.sha256,
            }
        )
    support_rows = []
    for support in supports:
        row = _row(support, _fields(Support, exclude={"ledger_entry", "donation"}))
        row["id"] = support.pk
        row["people"] = _people(
            support, ["proposed_by", "edited_by", "decided_by", "paid_by", "cancelled_by"]
        )
        row["donation_id"] = support.donation_id
        row["ledger_entry_id"] = support.ledger_entry_id
        row["handover"] = {
            "number": support.handover_number,
            "date": _value(support.handover_date),
            "receiver_name": support.receiver_name,
            "witness_name": support.witness_name,
            "note": support.handover_note,
            "recipient": support.recipient,
        }
        row["items"] = items.get(support.pk, [])
        row["follow_ups"] = follow_ups.get(support.pk, [])
        row["attachments"] = attachments.get(support.pk, [])
        support_rows.append(row)

    def rows(queryset, model, people=()):
        out = []
        for obj in queryset:
            row = {"id": obj.pk, **_row(obj, _fields(model))}
            if people:
                row["people"] = _people(obj, list(people))
            out.append(row)
        return out

    head = {"id": household.pk, **_row(household, _fields(Household))}
    head["difficulty_reason_labels"] = household.difficulty_reason_labels()
    events = [
        {
            "at": _value(event.at),
            "actor": event.actor_name,
            "action": event.action,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "object": event.object_repr,
            "before": event.before,
            "after": event.after,
            "note": event.note,
        }
        for event in audit_events_about(household)
    ]
    return {
        "format": "lddh.household",
        "version": FORMAT_VERSION,
        "exported_at": _value(timezone.now()),
        "household": head,
        "consents": {
            "public_consent": household.public_consent,
            "head_title": household.head_title,
            "public_pseudonym": household.public_pseudonym(),
            "history": [e for e in events if e["action"].startswith("household.consent")],
        },
        "members": rows(household.members.order_by("pk"), Member),
        "needs": rows(household.needs.order_by("created_at", "pk"), Need),
        "plan_items": rows(household.plan_items.select_related("need").order_by("pk"), PlanItem),
        "reviews": rows(
            household.reviews.select_related("round__campaign", "round__group", "reviewed_by"),
            Review,
            people=("reviewed_by",),
        ),
        "proposals": rows(
            household.proposals.select_related(
                "group", "campaign", "proposed_by", "decided_by"
            ).order_by("proposed_at", "pk"),
            Proposal,
            people=("proposed_by", "decided_by"),
        ),
        "supports": support_rows,
        "audit_events": events,
    }


@transaction.atomic
def household_export(*, actor, household: Household) -> dict[str, Any]:
    """The data of household_data(), with the export logged in the audit trail (and so in
    the log of sensitive-data reads, as every ``*_sensitive`` action is)."""
    data = household_data(household)
    log_event(actor=actor, action=EXPORT_ACTION, obj=household, note=EXPORT_NOTE)
    return data


# ---------------------------------------------------------------- anonymisation


def anonymise_after_years() -> int:
    return settings.HOUSEHOLD_ANONYMISE_AFTER_YEARS


def anonymise_cutoff(today: datetime.date | None = None, years: int | None = None):
    """Households that left on or before this day are due for anonymisation."""
    today = today or timezone.localdate()
    years = anonymise_after_years() if years is None else years
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def anonymised_ids() -> set[int]:
    return {
        int(pk)
        for pk in AuditEvent.objects.filter(
            action=ANONYMISE_ACTION, object_type=Household._meta.label_lower
        ).values_list("object_id", flat=True)
    }


def households_to_anonymise(
    today: datetime.date | None = None, years: int | None = None
) -> QuerySet[Household]:
    """Exited more than `years` years ago and not anonymised yet."""
    return (
        Household.objects.filter(
            status=Household.Status.EXITED, exit_date__lte=anonymise_cutoff(today, years)
        )
        .exclude(pk__in=anonymised_ids())
        .select_related("group")
        .order_by("exit_date", "pk")
    )


@transaction.atomic
def household_anonymise(*, actor, household: Household, years: int | None = None) -> dict[str, int]:
    """Replace the personal data of one exited household with neutral values. Returns
    how many records of each kind were changed. Money and its documents stay."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.status != Household.Status.EXITED:
        raise ValueError("Chỉ ẩn danh hộ đã ra khỏi danh sách.")
    if household.pk in anonymised_ids():
        return {}
    counts: dict[str, int] = {}
    household.head_name = anonymous_head_name(household)
    household.head_birth_year = None
    household.address = ANONYMOUS_ADDRESS
    household.head_cccd = ""
    household.phone = ""
    household.circumstances = ""
    household.plan_goal = ""
    household.exit_reason = ""
    household.head_title = ""
    household.public_consent = False
    household.save()
    counts["household"] = 1
    members = list(household.members.order_by("pk"))
    for number, member in enumerate(members, start=1):
        member.full_name = f"Thành viên {number}"
        member.birth_year = None
        member.school = ""
        member.grade = ""
        member.health_note = ""
        member.save()
    counts["members"] = len(members)
    counts["needs"] = household.needs.update(description="")
    counts["plan_items"] = household.plan_items.update(action=ANONYMOUS_PERSON, responsible="")
    counts["reviews"] = household.reviews.update(note="")
    counts["proposals"] = household.proposals.update(payload={}, before=None, note="", reason="")
    # Supports: amounts, categories, dates, group, fund and status stay; only who received
    # it and the free text go. A support refuses save() once paid and its queryset refuses
    # update(): this is the one business operation allowed past that guard, through the
    # plain QuerySet.update, and it names only personal fields, never a money field.
    supports = Support.objects.filter(household=household)
    labels = dict(SupportCategory.choices)
    counts["supports"] = 0
    for support in supports.only("pk", "category", "recipient", "receiver_name", "repeat_reason"):
        recipient = None
        if support.recipient:
            recipient = {
                **support.recipient,
                "head_name": household.head_name,
                "address": ANONYMOUS_ADDRESS,
            }
        QuerySet.update(
            Support.objects.filter(pk=support.pk),
            description=labels.get(support.category, support.category)[:300],
            recipient=recipient,
            receiver_name=ANONYMOUS_PERSON if support.receiver_name else "",
            witness_name=ANONYMOUS_PERSON if support.receiver_name else "",
            handover_note="",
            repeat_reason=ANONYMOUS_PERSON if support.repeat_reason else "",
            reject_reason="",
            cancel_reason="",
        )
        counts["supports"] += 1
    # Rebuilt after the members were renamed: the search must not find the old names.
    household.save()
    log_event(
        actor=actor,
        action=ANONYMISE_ACTION,
        obj=household,
        after={"exit_date": household.exit_date, "counts": counts},
        note=f"Ẩn danh hộ ra khỏi danh sách quá {years or anonymise_after_years()} năm",
    )
    return counts


def anonymise_due(
    *, actor, today: datetime.date | None = None, years: int | None = None
) -> list[Household]:
    """Anonymise every household due; each in its own transaction. Safe to run again."""
    done = []
    for household in households_to_anonymise(today, years):
        household_anonymise(actor=actor, household=household, years=years)
        done.append(household)
    return done
