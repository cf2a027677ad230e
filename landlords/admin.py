from django.contrib import admin

from landlords.models import Agency, Landlord, LandlordHost


class LandlordHostInline(admin.TabularInline):
    model = LandlordHost
    extra = 1


class AgencyInline(admin.StackedInline):
    model = Agency
    extra = 0


@admin.register(Landlord)
class LandlordAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "identity_proof", "login_identifier", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [LandlordHostInline, AgencyInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "tagline", "is_active"]}),
        ("Apparence", {"fields": ["logo", "brand_color"]}),
        (
            "Numéro de compte",
            {
                "fields": [
                    "account_number_label",
                    "account_number_help",
                    "account_number_pattern",
                    "account_number_example",
                ]
            },
        ),
        (
            "Inscription et connexion",
            {
                "fields": [
                    "identity_proof",
                    "captcha_enabled",
                    "asks_phones_at_signup",
                    "signup_terms_step",
                    "login_identifier",
                    "password_min_length",
                    "password_character_kinds",
                ]
            },
        ),
        (
            "Loyer et paiement en ligne",
            {"fields": ["rent_due_day", "ledger_closing_day", "min_payment_cents"]},
        ),
        ("Documents", {"fields": ["postal_address"]}),
        ("Conditions générales", {"fields": ["terms_version", "terms_text"]}),
    ]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "landlord", "city", "phone", "email"]
    list_filter = ["landlord"]
    search_fields = ["name", "city", "code"]
