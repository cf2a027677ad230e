"""Back office: providers (the key is never shown back), read-only payments, tokens."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest

from billing.money import format_euros
from payments import services
from payments.models import (
    ApiToken,
    Payment,
    PaymentEvent,
    PaymentExport,
    PaymentProvider,
    Reversal,
    SandboxTransaction,
)


class PaymentProviderForm(forms.ModelForm[PaymentProvider]):
    key = forms.CharField(
        label="Clé de signature",
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Jamais réaffichée. Laissez vide pour garder la clé enregistrée.",
    )

    rest_password = forms.CharField(
        label="Mot de passe de l'API REST",
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Jamais réaffiché. Laissez vide pour garder le mot de passe enregistré.",
    )

    class Meta:
        model = PaymentProvider
        fields = [
            "landlord",
            "backend",
            "shop_id",
            "key",
            "mode",
            "service_url",
            "rest_url",
            "rest_password",
            "is_active",
        ]

    def clean_key(self) -> str:
        # Blank keeps the stored key: the form never holds it in clear.
        return self.cleaned_data["key"] or (self.instance.key if self.instance.pk else "")

    def clean_rest_password(self) -> str:
        stored = self.instance.rest_password if self.instance.pk else ""
        return self.cleaned_data["rest_password"] or stored


@admin.register(PaymentProvider)
class PaymentProviderAdmin(admin.ModelAdmin[PaymentProvider]):
    form = PaymentProviderForm
    list_display = ["landlord", "backend", "shop_id", "mode", "is_active"]


class PaymentEventInline(admin.TabularInline[PaymentEvent, Payment]):
    model = PaymentEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "result", "fields"]
    readonly_fields = ["created_at", "kind", "result", "fields"]

    def has_add_permission(self, request: HttpRequest, obj: Payment | None = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "state", "amount_euros", "account", "created_at", "confirmed_at"]
    list_filter = ["state", "backend", "account__landlord"]
    search_fields = ["reference", "account__number", "provider_transaction_id"]
    inlines = [PaymentEventInline]

    @admin.display(description="montant")
    def amount_euros(self, payment: Payment) -> str:
        return format_euros(payment.amount_cents)


@admin.register(PaymentExport)
class PaymentExportAdmin(ReadOnlyAdmin):
    list_display = ["landlord", "number", "created_at", "channel"]
    list_filter = ["landlord"]


@admin.register(Reversal)
class ReversalAdmin(ReadOnlyAdmin):
    list_display = ["reference", "kind", "amount_cents", "payment", "created_at", "export"]
    list_filter = ["kind", "payment__account__landlord"]
    search_fields = ["reference", "payment__reference", "provider_transaction_id"]


@admin.register(SandboxTransaction)
class SandboxTransactionAdmin(ReadOnlyAdmin):
    list_display = ["order_id", "operation_type", "detailed_status", "amount_cents", "created_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["name", "landlord", "key_id", "created_at", "last_used_at"]
    fields = ["landlord", "name"]

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: ApiToken, form: forms.ModelForm[ApiToken], change: bool
    ) -> None:
        token, presented = services.create_api_token(obj.landlord, obj.name)
        obj.pk = token.pk
        messages.warning(
            request,
            f"Jeton à copier maintenant, il ne sera plus jamais affiché : {presented}",
        )
