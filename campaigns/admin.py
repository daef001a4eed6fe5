from django.contrib import admin

from campaigns.models import Activity, BoardMember, Campaign, PlanBlock, Target


class PlanBlockInline(admin.TabularInline):
    model = PlanBlock
    extra = 0
    fields = ["section", "order", "text"]


class BoardMemberInline(admin.TabularInline):
    model = BoardMember
    extra = 0
    fields = [
        "order",
        "full_name",
        "position",
        "phone",
        "donor_source",
        "organisation",
        "sub_target",
    ]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ["group", "organisation", "amount"]


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    fields = ["date", "kind", "title", "responsible", "status"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    """Status changes belong to the committee's pages (audited); here it is read-only."""

    list_display = ["year", "name", "start_date", "end_date", "document_number", "target", "status"]
    list_filter = ["status", "year"]
    search_fields = ["name", "document_number"]
    readonly_fields = ["status", "created_at", "updated_at"]
    inlines = [PlanBlockInline, BoardMemberInline, TargetInline, ActivityInline]


@admin.register(PlanBlock)
class PlanBlockAdmin(admin.ModelAdmin):
    list_display = ["campaign", "section", "order", "text"]
    list_filter = ["campaign", "section"]
    search_fields = ["text"]


@admin.register(BoardMember)
class BoardMemberAdmin(admin.ModelAdmin):
    list_display = [
        "full_name",
        "position",
        "campaign",
        "donor_source",
        "organisation",
        "sub_target",
        "order",
    ]
    list_filter = ["campaign", "donor_source", "organisation"]
    search_fields = ["full_name", "position", "phone"]
    filter_horizontal = ["groups"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["campaign", "group", "organisation", "amount"]
    list_filter = ["campaign"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["date", "title", "kind", "campaign", "group", "responsible", "status"]
    list_filter = ["campaign", "kind", "status"]
    search_fields = ["title", "place", "responsible", "result"]
    date_hierarchy = "date"
