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


REVERSAL_PREFIX = "RB"


def new_reversal_reference() -> str:
    """A refund's or cancellation's own reference: its ledger entry, its export line."""
    return REVERSAL_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


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
    rest_url = models.CharField(
        "adresse de l'API REST",
        max_length=300,
        blank=True,
        help_text="Systempay : l'API REST de Lyra qui répond aux demandes d'état (Order/Get). "
        "Vide : https://api.systempay.fr/api-payment/ ; PayZen : "
        "https://api.payzen.eu/api-payment/. Une adresse commençant par « / » désigne le "
        "portail lui-même (bac à sable).",
    )
    rest_password = models.CharField(
        "mot de passe de l'API REST",
        max_length=200,
        blank=True,
        help_text="Systempay : le mot de passe de TEST ou de PRODUCTION de l'API REST (back-office "
        "Lyra, Clés d'API REST), selon le mode. Vide : pas de demande d'état, un paiement sans "
        "notification expire au bout de 30 minutes.",
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
        for name in ("service_url", "rest_url"):
            if getattr(self, name) and not getattr(self, name).startswith(
                ("https://", "http://", "/")
            ):
                errors[name] = "Adresse commençant par « https:// » ou « / »."
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
        REVERSAL = "reversal", "remboursement ou annulation"

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


class Reversal(models.Model):
    """Money given back on a confirmed payment: a refund (Lyra's CREDIT operation) or the
    cancellation of the transaction after its confirmation. Each is its own ledger entry
    (`reference`), written once: the provider's transaction id is unique per payment and kind,
    so a notification received five times, or five at once, writes one."""

    class Kind(models.TextChoices):
        REFUND = "refund", "remboursement"
        CANCELLATION = "cancellation", "annulation"

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="reversals", verbose_name="paiement"
    )
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    amount_cents = models.PositiveIntegerField("montant (centimes)")
    reference = models.CharField(
        "référence", max_length=20, unique=True, default=new_reversal_reference
    )
    provider_transaction_id = models.CharField("identifiant chez le prestataire", max_length=64)
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)
    export = models.ForeignKey(
        PaymentExport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversals",
        verbose_name="lot d'export",
    )

    class Meta:
        verbose_name = "remboursement ou annulation"
        verbose_name_plural = "remboursements et annulations"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="reversal_amount_positive", condition=Q(amount_cents__gt=0)
            ),
            models.UniqueConstraint(
                fields=["payment", "kind", "provider_transaction_id"],
                name="unique_reversal_per_provider_transaction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference} ({self.payment.reference})"


class SandboxTransaction(models.Model):
    """A transaction as the demo's sandbox provider keeps it (docs/payments.md, the sandbox):
    what its REST API answers to a status request. Never used by the portal's own rules."""

    provider = models.ForeignKey(
        PaymentProvider,
        on_delete=models.CASCADE,
        related_name="sandbox_transactions",
        verbose_name="boutique",
    )
    order_id = models.CharField("référence de commande", max_length=64, db_index=True)
    uuid = models.CharField("identifiant", max_length=32, unique=True)
    operation_type = models.CharField("opération", max_length=10, default="DEBIT")
    detailed_status = models.CharField("état détaillé", max_length=40)
    amount_cents = models.PositiveIntegerField("montant (centimes)")
    currency = models.CharField("devise", max_length=3, default="EUR")
    mode = models.CharField("mode", max_length=10, default="TEST")
    card_brand = models.CharField("moyen de paiement", max_length=20, blank=True)
    card_number = models.CharField("carte masquée", max_length=23, blank=True)
    parent_uuid = models.CharField("transaction d'origine", max_length=32, blank=True)
    notification = models.JSONField("notification", default=dict, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "transaction du bac à sable"
        verbose_name_plural = "transactions du bac à sable"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.operation_type} {self.detailed_status}"


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
