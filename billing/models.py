from django.db import models

from tenancies.models import TenantAccount


class LedgerEntry(models.Model):
    """One line of a tenant's account. Positive: owed by the tenant; negative: credited."""

    class Kind(models.TextChoices):
        CHARGE = "charge", "échéance"
        PAYMENT = "payment", "paiement"
        ADJUSTMENT = "adjustment", "régularisation"
        # Money given back on an online payment (a refund, a cancellation after confirmation).
        REFUND = "refund", "remboursement"

    account = models.ForeignKey(
        TenantAccount, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    reference = models.CharField("référence de l'écriture", max_length=40)
    date = models.DateField("date")
    label = models.CharField("libellé", max_length=200)
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    amount_cents = models.BigIntegerField("montant (centimes)")
    period = models.DateField("mois concerné", null=True, blank=True)
    category = models.CharField("rubrique", max_length=40, blank=True)

    class Meta:
        verbose_name = "écriture"
        ordering = ["account", "date", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["account", "reference"], name="unique_entry_reference")
        ]
        indexes = [models.Index(fields=["account", "date"], name="entry_account_date")]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.label} {self.amount_cents / 100:.2f}"
