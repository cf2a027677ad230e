from django.conf import settings
from django.db import models
from django.utils import timezone

from tenancies.models import TenantAccount


class LedgerEntry(models.Model):
    """One line of a tenant's account. Positive: owed by the tenant; negative: credited."""

    class Kind(models.TextChoices):
        CHARGE = "charge", "échéance"
        PAYMENT = "payment", "paiement"
        ADJUSTMENT = "adjustment", "régularisation"
        # Money given back on an online payment (a refund, a cancellation after confirmation).
        REFUND = "refund", "remboursement"

    # No index of its own: unique_entry_reference starts with it (one index less to keep
    # up on every line an import writes).
    account = models.ForeignKey(
        TenantAccount, on_delete=models.PROTECT, related_name="ledger_entries", db_index=False
    )
    reference = models.CharField("référence de l'écriture", max_length=40)
    date = models.DateField("date")
    label = models.CharField("libellé", max_length=200)
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    amount_cents = models.BigIntegerField("montant (centimes)")
    period = models.DateField("mois concerné", null=True, blank=True)
    category = models.CharField("rubrique", max_length=40, blank=True)
    # The ERP's name for the billed period, printed as such on the notice where it gives one.
    billing_period = models.CharField("période facture", max_length=40, blank=True)

    class Meta:
        verbose_name = "écriture"
        ordering = ["account", "date", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["account", "reference"], name="unique_entry_reference")
        ]
        # No index on (account, date): every query reads an account's entries through
        # unique_entry_reference and sorts its few dozen rows itself (the same plans and
        # times), and each index costs every line an import writes.

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.label} {self.amount_cents / 100:.2f}"


class LedgerPeriod(models.Model):
    """A month of a landlord's ledger, closed: the ERP has posted all its lines.

    A row exists only once the month is closed (by the import that completes it, or by
    staff in the espace agence). Its notices exist only then, issued on `closed_on`. A
    corrective import for a closed month closes it again as a new `version`: its notices
    are issued again, the earlier ones kept (docs/documents.md, "Periods and versions").
    """

    class Source(models.TextChoices):
        IMPORT = "import", "import des écritures"
        STAFF = "staff", "clôture par l'agence"

    landlord = models.ForeignKey(
        "landlords.Landlord", on_delete=models.CASCADE, related_name="ledger_periods"
    )
    period = models.DateField("mois")
    version = models.PositiveIntegerField("version", default=1)
    closed_on = models.DateField("clos le")
    closed_at = models.DateTimeField("clos à", default=timezone.now)
    source = models.CharField("clos par", max_length=10, choices=Source.choices)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="clos par",
    )
    file_name = models.CharField("fichier", max_length=255, blank=True)

    class Meta:
        verbose_name = "mois clos"
        verbose_name_plural = "mois clos"
        ordering = ["landlord", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["landlord", "period"], name="one_closing_per_month")
        ]

    def __str__(self):
        return f"{self.landlord.slug} {self.period:%m/%Y} v{self.version}"
