from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import Access, ActivationLetter, NewsConsent, TermsAcceptance, User


class AccessInline(admin.TabularInline):
    model = Access
    extra = 0
    raw_id_fields = ["signatory"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "last_name", "first_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "last_name", "first_name"]
    inlines = [AccessInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name", "mobile_phone", "landline_phone"]}),
        ("Droits", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(ActivationLetter)
class ActivationLetterAdmin(admin.ModelAdmin):
    list_display = ["signatory", "created_at", "created_by", "expires_at", "used_at"]
    readonly_fields = [
        "signatory",
        "code_hash",
        "created_at",
        "created_by",
        "expires_at",
        "used_at",
    ]

    def has_add_permission(self, request):
        return False


admin.site.register(TermsAcceptance, list_display=["user", "landlord", "version", "accepted_at"])
admin.site.register(NewsConsent, list_display=["user", "landlord", "granted", "changed_at"])
