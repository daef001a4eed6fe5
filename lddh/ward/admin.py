from django.contrib import admin

from lddh.ward import models

admin.site.site_header = "Quản trị – Quỹ “Vì người nghèo” phường Lê Đại Hành"
admin.site.site_title = "Quản trị lddh"
admin.site.index_title = "Cấu hình và dữ liệu"


class ParentBodyInline(admin.TabularInline):
    model = models.ParentBody
    extra = 0


class SignatoryInline(admin.TabularInline):
    model = models.Signatory
    extra = 0


class OfficialAccountInline(admin.TabularInline):
    model = models.OfficialAccount
    extra = 0


@admin.register(models.WardProfile)
class WardProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "valid_from", "valid_to", "successor"]
    inlines = [ParentBodyInline, SignatoryInline, OfficialAccountInline]


@admin.register(models.ResidentialGroup)
class ResidentialGroupAdmin(admin.ModelAdmin):
    list_display = ["number", "code", "name", "valid_from", "valid_to", "successor"]
    list_filter = ["ward"]


@admin.register(models.MemberOrganisation)
class MemberOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "order", "active"]


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "group", "active", "created_at"]
    list_filter = ["role", "group", "active"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]


@admin.register(models.AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log can be searched, never changed."""

    list_display = ["at", "actor_name", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "action", "object_repr", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
