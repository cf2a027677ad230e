"""Online payments: each landlord's provider, the payments, their events and export batches.

The rules (who may pay what, which message changes which state) are in payments/services.py.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from landlords.models import Landlord
from tenancies.models import TenantAccount

# No 0/O, 1/I/L: the tenant may read the reference out on the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_PREFIX = "PL"


def new_reference() -> str:
    """A short public reference: the provider's order id, the ERP's ledger reference."""
    return REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


class PaymentProvider(models.Model):
    """How one landlord takes online payments: the provider's protocol and the shop's keys."""

    class Backend(models.TextChoices):
        SYSTEMPAY = "systempay", "Systempay / PayZen (Lyra)"
        PAYFIP = "payfip", "PayFiP (DGFiP)"

    class Mode(models.TextChoices):
        TEST = "TEST", "test"
        PRODUCTION = "PRODUCTION", "production"

    landlord = models.OneToOneField(
        Landlord, on_delete=models.CASCADE, related_name="payment_provider", verbose_name="bailleur"
    )
    backend = models.CharField("prestataire", max_length=20, choices=Backend.choices)
    shop_id = models.CharField(
        "identifiant de la boutique",
        max_length=20,
        help_text="Systempay : identifiant de la boutique (vads_site_id, 8 chiffres). "
        "PayFiP : numéro client (numcli, 6 chiffres).",
    )
    key = models.CharField(
        "clé de signature",
        max_length=200,
        blank=True,
        help_text="Systempay : clé de TEST ou de PRODUCTION selon le mode (back-office Lyra). "
        "Inutile pour PayFiP.",
    )
    mode = models.CharField("mode", max_length=10, choices=Mode.choices, default=Mode.TEST)
    service_url = models.CharField(
        "adresse du service",
        max_length=300,
        blank=True,
        help_text="Vide : l'adresse officielle du prestataire. Systempay : la page de paiement ; "
        "PayFiP : le service web. Une adresse commençant par « / » désigne le portail "
        "lui-même (bac à sable de démonstration).",
    )
    is_active = models.BooleanField("paiement en ligne ouvert", default=True)

    class Meta:
        verbose_name = "prestataire de paiement"
        verbose_name_plural = "prestataires de paiement"

    def __str__(self) -> str:
        return f"{self.get_backend_display()} ({self.landlord})"

    def clean(self) -> None:
        errors = {}
        if self.backend == self.Backend.SYSTEMPAY:
            if not (self.shop_id.isdigit() and len(self.shop_id) == 8):
                errors["shop_id"] = "L'identifiant de boutique Systempay compte 8 chiffres."
            if not self.key:
                errors["key"] = "La clé de signature est obligatoire pour Systempay."
        if self.backend == self.Backend.PAYFIP and not (
            self.shop_id.isdigit() and len(self.shop_id) == 6
        ):
            errors["shop_id"] = "Le numéro client PayFiP compte 6 chiffres."
        if self.service_url and not self.service_url.startswith(("https://", "http://", "/")):
            errors["service_url"] = "Adresse commençant par « https:// » ou « / »."
        if errors:
            raise ValidationError(errors)


class PaymentExport(models.Model):
    """One batch of confirmed payments handed to the landlord's ERP (CSV or API)."""

    landlord = models.ForeignKey(
        Landlord, on_delete=models.PROTECT, related_name="payment_exports", verbose_name="bailleur"
    )
    number = models.PositiveIntegerField("numéro de lot")
    created_at = models.DateTimeField("exporté le", auto_now_add=True)
    channel = models.CharField("par", max_length=20)  # "commande" or "api"

    class Meta:
        verbose_name = "lot d'export"
        verbose_name_plural = "lots d'export"
        ordering = ["landlord", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["landlord", "number"], name="unique_export_number")
        ]

    def __str__(self) -> str:
        return f"Lot {self.number} ({self.landlord.slug})"


class Payment(models.Model):
    """A tenant's online payment, from the amount chosen to the provider's final word."""

    class State(models.TextChoices):
        CREATED = "created", "créé"
        PENDING = "pending", "en cours"
        PAID = "paid", "payé"
        FAILED = "failed", "refusé"
        EXPIRED = "expired", "expiré"

    account = models.ForeignKey(
        TenantAccount, on_delete=models.PROTECT, related_name="payments", verbose_name="compte"
    )
    # A closed access must not erase the payments it made.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name="payé par",
    )
    backend = models.CharField("prestataire", max_length=20)
    amount_cents = models.PositiveIntegerField("montant (centimes)")
    currency = models.CharField("devise", max_length=3, default="EUR")
    reference = models.CharField("référence", max_length=20, unique=True, default=new_reference)
    provider_transaction_id = models.CharField(
        "identifiant chez le prestataire", max_length=64, blank=True, db_index=True
    )
    state = models.CharField(
        "état", max_length=10, choices=State.choices, default=State.CREATED, db_index=True
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    confirmed_at = models.DateTimeField("confirmé le", null=True, blank=True)
    export = models.ForeignKey(
        PaymentExport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name="lot d'export",
    )

    class Meta:
        verbose_name = "paiement en ligne"
        verbose_name_plural = "paiements en ligne"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(name="payment_amount_positive", condition=Q(amount_cents__gt=0)),
            models.CheckConstraint(
                name="paid_payment_has_confirmation_date",
                condition=Q(state="paid", confirmed_at__isnull=False)
                | (~Q(state="paid") & Q(confirmed_at__isnull=True)),
            ),
            models.CheckConstraint(
                name="only_paid_payments_are_exported",
                condition=Q(export__isnull=True) | Q(state="paid"),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def in_progress(self) -> bool:
        return self.state in (self.State.CREATED, self.State.PENDING)


class PaymentEvent(models.Model):
    """Every provider message and every state change, kept so that what happened can be replayed.

    `fields` holds the message as received, minus anything secret (no key; card data never
    reaches the portal).
    """

    class Kind(models.TextChoices):
        CREATED = "created", "paiement créé"
        STARTED = "started", "envoyé au prestataire"
        START_FAILED = "start_failed", "prestataire injoignable"
        NOTIFICATION = "notification", "notification du prestataire"
        STATUS = "status", "interrogation du prestataire"
        REFUSED_MESSAGE = "refused_message", "message refusé"
        STATE_CHANGED = "state_changed", "changement d'état"
        EXPORTED = "exported", "exporté"

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    # A refused message may name no payment we know: the landlord still tells whose it was.
    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="payment_events")
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    fields = models.JSONField("données reçues ou envoyées", default=dict, blank=True)
    result = models.CharField("résultat", max_length=300, blank=True)
    created_at = models.DateTimeField("le", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "événement de paiement"
        verbose_name_plural = "événements de paiement"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.result}"


class ApiToken(models.Model):
    """A landlord's integration token for the payments API; only a hash of the secret is kept."""

    landlord = models.ForeignKey(
        Landlord, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="bailleur"
    )
    name = models.CharField("nom", max_length=100, help_text="Qui l'utilise, par exemple « ERP ».")
    key_id = models.CharField("identifiant", max_length=16, unique=True)
    secret_hash = models.CharField("empreinte du secret", max_length=64)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"

    def __str__(self) -> str:
        return f"{self.name} ({self.key_id})"
