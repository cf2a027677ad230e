"""Documents a tenant can download: rent notices, receipts and certificates.

Each row keeps what the document states (its facts), so a stored document stays what
was issued even if the ledger changes later; the rendered PDF is stored once.
"""

import secrets

from django.db import models
from django.utils import timezone

from tenancies.models import TenantAccount


def document_path(instance, filename: str) -> str:
    # A random part: stored names are never guessable, even on a shared bucket.
    account = instance.account
    return f"documents/{account.landlord.slug}/{account.number}/{secrets.token_hex(8)}-{filename}"


class RentNotice(models.Model):
    """A month's rent notice (avis d'échéance): one per account and month."""

    class Source(models.TextChoices):
        GENERATED = "generated", "produit par le portail"
        IMPORTED = "imported", "importé de l'ERP"

    account = models.ForeignKey(
        TenantAccount, on_delete=models.PROTECT, related_name="rent_notices"
    )
    period = models.DateField("mois")
    source = models.CharField("origine", max_length=20, choices=Source.choices)
    pdf = models.FileField("PDF", upload_to=document_path, blank=True, max_length=300)
    # What a generated notice states (None for an imported one: its PDF says it).
    previous_balance_cents = models.BigIntegerField("solde précédent (centimes)", null=True)
    total_cents = models.BigIntegerField("total du mois (centimes)", null=True)
    amount_due_cents = models.BigIntegerField("montant à payer (centimes)", null=True)
    due_date = models.DateField("date limite de paiement", null=True)
    facts = models.JSONField("contenu", default=dict, blank=True)
    content_sha256 = models.CharField("empreinte du PDF", max_length=64, blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "avis d'échéance"
        verbose_name_plural = "avis d'échéance"
        ordering = ["account", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["account", "period"], name="unique_notice_per_month")
        ]

    def __str__(self):
        return f"Avis d'échéance {self.period:%m/%Y} {self.account.number}"


class IssuedDocument(models.Model):
    """A receipt or certificate, verifiable by anyone who holds its reference."""

    class Kind(models.TextChoices):
        QUITTANCE = "quittance", "Quittance de loyer"
        RECEIPT = "recu", "Reçu de paiement partiel"
        CERTIFICATE = "attestation", "Attestation de loyer à jour"

    account = models.ForeignKey(
        TenantAccount, on_delete=models.PROTECT, related_name="issued_documents"
    )
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    period = models.DateField("mois", null=True, blank=True)
    reference = models.CharField("référence", max_length=12, unique=True)
    # SHA-256 of the reference: the public lookup goes through it (verification.verify).
    reference_digest = models.CharField("empreinte de la référence", max_length=64, unique=True)
    facts = models.JSONField("contenu")
    pdf = models.FileField("PDF", upload_to=document_path, blank=True, max_length=300)
    issued_at = models.DateTimeField("émis le", default=timezone.now)

    class Meta:
        verbose_name = "document émis"
        verbose_name_plural = "documents émis"
        ordering = ["account", "-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "period"],
                condition=models.Q(kind="quittance"),
                name="one_quittance_per_month",
            )
        ]
        indexes = [models.Index(fields=["account", "kind", "period"], name="issued_account_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reference}"
