"""The register in Django's admin: for looking up, never for writing. Every change goes
through the services (audited, validated, with proposals for leaders), so the admin
offers no add, change or delete."""

from django.contrib import admin

from households import models


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MemberInline(admin.TabularInline):
    model = models.Member
    extra = 0
    fields = ["full_name", "birth_year", "relation", "is_student", "is_disabled"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class NeedInline(admin.TabularInline):
    model = models.Need
    extra = 0
    fields = ["type", "estimated_cost", "priority", "status"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ["head_name", "group", "category", "especially_difficult", "status"]
    list_filter = ["group", "category", "especially_difficult", "status"]
    search_fields = ["search_key"]
    exclude = ["head_cccd", "phone", "difficulty_reasons"]
    readonly_fields = ["reasons"]
    inlines = [MemberInline, NeedInline]

    @admin.display(description="lý do khó khăn")
    def reasons(self, household):
        return "; ".join(household.difficulty_reason_labels()) or "–"


@admin.register(models.Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "group", "household", "status", "proposed_by", "proposed_at"]
    list_filter = ["kind", "status", "group"]


@admin.register(models.ReviewRound)
class ReviewRoundAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "group", "completed_at", "completed_by"]
    list_filter = ["campaign", "group"]


@admin.register(models.SupportLevel)
class SupportLevelAdmin(admin.ModelAdmin):
    """Configuration, not a money record: the levels the approver is warned above."""

    list_display = ["category", "max_amount", "valid_from", "note"]
    list_filter = ["category"]
    fields = ["category", "max_amount", "valid_from", "note"]

    def has_delete_permission(self, request, obj=None):
        return False


class SupportItemInline(admin.TabularInline):
    model = models.SupportItem
    extra = 0
    fields = ["description", "quantity", "unit", "valuation"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Support)
class SupportAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "household",
        "category",
        "amount",
        "source",
        "status",
        "handover_number",
        "proposed_at",
    ]
    list_filter = ["status", "category", "source", "form", "campaign"]
    search_fields = ["household__search_key", "handover_number", "decision_number"]
    inlines = [SupportItemInline]
    exclude = ["recipient"]
    readonly_fields = ["recipient_at_payment"]

    @admin.display(description="hộ nhận (bản chụp khi chi)")
    def recipient_at_payment(self, support):
        snapshot = support.recipient or {}
        parts = [
            ("Chủ hộ", snapshot.get("head_name")),
            ("Địa chỉ", snapshot.get("address")),
            ("Tổ", snapshot.get("group")),
        ]
        return "; ".join(f"{label}: {value}" for label, value in parts if value) or "–"


@admin.register(models.DistributionRound)
class DistributionRoundAdmin(ReadOnlyAdmin):
    list_display = ["name", "campaign", "category", "amount", "created_by", "created_at"]


@admin.register(models.FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ["support", "date", "status", "recorded_by"]
    list_filter = ["status"]
