import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

from landlords.models import Agency, Landlord
from tenancies.names import normalize_name


class TenantAccount(models.Model):
    """The ERP's account for one lease ("compte client", "code locataire")."""

    # No index of its own: unique_account_number starts with it.
    landlord = models.ForeignKey(
        Landlord, on_delete=models.PROTECT, related_name="accounts", db_index=False
    )
    number = models.CharField("numéro de compte", max_length=32)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name="agence",
    )
    phone_unknown_reported_at = models.DateTimeField(
        "mobile inconnu signalé le",
        null=True,
        blank=True,
        help_text="Le locataire ne reconnaît pas le mobile connu : corrigez-le ou envoyez-lui "
        "un courrier d'activation.",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "compte locataire"
        verbose_name_plural = "comptes locataires"
        ordering = ["landlord", "number"]
        constraints = [
            models.UniqueConstraint(fields=["landlord", "number"], name="unique_account_number")
        ]

    def __str__(self):
        return f"{self.number} ({self.landlord.slug})"

    def current_leases(self, on: datetime.date | None = None):
        return self.leases.current(on)


class LeaseQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)


class Typology(models.TextChoices):
    T1 = "T1", "T1"
    T2 = "T2", "T2"
    T3 = "T3", "T3"
    T4 = "T4", "T4"
    T5 = "T5", "T5"
    T6 = "T6", "T6 et plus"


class Lease(models.Model):
    class Kind(models.TextChoices):
        DWELLING = "logement", "logement"
        PARKING = "parking", "parking"
        COMMERCIAL = "commerce", "local commercial"
        OTHER = "autre", "autre"

    # No index of its own: unique_lease_reference starts with it.
    account = models.ForeignKey(
        TenantAccount, on_delete=models.CASCADE, related_name="leases", db_index=False
    )
    reference = models.CharField("numéro de contrat", max_length=32)
    kind = models.CharField(
        "type de bien", max_length=20, choices=Kind.choices, default=Kind.DWELLING
    )
    address = models.CharField("adresse", max_length=200)
    address_complement = models.CharField("complément d'adresse", max_length=200, blank=True)
    postal_code = models.CharField("code postal", max_length=10)
    city = models.CharField("ville", max_length=100)
    start_date = models.DateField("date d'entrée")
    end_date = models.DateField("date de sortie", null=True, blank=True)
    # The ERP's numbers some landlords print on the rent notice (OPH d'Aubervilliers).
    third_party_number = models.CharField("numéro de tiers", max_length=32, blank=True)
    billing_formula = models.CharField("numéro de formule", max_length=32, blank=True)
    # Mon logement: the dwelling as the ERP knows it (optional columns of the accounts file).
    typology = models.CharField(
        "type de logement", max_length=3, choices=Typology.choices, blank=True
    )
    surface = models.DecimalField(
        "surface habitable (m²)", max_digits=6, decimal_places=2, null=True, blank=True
    )
    floor = models.SmallIntegerField(
        "étage", null=True, blank=True, help_text="0 : rez-de-chaussée."
    )
    residence = models.CharField("résidence", max_length=200, blank=True)
    annexes = models.CharField("annexes", max_length=300, blank=True, help_text="Parking, cave…")
    caretaker_name = models.CharField("gardien", max_length=200, blank=True)
    caretaker_phone = models.CharField("téléphone du gardien", max_length=20, blank=True)
    emergency_phone = models.CharField(
        "numéro d'urgence de la résidence", max_length=20, blank=True
    )

    objects = LeaseQuerySet.as_manager()

    class Meta:
        verbose_name = "contrat de location"
        verbose_name_plural = "contrats de location"
        constraints = [
            models.UniqueConstraint(fields=["account", "reference"], name="unique_lease_reference")
        ]

    def __str__(self):
        return f"Contrat {self.reference}"

    @property
    def floor_label(self) -> str:
        if self.floor is None:
            return ""
        if self.floor == 0:
            return "rez-de-chaussée"
        return "1er étage" if self.floor == 1 else f"{self.floor}e étage"

    def is_current(self, on: datetime.date) -> bool:
        """LeaseQuerySet.current's rule, for leases already loaded."""
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


class Signatory(models.Model):
    """A person who signed the lease: only signatories may open an online access."""

    lease = models.ForeignKey(Lease, on_delete=models.CASCADE, related_name="signatories")
    position = models.PositiveSmallIntegerField("rang", default=1)
    last_name = models.CharField("nom", max_length=100)
    first_name = models.CharField("prénom", max_length=100)
    birth_date = models.DateField("date de naissance")
    email = models.EmailField("email", blank=True)
    mobile_phone = models.CharField("téléphone mobile", max_length=20, blank=True)
    landline_phone = models.CharField("téléphone fixe", max_length=20, blank=True)

    class Meta:
        verbose_name = "signataire"
        ordering = ["lease", "position"]

    def __str__(self):
        return f"{self.last_name} {self.first_name}"

    @property
    def identity_key(self) -> tuple[str, str, datetime.date]:
        return identity_key(self.last_name, self.first_name, self.birth_date)


def identity_key(last_name: str, first_name: str, birth_date: datetime.date):
    """Who a signatory is, whatever the spelling details of the file."""
    return (normalize_name(last_name), normalize_name(first_name), birth_date)
