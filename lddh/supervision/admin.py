from django.contrib import admin

from lddh.supervision.models import Inspection, InspectionAttachment, InspectionRecord, Sample


class RecordInline(admin.TabularInline):
    model = InspectionRecord
    extra = 0
    fields = ("object_type", "object_id", "label")
    readonly_fields = fields


class AttachmentInline(admin.TabularInline):
    model = InspectionAttachment
    extra = 0
    fields = ("original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ("date", "title", "scope", "status", "created_by")
    list_filter = ("status", "scope")
    search_fields = ("title", "team", "findings")
    date_hierarchy = "date"
    raw_id_fields = ("household", "support", "created_by")
    inlines = [RecordInline, AttachmentInline]


@admin.register(Sample)
class SampleAdmin(admin.ModelAdmin):
    list_display = ("pk", "kind", "size", "seed", "population_size", "created_by", "created_at")
    list_filter = ("kind",)
    readonly_fields = ("population",)
    raw_id_fields = ("inspection", "created_by")
