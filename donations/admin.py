"""Admin: funds, accounts and bank layouts are configuration; donors and money records are
read-only. Number counters, signed chain heads, print logs, bank statement files and
the message queue are the services' machinery and are not in the admin."""

from django.contrib import admin

from donations import models


class ReadOnlyAdmin(admin.ModelAdmin):
    """Money records are written by the services only: no add, change or delete here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "active", "review_above", "order"]

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        # The code is printed in every receipt number of the fund.
        return ["code"] if obj is not None else []


@admin.register(models.Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "official_account", "active", "order"]
    list_filter = ["kind", "active"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Donor)
class DonorAdmin(admin.ModelAdmin):
    list_display = ["name", "source", "group", "organisation", "phone", "anonymous"]
    list_filter = ["source", "group", "anonymous"]
    search_fields = ["search_key", "name"]
    fields = [
        "source",
        "name",
        "representative",
        "address",
        "group",
        "phone",
        "tax_code",
        "organisation",
        "anonymous",
        "note",
        "email",
        "contact_consent",
        "consent_how",
        "consent_at",
        "consent_by",
        "opted_out_at",
    ]

    def has_add_permission(self, request):
        return False  # through the app, which warns about duplicates and logs

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DonationItemInline(admin.TabularInline):
    model = models.DonationItem
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.Donation)
class DonationAdmin(ReadOnlyAdmin):
    list_display = ["date", "donor", "amount", "channel", "purpose", "fund", "status"]
    list_filter = ["status", "channel", "purpose", "fund", "campaign"]
    search_fields = ["donor__search_key", "receipt__number"]
    date_hierarchy = "date"
    list_select_related = ["donor", "fund"]
    inlines = [DonationItemInline]


@admin.register(models.Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ["number", "date", "donor_name", "amount", "status"]
    list_filter = ["status", "series", "year"]
    search_fields = ["number", "donor_name"]
    exclude = ["token"]


@admin.register(models.VoidRequest)
class VoidRequestAdmin(ReadOnlyAdmin):
    list_display = ["donation", "status", "requested_by", "requested_at", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["donation__donor", "requested_by", "decided_by"]


@admin.register(models.LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["fund", "sequence", "date", "kind", "account", "amount", "description"]
    list_filter = ["fund", "account", "kind"]
    list_select_related = ["fund", "account"]


@admin.register(models.BankLayout)
class BankLayoutAdmin(admin.ModelAdmin):
    """Bank statement layouts are configuration: the office adds a bank's columns here."""

    list_display = [
        "name",
        "file_kind",
        "header_row",
        "date_format",
        "thousands_separator",
        "active",
    ]
    list_filter = ["active", "file_kind"]
    fields = [
        "name",
        "file_kind",
        "header_row",
        "date_column",
        "reference_column",
        "credit_column",
        "debit_column",
        "balance_column",
        "description_column",
        "date_format",
        "thousands_separator",
        "csv_delimiter",
        "active",
        "order",
    ]

    def has_delete_permission(self, request, obj=None):
        return False


class RoundLineInline(admin.TabularInline):
    model = models.RoundLine
    fields = ["position", "name", "phone", "amount_text", "amount", "anonymous", "donation"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.CollectionRound)
class CollectionRoundAdmin(ReadOnlyAdmin):
    list_display = ["code", "date", "group", "organisation", "expected_total", "status"]
    list_filter = ["status", "receipt_mode", "group"]
    search_fields = ["code", "collector"]
    inlines = [RoundLineInline]
