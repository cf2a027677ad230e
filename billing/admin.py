from django.contrib import admin

from billing.models import LedgerEntry, LedgerPeriod


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    list_display = ["date", "account", "label", "kind", "amount_cents"]
    list_filter = ["kind", "account__landlord"]
    list_select_related = ["account__landlord"]
    search_fields = ["account__number", "reference", "label"]
    date_hierarchy = "date"
    raw_id_fields = ["account"]


@admin.register(LedgerPeriod)
class LedgerPeriodAdmin(admin.ModelAdmin):
    """Read-only: a month is closed by its import or in the espace agence (journaled)."""

    list_display = ["landlord", "period", "version", "closed_on", "source"]
    list_filter = ["landlord", "source"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
