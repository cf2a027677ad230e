"""Documents a tenant can download: rent notices, receipts and certificates.

Each row keeps what the document states (its facts), so a stored document stays what
was issued even if the ledger changes later; the rendered PDF is stored once.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from tenancies.models import TenantAccount


def document_path(instance, filename: str) -> str:
    # A random part: stored names are never guessable, even on a shared bucket.
    account = instance.account
    return f"documents/{account.landlord.slug}/{account.number}/{secrets.token_hex(8)}-{filename}"


class RentNotice(models.Model):
    """A month's rent notice (avis d'échéance): one per account, month and version.

    A generated notice's version is the version of the month's closing it was issued
    from (billing.LedgerPeriod): a corrective import closes the month again and the next
    notice is a new version; the earlier ones are kept (docs/documents.md)."""

    class Source(models.TextChoices):
        GENERATED = "generated", "produit par le portail"
        IMPORTED = "imported", "importé de l'ERP"

    account = models.ForeignKey(
        TenantAccount, on_delete=models.PROTECT, related_name="rent_notices"
    )
    period = models.DateField("mois")
    version = models.PositiveIntegerField("version", default=1)
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
        ordering = ["account", "-period", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "period", "version"], name="unique_notice_per_month_version"
            )
        ]

    def __str__(self):
        return f"Avis d'échéance {self.period:%m/%Y} v{self.version} {self.account.number}"


class NoticeDownload(models.Model):
    """Who opened a notice (PDF or page): told by email when a new version replaces it."""

    notice = models.ForeignKey(RentNotice, on_delete=models.PROTECT, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    first_at = models.DateTimeField("premier téléchargement", default=timezone.now)
    notified_at = models.DateTimeField("prévenu d'une nouvelle version le", null=True)

    class Meta:
        verbose_name = "téléchargement d'avis"
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="one_download_row_per_user")
        ]

    def __str__(self):
        return f"{self.notice} ouvert par {self.user_id}"


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
    # A certificate's is the month it was issued in.
    period = models.DateField("mois", null=True, blank=True)
    # SHA-256 of what the document states that makes it this document (issued.fingerprint):
    # the same request twice, or two at once, finds the same row.
    fingerprint = models.CharField("empreinte du contenu", max_length=64, default="")
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
            ),
            models.UniqueConstraint(
                fields=["account", "kind", "period", "fingerprint"],
                name="one_document_per_content",
            ),
        ]
        indexes = [models.Index(fields=["account", "kind", "period"], name="issued_account_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reference}"
