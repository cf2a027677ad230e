from django.contrib import admin

from billing.models import LedgerEntry


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    list_display = ["date", "account", "label", "kind", "amount_cents"]
    list_filter = ["kind", "account__landlord"]
    list_select_related = ["account__landlord"]
    search_fields = ["account__number", "reference", "label"]
    date_hierarchy = "date"
    raw_id_fields = ["account"]
