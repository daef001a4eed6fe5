"""The admin site: in Vietnamese and in the app's colours (templates/admin/), showing
what an administrator manages: accounts and their two-step devices, the ward's profile,
groups, organisations and roles, and each app's configuration; the money records and the
register read-only. The machinery is not shown: task results, number counters, signed
chain heads, print logs, bank statement files and message queues (each app's admin.py
leaves its own out), Django's groups and permissions (roles are memberships), and the
audit log, which is read on its own page (/quan-ly/giam-sat/nhat-ky/), in Vietnamese,
by the roles allowed to see it."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from lddh.ward import models
from lddh.ward.audit import AuditAction, log_event

admin.site.site_header = "Quản trị – Quỹ “Vì người nghèo” phường Lê Đại Hành"
admin.site.site_title = "Quản trị Quỹ “Vì người nghèo”"
admin.site.index_title = "Cấu hình và dữ liệu"
admin.site.site_url = "/quan-ly/"

for machinery in (Group, DBTaskResult, TOTPDevice, get_user_model()):
    if admin.site.is_registered(machinery):
        admin.site.unregister(machinery)


@admin.register(get_user_model())
class AccountAdmin(UserAdmin):
    """Sign-in accounts. What a person may do is their roles (Membership, below), not
    Django's groups and permissions, which the app does not use: they are not shown."""

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Thông tin cá nhân", {"fields": ("last_name", "first_name", "email")}),
        ("Quyền quản trị", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Những ngày quan trọng", {"fields": ("last_login", "date_joined")}),
    )
    list_display = ("username", "last_name", "first_name", "email", "is_active", "is_superuser")
    list_filter = ("is_active", "is_staff", "is_superuser")
    filter_horizontal = ()


@admin.register(TOTPDevice)
class TwoFactorDeviceAdmin(admin.ModelAdmin):
    """A person sets up two-step sign-in themselves (Xác thực hai bước in their menu);
    the administrator only sees who has it and removes the device of a lost phone, so
    the person can set it up again. The secret key is never shown."""

    list_display = ("account", "device_name", "created", "last_used", "is_confirmed")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    fields = ("account", "device_name", "created", "last_used", "is_confirmed")
    readonly_fields = fields
    list_select_related = ("user",)

    @admin.display(description="tài khoản", ordering="user__username")
    def account(self, device):
        return device.user

    @admin.display(description="tên thiết bị")
    def device_name(self, device):
        return device.name

    @admin.display(description="thêm lúc", ordering="created_at")
    def created(self, device):
        return device.created_at

    @admin.display(description="dùng lần cuối", ordering="last_used_at")
    def last_used(self, device):
        return device.last_used_at

    @admin.display(description="đã xác nhận", boolean=True, ordering="confirmed")
    def is_confirmed(self, device):
        return device.confirmed

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @transaction.atomic
    def delete_model(self, request, obj):
        log_event(actor=request.user, action=AuditAction.AUTH_2FA_DISABLED, obj=obj.user)
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for device in queryset.select_related("user"):
            log_event(actor=request.user, action=AuditAction.AUTH_2FA_DISABLED, obj=device.user)
        super().delete_queryset(request, queryset)


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
