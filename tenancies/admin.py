from django.contrib import admin

from tenancies.models import Lease, Signatory, TenantAccount


class LeaseInline(admin.StackedInline):
    model = Lease
    extra = 0
    show_change_link = True


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 0


@admin.register(TenantAccount)
class TenantAccountAdmin(admin.ModelAdmin):
    list_display = ["number", "landlord", "agency", "updated_at"]
    list_filter = ["landlord"]
    list_select_related = ["landlord", "agency"]
    search_fields = ["number", "leases__signatories__last_name"]
    readonly_fields = ["balance", "created_at", "updated_at"]
    inlines = [LeaseInline]

    @admin.display(description="solde")
    def balance(self, account):
        return f"{account.balance_cents / 100:.2f} €".replace(".", ",")


@admin.register(Lease)
class LeaseAdmin(admin.ModelAdmin):
    list_display = ["reference", "account", "kind", "city", "start_date", "end_date"]
    list_select_related = ["account__landlord"]
    search_fields = ["reference", "account__number"]
    inlines = [SignatoryInline]
