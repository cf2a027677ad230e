from django.contrib import admin
from django.http import HttpResponse

from accounts.letters import activation_letters_pdf
from billing.money import format_euros
from billing.statement import account_balance_cents
from tenancies.models import Lease, Signatory, TenantAccount


class LeaseInline(admin.StackedInline):
    model = Lease
    extra = 0
    show_change_link = True


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 0


class UnknownPhoneFilter(admin.SimpleListFilter):
    title = "mobile inconnu du locataire"
    parameter_name = "mobile_inconnu"

    def lookups(self, request, model_admin):
        return [("oui", "Signalé par le locataire")]

    def queryset(self, request, queryset):
        if self.value() == "oui":
            return queryset.filter(phone_unknown_reported_at__isnull=False)
        return queryset


@admin.register(TenantAccount)
class TenantAccountAdmin(admin.ModelAdmin):
    list_display = ["number", "landlord", "agency", "phone_unknown_reported_at", "updated_at"]
    list_filter = ["landlord", UnknownPhoneFilter]
    actions = ["print_activation_letters"]
    list_select_related = ["landlord", "agency"]
    search_fields = ["number", "leases__signatories__last_name"]
    readonly_fields = ["balance", "created_at", "updated_at"]
    inlines = [LeaseInline]

    @admin.action(description="Imprimer un courrier d'activation (code à usage unique)")
    def print_activation_letters(self, request, queryset):
        pdf = activation_letters_pdf(
            list(queryset.select_related("landlord", "agency")),
            request.user,
        )
        queryset.update(phone_unknown_reported_at=None)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="courriers-activation.pdf"'
        response["Cache-Control"] = "no-store"
        return response

    @admin.display(description="solde")
    def balance(self, account):
        return format_euros(account_balance_cents(account))


@admin.register(Lease)
class LeaseAdmin(admin.ModelAdmin):
    list_display = ["reference", "account", "kind", "city", "start_date", "end_date"]
    list_select_related = ["account__landlord"]
    search_fields = ["reference", "account__number"]
    inlines = [SignatoryInline]
